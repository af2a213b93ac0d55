"""Loading the reference data files (regions, indicators) into the store's tables.

The files are the truth; the tables are a copy for joins and for other tools reading the
database. A copy is refreshed when the files' hash differs from the one recorded at the last
load. Rows are upserted, never deleted, because observations and targets point at them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from digimeter.indicators import TAXONOMY_CSV, load_taxonomy
from digimeter.regions import (
    aliases_csv_path,
    groupings_csv_path,
    load_regions,
    regions_csv_path,
)
from digimeter.store.schema import indicators, reference_data, region_aliases, regions


def _digest(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.read_bytes())
    return h.hexdigest()


def upsert(conn: Connection, table: Table, rows: list[dict], keys: list[str]) -> None:
    """Insert ``rows``, updating the non-key columns of rows whose ``keys`` already exist."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    for start in range(0, len(rows), 2000):
        stmt = dialect.insert(table).values(rows[start:start + 2000])
        updates = {c: stmt.excluded[c] for c in rows[0] if c not in keys}
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=updates) if updates \
            else stmt.on_conflict_do_nothing(index_elements=keys)
        conn.execute(stmt)


def _region_rows() -> list[dict]:
    return [dict(r.__dict__) for r in load_regions()]


def _alias_rows() -> list[dict]:
    return [{"alias": alias, "code": code}
            for alias, codes in sorted(load_regions().aliases().items()) for code in codes]


def _indicator_rows() -> list[dict]:
    return [
        {"id": i.id, "name_en": i.name_en, "name_zh": i.name_zh, "unit": i.unit,
         "direction": i.direction, "category": i.category,
         "aliases_zh": list(i.aliases_zh), "aliases_en": list(i.aliases_en)}
        for i in load_taxonomy()
    ]


def _stale(conn: Connection, name: str, digest: str) -> bool:
    stored = conn.execute(select(reference_data.c.sha256)
                          .where(reference_data.c.name == name)).scalar()
    return stored != digest


def _mark(conn: Connection, name: str, digest: str) -> None:
    upsert(conn, reference_data,
           [{"name": name, "sha256": digest, "loaded_at": datetime.now(UTC)}], ["name"])


def sync_reference(engine: Engine) -> None:
    """Load regions and indicators into the store if their data files changed."""
    region_digest = _digest([regions_csv_path(), aliases_csv_path(), groupings_csv_path()])
    indicator_digest = _digest([TAXONOMY_CSV])
    with engine.begin() as conn:
        if _stale(conn, "regions", region_digest):
            upsert(conn, regions, _region_rows(), ["code"])
            conn.execute(delete(region_aliases))
            upsert(conn, region_aliases, _alias_rows(), ["alias", "code"])
            _mark(conn, "regions", region_digest)
        if _stale(conn, "indicators", indicator_digest):
            upsert(conn, indicators, _indicator_rows(), ["id"])
            _mark(conn, "indicators", indicator_digest)
