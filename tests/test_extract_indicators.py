"""Indicator phrase as written and taxonomy id."""

import pytest

from tests.extract_helpers import only


@pytest.mark.parametrize("sentence,indicator", [
    ("到2025年,建成5G基站4万个。", "fiveg_base_stations"),
    ("到2022年,建成4万个5G基站。", "fiveg_base_stations"),
    ("到2025年,数字经济核心产业增加值占GDP比重达到10%。",
     "digital_economy_core_industries_share_of_gdp"),
    ("2021年,数字经济核心产业增加值2580.6亿元。", "digital_economy_core_industries_value_added"),
    ("到2025年,IPv6活跃用户数达到8亿。", "ipv6_active_users"),
    ("2021年,全省网上零售额达到4613亿元。", "online_retail_sales"),
    ("到2025年,企业工业设备上云率达到30%。", "industrial_equipment_cloud_rate"),
    ("By 2025 the province will have 140,000 5G base stations.", "fiveg_base_stations"),
    ("Last year, online retail sales reached 461.3 billion yuan.", "online_retail_sales"),
    ("到2025年,数字中国发展指数达到95。", "digital_china_development_index"),
])
def test_taxonomy_id(sentence, indicator):
    assert only(sentence)["indicator"] == indicator


def test_unknown_indicator_is_null_with_its_phrase():
    r = only("到2025年,培育10家左右具有竞争力的大数据龙头企业。")
    assert r["indicator"] is None
    assert "大数据龙头企业" in r["indicator_text"]


def test_unit_must_fit_the_indicator():
    r = only("到2025年,5G基站占比达到30%。")
    assert r["indicator"] == "fiveg_share_of_mobile_base_stations"


def test_growth_rate_of_a_money_indicator():
    r = only("2021年,数字经济核心产业增加值同比增长18.7%。")
    assert r["indicator"] == "digital_economy_core_industries_value_added_growth_rate"


def test_index_unit_from_the_taxonomy():
    r = only("到2025年,数字中国发展指数达到95。")
    assert r["unit"] == "index"
