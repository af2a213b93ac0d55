"""The index view: stored index runs, and one run's ranking with each unit's pillar scores
and, when an uncertainty analysis is stored, its rank interval (5 % to 95 % of replicates)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from digimeter.regions import load_regions
from digimeter.store.indexes import index_scores, index_uncertainty, list_index_runs
from digimeter.web.api import engine_of
from digimeter.web.indexes import by_unit, ranked, run_or_404, runs_with_uncertainty
from digimeter.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/indexes", response_class=HTMLResponse)
def indexes_page(request: Request) -> HTMLResponse:
    with_uncertainty = runs_with_uncertainty(request)
    runs = [{"run": r, "top": r.at_level(r.max_level)[0],
             "units": len(index_scores(engine_of(request), r.id, level=r.max_level)),
             "uncertainty": r.id in with_uncertainty}
            for r in list_index_runs(engine_of(request))]
    return render(request, "indexes.html", runs=runs)


@router.get("/indexes/{run_id}", response_class=HTMLResponse)
def index_page(request: Request, run_id: int) -> HTMLResponse:
    run = run_or_404(request, run_id)
    engine = engine_of(request)
    top = run.at_level(run.max_level)[0]
    pillars = run.children(top.code)
    scores = index_scores(engine, run_id, level=None)
    units = by_unit([s for s in scores if s.level >= run.max_level - 1])
    band = {u.unit_code: u for u in index_uncertainty(engine, run_id)
            if u.element_code == top.code}
    regions = load_regions()
    rows = [{"score": s, "pillars": [units[s.unit_code].get(p.code) for p in pillars],
             "band": band.get(s.unit_code),
             "link": s.unit_code in regions and run.units_kind == "region"}
            for s in ranked([s for s in scores if s.element_code == top.code])]
    replicates = next(iter(band.values())).replicates if band else None
    return render(request, "index.html", run=run, top=top, pillars=pillars, rows=rows,
                  replicates=replicates)
