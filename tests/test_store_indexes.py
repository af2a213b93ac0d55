"""Index runs in the store: a built coin saved and read back exactly, on every backend."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pytest
from sqlalchemy import func, select

from digimeter.errors import InputError, StoreError
from digimeter.index.data import IndexData, Table, Units, load
from digimeter.index.examples import example_files
from digimeter.index.framework import Element, Framework
from digimeter.index.pipeline import Coin, build, load_pipeline, parse_pipeline
from digimeter.index.stats import rank_desc
from digimeter.store.indexes import (
    IndexRunNotFoundError,
    IndexUncertainty,
    get_index_run,
    index_scores,
    index_uncertainty,
    list_index_runs,
    save_index_run,
    save_index_uncertainty,
    units_kind,
)
from digimeter.store.schema import index_runs
from digimeter.store.schema import index_scores as scores_table
from tests.conftest import run_cli


def _example(name: str) -> tuple[Coin, str]:
    data, meta, pipe = example_files(name)
    return build(load(data, meta)[0], load_pipeline(pipe)), pipe.read_text(encoding="utf-8")


@pytest.mark.parametrize("example", ["asem", "desi2022"])
def test_a_saved_run_reads_back_exactly(engine, example):
    coin, settings = _example(example)
    run_id = save_index_run(engine, coin, name=f"{example} test", year=None,
                            source=f"example:{example}", settings_text=settings, actor="li")
    run = get_index_run(engine, run_id)
    assert (run.id, run.name, run.source, run.settings, run.actor) == (
        run_id, f"{example} test", f"example:{example}", settings, "li")
    assert run.year == int(coin.data.units.time[0])
    assert run.units_kind == "other"
    assert run.created_at.tzinfo is not None
    assert abs((datetime.now(UTC) - run.created_at).total_seconds()) < 600
    fw = coin.framework
    assert [e.code for e in run.framework] == [e.code for e in fw.elements]
    for got, want in zip(run.framework, fw.elements, strict=True):
        assert (got.name, got.level, got.parent, got.weight, got.direction) == (
            want.name, want.level, want.parent, want.weight, want.direction)
    top = run.at_level(run.max_level)
    assert [e.code for e in run.children(top[0].code)] == list(fw.children(top[0].code))

    table = coin.dsets["Aggregated"]
    rows = index_scores(engine, run_id)
    assert len(rows) == len(table.units) * len(table.codes)
    ranks = rank_desc(table.values, axis=0)
    for r in rows:
        i, j = table.units.index(r.unit_code), table.codes.index(r.element_code)
        want = table.values[i, j]
        assert (r.score is None) == bool(np.isnan(want))
        if r.score is not None:
            assert r.score == want  # full double precision
            assert r.rank == int(ranks[i, j])
        assert r.level == fw[r.element_code].level
    names = dict(zip(coin.data.units.codes, coin.data.units.names, strict=True))
    assert all(r.unit_name == names[r.unit_code] for r in rows)

    index = top[0].code
    ranking = index_scores(engine, run_id, level=run.max_level)
    assert {r.element_code for r in ranking} == {index}
    assert [r.rank for r in ranking] == sorted(r.rank for r in ranking)
    unit = table.units[0]
    mine = index_scores(engine, run_id, unit=unit)
    assert {r.unit_code for r in mine} == {unit} and len(mine) == len(table.codes)
    assert [r.id for r in list_index_runs(engine)] == [run_id]


def test_runs_list_newest_first_and_unknown_runs_are_typed_errors(engine):
    coin, settings = _example("asem")
    first = save_index_run(engine, coin, name="a", year=2020, source="example:asem",
                           settings_text=settings)
    second = save_index_run(engine, coin, name="b", year=None, source="example:asem",
                            settings_text=settings)
    runs = list_index_runs(engine)
    assert [r.id for r in runs] == [second, first]
    assert runs[1].year == 2020 and runs[1].actor is None
    for call in (lambda: get_index_run(engine, 999), lambda: index_scores(engine, 999),
                 lambda: index_uncertainty(engine, 999),
                 lambda: save_index_uncertainty(engine, 999, [])):
        with pytest.raises(IndexRunNotFoundError, match="no index run has this id") as info:
            call()
        assert isinstance(info.value, InputError) and "index run 999" in str(info.value)
    with pytest.raises(InputError, match="needs a name"):
        save_index_run(engine, coin, name=" ", year=None, source="x", settings_text="")


def _uncertainty(run_id: int, unit: str, code: str, k: float) -> IndexUncertainty:
    return IndexUncertainty(run_id, unit, code, 100, 3, 3.5 + k, 3.0, 1.0, 7.0, 40.25, 50.5,
                            61.125)


def test_uncertainty_round_trip_replaces_what_was_stored(engine):
    coin, settings = _example("desi2022")
    run_id = save_index_run(engine, coin, name="d", year=None, source="example:desi2022",
                            settings_text=settings)
    rows = [_uncertainty(run_id, u, "Index", 0.0) for u in ("AT", "BE")]
    rows.append(IndexUncertainty(run_id, "CY", "Index", 0, None, float("nan"), None, None,
                                 None, None, None, None))
    save_index_uncertainty(engine, run_id, rows)
    got = index_uncertainty(engine, run_id)
    assert [g.unit_code for g in got] == ["AT", "BE", "CY"]
    assert got[0] == rows[0] and got[2].mean_rank is None and got[2].nominal_rank is None
    save_index_uncertainty(engine, run_id, [_uncertainty(run_id, "AT", "d1", 1.0)])
    assert index_uncertainty(engine, run_id) == [_uncertainty(run_id, "AT", "d1", 1.0)]
    with pytest.raises(InputError, match="a row of run"):
        save_index_uncertainty(engine, run_id, [_uncertainty(run_id + 1, "AT", "d1", 0.0)])


def _tiny(units: tuple[str, ...]) -> Coin:
    elements = (Element("a", "a", 1, "I", 1.0, 1, "Indicator"),
                Element("b", "b", 1, "I", 1.0, 1, "Indicator"),
                Element("I", "Index", 2, None, 1.0, 1, "Aggregate"))
    fw = Framework(elements)
    x = np.arange(2.0 * len(units)).reshape(len(units), 2) + 1
    data = IndexData(fw, Units(units, units), Table(units, fw.indicators, x))
    return build(data, parse_pipeline({"steps": [{"aggregate": {"method": "amean"}}]}))


def test_a_failed_save_leaves_nothing_half_written(engine):
    coin = _tiny(("110000", "310000", "110000"))  # the third row breaks the primary key
    with pytest.raises(StoreError, match="cannot store the index run") as info:
        save_index_run(engine, coin, name="broken", year=2022, source="store",
                       settings_text="steps: []")
    assert "index run 'broken'" in str(info.value)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(index_runs)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(scores_table)).scalar_one() == 0
    assert list_index_runs(engine) == []


def test_region_units_are_recognised():
    assert units_kind(["110000", "440100", "CN", "CN-E"]) == "region"
    assert units_kind(["110000", "AUT"]) == "other"
    assert units_kind(["110000000000"]) == "other"
    assert units_kind([]) == "other"


def test_a_run_over_regions_is_marked_so(engine):
    run_id = save_index_run(engine, _tiny(("110000", "310000", "440100")), name="regions",
                            year=2022, source="store", settings_text="")
    run = get_index_run(engine, run_id)
    assert run.units_kind == "region" and run.year == 2022
    assert [s.unit_code for s in index_scores(engine, run_id, level=2)] == [
        "440100", "310000", "110000"]


def test_cli_saves_lists_and_attaches_uncertainty(store_url, tmp_path):
    proc = run_cli("index", "build", "--example", "asem", "--save", "ASEM 2018", "--db",
                   store_url, "--actor", "wang")
    assert proc.returncode == 0, proc.stderr
    run_id = int(proc.stdout.strip())
    listed = run_cli("index", "runs", "--db", store_url, "--format", "jsonl", check=True)
    (row,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["id"] == run_id and row["name"] == "ASEM 2018" and row["actor"] == "wang"
    assert row["source"] == "example:asem" and row["year"] == 2018

    spec = tmp_path / "spec.yaml"
    spec.write_text("N: 12\nseed: 3\ninputs:\n  winmax: [2, 5]\n"
                    "  imputation: [mean, median]\n", encoding="utf-8")
    proc = run_cli("index", "uncertainty", "--example", "asem", "--spec", str(spec), "--out",
                   str(tmp_path / "ua"), "--save-to", str(run_id), "--db", store_url)
    assert proc.returncode == 0, proc.stderr
    from digimeter.store import open_store

    engine = open_store(store_url)
    try:
        rows = index_uncertainty(engine, run_id)
        run = get_index_run(engine, run_id)
    finally:
        engine.dispose()
    aggregates = {e.code for e in run.framework if e.level > 1}
    assert {r.element_code for r in rows} == aggregates
    top = [r for r in rows if r.element_code == "Index"]
    assert len(top) == 51 and all(r.replicates == 12 for r in top)
    assert all(r.q05_rank <= r.median_rank <= r.q95_rank for r in top)
    assert all(r.score_q05 <= r.score_median <= r.score_q95 for r in top)
    assert sorted(r.nominal_rank for r in top) == list(range(1, 52))

    for example, extra, fragment in [
        ("asem", ["--save-to", "999"], "index run 999: no index run has this id"),
        ("asem", ["--save-to", str(run_id), "--target", "Nope"], "has no element Nope"),
        ("desi2022", ["--save-to", str(run_id)], "(ASEM 2018) has no element DESI"),
    ]:
        bad = run_cli("index", "uncertainty", "--example", example, "--spec", str(spec),
                      "--out", str(tmp_path / "bad"), "--db", store_url, *extra)
        assert bad.returncode != 0 and "Traceback" not in bad.stderr
        lines = bad.stderr.strip().splitlines()
        assert len(lines) == 1 and fragment in lines[0], bad.stderr
