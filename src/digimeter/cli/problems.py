"""Errors on stderr, one line each, and the exit status they imply."""

from __future__ import annotations

import sys

from rich.console import Console

from digimeter.errors import DigimeterError

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


class Problems:
    def __init__(self) -> None:
        self.count = 0

    def report(self, error: DigimeterError | str) -> None:
        self.count += 1
        line = " ".join(str(error).split())
        sys.stderr.write(f"error: {line}\n")
        sys.stderr.flush()

    @property
    def exit_code(self) -> int:
        return 1 if self.count else 0


def note(message: str) -> None:
    """A summary line for people; stderr, so that stdout stays machine-readable."""
    stderr.print(message)
