"""Tracking over the store: record targets, imported and extracted observations, history."""

from __future__ import annotations

import json

import pytest

from digimeter.imports import import_file
from digimeter.ingest import read_document
from digimeter.progress.store import source_rank, store_observations, store_targets
from digimeter.store.curation import confirm, correct, reject
from digimeter.store.documents import add_document
from tests.conftest import run_cli

PLAN = "发布时间：2021-04-15\n到2025年，广州市5G基站达到8万座。2020年全市5G基站4.8万座。"


def plan_records(doc) -> list[dict]:
    t = "到2025年，广州市5G基站达到8万座"
    o = "2020年全市5G基站4.8万座"
    common = {"region_code": "440100", "region_name": "广州市",
              "indicator": "fiveg_base_stations", "indicator_text": "5G基站", "unit": "count"}
    return [
        {**common, "kind": "target", "value": 80000.0, "comparator": ">=", "year": 2025,
         "quote": t, "start": doc.text.index(t), "end": doc.text.index(t) + len(t)},
        {**common, "kind": "observation", "value": 48000.0, "comparator": "=", "year": 2020,
         "quote": o, "start": doc.text.index(o), "end": doc.text.index(o) + len(o)},
    ]


def write_stats(path, rows: str):
    path.write_text("region,indicator,year,value,unit,source\n" + rows, encoding="utf-8")
    return path


@pytest.fixture
def store(engine, tmp_path):
    doc = read_document(PLAN.encode("utf-8"), name="gz-plan.txt")
    add_document(engine, doc, plan_records)
    return engine


def progress_rows(store_url: str, *args: str) -> dict[str, dict]:
    proc = run_cli("progress", "--db", store_url, "--format", "jsonl", *args, check=True)
    return {r["id"]: r for r in map(json.loads, proc.stdout.splitlines())}


def test_source_ranking_prefers_statistics_bureaus():
    assert source_rank("广州市统计局") < source_rank("工业和信息化部") < source_rank("南方日报")
    assert source_rank("Guangzhou Bureau of Statistics") == 0


def test_record_targets_use_the_documents_date_and_extracted_observations(store):
    targets = store_targets(store)
    assert list(targets["id"]) == ["r1"] and targets.loc[0, "plan_year"] == 2021
    obs, conflicts = store_observations(store)
    assert obs.to_dict("records") == [{"region_code": "440100",
                                       "indicator": "fiveg_base_stations", "year": 2020,
                                       "value": 48000.0, "source": "gz-plan.txt"}]
    assert conflicts.empty


def test_statistics_outrank_documents_and_disagreements_are_shown(store, tmp_path):
    import_file(store, write_stats(tmp_path / "a.csv",
                                   "广州市,fiveg_base_stations,2020,4.9,万个,广州市统计局\n"
                                   "广州市,fiveg_base_stations,2022,7.6,万个,南方日报\n"
                                   "广州市,fiveg_base_stations,2022,7.3,万个,广州市工信局\n"))
    obs, conflicts = store_observations(store)
    by_year = obs.set_index("year")
    assert by_year.loc[2020, "value"] == 49000 and by_year.loc[2020, "source"] == "广州市统计局"
    assert by_year.loc[2022, "source"] == "广州市工信局"
    assert sorted(conflicts["source"]) == ["gz-plan.txt", "南方日报"]


def test_progress_runs_are_kept_and_changes_explained(store, store_url, tmp_path):
    first = progress_rows(store_url)
    assert first["r1"]["status"] == "insufficient_data"  # one point: 2020
    import_file(store, write_stats(tmp_path / "b.csv",
                                   "广州市,fiveg_base_stations,2022,6.9,万个,广州市统计局\n"))
    second = progress_rows(store_url)
    # 48,000 (2020) -> 69,000 (2022): 1.4375^0.5-1 = 0.198958; 80,000 by 2025:
    # (80/48)^(1/5)-1 = 0.107566; R = 1.8496
    assert second["r1"]["status"] == "on_track"
    assert second["r1"]["ratio"] == pytest.approx(0.198958 / 0.107566, rel=1e-4)
    proc = run_cli("progress", "--db", store_url, "--changes", "--format", "jsonl",
                   check=True)
    assert [json.loads(x) for x in proc.stdout.splitlines()] == []  # nothing new since
    # 300,000 by 2025: 6.25^0.2-1 = 0.442700; R = 0.198958 / 0.442700 = 0.449 (limited)
    correct(store, 1, {"value": 300000.0}, "li", "the plan says 30万")
    proc = run_cli("progress", "--db", store_url, "--changes", "--format", "jsonl",
                   check=True)
    [change] = [json.loads(x) for x in proc.stdout.splitlines()]
    assert change == {"target": "r1", "before": "on_track", "after": "limited",
                      "why": "the target record was corrected"}


def test_confirmed_only_and_rejected_records(store, store_url):
    assert progress_rows(store_url, "--confirmed-only") == {}
    confirm(store, 1, "li")
    assert set(progress_rows(store_url, "--confirmed-only")) == {"r1"}
    reject(store, 1, "li", "not a target")
    assert progress_rows(store_url) == {}
