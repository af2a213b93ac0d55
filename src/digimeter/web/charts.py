"""Data for the dashboard's charts: the share of targets achieved or on track by province or
city (for the map), and a region's indicator series with each target's point and required
trajectory. The boundaries themselves are static files (``static/maps/``, keyed by GB/T 2260
code, built by ``scripts/build_boundaries.py``)."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

from digimeter.errors import UnknownRegionError
from digimeter.indicators import load_taxonomy
from digimeter.progress import GOOD_STATUSES
from digimeter.progress.store import store_observations
from digimeter.regions import load_regions
from digimeter.web.api import DEFAULT, NOT_FOUND, MethodName, engine_of, plain
from digimeter.web.cache import assessments

HERE = Path(__file__).parent
router = APIRouter(prefix="/api/v1", tags=["charts"])
MAPS = {1: "china-provinces.geojson", 2: "china-cities.geojson"}
Level = Annotated[int, Query(ge=1, le=2, description="1: provinces, 2: prefecture-level "
                             "cities (municipalities and directly administered county-level "
                             "cities as themselves).")]


class MapItem(BaseModel):
    code: str
    name_zh: str
    name_en: str
    targets: int = Field(description="Targets of the area and every division in it.")
    assessed: int = Field(description="Targets with enough data to assess.")
    good: int = Field(description="Targets achieved or on track.")
    share: float | None = Field(description="good / assessed, 0 to 1; null when none is "
                                            "assessed.")


class MapProgress(BaseModel):
    """The share of targets achieved or on track, by the areas of one map."""

    level: int
    method: str
    map: str = Field(description="Address of the GeoJSON boundaries; features keyed by code.")
    unit: str = "share"
    items: list[MapItem]


@cache
def map_codes(level: int) -> frozenset[str]:
    """The codes the boundaries of this level have a shape for."""
    data = json.loads((HERE / "static" / "maps" / MAPS[level]).read_text(encoding="utf-8"))
    return frozenset(f["id"] for f in data["features"])


def area_of(code: str, level: int) -> str | None:
    """The map area that a region is (or lies in), or None (the country, a province on the
    city map, an unknown code)."""
    codes = map_codes(level)
    table = load_regions()
    try:
        chain = [table.get(code), *reversed(table.parents(code))]
    except UnknownRegionError:
        return None
    for region in chain:
        if region.code in codes:
            return region.code
        if not region.is_current and region.successor_code:
            try:
                now = table.current(region.code)
            except UnknownRegionError:
                continue
            return area_of(now.code, level) if now.code != region.code else None
    return None


@router.get("/map/progress", response_model=MapProgress)
def map_progress(request: Request, level: Level = 1, method: MethodName = DEFAULT
                 ) -> MapProgress:
    """Targets achieved or on track as a share of those assessed, summed over each province
    (level 1) or city (level 2) with the targets of the divisions inside it."""
    result = assessments(engine_of(request), request.app.state.cache, method.value)
    counts: dict[str, list[int]] = {}
    for code, status in zip(result.get("region_code", []), result.get("status", []),
                            strict=True):
        area = area_of(str(code), level)
        if area is None:
            continue
        c = counts.setdefault(area, [0, 0, 0])
        c[0] += 1
        if status != "insufficient_data":
            c[1] += 1
            c[2] += status in GOOD_STATUSES
    table = load_regions()
    items = [MapItem(code=code, name_zh=table.get(code).name_zh,
                     name_en=table.get(code).name_en, targets=n, assessed=assessed,
                     good=good, share=good / assessed if assessed else None)
             for code, (n, assessed, good) in sorted(counts.items())]
    return MapProgress(level=level, method=method.value, map=f"/static/maps/{MAPS[level]}",
                       items=items)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def trajectory(row: dict) -> list[list[float]]:
    """The path from the baseline to the target, one point a year: compound growth at the
    required rate where the assessment computed one, a straight line otherwise, nothing for
    a yearly rate or flow (its target is the value of one year)."""
    base_year, base = _number(row.get("baseline_year")), _number(row.get("baseline_value"))
    year, target = _number(row.get("target_year")), _number(row.get("target_value"))
    if None in (base_year, base, year, target) or year <= base_year \
            or row.get("form") in ("rate", "flow"):
        return []
    rate = _number(row.get("cagr_required"))
    points = []
    for y in range(int(base_year), int(year) + 1):
        span = y - base_year
        value = (base * (1 + rate) ** span if rate is not None and base > 0
                 else base + (target - base) * span / (year - base_year))
        points.append([y, round(value, 10)])
    points[-1][1] = target
    return points


@router.get("/regions/{code}/series", responses=NOT_FOUND)
def region_series(request: Request, code: str, method: MethodName = DEFAULT
                  ) -> dict[str, Any]:
    """For each indicator with a target in the region: the observations the assessment uses
    (one value a year, the best-ranked source), each target with its status, and the required
    trajectory from the baseline to the target. Values are in the indicator's base unit."""
    table = load_regions()
    try:
        region = table.get(code)
    except UnknownRegionError:
        raise HTTPException(404, f"no region {code}") from None
    engine = engine_of(request)
    result = assessments(engine, request.app.state.cache, method.value, region.code)
    observed, _conflicts = store_observations(engine, region.code)
    taxonomy = {i.id: i for i in load_taxonomy()}
    indicators: dict[str, dict] = {}
    for row in result.to_dict("records"):
        if row.get("region_code") != region.code:
            continue
        ind = row["indicator"]
        if ind not in indicators:
            meta = taxonomy.get(ind)
            points = observed[(observed["region_code"] == region.code)
                              & (observed["indicator"] == ind)].sort_values("year")
            indicators[ind] = {
                "indicator": ind,
                "name_zh": getattr(meta, "name_zh", None) or ind,
                "name_en": getattr(meta, "name_en", None) or ind,
                "unit": getattr(meta, "unit", None),
                "observations": [{"year": int(y), "value": float(v), "source": s}
                                 for y, v, s in zip(points["year"], points["value"],
                                                    points["source"], strict=True)],
                "targets": []}
        indicators[ind]["targets"].append(plain({
            "id": row["id"], "status": row["status"], "target_year": row["target_year"],
            "target_value": row["target_value"], "baseline_year": row["baseline_year"],
            "baseline_value": row["baseline_value"], "cagr_required": row["cagr_required"],
            "form": row["form"], "trajectory": trajectory(row)}))
    return {"region": region.code, "name_zh": region.name_zh, "name_en": region.name_en,
            "method": method.value, "indicators": list(indicators.values())}
