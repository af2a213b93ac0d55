"""Units and compound units in base units."""

import pytest

from tests.extract_helpers import only


@pytest.mark.parametrize("sentence,value,unit", [
    ("到2025年,数字经济核心产业增加值占GDP比重达到10%。", 10, "percent"),
    ("到2025年,数字经济核心产业增加值占比提高3个百分点。", 3, "percentage_point"),
    ("到2025年,建成智能网联道路1000公里。", 1000, "km"),
    ("规划建设数字经济产业园20平方公里。", 20, "km2"),
    ("对入驻企业给予每月最高30元/平方米/月的租金补贴。", 30, "CNY_per_m2_month"),
    ("到2025年,每万人拥有5G基站数达到26个。", 26, "count_per_10k_people"),
    ("2023年,新增互联网省际出口带宽1.7万G。", 17000, "Gbps"),
    ("到2025年,新增上云企业1.5万家。", 15000, "count"),
    ("到2025年,千兆宽带用户达到300万户。", 3e6, "count"),
    ("By 2025 the added value will account for 50 percent of GDP.", 50, "percent"),
    ("The city will build 1,000 kilometers of smart roads by 2025.", 1000, "km"),
    ("By 2025 the park will cover 20 square kilometers.", 20, "km2"),
    ("Investment will reach 2 billion U.S. dollars by 2025.", 2e9, "USD"),
    ("到2025年,软件业务收入达到300万元人民币。", 3e6, "CNY"),
])
def test_units(sentence, value, unit):
    r = only(sentence)
    assert (r["value"], r["unit"]) == (pytest.approx(value), unit)


def test_growth_decline_is_negative():
    r = only("2022年,5G投资额同比下降2.5%。")
    assert (r["value"], r["unit"]) == (-2.5, "percent")


def test_english_decline_is_negative():
    r = only("In 2023 the region's energy consumption decreased 9.6 percent year-on-year.")
    assert r["value"] == -9.6


def test_per_capita_carries_to_a_comparison_clause():
    recs = [r for r in __import__("tests.extract_helpers", fromlist=["records"]).records(
        "截至2022年底,每万人拥有5G基站数达到16.4个,比上年末提高6.3个。")]
    assert {(r["value"], r["unit"]) for r in recs} == {(16.4, "count_per_10k_people"),
                                                         (6.3, "count_per_10k_people")}
