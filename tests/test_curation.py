"""Curation: confirm, correct, reject; the machine's original and every decision are kept."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from digimeter.errors import InputError, UnknownIndicatorError, UnknownRegionError
from digimeter.ingest import read_document
from digimeter.store.curation import (
    confirm,
    correct,
    history,
    list_records,
    parse_change,
    reject,
)
from digimeter.store.documents import add_document
from digimeter.store.schema import records
from tests.conftest import run_cli

TEXT = "到2022年，广州累计建成5G基站3.89万个。2020年底全市已建成4.8万座。"


def machine_records(doc) -> list[dict]:
    quote1 = "到2022年，广州累计建成5G基站3.89万个"
    quote2 = "2020年底全市已建成4.8万座"
    return [
        {"kind": "target", "region_code": "440100", "region_name": "广州市",
         "indicator": "fiveg_base_stations", "indicator_text": "5G基站", "value": 3890.0,
         "unit": "count", "comparator": "=", "year": 2022, "quote": quote1,
         "start": doc.text.index(quote1), "end": doc.text.index(quote1) + len(quote1)},
        {"kind": "observation", "region_code": "440100", "region_name": "广州市",
         "indicator": "fiveg_base_stations", "indicator_text": "5G基站", "value": 48000.0,
         "unit": "count", "comparator": "=", "year": 2020, "quote": quote2,
         "start": doc.text.index(quote2), "end": doc.text.index(quote2) + len(quote2)},
    ]


@pytest.fixture
def stored(engine):
    doc = read_document(TEXT.encode("utf-8"), name="gz.txt")
    added = add_document(engine, doc, machine_records)
    assert added.records == 2
    with engine.connect() as conn:
        ids = [r for (r,) in conn.execute(select(records.c.id).order_by(records.c.id))]
    return engine, ids


def test_correction_keeps_the_machines_original(stored):
    engine, (target_id, _obs_id) = stored
    after = correct(engine, target_id, {"value": 38900.0}, "analyst-li", "万 was read as 千")
    assert after["value"] == 38900.0
    with engine.connect() as conn:
        row = conn.execute(select(records).where(records.c.id == target_id)).mappings().one()
    assert row["value"] == 3890.0 and row["status"] == "corrected"
    assert row["curated"]["value"] == 38900.0
    [event] = history(engine, target_id)
    assert (event["actor"], event["action"], event["reason"]) == (
        "analyst-li", "correct", "万 was read as 千")
    assert event["before"]["value"] == 3890.0 and event["after"]["value"] == 38900.0
    listed = list_records(engine, kind="target")
    assert [(r["id"], r["value"], r["status"]) for r in listed] == [
        (target_id, 38900.0, "corrected")]


def test_confirm_after_correction_stays_corrected_and_reject_is_reversible_history(stored):
    engine, (target_id, obs_id) = stored
    correct(engine, target_id, {"year": 2023}, "a")
    confirm(engine, target_id, "b", "checked against the plan")
    reject(engine, obs_id, "c", "duplicate of the yearbook figure")
    statuses = {r["id"]: r["status"] for r in list_records(engine)}
    assert statuses == {target_id: "corrected", obs_id: "rejected"}
    assert [e["action"] for e in history(engine, target_id)] == ["correct", "confirm"]
    assert list_records(engine, status="rejected")[0]["value"] == 48000.0


def test_filters_apply_to_the_corrected_values(stored):
    engine, (target_id, _) = stored
    correct(engine, target_id, {"region_code": "440000"}, "a")
    assert [r["id"] for r in list_records(engine, region="440000")] == [target_id]
    assert len(list_records(engine, region="440100")) == 1


@pytest.mark.parametrize(("field", "value", "error"), [
    ("value", "many", InputError), ("year", "20222", InputError),
    ("unit", "furlongs", InputError), ("comparator", "=>", InputError),
    ("region_code", "999999", UnknownRegionError), ("indicator", "pandas", UnknownIndicatorError),
    ("quote", "anything", InputError), ("kind", "wish", InputError),
])
def test_bad_corrections_are_refused(field, value, error):
    with pytest.raises(error):
        parse_change(field, value)


def test_unknown_record_is_a_clear_error(engine):
    with pytest.raises(InputError, match="no record has this id"):
        confirm(engine, 999, "a")


def test_cli_curation_round_trip(stored, store_url):
    _engine, (target_id, obs_id) = stored
    proc = run_cli("records", "correct", str(target_id), "value=38900", "--actor", "li",
                   "--reason", "unit", "--db", store_url)
    assert proc.returncode == 0, proc.stderr
    run_cli("records", "reject", str(obs_id), "--actor", "wang", "--db", store_url, check=True)
    listed = run_cli("records", "--db", store_url, "--format", "jsonl", check=True)
    rows = {r["id"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert rows[target_id]["value"] == 38900 and rows[target_id]["status"] == "corrected"
    assert rows[obs_id]["status"] == "rejected"
    hist = run_cli("records", "history", str(target_id), "--db", store_url, "--format",
                   "jsonl", check=True)
    [event] = [json.loads(line) for line in hist.stdout.splitlines()]
    assert event["actor"] == "li" and json.loads(event["changed"]) == {"value": [3890, 38900]}
    bad = run_cli("records", "correct", str(target_id), "year=soon", "--db", store_url)
    assert bad.returncode == 1
    assert bad.stderr.strip() == "error: year: 'soon' is not a year"
