"""Indicator tables flattened to text."""

from tests.extract_helpers import records

TABLE = """\
某省数字经济发展主要指标
序号 | 指标 | 单位 | 2020年 | 2025年 | 属性
1 | 数字经济核心产业增加值 | 亿元 | 1200 | 2500 | 预期性
2 | 5G基站数 | 万个 | 3.5 | 10 | 预期性
3 | 千兆宽带用户数 | 万户 | / | 300 | 预期性
"""


def test_table_rows_give_observation_and_target():
    recs = records(TABLE, published=__import__("datetime").date(2021, 6, 1))
    got = {(r["kind"], r["value"], r["unit"], r["year"]) for r in recs}
    assert got == {
        ("observation", 35000, "count", 2020), ("observation", 1.2e11, "CNY", 2020),
        ("target", 100000, "count", 2025), ("target", 2.5e11, "CNY", 2025),
        ("target", 3e6, "count", 2025)}


def test_target_carries_its_baseline():
    recs = records(TABLE)
    target = next(r for r in recs if r["kind"] == "target" and r["unit"] == "CNY")
    assert (target["baseline_year"], target["baseline_value"]) == (2020, 1.2e11)


def test_dash_cell_gives_no_record():
    recs = records(TABLE)
    assert not any(r["value"] == 0 for r in recs)
    assert sum(1 for r in recs if r["indicator_text"] == "千兆宽带用户数") == 1


def test_unit_in_brackets_and_tabs():
    text = "指标\t2022年\t2027年\n数字经济增加值(亿元)\t8000\t12000\n"
    recs = records(text)
    assert sorted((r["value"], r["year"]) for r in recs) == [(8e11, 2022), (1.2e12, 2027)]


def test_table_indicator_maps_to_taxonomy():
    recs = records(TABLE)
    assert {r["indicator"] for r in recs if r["unit"] == "CNY"} == {
        "digital_economy_core_industries_value_added"}


def test_metadata_table_gives_no_record():
    text = ("索引号: | 002972698/2021-60890 | 主题分类: | 政务公开 |\n"
            "文件编号: | 余政办发〔2021〕79号 | 生成日期: | 2021-09-24 |\n")
    assert records(text) == []
