"""Tracking over the store: its targets against the latest vintage of its observations."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from digimeter.indicators import load_taxonomy
from digimeter.progress.files import default_form
from digimeter.store.observations import latest
from digimeter.store.schema import targets as targets_table

# Within one year, a statistics release outranks a figure read from a document.
ORIGIN_RANK = {"import": 0, "document": 1}


def store_observations(engine: Engine, region: str | None = None) -> pd.DataFrame:
    """One value per region, indicator and year: the last period of the year, and of
    several sources for it, an imported statistic before a figure from a document."""
    rows = pd.DataFrame(latest(engine, region_code=region))
    if rows.empty:
        return pd.DataFrame(columns=["region_code", "indicator", "year", "value"])
    rows["_rank"] = rows["origin"].map(ORIGIN_RANK).fillna(9)
    rows = rows.sort_values(["region_code", "indicator", "year", "period", "_rank"],
                            ascending=[True, True, True, False, True], kind="stable")
    rows = rows.drop_duplicates(["region_code", "indicator", "year"], keep="first")
    return rows[["region_code", "indicator", "year", "value"]].reset_index(drop=True)


def store_targets(engine: Engine, region: str | None = None) -> pd.DataFrame:
    query = select(targets_table).where(targets_table.c.indicator.is_not(None))
    if region:
        query = query.where(targets_table.c.region_code == region)
    with engine.connect() as conn:
        rows = pd.DataFrame(conn.execute(query).mappings().all())
    if rows.empty:
        return rows
    taxonomy = load_taxonomy()
    direction = rows["indicator"].map({i.id: i.direction for i in taxonomy}).fillna(1)
    rows["direction"] = np.where(rows["comparator"] == "<=", -1, direction)
    rows["form"] = [default_form(i, u) for i, u in zip(rows["indicator"], rows["unit"],
                                                        strict=True)]
    rows["id"] = rows["id"].astype(str)
    rows["plan_year"] = np.nan
    return rows
