"""Targets imported from plan tables (extracted targets live in ``records``)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, insert, select

from digimeter.store.schema import targets

CHANGE_FORMS = ("change", "multiple")


def _number(value: object) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) \
        else float(value)


def _year(value: object) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _row(raw: dict) -> dict:
    """A targets-file row (values already in base units) as a ``targets`` table row."""
    return {"region_code": raw["region_code"], "indicator": raw["indicator"],
            "value": float(raw["value"]),
            "unit": raw["target_unit"] if raw["form"] in CHANGE_FORMS else raw["unit"],
            "comparator": raw["comparator"], "year": _year(raw["year"]),
            "baseline_year": _year(raw["baseline_year"]),
            "baseline_value": _number(raw["baseline_value"])}


def write_targets(engine: Engine, frame: pd.DataFrame, source: str,
                  source_url: str | None = None) -> tuple[int, int]:
    """Store targets not already stored from the same source; (stored, already there)."""
    rows = [_row(raw) for raw in frame.to_dict("records")]
    with engine.begin() as conn:
        existing = {tuple(r) for r in conn.execute(
            select(*(targets.c[f] for f in ("region_code", "indicator", "year", "value")))
            .where(targets.c.source == source))}
        new = [r for r in rows
               if (r["region_code"], r["indicator"], r["year"], r["value"]) not in existing]
        if new:
            now = datetime.now(UTC)
            conn.execute(insert(targets), [{**r, "source": source, "source_url": source_url,
                                            "created_at": now} for r in new])
    return len(new), len(rows) - len(new)
