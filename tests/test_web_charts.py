"""The charts' data: the map of targets achieved or on track by province and city, a region's
series with target trajectories, the boundaries keyed by current codes, the vendored ECharts."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from digimeter.imports import import_file
from digimeter.ingest import read_document
from digimeter.regions import load_regions
from digimeter.store.documents import add_document
from digimeter.web import create_app
from digimeter.web.charts import area_of, trajectory
from digimeter.web.pages import HERE, messages
from tests.test_web_pages import EVIL, records_of

MAPS = HERE / "static" / "maps"
# a second region, Chancheng District (Foshan), with one target and no data
CHANCHENG = "到2025年，禅城区5G基站达到1万座。"


def chancheng_records(doc) -> list[dict]:
    quote = "到2025年，禅城区5G基站达到1万座"
    return [{"kind": "target", "region_code": "440604", "region_name": "禅城区",
             "indicator": "fiveg_base_stations", "indicator_text": "5G基站", "value": 10000.0,
             "unit": "count", "comparator": ">=", "year": 2025, "quote": quote, "start": 0,
             "end": len(quote)}]


@pytest.fixture
def client(engine, store_url, tmp_path):
    add_document(engine, read_document(EVIL.encode("utf-8"), name="gz.txt"), records_of)
    add_document(engine, read_document(CHANCHENG.encode("utf-8"), name="cc.txt"),
                 chancheng_records)
    stats = tmp_path / "s.csv"
    stats.write_text("region,indicator,year,value,unit,source\n"
                     "广州市,fiveg_base_stations,2022,6.5,万个,广州市统计局\n", encoding="utf-8")
    import_file(engine, stats)
    with TestClient(create_app(store_url)) as c:
        yield c


def test_map_progress_sums_targets_to_provinces(client):
    data = client.get("/api/v1/map/progress", params={"level": 1}).json()
    assert data["map"] == "/static/maps/china-provinces.geojson" and data["unit"] == "share"
    (guangdong,) = data["items"]
    # Guangzhou's target (48,000 in 2020 → 65,000 in 2022 towards 80,000 in 2025) and
    # Chancheng's (no data) both lie in Guangdong
    assert guangdong["code"] == "440000" and guangdong["name_en"] == "Guangdong"
    assert (guangdong["targets"], guangdong["assessed"]) == (2, 1)
    assert guangdong["share"] == guangdong["good"] / guangdong["assessed"]
    progress = client.get("/api/v1/progress", params={"region": "440100"}).json()["items"]
    assert guangdong["good"] == (progress[0]["status"] in ("achieved", "on_track"))


def test_map_progress_by_city_puts_districts_in_their_city(client):
    items = client.get("/api/v1/map/progress", params={"level": 2}).json()["items"]
    assert {i["code"]: i["targets"] for i in items} == {"440100": 1, "440600": 1}
    assert next(i for i in items if i["code"] == "440600")["share"] is None
    assert client.get("/api/v1/map/progress", params={"level": 3}).status_code == 422
    assert client.get("/api/v1/map/progress",
                      params={"method": "astrology"}).status_code == 422


def test_region_series_has_observations_target_and_trajectory(client):
    data = client.get("/api/v1/regions/440100/series").json()
    assert data["region"] == "440100" and data["method"] == "open-sdg"
    (series,) = data["indicators"]
    assert series["indicator"] == "fiveg_base_stations" and series["unit"] == "count"
    assert [(o["year"], o["value"]) for o in series["observations"]] == [
        (2020, 48000.0), (2022, 65000.0)]
    assert {o["source"] for o in series["observations"]} == {"gz.txt", "广州市统计局"}
    (target,) = series["targets"]
    assert (target["target_year"], target["target_value"]) == (2025, 80000.0)
    path = target["trajectory"]
    assert [p[0] for p in path] == list(range(2020, 2026))
    assert path[0][1] == 48000.0 and path[-1][1] == 80000.0
    assert all(a[1] < b[1] for a, b in zip(path, path[1:], strict=False))  # compound growth
    assert client.get("/api/v1/regions/999999/series").status_code == 404
    assert client.get("/api/v1/regions/110000/series").json()["indicators"] == []


def test_series_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/v1/map/progress", "/api/v1/regions/{code}/series"} <= set(paths)


def test_trajectory_is_straight_without_a_growth_rate_and_absent_for_yearly_rates():
    row = {"baseline_year": 2020, "baseline_value": 0.0, "target_year": 2022,
           "target_value": 10.0, "cagr_required": float("nan"), "form": "level"}
    assert trajectory(row) == [[2020, 0.0], [2021, 5.0], [2022, 10.0]]
    assert trajectory({**row, "form": "rate"}) == []
    assert trajectory({**row, "baseline_year": None}) == []


@pytest.mark.parametrize(("code", "level", "area"), [
    ("440604", 1, "440000"), ("440604", 2, "440600"), ("110105", 2, "110000"),
    ("371200", 2, "370100"),  # Laiwu, merged into Jinan in 2019
    ("440000", 2, None), ("CN", 1, None), ("999999", 1, None),
])
def test_regions_find_their_map_area(code, level, area):
    assert area_of(code, level) == area


@pytest.mark.parametrize(("name", "count"), [("china-provinces.geojson", 34),
                                              ("china-cities.geojson", 366)])
def test_boundaries_are_keyed_by_current_codes_and_small(name, count):
    path = MAPS / name
    data = json.loads(path.read_text(encoding="utf-8"))
    table = load_regions()
    assert len(data["features"]) == count
    for feature in data["features"]:
        region = table.get(feature["id"])
        assert region.is_current and feature["properties"]["code"] == feature["id"]
        assert feature["properties"]["name_zh"] == region.name_zh
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert path.stat().st_size < (200_000 if "provinces" in name else 700_000)
    sources = (MAPS / "SOURCES.md").read_text(encoding="utf-8")
    assert name in sources and "Apache" in sources and "莱芜" in sources


def test_echarts_is_vendored_with_its_licence():
    vendor = HERE / "static" / "vendor"
    head = (vendor / "echarts.min.js").read_text(encoding="utf-8")[:2000]
    assert "Licensed to the Apache Software Foundation" in head
    assert "Apache License" in (vendor / "LICENSE-echarts").read_text(encoding="utf-8")
    version = re.search(r"Apache ECharts (\d+\.\d+\.\d+)",
                        (vendor / "SOURCES.md").read_text(encoding="utf-8")).group(1)
    assert int(version.split(".")[0]) >= 5


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_carry_the_chart_words_and_load_no_remote_script(client, lang):
    for path in ("/", "/regions/440100"):
        page = client.get(path, params={"lang": lang}).text
        words = json.loads(re.search(r'<script type="application/json" id="chart-text">'
                                     r"(.*?)</script>", page, re.S).group(1))
        assert words["chart_observed"] == messages(lang)["chart_observed"]
        assert re.findall(r'<script src="([^"]+)"', page) == [
            "/static/vendor/echarts.min.js", "/static/charts.js", "/static/forms.js"]
    assert client.get("/static/vendor/echarts.min.js").status_code == 200
    assert client.get("/static/maps/china-provinces.geojson").status_code == 200
