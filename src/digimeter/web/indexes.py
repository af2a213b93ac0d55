"""Stored composite indices over the API: the runs, every unit's scores and ranks, the rank
intervals of an uncertainty analysis, a unit against a benchmark unit, and the scores by map
area. Scores are on the scale the run normalised to (its settings say which)."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from digimeter.errors import UnknownRegionError
from digimeter.index.framework import effective_weights
from digimeter.regions import load_regions
from digimeter.store.indexes import (
    IndexRun,
    IndexRunNotFoundError,
    IndexScore,
    get_index_run,
    index_scores,
    index_uncertainty,
    list_index_runs,
)
from digimeter.store.schema import index_uncertainty as uncertainty_table
from digimeter.web.api import NOT_FOUND, Id, Limit, Offset, Page, engine_of, page, plain
from digimeter.web.charts import MAPS, Level, map_codes

router = APIRouter(prefix="/api/v1", tags=["index"])
SCALE_NOTE = "score on the scale the run normalised to (see its settings)"


def run_or_404(request: Request, run_id: int) -> IndexRun:
    try:
        return get_index_run(engine_of(request), run_id)
    except IndexRunNotFoundError:
        raise HTTPException(404, f"no index run {run_id}") from None


def summary(run: IndexRun, with_uncertainty: bool) -> dict[str, Any]:
    """A run as listed: its top index and pillars, without the whole framework."""
    top = run.at_level(run.max_level)[0]
    return {"id": run.id, "name": run.name, "year": run.year, "source": run.source,
            "units_kind": run.units_kind, "created_at": run.created_at.isoformat(),
            "actor": run.actor, "index": top.code, "index_name": top.name,
            "pillars": [{"code": e.code, "name": e.name, "weight": e.weight}
                        for e in run.children(top.code)],
            "uncertainty": with_uncertainty}


def runs_with_uncertainty(request: Request) -> set[int]:
    with engine_of(request).connect() as conn:
        return set(conn.execute(select(uncertainty_table.c.run_id).distinct()).scalars())


@router.get("/indexes", response_model=Page)
def indexes_list(request: Request, limit: Limit = 50, offset: Offset = 0,
                 units_kind: str | None = Query(None, description="region or other.")
                 ) -> JSONResponse:
    """Stored index runs, newest first: each with its top index, pillars and whether an
    uncertainty analysis is stored for it."""
    with_uncertainty = runs_with_uncertainty(request)
    rows = [summary(r, r.id in with_uncertainty) for r in list_index_runs(engine_of(request))
            if units_kind in (None, r.units_kind)]
    return page(request, rows, limit, offset)


@router.get("/indexes/{run_id}", responses=NOT_FOUND)
def indexes_one(request: Request, run_id: Id) -> dict[str, Any]:
    """One run with its whole framework (every indicator and aggregate, with the weight the
    run used) and its pipeline settings."""
    run = run_or_404(request, run_id)
    return {**summary(run, run.id in runs_with_uncertainty(request)),
            "framework": [plain(e.__dict__) for e in run.framework], "settings": run.settings}


def _score_item(s: IndexScore, names: dict[str, str], source: str) -> dict[str, Any]:
    return plain({"unit_code": s.unit_code, "unit_name": s.unit_name,
                  "element": s.element_code, "element_name": names.get(s.element_code),
                  "level": s.level, "score": s.score, "rank": s.rank, "unit": "score",
                  "source": source})


@router.get("/indexes/{run_id}/scores", response_model=Page, responses=NOT_FOUND)
def indexes_scores(request: Request, run_id: Id, limit: Limit = 100, offset: Offset = 0,
                   level: int | None = Query(None, ge=1, le=20),
                   unit: str | None = Query(None, max_length=100),
                   element: str | None = Query(None, max_length=100)) -> JSONResponse:
    """Every unit's score and rank on every element (level 1: indicators as normalised; the
    highest level: the index), highest level first, best rank first."""
    run = run_or_404(request, run_id)
    names = {e.code: e.name for e in run.framework}
    rows = [_score_item(s, names, run.source)
            for s in index_scores(engine_of(request), run_id, level=level, unit=unit)
            if element in (None, s.element_code)]
    return page(request, rows, limit, offset)


@router.get("/indexes/{run_id}/uncertainty", response_model=Page, responses=NOT_FOUND)
def indexes_uncertainty(request: Request, run_id: Id, limit: Limit = 100, offset: Offset = 0,
                        element: str | None = Query(None, max_length=100)) -> JSONResponse:
    """Rank and score quantiles (5 %, median, 95 %) over the replicates of the stored
    uncertainty analysis; an empty list when none is stored."""
    run = run_or_404(request, run_id)
    rows = [plain({**u.__dict__, "source": run.source})
            for u in index_uncertainty(engine_of(request), run_id)
            if element in (None, u.element_code)]
    return page(request, rows, limit, offset)


class Gap(BaseModel):
    code: str
    name: str
    level: int
    parent: str | None
    score: float | None = Field(description="The unit's score.")
    benchmark_score: float | None
    gap: float | None = Field(description="benchmark_score - score.")
    effective_weight: float | None = Field(
        None, description="For indicators: its weight in the index (the product of the "
                          "normalised weights on its path).")
    contribution: float | None = Field(
        None, description="For indicators: effective_weight x gap, its share of the index "
                          "gap (exact for arithmetic means without missing values).")


class Comparison(BaseModel):
    """How far a unit is from a benchmark unit, and which indicators make the gap."""

    run: int
    unit: str
    unit_name: str
    benchmark: str
    benchmark_name: str
    unit_of_scores: str = SCALE_NOTE
    aggregates: list[Gap] = Field(description="The index and every aggregate, top down.")
    indicators: list[Gap] = Field(description="Indicators, largest contribution first.")


def _gap(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a


@router.get("/indexes/{run_id}/compare", response_model=Comparison, responses=NOT_FOUND)
def indexes_compare(request: Request, run_id: Id,
                    unit: Annotated[str, Query(max_length=100)],
                    benchmark: Annotated[str, Query(max_length=100)]) -> Comparison:
    """A unit against a benchmark unit: the gap on the index and on every aggregate, and
    each indicator's part of the index gap."""
    run = run_or_404(request, run_id)
    engine = engine_of(request)
    mine = {s.element_code: s for s in index_scores(engine, run_id, unit=unit)}
    theirs = {s.element_code: s for s in index_scores(engine, run_id, unit=benchmark)}
    for code, found in ((unit, mine), (benchmark, theirs)):
        if not found:
            raise HTTPException(404, f"{code!r} is not a unit of index run {run_id}")
    weights = effective_weights(run.as_framework())
    aggregates, indicators = [], []
    for e in sorted(run.framework, key=lambda e: -e.level):
        a = mine[e.code].score if e.code in mine else None
        b = theirs[e.code].score if e.code in theirs else None
        gap = Gap(code=e.code, name=e.name, level=e.level, parent=e.parent, score=a,
                  benchmark_score=b, gap=_gap(a, b))
        if e.level > 1:
            aggregates.append(gap)
        else:
            w = weights.get(e.code)
            gap.effective_weight = w
            gap.contribution = None if gap.gap is None or w is None else w * gap.gap
            indicators.append(gap)
    indicators.sort(key=lambda g: -(g.contribution if g.contribution is not None
                                    else float("-inf")))
    first = next(iter(mine.values()))
    other = next(iter(theirs.values()))
    return Comparison(run=run_id, unit=unit, unit_name=first.unit_name, benchmark=benchmark,
                      benchmark_name=other.unit_name, aggregates=aggregates,
                      indicators=indicators)


class MapScore(BaseModel):
    code: str
    name_zh: str
    name_en: str
    score: float | None
    rank: int | None
    unit: str = Field(description="The index unit whose score the area shows: the area "
                                  "itself, the province it lies in, or a grouping of "
                                  "provinces it belongs to (the smallest that has a score).")
    unit_name: str


class MapIndex(BaseModel):
    """A stored index's scores by the areas of one map."""

    run: int
    level: int
    index: str
    index_name: str
    map: str
    unit: str = SCALE_NOTE
    units: int = Field(description="Ranked units in the run.")
    items: list[MapScore]


def _coverage(unit_code: str, level: int) -> tuple[int, set[str]]:
    """The map areas a unit contains, and how many provinces it spans (smaller wins)."""
    table = load_regions()
    try:
        region = table.get(unit_code)
    except UnknownRegionError:
        return 0, set()
    if region.level < 0:
        provinces = set(table.members(region.code))
    elif region.level == 1:
        provinces = {region.code}
    elif region.level == level:
        return 0, {region.code} & map_codes(level)
    else:
        return 0, set()
    if level == 1:
        return len(provinces), provinces & map_codes(1)
    return len(provinces), {a for a in map_codes(2)
                            if provinces & {a, *(p.code for p in table.parents(a))}}


@router.get("/map/index", response_model=MapIndex, responses=NOT_FOUND)
def map_index(request: Request, run: Annotated[int, Query(ge=1, le=2**31 - 1)],
              level: Level = 1) -> MapIndex:
    """A region-kind index run's scores painted on the province (1) or city (2) map: each
    area takes the score of the smallest unit that contains it (itself, its province, or a
    grouping such as the eastern region); the country as a unit paints nothing."""
    found = run_or_404(request, run)
    top = found.at_level(found.max_level)[0]
    scores = index_scores(engine_of(request), run, level=found.max_level)
    best: dict[str, tuple[int, IndexScore]] = {}
    for s in scores:
        size, areas = _coverage(s.unit_code, level)
        for area in areas:
            if area not in best or size < best[area][0]:
                best[area] = (size, s)
    table = load_regions()
    items = [MapScore(code=area, name_zh=table.get(area).name_zh,
                      name_en=table.get(area).name_en, score=s.score, rank=s.rank,
                      unit=s.unit_code, unit_name=s.unit_name)
             for area, (_, s) in sorted(best.items())]
    return MapIndex(run=run, level=level, index=top.code, index_name=top.name,
                    map=f"/static/maps/{MAPS[level]}", units=len(scores), items=items)


def region_runs(request: Request, code: str) -> list[tuple[IndexRun, list[IndexScore]]]:
    """Region-kind runs that have ``code`` as a unit, newest first, with their top-level
    scores (for the region page's benchmark chooser)."""
    engine = engine_of(request)
    out = []
    for run in list_index_runs(engine):
        if run.units_kind != "region":
            continue
        top = index_scores(engine, run.id, level=run.max_level)
        if any(s.unit_code == code for s in top):
            out.append((run, top))
    return out


def ranked(scores: list[IndexScore]) -> list[IndexScore]:
    return sorted(scores, key=lambda s: (s.rank is None, s.rank or 0, s.unit_code))


def by_unit(scores: list[IndexScore]) -> dict[str, dict[str, IndexScore]]:
    out: dict[str, dict[str, IndexScore]] = defaultdict(dict)
    for s in scores:
        out[s.unit_code][s.element_code] = s
    return out


def _label(run: IndexRun) -> str:
    return f"{run.name} ({run.year})" if run.year else run.name


def overview_index(request: Request, wanted: int | None) -> dict[str, Any]:
    """The overview's colour choice: the region-kind runs to pick from and, when one is
    picked, its ranking for the table beside the map."""
    runs = [r for r in list_index_runs(engine_of(request)) if r.units_kind == "region"]
    chosen = next((r for r in runs if r.id == wanted), None)
    rows = []
    if chosen:
        rows = ranked(index_scores(engine_of(request), chosen.id, level=chosen.max_level))
    return {"runs": [(r.id, _label(r)) for r in runs], "run": chosen, "ranking": rows}


def region_benchmark(request: Request, code: str, wanted_run: int | None,
                     wanted_benchmark: str | None) -> dict[str, Any] | None:
    """The region page's index section: the runs that rank this region, the chosen run,
    the units to benchmark against (default: the best-ranked other unit), the comparison."""
    runs = region_runs(request, code)
    if not runs:
        return None
    run, top = next(((r, t) for r, t in runs if r.id == wanted_run), runs[0])
    others = [s for s in ranked(top) if s.unit_code != code]
    if not others:
        return None
    benchmark = next((s for s in others if s.unit_code == wanted_benchmark), others[0])
    comparison = indexes_compare(request, run.id, unit=code, benchmark=benchmark.unit_code)
    mine = next(s for s in top if s.unit_code == code)
    return {"runs": [(r.id, _label(r)) for r, _ in runs], "run": run, "mine": mine,
            "benchmarks": others, "benchmark": benchmark, "comparison": comparison,
            "pillars": [g for g in comparison.aggregates if g.level == run.max_level - 1],
            "largest": [g for g in comparison.indicators
                        if g.contribution is not None and g.contribution > 0][:5]}
