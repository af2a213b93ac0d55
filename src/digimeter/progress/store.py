"""Tracking over the store: its targets against its observations, and the history of runs.

Targets are the effective target records (a person's correction wins; rejected records are
left out) and the targets imported into the ``targets`` table. Observations are the latest
vintage of imported statistics plus the effective observation records read from documents.
For one region, indicator and year the most authoritative source wins (``sources.yaml``, ranked
by ``provenance``) and the other values are reported as conflicts.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from digimeter.indicators import load_taxonomy
from digimeter.progress.assess import OUTPUT, assess
from digimeter.progress.files import default_form
from digimeter.progress.history import record_run
from digimeter.progress.methods import Method
from digimeter.progress.provenance import (
    DocumentSource,
    document_rank_offset,
    document_sources,
    is_bound,
    source_rank,
)
from digimeter.store.curation import list_records
from digimeter.store.observations import latest_frame
from digimeter.store.schema import documents
from digimeter.store.schema import targets as targets_table

CONFIRMED = ("confirmed", "corrected")
KEY = ["region_code", "indicator", "year"]
CONFLICT_TOLERANCE = 0.005


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


CANDIDATE_COLUMNS = [*KEY, "period", "value", "source", "rank", "bound"]


def _imported(engine: Engine, region: str | None,
              docs: dict[str, DocumentSource]) -> pd.DataFrame:
    """The latest vintage of imported statistics; a figure read by hand from a stored
    document (its source is the document's file name) takes the document's label and rank."""
    imported = latest_frame(engine, [*KEY, "period", "value", "source", "value_published"],
                            region_code=region)
    if imported.empty:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    found = {s: docs.get(s) for s in imported["source"].unique()}
    rank = {s: d.rank if d else source_rank(s) for s, d in found.items()}
    label = {s: d.label if d else s for s, d in found.items()}
    bound = {p: is_bound(None, p) for p in imported["value_published"].unique()}
    return imported[[*KEY, "period", "value"]].assign(
        source=imported["source"].map(label), rank=imported["source"].map(rank),
        bound=imported["value_published"].map(bound).fillna(False).astype(bool))


def document_observations(engine: Engine, region: str | None = None,
                          confirmed_only: bool = False,
                          docs: dict[str, DocumentSource] | None = None) -> pd.DataFrame:
    """Observations read from documents, each with its year (a figure with none takes its
    document's date: "has built 220,000 base stations so far"), source and rank."""
    docs = document_sources(engine) if docs is None else docs
    rows = []
    for r in _usable(list_records(engine, region=region), "observation", confirmed_only):
        doc = docs.get(str(r["document_id"]))
        year = r["year"] if r["year"] is not None else (doc.year if doc else None)
        if year is None:
            continue
        rows.append({"region_code": r["region_code"], "indicator": r["indicator"],
                     "year": year, "period": str(year), "value": r["value"],
                     "source": doc.label if doc else r["doc"],
                     "rank": document_rank_offset() + (doc.rank if doc else 0),
                     "bound": is_bound(r["comparator"], None), "record_id": r["id"],
                     "dated_by_document": r["year"] is None})
    return pd.DataFrame(rows, columns=[*CANDIDATE_COLUMNS, "record_id", "dated_by_document"])


def _candidates(engine: Engine, region: str | None, confirmed_only: bool) -> pd.DataFrame:
    docs = document_sources(engine)
    found = document_observations(engine, region, confirmed_only, docs)[CANDIDATE_COLUMNS]
    parts = [p for p in (_imported(engine, region, docs), found) if not p.empty]
    if not parts:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    return pd.concat(parts, ignore_index=True)


def _period_end(period: object) -> str:
    """A period as the date it ends on, so that an annual figure ("2023") and a year-end
    one ("2023-12-31", "2023-12") compare as the same period."""
    text = str(period)
    if len(text) == 4:
        return text + "-12-31"
    return text + "-31" if len(text) == 7 and text.endswith("-12") else text


def store_observations(engine: Engine, region: str | None = None,
                       confirmed_only: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One value per region, indicator and year, and the conflicting values beside it.

    Within a year the latest period counts (a year-end stock over a mid-year one); among
    sources for it, the best-ranked source wins, and at equal rank a point figure beats a
    lower bound.
    """
    cand = _candidates(engine, region, confirmed_only)
    if cand.empty:
        return (pd.DataFrame(columns=[*KEY, "value", "source"]),
                pd.DataFrame(columns=[*KEY, "value", "source", "value_best", "source_best"]))
    cand = cand.astype({"value": float, "year": "int64"})
    cand["_period"] = cand["period"].map(_period_end)
    cand = cand.sort_values([*KEY, "_period", "rank", "bound"],
                            ascending=[True, True, True, False, True, True], kind="stable")
    cand["_period_rank"] = cand.groupby(KEY)["_period"].rank(method="dense", ascending=False)
    same_period = cand[cand["_period_rank"] == 1]
    best = same_period.drop_duplicates(KEY, keep="first")
    merged = same_period.merge(best[[*KEY, "value", "source"]], on=KEY,
                               suffixes=("", "_best"))
    differs = ~np.isclose(merged["value"], merged["value_best"], rtol=CONFLICT_TOLERANCE)
    conflicts = merged[differs & (merged["source"] != merged["source_best"])]
    conflicts = conflicts[[*KEY, "value", "source", "value_best", "source_best"]]
    conflicts = conflicts.drop_duplicates([*KEY, "value", "source"])
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
