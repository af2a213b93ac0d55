"""Observations with vintages: a revised figure is stored beside the old one, never over it.

A series is (indicator, region, period, source). An import is a release with a vintage (the
date given by the user, else the time of import). For each incoming value:
- no stored value for the series → stored;
- the same value as the stored vintage just before this one → not stored again (nothing was
  revised);
- a different value → stored as a new vintage;
- a different value at exactly the same vintage → a conflict, reported for its row.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Select, and_, func, insert, select, update

from digimeter.errors import RowError
from digimeter.store.schema import observations, releases

KEY = ["indicator", "region_code", "period", "source"]
COLUMNS = ["region_code", "indicator", "period", "year", "value", "unit", "value_published",
           "unit_published", "source", "source_url", "published", "vintage", "release_id",
           "record_id", "origin", "note"]


@dataclass
class Written:
    release_id: int | None
    stored: int
    unchanged: int
    errors: list[RowError] = field(default_factory=list)


def _existing(conn: Connection, frame: pd.DataFrame) -> pd.DataFrame:
    """Stored (key, vintage, value) rows for the indicators and sources in ``frame``."""
    query = select(*(observations.c[k] for k in KEY), observations.c.vintage,
                   observations.c.value).where(
        observations.c.indicator.in_(sorted(frame["indicator"].unique())),
        observations.c.source.in_(sorted(frame["source"].unique())))
    return pd.DataFrame(conn.execute(query).all(), columns=[*KEY, "vintage", "stored"])


def _classify(frame: pd.DataFrame, stored: pd.DataFrame, vintage: str,
              file: str) -> tuple[pd.DataFrame, int, list[RowError]]:
    """Rows to insert, the number unchanged, and conflicts."""
    if stored.empty:
        return frame, 0, []
    same = stored[stored["vintage"] == vintage]
    merged = frame.merge(same[[*KEY, "stored"]], on=KEY, how="left")
    conflict = merged["stored"].notna() & ~np.isclose(merged["value"], merged["stored"],
                                                      rtol=1e-12, atol=0.0)
    exact = merged["stored"].notna() & ~conflict
    errors = [RowError(f"value {v!r} conflicts with {s!r} stored for the same vintage "
                       f"{vintage}; import it with a later --vintage", file=file, row=int(r))
              for r, v, s in merged.loc[conflict, ["_row", "value", "stored"]].itertuples(
                  index=False)]
    rest = merged[~conflict & ~exact].drop(columns="stored")
    before = (stored[stored["vintage"] < vintage].sort_values("vintage")
              .groupby(KEY, as_index=False).last())
    rest = rest.merge(before[[*KEY, "stored"]], on=KEY, how="left")
    unchanged = rest["stored"].notna() & np.isclose(rest["value"], rest["stored"], rtol=1e-12,
                                                    atol=0.0)
    return (rest[~unchanged].drop(columns="stored"), int(exact.sum() + unchanged.sum()),
            errors)


def _copy_postgres(conn: Connection, rows: pd.DataFrame) -> None:
    buffer = io.StringIO()
    rows.to_csv(buffer, index=False, header=False, na_rep="\\N")
    buffer.seek(0)
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY observations ({', '.join(COLUMNS)}) FROM STDIN "
                     "WITH (FORMAT csv, NULL '\\N')") as copy:
        while chunk := buffer.read(1 << 20):
            copy.write(chunk)


def _insert(conn: Connection, rows: pd.DataFrame) -> None:
    if rows.empty:
        return
    rows = rows[COLUMNS].sort_values(KEY, kind="stable")  # index pages fill in order
    if conn.dialect.name == "postgresql":
        _copy_postgres(conn, rows)
        return
    values = rows.astype(object).where(rows.notna(), None)
    placeholders = ", ".join("?" for _ in COLUMNS)
    sql = f"INSERT INTO observations ({', '.join(COLUMNS)}) VALUES ({placeholders})"
    conn.exec_driver_sql(sql, list(values.itertuples(index=False, name=None)))


def write_release(engine: Engine, frame: pd.DataFrame, *, source_label: str, file: str,
                  file_sha256: str | None, vintage: str | None = None,
                  published: date | None = None) -> Written:
    """Store ``frame`` (normalised observations) as one release, in one transaction."""
    now = datetime.now(UTC)
    vintage = vintage or now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with engine.begin() as conn:
        release_id = conn.execute(insert(releases).values(
            source=source_label, file_name=file, file_sha256=file_sha256, vintage=vintage,
            published=published, imported_at=now)).inserted_primary_key[0]
        rows, unchanged, errors = _classify(frame, _existing(conn, frame), vintage, file)
        rows = rows.copy()
        for column in COLUMNS:
            if column not in rows:
                rows[column] = None
        rows["vintage"], rows["release_id"], rows["origin"] = vintage, release_id, "import"
        rows["published"] = published.isoformat() if published else None
        _insert(conn, rows)
        conn.execute(update(releases).where(releases.c.id == release_id).values(
            rows_stored=len(rows), rows_rejected=len(errors)))
    return Written(release_id, len(rows), unchanged, errors)


def _filters(indicator: str | None, region_code: str | None) -> list:
    conds = []
    if indicator:
        conds.append(observations.c.indicator == indicator)
    if region_code:
        conds.append(observations.c.region_code == region_code)
    return conds


def _latest_query(conds: list, columns: Sequence[str] | None = None) -> Select:
    newest = (select(*(observations.c[k] for k in KEY),
                     func.max(observations.c.vintage).label("vintage"))
              .where(*conds).group_by(*(observations.c[k] for k in KEY)).subquery())
    picked = [observations.c[c] for c in columns] if columns else [observations]
    return (select(*picked).join(newest, and_(
        *(observations.c[k] == newest.c[k] for k in KEY),
        observations.c.vintage == newest.c.vintage))
        .order_by(*(observations.c[k] for k in KEY)))


def _latest_conds(indicator: str | None, region_code: str | None, as_of: str | None) -> list:
    conds = _filters(indicator, region_code)
    if as_of:
        conds.append(observations.c.vintage <= as_of)
    return conds


def latest(engine: Engine, *, indicator: str | None = None, region_code: str | None = None,
           as_of: str | None = None) -> list[dict]:
    """The latest vintage of each series and period (or the latest at or before ``as_of``)."""
    query = _latest_query(_latest_conds(indicator, region_code, as_of))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def latest_frame(engine: Engine, columns: Sequence[str], *, indicator: str | None = None,
                 region_code: str | None = None, as_of: str | None = None) -> pd.DataFrame:
    """``latest`` as a frame of the named columns, built from the driver's plain tuples (not
    a mapping per row): tracking reads a million rows this way. Only for columns whose
    driver values need no conversion (text and numbers)."""
    query = _latest_query(_latest_conds(indicator, region_code, as_of), columns)
    with engine.connect() as conn:
        rows = conn.execute(query).cursor.fetchall()
    return pd.DataFrame.from_records(rows, columns=list(columns))


def all_vintages(engine: Engine, *, indicator: str | None = None,
                 region_code: str | None = None, period: str | None = None) -> list[dict]:
    """Every stored vintage, oldest first within each series and period."""
    conds = _filters(indicator, region_code)
    if period:
        conds.append(observations.c.period == period)
    query = select(observations).where(*conds).order_by(
        *(observations.c[k] for k in KEY), observations.c.vintage)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]
