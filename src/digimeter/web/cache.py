"""Assessments computed once per state of the store, not once per request.

Tracking every target is the costly part of a page; its inputs change only when a document,
record, decision, observation or target is written. A cheap fingerprint of those tables (their
highest ids: rows are only ever added, a correction adds a curation event) keys the cache, so
a write anywhere makes the next request recompute.
"""

from __future__ import annotations

import threading

import pandas as pd
from sqlalchemy import Engine, func, select

from digimeter.progress import get_method
from digimeter.progress.store import track
from digimeter.store.schema import curation_events, observations, records, targets

_lock = threading.Lock()


def fingerprint(engine: Engine) -> tuple:
    """The highest id of each input table: one index look-up each, whatever their size."""
    with engine.connect() as conn:
        return tuple(conn.execute(select(func.max(t.c.id))).scalar()
                     for t in (observations, records, curation_events, targets))


def assessments(engine: Engine, cache: dict, method: str = "open-sdg",
                region: str | None = None) -> pd.DataFrame:
    """All targets' assessments (then filtered to ``region``), cached per store state."""
    key = (method, fingerprint(engine))
    with _lock:
        result = cache.get(key)
        if result is None:
            cache.clear()
            result = cache[key] = track(engine, get_method(method), record=False)
    if region and not result.empty:
        return result[result["region_code"] == region].reset_index(drop=True)
    return result
