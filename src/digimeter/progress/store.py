"""Tracking over the store: its targets against its observations, and the history of runs.

Targets are the effective target records (a person's correction wins; rejected records are
left out) and the targets imported into the ``targets`` table. Observations are the latest
vintage of imported statistics plus the effective observation records read from documents.
For one region, indicator and year the most authoritative source wins (``sources.yaml``) and
the other values are reported as conflicts.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sqlalchemy import Engine, select

from digimeter.indicators import load_taxonomy
from digimeter.progress.assess import OUTPUT, assess
from digimeter.progress.files import default_form
from digimeter.progress.history import record_run
from digimeter.progress.methods import Method
from digimeter.store.curation import list_records
from digimeter.store.observations import latest
from digimeter.store.schema import documents
from digimeter.store.schema import targets as targets_table

SOURCES_YAML = Path(__file__).parent / "sources.yaml"
CONFIRMED = ("confirmed", "corrected")
KEY = ["region_code", "indicator", "year"]
CONFLICT_TOLERANCE = 0.005


@cache
def _ranks() -> tuple[list[tuple[re.Pattern[str], int]], int]:
    spec = yaml.safe_load(SOURCES_YAML.read_text(encoding="utf-8"))
    patterns = [(re.compile(r["pattern"], re.I), int(r["rank"])) for r in spec["ranks"]]
    return patterns, int(spec["document_rank"])


def source_rank(source: str) -> int:
    patterns, _ = _ranks()
    return next((rank for pattern, rank in patterns if pattern.search(source)), len(patterns))


def _usable(records_: list[dict], kind: str, confirmed_only: bool) -> list[dict]:
    return [r for r in records_
            if r["kind"] == kind and r["status"] != "rejected"
            and (not confirmed_only or r["status"] in CONFIRMED)
            and r["indicator"] and r["region_code"] and r["value"] is not None]


def _fingerprint(row: dict, fields: tuple[str, ...]) -> str:
    text = json.dumps([row.get(f) for f in fields], default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


TARGET_FIELDS = ("region_code", "indicator", "value", "unit", "comparator", "year",
                 "baseline_year", "baseline_value")


def store_targets(engine: Engine, region: str | None = None,
                  confirmed_only: bool = False) -> pd.DataFrame:
    """Targets to assess, each with an id (r<record> or t<target>) and a fingerprint."""
    with engine.connect() as conn:
        published = dict(conn.execute(select(documents.c.id, documents.c.published)).all())
        imported = [dict(r) for r in conn.execute(
            select(targets_table).where(targets_table.c.record_id.is_(None),
                                        targets_table.c.indicator.is_not(None))).mappings()]
    rows = []
    for r in _usable(list_records(engine, region=region), "target", confirmed_only):
        when = published.get(r["document_id"])
        rows.append({**{f: r.get(f) for f in TARGET_FIELDS}, "id": f"r{r['id']}",
                     "plan_year": when.year if when else np.nan})
    for t in imported:
        if region in (None, t["region_code"]):
            rows.append({**{f: t.get(f) for f in TARGET_FIELDS}, "id": f"t{t['id']}",
                         "plan_year": np.nan})
    if not rows:
        return pd.DataFrame(columns=[*TARGET_FIELDS, "id", "plan_year", "direction", "form",
                                     "fingerprint"])
    frame = pd.DataFrame(rows)
    taxonomy = {i.id: i for i in load_taxonomy()}
    frame = frame[frame["indicator"].isin(taxonomy)].reset_index(drop=True)
    direction = frame["indicator"].map({k: v.direction for k, v in taxonomy.items()})
    frame["direction"] = np.where(frame["comparator"] == "<=", -1, direction)
    frame["form"] = [default_form(i, u or "") for i, u in
                     zip(frame["indicator"], frame["unit"], strict=True)]
    frame["fingerprint"] = [_fingerprint(r, TARGET_FIELDS) for r in frame.to_dict("records")]
    for column in ("year", "baseline_year", "baseline_value", "plan_year", "value"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


def _candidates(engine: Engine, region: str | None, confirmed_only: bool) -> pd.DataFrame:
    imported = pd.DataFrame(latest(engine, region_code=region))
    parts = []
    if not imported.empty:
        imported = imported[["region_code", "indicator", "year", "period", "value", "source"]]
        parts.append(imported.assign(rank=imported["source"].map(source_rank)))
    _, document_rank = _ranks()
    found = _usable(list_records(engine, region=region), "observation", confirmed_only)
    found = [r for r in found if r["year"] is not None]
    if found:
        docs = pd.DataFrame([{"region_code": r["region_code"], "indicator": r["indicator"],
                              "year": r["year"], "period": str(r["year"]),
                              "value": r["value"], "source": r["doc"]} for r in found])
        parts.append(docs.assign(rank=document_rank))
    if not parts:
        return pd.DataFrame(columns=[*KEY, "period", "value", "source", "rank"])
    return pd.concat(parts, ignore_index=True)


def store_observations(engine: Engine, region: str | None = None,
                       confirmed_only: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One value per region, indicator and year, and the conflicting values beside it.

    Within a year the latest period counts (a year-end stock over a mid-year one); among
    sources for it, the best-ranked source wins.
    """
    cand = _candidates(engine, region, confirmed_only)
    if cand.empty:
        return (pd.DataFrame(columns=[*KEY, "value", "source"]),
                pd.DataFrame(columns=[*KEY, "value", "source", "value_best", "source_best"]))
    cand = cand.astype({"value": float, "year": "int64"})
    cand = cand.sort_values([*KEY, "period", "rank"], ascending=[True, True, True, False, True],
                            kind="stable")
    cand["_period_rank"] = cand.groupby(KEY)["period"].rank(method="dense", ascending=False)
    same_period = cand[cand["_period_rank"] == 1]
    best = same_period.drop_duplicates(KEY, keep="first")
    merged = same_period.merge(best[[*KEY, "value", "source"]], on=KEY,
                               suffixes=("", "_best"))
    differs = ~np.isclose(merged["value"], merged["value_best"], rtol=CONFLICT_TOLERANCE)
    conflicts = merged[differs & (merged["source"] != merged["source_best"])]
    conflicts = conflicts[[*KEY, "value", "source", "value_best", "source_best"]]
    return best[[*KEY, "value", "source"]].reset_index(drop=True), conflicts


def track(engine: Engine, method: Method, region: str | None = None,
          confirmed_only: bool = False, record: bool = True) -> pd.DataFrame:
    """Assess the store's targets; each result with its conflicts, the run kept in history."""
    targets_ = store_targets(engine, region, confirmed_only)
    obs, conflicts = store_observations(engine, region, confirmed_only)
    if targets_.empty:
        result = pd.DataFrame(columns=[*OUTPUT, "conflicts"])
    else:
        result = with_conflicts(assess(targets_, obs, method), targets_, conflicts)
    if record:
        prints = targets_.set_index("id")["fingerprint"] if not targets_.empty else None
        record_run(engine, result, prints.loc[result["id"]] if prints is not None
                   else pd.Series([], dtype=str), method.name, confirmed_only)
    keys = targets_.set_index("id")[["region_code", "indicator"]] if not targets_.empty \
        else None
    return result.join(keys, on="id") if keys is not None else result


def with_conflicts(result: pd.DataFrame, targets_: pd.DataFrame,
                   conflicts: pd.DataFrame) -> pd.DataFrame:
    """Each result with the values other sources give for its latest year."""
    if conflicts.empty or result.empty:
        return result.assign(conflicts="")
    text = (conflicts.assign(t=conflicts["value"].map("{:g}".format) + " ("
                             + conflicts["source"] + ")")
            .groupby(KEY)["t"].agg("; ".join))
    joined = result.join(targets_.set_index("id")[["region_code", "indicator"]], on="id")
    found = [text.get((r, i, int(y)), "") if y == y else "" for r, i, y in
             zip(joined["region_code"], joined["indicator"], joined["latest_year"],
                 strict=True)]
    return result.assign(conflicts=found)
