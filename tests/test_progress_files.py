"""Store-free tracking of an analyst's own files, and the store mode, through the CLI."""

from __future__ import annotations

import csv
import io
import json

import pytest

from digimeter.progress.files import read_observations, read_targets
from tests.conftest import run_cli

TARGETS = """id,region_code,indicator,value,unit,comparator,year,baseline_year,baseline_value
bj-share,北京市,数字经济占GDP比重,50,%,~,2025,,
gz-5g,440100,fiveg_base_stations,3.89,万个,=,2022,,
cn-core,CN,digital_economy_core_industries_share_of_gdp,10,%,=,2025,2020,7.8
bad-number,440100,fiveg_base_stations,lots,万个,=,2022,,
bad-region,Atlantis,fiveg_base_stations,1,万个,=,2022,,
bad-indicator,440100,number_of_pandas,1,个,=,2022,,
bad-years,440100,fiveg_base_stations,1,万个,=,2019,2020,1
"""
OBSERVATIONS = """region_code,indicator,year,value,unit
110000,digital_economy_share_of_gdp,2021,40.4,%
110000,digital_economy_share_of_gdp,2022,41.6,%
110000,digital_economy_share_of_gdp,2023,42.9,%
440100,fiveg_base_stations,2020,4.8,万个
CN,digital_economy_core_industries_share_of_gdp,2023,9.9,%
"""


@pytest.fixture
def files(tmp_path):
    t, o = tmp_path / "targets.csv", tmp_path / "obs.csv"
    t.write_text(TARGETS, encoding="utf-8")
    o.write_text(OBSERVATIONS, encoding="utf-8")
    return t, o


def test_targets_are_converted_to_base_units_and_bad_rows_named(files):
    loaded = read_targets(files[0])
    assert list(loaded.frame["id"]) == ["bj-share", "gz-5g", "cn-core"]
    assert loaded.frame.set_index("id").loc["gz-5g", "value"] == pytest.approx(38900)
    assert [e.row for e in loaded.errors] == [5, 6, 7, 8]
    text = [str(e) for e in loaded.errors]
    assert "'lots' is not a number" in text[0] and "Atlantis" in text[1]
    assert "number_of_pandas" in text[2] and "not after the baseline year" in text[3]


def test_missing_column_is_one_clear_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,region_code,indicator,value\n1,440100,fiveg_base_stations,3\n",
                    encoding="utf-8")
    proc = run_cli("progress", "--targets", str(path), "--observations", str(path))
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"error: {path}: missing column(s) unit, comparator, year, baseline_year, "
        "baseline_value; a targets file has id, region_code, indicator, value, unit, "
        "comparator, year, baseline_year, baseline_value"]


def test_observation_for_the_same_year_twice_is_reported(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text(OBSERVATIONS + "440100,fiveg_base_stations,2020-12-31,4.9,万个\n",
                    encoding="utf-8")
    loaded = read_observations(path)
    assert [e.row for e in loaded.errors] == [7]
    assert len(loaded.frame) == 5


def test_cli_assesses_the_good_rows_and_reports_the_bad(files):
    proc = run_cli("progress", "--targets", str(files[0]), "--observations", str(files[1]),
                   "--format", "jsonl")
    assert proc.returncode == 1
    rows = {r["id"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert set(rows) == {"bj-share", "gz-5g", "cn-core"}
    # Beijing: 40.4 (2021) -> 42.9 (2023) against about 50 by 2025
    assert rows["bj-share"]["status"] == "limited"
    assert rows["gz-5g"]["status"] == "achieved"  # 48,000 at the end of 2020 >= 38,900
    assert rows["cn-core"]["status"] == "on_track"  # 7.8 -> 9.9 (2023) of 10 by 2025
    assert all(r["method"] == "open-sdg" for r in rows.values())
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4 and all(str(files[0]) in e for e in errors)


def test_cli_csv_has_the_contract_columns(files):
    proc = run_cli("progress", "--targets", str(files[0]), "--observations", str(files[1]),
                   "--format", "csv", "--method", "unsd-progress-chart")
    header = next(csv.reader(io.StringIO(proc.stdout)))
    assert {"id", "status", "ratio", "cagr_actual", "cagr_required", "latest_value",
            "latest_year", "projected_value", "method"} <= set(header)
    assert "unsd-progress-chart" in proc.stdout


def test_unknown_method_is_refused(files):
    proc = run_cli("progress", "--targets", str(files[0]), "--observations", str(files[1]),
                   "--method", "astrology")
    assert proc.returncode == 1 and "unknown method 'astrology'" in proc.stderr


def test_a_methods_file_of_ones_own(files, tmp_path):
    own = tmp_path / "m.yaml"
    own.write_text("strict:\n  on_track: 1.5\n  moderate: 1.2\n  limited: 1.0\n"
                   "  no_target_year: {on_track: 0.1, moderate: 0.05, limited: 0}\n",
                   encoding="utf-8")
    proc = run_cli("progress", "--targets", str(files[0]), "--observations", str(files[1]),
                   "--methods", str(own), "--method", "strict", "--format", "jsonl")
    rows = {r["id"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert rows["cn-core"]["status"] == "on_track"  # R = 1.62 >= 1.5
    assert rows["bj-share"]["status"] == "deterioration"  # R = 0.557 < 1.0
    assert rows["bj-share"]["method"] == "strict"


def test_plan_targets_import_with_a_mapping_is_idempotent(store_url):
    from tests.conftest import SHARED

    args = ["data", "targets", str(SHARED / "data" / "china_plan_targets.csv"), "--db",
            store_url, "--source", "14th FYP", "--region", "CN", "--map",
            "indicator=indicator_id", "--map", "value=target_value", "--map",
            "unit=unit_published", "--map", "year=target_year", "--map",
            "baseline_year=base_year", "--map", "baseline_value=base_value"]
    first = run_cli(*args, check=True)
    assert "18 targets stored, 0 already stored, 0 rejected" in first.stderr
    again = run_cli(*args, check=True)
    assert "0 targets stored" in again.stderr
    rows = progress_rows_from(store_url)
    # ipv6 users: 4.6亿 (2020) -> 8亿 by 2025, stored in base units
    ipv6 = [r for r in rows if r["target_value"] == 800_000_000]
    assert ipv6 and all(r["baseline_value"] in (460_000_000, 462_000_000) for r in ipv6)


def progress_rows_from(store_url: str) -> list[dict]:
    proc = run_cli("progress", "--db", store_url, "--format", "jsonl", check=True)
    return [json.loads(line) for line in proc.stdout.splitlines()]
