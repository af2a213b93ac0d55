"""The region reference data and its resolver, checked on the real data files."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

from digimeter.errors import UnknownRegionError
from digimeter.regions import (
    Region,
    RegionTable,
    aliases_csv_path,
    load_regions,
    name_key,
    regions_csv_path,
)
from digimeter.regions.naming import split_name

REGION_COLUMNS = ["code", "name_zh", "name_en", "level", "parent_code", "valid_from",
                  "valid_to", "successor_code"]


@pytest.fixture(scope="module")
def table() -> RegionTable:
    return load_regions()


def _current(table: RegionTable, level: int) -> list[Region]:
    return table.at_level(level)


def _suffixes(regions: list[Region]) -> Counter[str]:
    return Counter(split_name(r.name_zh).suffix.zh for r in regions)


# --- the files -----------------------------------------------------------------------------

def test_csv_headers() -> None:
    with regions_csv_path().open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == REGION_COLUMNS
    with aliases_csv_path().open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == ["alias", "code"]


def test_country_row(table: RegionTable) -> None:
    cn = table.get("CN")
    assert (cn.name_zh, cn.name_en, cn.level, cn.parent_code) == ("中国", "China", 0, None)
    assert {r.parent_code for r in _current(table, 1)} == {"CN"}


def test_counts_per_level(table: RegionTable) -> None:
    assert len(_current(table, 1)) == 34
    assert len(_current(table, 2)) == 333
    assert len(_current(table, 3)) == 2847
    assert len([r for r in table if not r.is_current]) == 2212


def test_prefecture_level_kinds(table: RegionTable) -> None:
    kinds = _suffixes(_current(table, 2))
    assert kinds == {"市": 293, "自治州": 30, "地区": 7, "盟": 3}


def test_county_level_kinds(table: RegionTable) -> None:
    kinds = _suffixes(_current(table, 3))
    assert kinds["自治县"] == 117
    assert kinds["旗"] == 49 and kinds["自治旗"] == 3
    assert kinds["特区"] == 1 and kinds["林区"] == 1
    assert kinds["县"] == 1302 and kinds["市"] == 398


def test_codes_unique_and_six_digits(table: RegionTable) -> None:
    with regions_csv_path().open(encoding="utf-8", newline="") as f:
        codes = [r["code"] for r in csv.DictReader(f)]
    assert len(codes) == len(set(codes)) == len([r for r in table if r.level >= 0])
    assert all(c == "CN" or re.fullmatch(r"\d{6}", c) for c in codes)


def test_code_structure(table: RegionTable) -> None:
    for r in _current(table, 1):
        assert r.code.endswith("0000")
    for r in _current(table, 2):
        assert r.code.endswith("00") and r.code[:2] == r.parent_code[:2]
    for r in _current(table, 3):
        assert not r.code.endswith("00") and r.code[:2] == r.parent_code[:2]


def test_every_parent_exists(table: RegionTable) -> None:
    for r in table:
        if r.level > 0:
            assert r.parent_code in table, r
            assert table.get(r.parent_code).level < r.level, r


def test_municipality_districts_hang_on_the_province(table: RegionTable) -> None:
    for province in ("110000", "120000", "310000", "500000"):
        kids = table.children(province)
        assert kids and {k.level for k in kids} == {3}
    assert len(table.children("500000")) == 37
    assert table.get("429004").parent_code == "420000"  # 仙桃, directly under Hubei


def test_names_present(table: RegionTable) -> None:
    for r in table:
        assert r.name_zh and r.name_en and r.name_en.isprintable(), r


# --- English names -------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "name_en"), [
    ("110000", "Beijing"), ("440000", "Guangdong"), ("150000", "Inner Mongolia"),
    ("450000", "Guangxi"), ("540000", "Tibet"), ("640000", "Ningxia"), ("650000", "Xinjiang"),
    ("610000", "Shaanxi"), ("140000", "Shanxi"), ("810000", "Hong Kong"), ("820000", "Macao"),
    ("710000", "Taiwan"), ("440100", "Guangzhou"), ("440600", "Foshan"),
    ("440604", "Chancheng District"), ("330281", "Yuyao"), ("320322", "Pei County"),
    ("222400", "Yanbian Korean Autonomous Prefecture"), ("650100", "Urumqi"),
    ("653100", "Kashgar Prefecture"), ("152900", "Alxa League"), ("610100", "Xi'an"),
    ("140400", "Changzhi"), ("211300", "Chaoyang"), ("341500", "Lu'an"),
    ("420528", "Changyang Tujia Autonomous County"), ("120116", "Binhai New Area"),
])
def test_english_names(table: RegionTable, code: str, name_en: str) -> None:
    assert table.get(code).name_en == name_en


# --- resolution ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "code"), [
    ("440100", "440100"), ("440604000000", "440604"), ("CN", "CN"), ("全国", "CN"),
    ("广州", "440100"), ("广州市", "440100"), ("Guangzhou", "440100"), ("guangzhou", "440100"),
    ("禅城区", "440604"), ("禅城", "440604"), ("佛山市禅城区", "440604"),
    ("广东省佛山市禅城区", "440604"), ("Chancheng", "440604"), ("chancheng district", "440604"),
    ("Chancheng Qu", "440604"), ("广东佛山禅城", "440604"), ("广东省佛山市", "440600"),
    ("滨海新区", "120116"), ("余姚", "330281"), ("浙江省余姚市", "330281"),
    ("Shaanxi", "610000"), ("Shanxi", "140000"), ("陕西", "610000"), ("山西", "140000"),
    ("广西", "450000"), ("内蒙古", "150000"), ("Inner Mongolia", "150000"),
    ("襄樊", "420600"), ("襄樊市", "420600"), ("襄阳", "420600"),
    ("吉林", "220000"), ("吉林市", "220200"), ("海南", "460000"), ("Hainan", "460000"),
    ("Xi'an", "610100"), ("XIAN", "610100"), ("延边州", "222400"), ("羊城", "440100"),
])
def test_resolve(table: RegionTable, text: str, code: str) -> None:
    assert table.resolve(text).code == code


def test_ambiguous_without_context(table: RegionTable) -> None:
    with pytest.raises(UnknownRegionError) as err:
        table.resolve("朝阳区")
    assert "ambiguous" in err.value.message
    assert "110105" in err.value.message and "220104" in err.value.message
    assert err.value.where == "朝阳区"


def test_within_resolves_ambiguity(table: RegionTable) -> None:
    assert table.resolve("朝阳区", within="110000").code == "110105"
    assert table.resolve("朝阳区", within="220100").code == "220104"
    assert table.resolve("鼓楼区", within="350100").code == "350102"
    assert table.resolve("Suzhou", within="340000").code == "341300"


def test_within_that_still_leaves_several(table: RegionTable) -> None:
    with pytest.raises(UnknownRegionError, match="ambiguous"):
        table.resolve("鼓楼区", within="320000")


def test_within_outside_is_ignored(table: RegionTable) -> None:
    assert table.resolve("广州", within="110000").code == "440100"


def test_candidates(table: RegionTable) -> None:
    codes = {r.code for r in table.candidates("鼓楼区")}
    assert {"320106", "320302", "350102", "410204"} <= codes
    assert table.candidates("禅城")[0].code == "440604"
    assert table.candidates("不存在的地方") == []


def test_unknown_name_and_code(table: RegionTable) -> None:
    with pytest.raises(UnknownRegionError) as err:
        table.resolve("东北省")
    assert err.value.where == "东北省"
    with pytest.raises(UnknownRegionError) as err:
        table.get("999999")
    assert err.value.where == "999999"


# --- history -------------------------------------------------------------------------------

def test_yuhuan_county_became_a_city(table: RegionTable) -> None:
    old = table.get("331021")
    assert not old.is_current and old.valid_to == 2016 and old.successor_code == "331083"
    assert table.current("331021").code == "331083"
    assert table.get("331083").valid_from == 2017


@pytest.mark.parametrize(("old", "new"), [
    ("120107", "120116"), ("120108", "120116"), ("120109", "120116"),  # 塘沽 汉沽 大港
    ("371200", "370116"),  # 莱芜市 → 济南市莱芜区
    ("332627", "331083"),  # 玉环县's code before 1994, two steps
    ("330185", "330112"),  # 临安市 → 临安区
])
def test_old_codes_lead_to_current(table: RegionTable, old: str, new: str) -> None:
    assert table.current(old).code == new


def test_renamed_code_keeps_its_code(table: RegionTable) -> None:
    xiangyang = table.get("420600")
    assert xiangyang.is_current and xiangyang.name_zh == "襄阳市"
    assert "420600" in table.aliases()["襄樊"]


def test_current_of_a_current_code_is_itself(table: RegionTable) -> None:
    assert table.current("440604") == table.get("440604")


def test_every_successor_chain_ends_current(table: RegionTable) -> None:
    for r in table:
        if r.successor_code:
            assert not r.is_current, r
            assert table.current(r.code).is_current


def test_historical_rows_are_consistent(table: RegionTable) -> None:
    for r in table:
        if not r.is_current:
            assert r.valid_to is not None and 1989 <= r.valid_to <= 2026, r
            assert r.valid_from is None or r.valid_from <= r.valid_to, r


def test_abolished_without_successor(table: RegionTable) -> None:
    ended = [r for r in table if not r.is_current and r.successor_code is None]
    assert ended
    with pytest.raises(UnknownRegionError, match="no successor"):
        table.current(ended[0].code)


def test_historical_name_resolves_to_the_old_code(table: RegionTable) -> None:
    assert table.resolve("塘沽区").code == "120107"
    assert table.resolve("玉环县").code == "331021"
    assert table.current(table.resolve("塘沽").code).code == "120116"


# --- hierarchy -----------------------------------------------------------------------------

def test_parents_and_children(table: RegionTable) -> None:
    assert [r.code for r in table.parents("440604")] == ["CN", "440000", "440600"]
    assert [r.code for r in table.children("440600")] == [
        "440604", "440605", "440606", "440607", "440608"]
    assert len(table.children("CN")) == 34
    assert table.full_name("440604") == "广东省佛山市禅城区"
    assert table.is_within("440604", "440000") and not table.is_within("440604", "110000")


def test_children_with_history(table: RegionTable) -> None:
    kids = table.children("120000", include_historical=True)
    assert "120107" in {k.code for k in kids}
    assert "120107" not in {k.code for k in table.children("120000")}


# --- aliases -------------------------------------------------------------------------------

def test_alias_rows_point_to_known_codes(table: RegionTable) -> None:
    with aliases_csv_path().open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) > 20000
    assert all(r["code"] in table and r["alias"].strip() == r["alias"] != "" for r in rows)
    assert len({(r["alias"], r["code"]) for r in rows}) == len(rows)


def test_aliases_keep_every_meaning(table: RegionTable) -> None:
    aliases = table.aliases()
    assert {"110105", "220104"} <= set(aliases["朝阳区"])
    assert len(aliases["鼓楼区"]) >= 4
    assert aliases["广州"] == ["440100"]
    assert "440604" in aliases["Chancheng District"]
    assert "320500" in aliases["苏州"]


def test_name_key() -> None:
    assert name_key("Xi'an") == name_key("xian") == name_key("XI AN")
    assert name_key("Lüliang") == name_key("Luliang")
    assert name_key("佛山 禅城区") == "佛山禅城区"
    assert name_key("ＣＮ") == "cn"


def test_statistical_groupings_resolve_and_list_their_provinces() -> None:
    table = load_regions()
    assert table.resolve("east").code == "CN-E"
    assert table.resolve("东北地区").code == "CN-NE"
    assert table.resolve("yangtze_river_delta").code == "CN-YRD"
    four = ["CN-E", "CN-C", "CN-W", "CN-NE"]
    provinces = [m for g in four for m in table.members(g)]
    mainland = {r.code for r in table.at_level(1)} - {"710000", "810000", "820000"}
    assert sorted(provinces) == sorted(mainland)
    assert table.members("CN-JJJ") == ("110000", "120000", "130000")
    assert table.get("CN-W").level == -1 and table.get("CN-W").parent_code is None
