"""Importing observations from CSV and Excel, long and wide, with vintages and bad rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from digimeter.errors import InputError, RowError
from digimeter.imports import import_file
from digimeter.imports.normalize import parse_period
from digimeter.imports.tables import Crosswalk, Mapping
from digimeter.store.observations import all_vintages, latest
from tests.conftest import SHARED, run_cli

LONG = """region,indicator,year,value,unit,source
广州市,软件和信息技术服务业收入,2022,5937.6,亿元,Guangzhou Bureau of Statistics
440100,software_it_services_revenue,2023,6317,亿元,Guangzhou Bureau of Statistics
Beijing,fiveg_base_stations,2022,7.5,万个,Beijing Communications Administration
全国,数字经济占GDP比重,2022,41.5,%,CAICT
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_long_csv_is_converted_to_base_units(engine, tmp_path):
    result = import_file(engine, write(tmp_path / "long.csv", LONG))
    assert (result.rows, result.stored, result.errors) == (4, 4, [])
    gz = latest(engine, indicator="software_it_services_revenue", region_code="440100")
    assert [(r["period"], r["value"], r["unit"]) for r in gz] == [
        ("2022", 593760000000.0, "CNY"), ("2023", 631700000000.0, "CNY")]
    bj = latest(engine, indicator="fiveg_base_stations", region_code="110000")
    assert bj[0]["value"] == 75000 and bj[0]["value_published"] == "7.5"
    assert bj[0]["unit_published"] == "万个"
    cn = latest(engine, indicator="digital_economy_share_of_gdp", region_code="CN")
    assert cn[0]["value"] == 41.5 and cn[0]["source"] == "CAICT"


def test_gbk_csv_reads_like_utf8(engine, tmp_path):
    result = import_file(engine, write(tmp_path / "gbk.csv", LONG, encoding="gbk"))
    assert result.stored == 4 and result.errors == []


def test_wide_layout_one_column_per_year(engine, tmp_path):
    wide = ("地区,指标,单位,2020年,2021年,2022年\n"
            "浙江省,数字经济核心产业增加值,亿元,7020,8348,8977\n"
            "江苏省,fiveg_base_stations,万个,7.1,13.0,\n")
    result = import_file(engine, write(tmp_path / "wide.csv", wide), source="yearbook")
    assert (result.stored, result.errors) == (5, [])
    zj = latest(engine, indicator="digital_economy_core_industries_value_added",
                region_code="330000")
    assert [r["period"] for r in zj] == ["2020", "2021", "2022"]
    assert zj[-1]["value"] == pytest.approx(8977e8)


def test_excel_long_and_wide(engine, tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"province": ["上海市"], "indicator_id": ["fiveg_base_stations"],
                      "2021": [5.4], "2022": [6.8]}).to_excel(xl, sheet_name="wide",
                                                              index=False)
        pd.DataFrame({"geo": ["上海市"], "series": ["internet_users"], "date": ["2022-12-31"],
                      "obs_value": ["2,500"], "单位": ["万人"]}).to_excel(
            xl, sheet_name="long", index=False)
    wide = import_file(engine, path, sheet="wide", source="SH", unit="万个")
    long = import_file(engine, path, sheet="long", source="SH")
    assert (wide.stored, long.stored, wide.errors, long.errors) == (2, 1, [], [])
    users = latest(engine, indicator="internet_users", region_code="310000")
    assert users[0]["value"] == 25_000_000 and users[0]["period"] == "2022-12-31"


def test_mapping_names_other_columns(engine, tmp_path):
    text = "where,what,when,how_much\n深圳,fiveg_base_stations,2022,6.5\n"
    mapping = Mapping.parse(["region=where", "indicator=what", "period=when",
                             "value=how_much"])
    result = import_file(engine, write(tmp_path / "odd.csv", text), mapping=mapping,
                         source="SZ", unit="万个")
    assert result.stored == 1
    assert latest(engine, indicator="fiveg_base_stations", region_code="440300")[0][
        "value"] == 65000


def test_bad_rows_are_reported_by_row_and_the_rest_goes_in(engine, tmp_path):
    text = ("region,indicator,year,value,unit,source\n"
            "广州市,fiveg_base_stations,2022,7.6,万个,s\n"      # row 2 good
            "广州市,fiveg_base_stations,2023,n/a,万个,s\n"      # row 3 not a number
            "Atlantis,fiveg_base_stations,2022,1,万个,s\n"     # row 4 unknown region
            "广州市,number_of_pandas,2022,1,个,s\n"            # row 5 unknown indicator
            "广州市,fiveg_base_stations,twenty,1,万个,s\n"      # row 6 bad period
            "广州市,fiveg_base_stations,2021,1,亿元,s\n"        # row 7 wrong unit
            "广州市,fiveg_base_stations,2022,7.7,万个,s\n"      # row 8 duplicate of row 2
            "深圳市,fiveg_base_stations,2022,6.5,万个,s\n")     # row 9 good
    result = import_file(engine, write(tmp_path / "bad.csv", text))
    assert result.stored == 2
    lines = [str(e) for e in result.errors]
    assert [e.row for e in result.errors] == [3, 4, 5, 6, 7, 8]
    assert all(line.startswith(f"{tmp_path / 'bad.csv'}, row ") for line in lines)
    assert "'n/a' is not a number" in lines[0]
    assert "Atlantis" in lines[1] and "number_of_pandas" in lines[2]
    assert "twenty" in lines[3] and "亿元" in lines[4] and "row 2" in lines[5]


def test_file_level_problems_raise_with_the_file(engine, tmp_path):
    with pytest.raises(InputError, match="no value column|no unit column|no region"):
        import_file(engine, write(tmp_path / "x.csv", "a,b\n1,2\n"), source="s")
    with pytest.raises(InputError, match="no rows"):
        import_file(engine, write(tmp_path / "empty.csv", "region,indicator,year,value\n"))
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01not a workbook" * 50)
    with pytest.raises(InputError, match="cannot read") as info:
        import_file(engine, junk)
    assert str(junk) in str(info.value)


def test_revision_is_a_new_vintage_and_the_old_stays(engine, tmp_path):
    first = ("region,indicator,year,value,unit,source\n"
             "北京市,fiveg_base_stations,2022,7.5,万个,MIIT\n")
    path = write(tmp_path / "v1.csv", first)
    assert import_file(engine, path, vintage="2023-01-15").stored == 1
    again = import_file(engine, path, vintage="2023-02-01")
    assert (again.stored, again.unchanged) == (0, 1)
    revised = write(tmp_path / "v2.csv", first.replace("7.5", "7.6"))
    assert import_file(engine, revised, vintage="2023-03-01").stored == 1
    now = latest(engine, indicator="fiveg_base_stations", region_code="110000")
    assert [(r["value"], r["vintage"]) for r in now] == [(76000, "2023-03-01")]
    then = latest(engine, indicator="fiveg_base_stations", region_code="110000",
                  as_of="2023-02-15")
    assert [r["value"] for r in then] == [75000]
    history = all_vintages(engine, indicator="fiveg_base_stations", region_code="110000")
    assert [r["vintage"] for r in history] == ["2023-01-15", "2023-03-01"]
    conflict = import_file(engine, write(tmp_path / "v3.csv", first.replace("7.5", "7.9")),
                           vintage="2023-03-01")
    assert conflict.stored == 0 and isinstance(conflict.errors[0], RowError)
    assert "same vintage" in str(conflict.errors[0])


@pytest.mark.parametrize(("text", "period", "year"), [
    ("2022", "2022", 2022), ("2022.0", "2022", 2022), ("2022年", "2022", 2022),
    ("2022-12-31", "2022-12-31", 2022), ("2022/6/30", "2022-06-30", 2022),
    ("2022-06", "2022-06", 2022), ("2023Q1", "2023Q1", 2023),
    ("2022-01..2022-05", "2022-01..2022-05", 2022), ("２０２１", "2021", 2021),
    ("2022-12-31 00:00:00", "2022-12-31", 2022),
])
def test_periods(text, period, year):
    assert parse_period(text) == (period, year)


def test_bundled_research_data_imports_without_a_rejected_row(engine):
    path = SHARED / "data" / "china_national_timeseries.csv"
    mapping = Mapping.parse(["region=geo", "indicator=indicator_id", "period=date"])
    result = import_file(engine, path, source="research notes", mapping=mapping, unit="base")
    assert result.errors == [] and result.stored == result.rows == 64


def test_cli_import_reports_rows_and_exits_nonzero(store_url, tmp_path):
    good = write(tmp_path / "good.csv", LONG)
    bad = write(tmp_path / "bad.csv", LONG.replace("5937.6", "lots"))
    proc = run_cli("data", "import", str(good), str(bad), "--db", store_url)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {bad}, row 2, column 'value': value 'lots' is not a number"]
    assert proc.stdout == ""
    listed = run_cli("observations", "--db", store_url, "--format", "csv",
                     "--region", "440100", check=True)
    assert listed.stdout.count("software_it_services_revenue") == 2


def test_crosswalk_maps_the_files_own_codes_and_drops_on_purpose(engine, tmp_path):
    data = write(tmp_path / "own.csv", "region,indicator,year,value,unit,source\n"
                 "GZ,5g_total,2023,9.17,万个,press\n"
                 "GZ,5g_phase1,2023,1.2,万个,press\n"
                 "GZ,5g_unknown,2023,1,万个,press\n")
    walk = write(tmp_path / "walk.csv", "field,from,to,note\n"
                 "indicator,5g_total,fiveg_base_stations,\n"
                 "indicator,5g_phase1,,a sub-total\n"
                 "region,GZ,440100,\n")
    result = import_file(engine, data, crosswalk=Crosswalk.read(walk))
    assert (result.rows, result.stored, result.skipped) == (3, 1, 1)
    assert [e.row for e in result.errors] == [4]
    assert latest(engine, indicator="fiveg_base_stations", region_code="440100")[0][
        "value"] == 91700


def test_crosswalk_with_a_bad_field_names_its_row(tmp_path):
    walk = write(tmp_path / "walk.csv", "field,from,to\nindicator,a,b\ncolour,red,blue\n")
    with pytest.raises(InputError, match="row 3"):
        Crosswalk.read(walk)
