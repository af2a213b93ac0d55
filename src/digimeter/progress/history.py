"""Each tracking run is kept; what changed since the previous run, and why."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Engine, insert, select

from digimeter.store.schema import progress_results, progress_runs

RESULT_FIELDS = ("status", "ratio", "latest_year", "latest_value", "target_value",
                 "target_year")


def _clean(value: object) -> object:
    if isinstance(value, float | np.floating) and not np.isfinite(value):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def record_run(engine: Engine, result: pd.DataFrame, fingerprints: pd.Series, method: str,
               confirmed_only: bool) -> int:
    """Store one run's results; returns the run id."""
    rows = result.assign(fingerprint=fingerprints.to_numpy())
    with engine.begin() as conn:
        run_id = conn.execute(insert(progress_runs).values(
            at=datetime.now(UTC), method=method, confirmed_only=int(confirmed_only),
            targets=len(rows))).inserted_primary_key[0]
        if len(rows):
            conn.execute(insert(progress_results), [
                {"run_id": run_id, "target": r["id"], "fingerprint": r["fingerprint"],
                 **{f: _clean(r[f]) for f in RESULT_FIELDS}}
                for r in rows.to_dict("records")])
    return run_id


def _results(engine: Engine, run_id: int) -> pd.DataFrame:
    query = select(progress_results).where(progress_results.c.run_id == run_id)
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(),
                            columns=["run_id", "target", "fingerprint", *RESULT_FIELDS])


def _why(old: dict, new: dict) -> str:
    if old["fingerprint"] != new["fingerprint"]:
        return "the target record was corrected"
    if old["latest_year"] != new["latest_year"]:
        return f"new observation for {new['latest_year']}"
    if old["latest_value"] != new["latest_value"]:
        return f"revised value for {new['latest_year']} (new vintage or source)"
    return "method or baseline changed"


def changes(engine: Engine, method: str) -> list[dict]:
    """Targets whose status differs between the last two runs of ``method``, with why."""
    query = (select(progress_runs.c.id).where(progress_runs.c.method == method)
             .order_by(progress_runs.c.id.desc()).limit(2))
    with engine.connect() as conn:
        ids = [r for (r,) in conn.execute(query)]
    if len(ids) < 2:
        return []
    new, old = _results(engine, ids[0]), _results(engine, ids[1])
    merged = new.merge(old, on="target", how="outer", suffixes=("", "_old"))
    out = []
    for row in merged.to_dict("records"):
        if pd.isna(row["status_old"]):
            out.append({"target": row["target"], "before": None, "after": row["status"],
                        "why": "new target"})
        elif pd.isna(row["status"]):
            out.append({"target": row["target"], "before": row["status_old"], "after": None,
                        "why": "target no longer assessed (rejected or removed)"})
        elif row["status"] != row["status_old"]:
            old_row = {k: row[f"{k}_old"] for k in ("fingerprint", *RESULT_FIELDS)}
            out.append({"target": row["target"], "before": row["status_old"],
                        "after": row["status"], "why": _why(old_row, row)})
    return out
