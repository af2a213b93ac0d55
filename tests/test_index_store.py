"""``digimeter index build --store``: a framework of taxonomy indicators over the store's
observations, filled through ``digimeter.imports.import_file``; scores computed by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from digimeter.errors import InputError, RowError
from digimeter.imports import import_file
from digimeter.index.pipeline import build, parse_pipeline
from digimeter.index.stored import from_store, period_end
from tests.conftest import run_cli

OBS = """region,indicator,period,value,unit,source
北京市,internet_penetration_rate,2022,80,%,NBS
上海市,internet_penetration_rate,2022,90,%,NBS
广东省,internet_penetration_rate,2022,70,%,NBS
浙江省,internet_penetration_rate,2022,85,%,NBS
北京市,fiveg_base_stations,2022,5,万个,NBS
上海市,fiveg_base_stations,2022,6,万个,NBS
广东省,fiveg_base_stations,2022,20,万个,NBS
浙江省,fiveg_base_stations,2022-06,8,万个,NBS
浙江省,fiveg_base_stations,2022-12-31,10,万个,NBS
北京市,fixed_broadband_household_penetration_rate,2022,60,%,NBS
上海市,fixed_broadband_household_penetration_rate,2022,70,%,NBS
广东省,fixed_broadband_household_penetration_rate,2022,50,%,NBS
北京市,internet_penetration_rate,2021,78,%,NBS
上海市,internet_penetration_rate,2021,88,%,NBS
北京市,fiveg_base_stations,2021,4,万个,NBS
上海市,fiveg_base_stations,2021,5,万个,NBS
"""

FRAMEWORK = """Level,iCode,iName,Parent,Direction,Weight,Type
1,internet_penetration_rate,Internet users,Access,1,1,Indicator
1,fixed_broadband_household_penetration_rate,Broadband,Access,1,1,Indicator
1,fiveg_base_stations,5G,Network,1,1,Indicator
2,Access,Access,Index,1,1,Aggregate
2,Network,Network,Index,1,1,Aggregate
3,Index,Index,,1,1,Aggregate
"""

PIPELINE = {"steps": [{"normalise": {"method": "minmax", "params": [0, 100]}},
                      {"aggregate": {"method": "amean"}}]}

# minmax by hand: internet (70..90) BJ 50, SH 100, GD 0, ZJ 75; broadband (50..70) BJ 50,
# SH 100, GD 0, ZJ missing; 5G (5..20 万) BJ 0, SH 100/15, GD 100, ZJ 500/15.
EXPECTED_INDEX = {"110000": 25.0, "310000": (100 + 100 / 15) / 2, "440000": 50.0,
                  "330000": (75 + 500 / 15) / 2}


@pytest.fixture
def filled(engine, tmp_path) -> Path:
    path = tmp_path / "obs.csv"
    path.write_text(OBS, encoding="utf-8")
    result = import_file(engine, path)
    assert result.errors == [] and result.stored == 16
    fw = tmp_path / "framework.csv"
    fw.write_text(FRAMEWORK, encoding="utf-8")
    return fw


def test_a_store_year_builds_the_hand_computed_index(engine, filled):
    (data,) = from_store(engine, filled, 2022)
    assert data.raw.units == ("110000", "310000", "330000", "440000")
    assert data.units.names[0] == "北京市"
    assert data.raw.column("fiveg_base_stations")[2] == 100_000
    table = build(data, parse_pipeline(PIPELINE)).dsets["Aggregated"]
    got = dict(zip(table.units, table.column("Index"), strict=True))
    assert got == pytest.approx(EXPECTED_INDEX, abs=1e-12)
    assert table.column("Access")[2] == 75.0


def test_an_indicator_without_data_that_year_names_its_framework_row(engine, filled):
    with pytest.raises(RowError, match="fixed_broadband_household_penetration_rate has no "
                       "observation for 2021") as info:
        from_store(engine, filled, 2021)
    assert "row 3" in str(info.value)


def test_disagreeing_sources_need_a_choice(engine, filled, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("region,indicator,period,value,unit,source\n"
                     "北京市,internet_penetration_rate,2022,81,%,CNNIC\n", encoding="utf-8")
    import_file(engine, other)
    with pytest.raises(InputError, match="choose one with --source"):
        from_store(engine, filled, 2022)
    (data,) = from_store(engine, filled, 2022, source="NBS")
    assert data.raw.column("internet_penetration_rate")[0] == 80.0


def test_framework_codes_must_be_taxonomy_ids(engine, tmp_path):
    fw = tmp_path / "bad.csv"
    fw.write_text(FRAMEWORK.replace("1,fiveg_base_stations,", "1,5G基站,"), encoding="utf-8")
    with pytest.raises(RowError, match="did you mean fiveg_base_stations") as info:
        from_store(engine, fw, 2022)
    assert "row 4" in str(info.value) and "iCode" in str(info.value)


def test_periods_end_where_they_should():
    assert period_end("2022") == "2022-12-31"
    assert period_end("2024-02") == "2024-02-29"
    assert period_end("2022Q3") == "2022-09-30"
    assert period_end("2022-01..2022-05") == "2022-05-31"


def test_cli_builds_from_the_store(store_url, engine, filled, tmp_path):
    pipe = tmp_path / "p.yaml"
    pipe.write_text(yaml.safe_dump(PIPELINE))
    out = tmp_path / "out"
    proc = run_cli("index", "build", "--store", "--db", store_url, "--framework", str(filled),
                   "--year", "2022", "--pipeline", str(pipe), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    scores = pd.read_csv(out / "scores.csv", dtype={"uCode": str}).set_index("uCode")
    assert scores["Index"].to_dict() == pytest.approx(EXPECTED_INDEX, abs=1e-12)
    ranks = pd.read_csv(out / "ranks.csv", dtype={"uCode": str}).set_index("uCode")
    assert ranks["Index"].to_dict() == {"110000": 4, "310000": 2, "330000": 1, "440000": 3}
    bad = run_cli("index", "build", "--store", "--db", store_url, "--framework", str(filled),
                  "--year", "2021", "--pipeline", str(pipe), "--out", str(out))
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert "has no observation for 2021" in bad.stderr


def test_without_a_year_every_year_with_data_is_one_data_set(engine, filled, tmp_path):
    fw = tmp_path / "two.csv"
    fw.write_text("Level,iCode,Parent,Direction,Weight,Type\n"
                  "1,internet_penetration_rate,Index,1,1,Indicator\n"
                  "1,fiveg_base_stations,Index,1,1,Indicator\n"
                  "2,Index,,1,1,Aggregate\n", encoding="utf-8")
    panel = from_store(engine, fw, None)
    assert [d.units.time[0] for d in panel] == [2021.0, 2022.0]
    assert panel[0].raw.units == ("110000", "310000")
    assert list(panel[0].raw.values[:, 0]) == [78.0, 88.0]


def _store_args(store_url, framework, pipe, *extra):
    return ["--store", "--db", store_url, "--framework", str(framework), "--pipeline",
            str(pipe), *extra]


def test_uncertainty_and_distance_from_the_store(store_url, engine, filled, tmp_path):
    import json

    from digimeter.store.indexes import get_index_run, index_uncertainty

    pipe = tmp_path / "p.yaml"
    pipe.write_text(yaml.safe_dump(PIPELINE))
    saved = run_cli("index", "build", *_store_args(store_url, filled, pipe, "--year", "2022"),
                    "--save", "Provinces 2022")
    assert saved.returncode == 0, saved.stderr
    run_id = int(saved.stdout)
    run = get_index_run(engine, run_id)
    assert (run.source, run.year, run.units_kind) == ("store", 2022, "region")
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"N": 10, "seed": 1, "inputs": {"normalisation": [
        {"method": "minmax", "params": [0, 100]}, {"method": "rank"}]}}))
    out = tmp_path / "ua"
    proc = run_cli("index", "uncertainty",
                   *_store_args(store_url, filled, pipe, "--year", "2022"),
                   "--spec", str(spec), "--out", str(out), "--save-to", str(run_id))
    assert proc.returncode == 0, proc.stderr
    scores = pd.read_csv(out / "scores.csv", dtype={"uCode": str}).set_index("uCode")
    assert scores["Nominal"].to_dict() == pytest.approx(EXPECTED_INDEX, abs=1e-12)
    rows = index_uncertainty(engine, run_id)
    assert {r.unit_code for r in rows} == set(EXPECTED_INDEX)
    assert {r.element_code for r in rows} == {"Index", "Access", "Network"}

    proc = run_cli("index", "distance",
                   *_store_args(store_url, filled, pipe, "--year", "2022"),
                   "--unit", "440000", "--benchmark", "310000", "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    first = json.loads(proc.stdout.splitlines()[0])
    assert first["iCode"] == "Index"
    assert first["gap"] == pytest.approx(EXPECTED_INDEX["310000"] - EXPECTED_INDEX["440000"],
                                         abs=1e-12)


def test_store_inputs_bad_input_is_one_line(store_url, engine, filled, tmp_path):
    pipe = tmp_path / "p.yaml"
    pipe.write_text(yaml.safe_dump(PIPELINE))
    two = tmp_path / "two.csv"
    two.write_text("Level,iCode,Parent,Direction,Weight,Type\n"
                   "1,internet_penetration_rate,Index,1,1,Indicator\n"
                   "1,fiveg_base_stations,Index,1,1,Indicator\n"
                   "2,Index,,1,1,Aggregate\n", encoding="utf-8")
    cases = [
        (["index", "uncertainty", *_store_args(store_url, two, pipe), "--design", "d.csv",
          "--out", str(tmp_path / "o")], "one Time at a time: give --year"),
        (["index", "uncertainty", "--store", "--db", store_url, "--pipeline", str(pipe),
          "--out", str(tmp_path / "o")], "--store needs --framework"),
        (["index", "distance", *_store_args(store_url, two, pipe), "--example", "asem",
          "--unit", "110000", "--benchmark", "310000"], "not --example and --store"),
        (["index", "distance", *_store_args(store_url, two, pipe, "--year", "2021"),
          "--unit", "440000", "--benchmark", "310000"], "unit '440000' is not in the data"),
    ]
    for args, fragment in cases:
        proc = run_cli(*args)
        assert proc.returncode != 0 and "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and fragment in lines[0], proc.stderr


def test_a_panel_from_the_store_is_saved_as_one_run_per_year(store_url, engine, filled,
                                                             tmp_path):
    from digimeter.store.indexes import index_scores, list_index_runs

    pipe = tmp_path / "p.yaml"
    pipe.write_text(yaml.safe_dump(PIPELINE))
    two = tmp_path / "two.csv"
    two.write_text("Level,iCode,Parent,Direction,Weight,Type\n"
                   "1,internet_penetration_rate,Index,1,1,Indicator\n"
                   "1,fiveg_base_stations,Index,1,1,Indicator\n"
                   "2,Index,,1,1,Aggregate\n", encoding="utf-8")
    proc = run_cli("index", "build", *_store_args(store_url, two, pipe), "--save", "Panel")
    assert proc.returncode == 0, proc.stderr
    ids = [int(line) for line in proc.stdout.split()]
    runs = {r.id: r for r in list_index_runs(engine)}
    assert [runs[i].year for i in ids] == [2021, 2022]
    assert {s.unit_code for s in index_scores(engine, ids[0], level=2)} == {"110000", "310000"}
