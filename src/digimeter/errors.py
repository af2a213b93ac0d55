"""Typed errors. Each carries where it happened, so the CLI can print one line that says so."""

from __future__ import annotations


class DigimeterError(Exception):
    """Base class. ``where`` names the file, row, field or request that caused the error."""

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InputError(DigimeterError):
    """Input that cannot be used: unreadable file, bad row, unknown code."""


class DocumentError(InputError):
    """A document that cannot be read or decoded."""


class TooLargeError(DocumentError):
    """A file above the configured size limit."""


class RowError(InputError):
    """One bad row of a tabular import; ``row`` is 1-based as a spreadsheet shows it."""

    def __init__(self, message: str, *, file: str, row: int | None = None,
                 column: str | None = None) -> None:
        where = file
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column {column!r}"
        super().__init__(message, where=where)
        self.file = file
        self.row = row
        self.column = column


class UnknownRegionError(InputError):
    """A region name or code that the GB/T 2260 table does not know."""


class UnknownIndicatorError(InputError):
    """An indicator id or alias that the taxonomy does not know."""


class UnitError(InputError):
    """A unit that cannot be converted to the indicator's base unit."""


class StoreError(DigimeterError):
    """The store cannot be opened, migrated or written."""
