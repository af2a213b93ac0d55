"""Stored indices on the API and the pages: runs, scores and ranks as the pipeline computed
them, rank intervals from a real uncertainty run, a region against a benchmark, the map."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from digimeter.web import create_app
from tests.web_index_helpers import GROUPS, PROVINCES, store_runs


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("indexes")
    url = f"sqlite:///{folder / 'store.db'}"
    ids = store_runs(url, folder)
    with TestClient(create_app(url)) as client:
        yield client, ids


def test_runs_are_listed_with_their_pillars_and_uncertainty(site):
    client, ids = site
    items = client.get("/api/v1/indexes").json()["items"]
    by_id = {i["id"]: i for i in items}
    assert [i["id"] for i in items] == sorted(by_id, reverse=True)  # newest first
    prov = by_id[ids["provinces"]]
    assert (prov["units_kind"], prov["uncertainty"], prov["year"]) == ("region", True, 2023)
    assert [p["code"] for p in prov["pillars"]] == ["Infra", "Industry"]
    assert by_id[ids["desi"]]["units_kind"] == "other"
    assert not by_id[ids["groups"]]["uncertainty"]
    regions_only = client.get("/api/v1/indexes", params={"units_kind": "region"}).json()
    assert {i["id"] for i in regions_only["items"]} == {ids["provinces"], ids["groups"]}


def test_scores_are_the_pipelines_own(site, tmp_path):
    client, ids = site
    from tests.conftest import run_cli

    run_cli("index", "build", "--data", str(ids["prov_data"]), "--meta", str(ids["prov_meta"]),
            "--pipeline", str(ids["prov_pipeline"]), "--out", str(tmp_path), check=True)
    expected = pd.read_csv(tmp_path / "scores.csv").set_index("uCode")
    items = client.get(f"/api/v1/indexes/{ids['provinces']}/scores",
                       params={"element": "Index", "limit": 100}).json()["items"]
    assert {i["unit_code"] for i in items} == set(PROVINCES)
    for item in items:
        assert abs(item["score"] - expected.loc[int(item["unit_code"]), "Index"]) < 1e-9
    ordered = sorted(items, key=lambda i: -i["score"])
    assert [i["rank"] for i in ordered] == list(range(1, len(items) + 1))
    assert all(i["unit"] == "score" and i["source"] == "files:iData.csv" for i in items)


def test_rank_intervals_come_from_the_stored_analysis(site):
    client, ids = site
    rankstats = pd.read_csv(ids["ua"] / "rankstats.csv").set_index("uCode")
    items = client.get(f"/api/v1/indexes/{ids['provinces']}/uncertainty",
                       params={"element": "Index"}).json()["items"]
    assert len(items) == len(PROVINCES)
    for u in items:
        row = rankstats.loc[int(u["unit_code"])]
        assert u["replicates"] == 40
        assert u["q05_rank"] <= u["median_rank"] <= u["q95_rank"]
        assert (u["nominal_rank"], u["median_rank"]) == (row["Nominal"], row["Median"])


def test_a_region_against_a_benchmark(site):
    client, ids = site
    run = ids["provinces"]
    top = client.get(f"/api/v1/indexes/{run}/scores", params={"element": "Index"}).json()
    score = {i["unit_code"]: i["score"] for i in top["items"]}
    gap = client.get(f"/api/v1/indexes/{run}/compare",
                     params={"unit": "440000", "benchmark": "110000"}).json()
    assert gap["aggregates"][0]["code"] == "Index"
    assert abs(gap["aggregates"][0]["gap"] - (score["110000"] - score["440000"])) < 1e-9
    # arithmetic means, no missing values: the indicators' parts add up to the index gap
    parts = sum(g["contribution"] for g in gap["indicators"])
    assert abs(parts - gap["aggregates"][0]["gap"]) < 1e-9
    weights = {g["code"]: g["effective_weight"] for g in gap["indicators"]}
    assert weights == pytest.approx({"fiveg": 0.25, "gigabit": 0.25, "software": 1 / 3,
                                     "ecommerce": 1 / 6})
    contributions = [g["contribution"] for g in gap["indicators"]]
    assert contributions == sorted(contributions, reverse=True)
    missing = client.get(f"/api/v1/indexes/{run}/compare",
                         params={"unit": "440000", "benchmark": "650000"})
    assert missing.status_code == 404 and "650000" in missing.json()["detail"]


def test_the_map_paints_each_area_with_the_smallest_unit_holding_it(site):
    client, ids = site
    provinces = client.get("/api/v1/map/index", params={"run": ids["provinces"]}).json()
    assert {i["code"] for i in provinces["items"]} == set(PROVINCES)
    assert all(i["unit"] == i["code"] for i in provinces["items"])
    cities = client.get("/api/v1/map/index",
                        params={"run": ids["provinces"], "level": 2}).json()["items"]
    guangzhou = next(i for i in cities if i["code"] == "440100")
    assert guangzhou["unit"] == "440000"
    assert next(i for i in cities if i["code"] == "110000")["unit"] == "110000"
    groups = client.get("/api/v1/map/index", params={"run": ids["groups"]}).json()["items"]
    by_area = {i["code"]: i["unit"] for i in groups}
    assert by_area["110000"] == "CN-E" and by_area["420000"] == "CN-C"
    assert by_area["210000"] == "CN-NE" and by_area["650000"] == "CN-W"
    assert "710000" not in by_area  # Taiwan is in none of the four regions
    assert set(by_area.values()) == set(GROUPS)


def test_unknown_runs_are_404(site):
    client, _ = site
    for path in ("/api/v1/indexes/999", "/api/v1/indexes/999/scores",
                 "/api/v1/indexes/999/uncertainty", "/api/v1/map/index?run=999",
                 "/indexes/999"):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_index_pages_show_rankings_and_intervals(site, lang):
    client, ids = site
    listing = client.get("/indexes", params={"lang": lang}).text
    for name in ("DESI 2022", "Provinces", "Macro-regions"):
        assert name in listing
    page = client.get(f"/indexes/{ids['provinces']}", params={"lang": lang}).text
    assert 'id="rank-band"' in page
    intervals = re.findall(r"<td data-label=\"[^\"]+\">(\d+(?:\.\d+)?)–(\d+(?:\.\d+)?)</td>",
                           page)
    assert len(intervals) == len(PROVINCES)
    assert 'href="/regions/440000"' in page
    desi = client.get(f"/indexes/{ids['desi']}", params={"lang": lang}).text
    assert 'id="rank-band"' not in desi and f"--save-to {ids['desi']}" in desi
    assert "/regions/" not in desi.split("<table", 1)[1]  # DESI's units are not regions


def test_overview_can_be_coloured_by_an_index(site):
    client, ids = site
    page = client.get("/", params={"index": ids["groups"], "lang": "en"}).text
    assert f'data-index-run="{ids["groups"]}"' in page
    assert 'href="/regions/CN-E"' in page
    plain = client.get("/", params={"lang": "en"}).text
    assert "data-index-run" not in plain and f'<option value="{ids["groups"]}"' in plain
    assert f'<option value="{ids["desi"]}"' not in plain  # not regions: nothing to map


def test_region_page_compares_pillars_with_a_benchmark(site):
    client, ids = site
    top = client.get(f"/api/v1/indexes/{ids['provinces']}/scores",
                     params={"element": "Index"}).json()["items"]
    best = min(top, key=lambda i: i["rank"])["unit_code"]
    region = next(i["unit_code"] for i in top if i["rank"] == 3)
    page = client.get(f"/regions/{region}", params={"lang": "en"}).text
    assert f'benchmark={best}"' in page and "Index pillars against a benchmark" in page
    chosen = next(c for c in PROVINCES if c not in (best, region))
    page = client.get(f"/regions/{region}", params={"benchmark": chosen}).text
    assert f'<option value="{chosen}" selected>' in page
    page = client.get(f"/regions/{best}", params={"benchmark": "nowhere"}).text
    second = next(i["unit_code"] for i in top if i["rank"] == 2)
    assert f'benchmark={second}"' in page  # the best unit is compared with the next one
    assert "benchmark=" not in client.get("/regions/650000").text  # Xinjiang: no index


def test_index_tables_download_as_csv_and_excel(site):
    import io

    client, ids = site
    csv = client.get("/api/v1/export/index_scores.csv",
                     params={"run": ids["provinces"], "level": 3})
    frame = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig")
    assert len(frame) == len(PROVINCES) and set(frame["element_code"]) == {"Index"}
    xlsx = client.get("/api/v1/export/index_uncertainty.xlsx", params={"run": ids["provinces"]})
    sheet = pd.read_excel(io.BytesIO(xlsx.content))
    assert len(sheet) == 3 * len(PROVINCES)  # the index and its two pillars
    assert client.get("/api/v1/export/index_scores.csv").status_code == 422
    assert client.get("/api/v1/export/index_scores.csv", params={"run": 999}).status_code == 404
    page = client.get(f"/indexes/{ids['provinces']}").text
    assert f"/api/v1/export/index_uncertainty.csv?run={ids['provinces']}" in page
