"""Extracted records: the machine's version, kept as written; curation lives beside it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, insert

from digimeter import __version__
from digimeter.store.schema import records

RECORD_FIELDS = ("kind", "region_code", "region_name", "indicator", "indicator_text", "value",
                 "value_max", "unit", "comparator", "year", "baseline_year", "baseline_value",
                 "quote", "start", "end")


EXTRACTOR = f"digimeter-extract {__version__}"


def insert_records(conn: Connection, document_id: int, rows: Sequence[dict],
                   extractor: str = EXTRACTOR) -> None:
    if not rows:
        return
    now = datetime.now(UTC)
    conn.execute(insert(records), [
        {**{f: row.get(f) for f in RECORD_FIELDS}, "document_id": document_id,
         "extractor": row.get("extractor", extractor), "created_at": now, "status": "machine"}
        for row in rows
    ])
