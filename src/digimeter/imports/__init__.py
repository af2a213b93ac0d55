"""Importing indicator observations from yearbook tables (CSV, Excel; long or wide layout)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from digimeter.errors import DigimeterError
from digimeter.imports.normalize import normalize
from digimeter.imports.tables import Crosswalk, Mapping, read_table, to_long
from digimeter.store.observations import write_release


@dataclass
class ImportResult:
    file: str
    rows: int = 0
    stored: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[DigimeterError] = field(default_factory=list)


def import_file(engine: Engine, path: Path, *, source: str | None = None,
                mapping: Mapping | None = None, unit: str | None = None,
                layout: str = "auto", sheet: str | None = None, vintage: str | None = None,
                published: date | None = None,
                crosswalk: Crosswalk | None = None) -> ImportResult:
    """Import one file; bad rows are reported and skipped, good rows go in together.

    A file-level problem (unreadable, no value column) raises; the caller reports it and
    goes on with the next file.
    """
    where = str(path)
    frame = read_table(path, sheet)
    long = to_long(frame, mapping or Mapping({}), where, layout)
    rows = len(long)
    long, skipped = crosswalk.apply(long) if crosswalk else (long, 0)
    norm = normalize(long, where, source=source, unit=unit)
    result = ImportResult(where, rows=rows, skipped=skipped, errors=list(norm.errors))
    if norm.frame.empty:
        return result
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    label = source or ", ".join(sorted(norm.frame["source"].unique()))[:200]
    written = write_release(engine, norm.frame, source_label=label, file=where,
                            file_sha256=digest, vintage=vintage, published=published)
    result.stored, result.unchanged = written.stored, written.unchanged
    result.errors.extend(written.errors)
    return result
