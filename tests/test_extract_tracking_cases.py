"""Labelled cases from the seed plans and the news about them: what tracking needs extraction
to get right (the indicator a share, flow or list item measures; years and kinds that link a
figure to the right period). Every sentence is quoted from a real page."""

from __future__ import annotations

import datetime

from tests.extract_helpers import records

SHARE = "digital_economy_share_of_gdp"
CORE_SHARE = "digital_economy_core_industries_share_of_gdp"


def by_value(text: str, **kw) -> dict[float, dict]:
    return {r["value"]: r for r in records(text, **kw)}


def test_share_of_regional_gdp_in_a_statistics_bulletin():
    # Beijing 2021 statistical bulletin, as reposted (released 1 March 2022).
    text = ("全年实现数字经济增加值16251.9亿元,按现价计算,比上年增长13.1%,"
            "占全市地区生产总值的比重为40.4%,比上年提高0.4个百分点。")
    found = by_value(text, published=datetime.date(2022, 3, 1))
    assert found[1625190000000.0]["indicator"] == "digital_economy_value_added"
    assert found[13.1]["indicator"] == "digital_economy_value_added_growth_rate"
    assert found[40.4]["indicator"] == SHARE
    assert {r["year"] for r in found.values()} == {2021}  # 全年, published early 2022


def test_whole_year_is_not_resolved_from_a_date_late_in_the_year():
    text = "全年实现数字经济增加值16251.9亿元。"
    [r] = records(text, published=datetime.date(2022, 9, 1))
    assert r["year"] is None


def test_share_of_gdp_in_english_plan_summaries():
    # Seed 000 (Beijing benchmark city plan) and seed 004 (the State Council's plan).
    [beijing] = records("It is proposed that by 2025, the added value of the digital economy "
                        "will reach about 50% of the regional GDP, entering the ranks of "
                        "international advanced digital economy cities.")
    assert (beijing["kind"], beijing["indicator"], beijing["value"], beijing["year"]) == (
        "target", SHARE, 50.0, 2025)
    [core] = records("by 2025, the digital economy will move towards a comprehensive "
                     "expansion period, and the added value of the core industry of the "
                     "digital economy will account for 10%.")
    assert core["indicator"] == CORE_SHARE


def test_account_for_a_share_of_something_else_is_not_gdp():
    [r] = records("By 2025, the added value of the digital economy will account for 30% of "
                  "the added value of the service sector.")
    assert r["indicator"] != SHARE


def test_share_of_chinas_gdp_is_national_whatever_the_photo_caption_says():
    # 10_national-core-de-2023-nda: a caption names Fuzhou, Fujian before the figure.
    text = ("People watch an AI-powered robotic arm during the 7th Digital China Summit in "
            "Fuzhou, southeast China's Fujian Province, May 24, 2024.\n\n"
            "The value-added output of core industries in the digital economy reached 10 "
            "percent of China's total gross domestic product in 2023, according to the "
            "latest report.")
    [r] = records(text)
    assert (r["region_code"], r["indicator"], r["year"]) == ("CN", CORE_SHARE, 2023)


def test_a_base_stated_after_its_target_is_an_observation_and_the_baseline():
    text = ("The plan, rolled out by the State Council in 2022, aimed to raise the proportion "
            "of value-added output of core digital economy industries in its GDP to 10 "
            "percent in 2025, up from 7.8 percent in 2020.")
    target, base = records(text)
    assert (target["kind"], target["indicator"], target["year"]) == ("target", CORE_SHARE, 2025)
    assert (base["kind"], base["indicator"], base["year"]) == ("observation", CORE_SHARE, 2020)


def test_core_share_from_the_national_bureau_and_a_share_of_another_industry():
    text = ("经核算,2023年我国数字经济核心产业增加值为127555亿元,占国内生产总值(GDP)的比重为9.9%。"
            "此外,2023年全国专利密集型产业增加值为168713亿元,占GDP的比重为13.04%。")
    found = by_value(text)
    assert found[9.9]["indicator"] == CORE_SHARE
    assert found[13.04]["indicator"] is None


def test_a_total_after_an_increase_is_the_stock():
    # 03_guangzhou-5g-2023 (Guangzhou government work report 2024).
    found = by_value("2023年新增5G基站1.52万座、总数达9.17万座。")
    assert found[15200.0]["indicator"] == "fiveg_base_stations_added"
    assert found[91700.0]["indicator"] == "fiveg_base_stations"


def test_each_item_of_a_list_is_named_by_its_own_words():
    # 09_zhejiang-factories-2023.
    found = by_value("浙江去年新增智能工厂(数字化车间)193个、未来工厂20家。")
    assert found[20.0]["indicator"] == "future_factories_added"
    # 09_zhejiang-core-2024: only the middle item is the core industries' growth.
    found = by_value("2024年,并提出力争规上工业增加值增长6%以上、力争数字经济核心产业增加值增长"
                     "6.5%以上、力争服务业增加值增长5.5%左右等内容。")
    assert found[6.5]["indicator"] == "digital_economy_core_industries_value_added_growth_rate"
    assert found[6.0]["indicator"] is None and found[5.5]["indicator"] is None


def test_a_verb_inside_the_indicator_name():
    found = by_value("2022年,全年数字经济实现增加值17330.2亿元。2020年,软件和信息服务业实现营收"
                     "4913.58亿元。")
    assert found[1733020000000.0]["indicator"] == "digital_economy_value_added"
    assert found[491358000000.0]["indicator"] == "software_it_services_revenue"


def test_a_counted_noun_is_not_the_indicator_named_later_in_the_clause():
    # 12_shanghai-beijing-5g-2022: the 4,000 are buildings, not 5G users.
    found = by_value("The plan also stated that more than 4,000 major commercial buildings and "
                     "key public institutions in Shanghai will have indoor 5G coverage and 70% "
                     "of the city's population should be 5G users by that time.")
    assert found[4000.0]["indicator"] is None


def test_more_than_ten_thousand_hundred_millions_of_yuan():
    # 09_zhejiang-future-factories-2022early: 1万多亿元 is more than a trillion yuan.
    found = by_value("促成数字经济总量从2014年的1万多亿元增长至如今的3万亿元以上。")
    assert found[1e12]["unit"] == "CNY" and found[1e12]["comparator"] == ">"
    assert found[3e12]["kind"] == "observation"  # 如今: today, not a target


def test_billions_of_an_industrial_cluster_are_yuan_not_enterprises():
    # Seed 004: 千亿级产业集群 in translation.
    [r] = records("Foshan will gather digital economy enterprises to create 100 billion "
                  "industrial clusters by 2025.")
    assert r["unit"] == "CNY" and r["indicator"] != "digital_economy_enterprises_count"


def test_a_virtual_private_network_is_not_a_plan():
    # 12_beijing-5g-2024apr (dated 2024-06-07): 虚拟 contains 拟 (to plan).
    text = ("截至今年4月,北京市5G基站累计达到11.45万个。5G移动电话用户数2127.3万,占总数53.1%,"
            "累计建设5G行业虚拟专网862个,应用聚焦智慧教育、医疗等各个方面。")
    found = by_value(text, published=datetime.date(2024, 6, 7))
    assert found[21273000.0]["kind"] == "observation"
    assert found[862.0]["kind"] == "observation"


def test_an_undated_report_of_the_last_plan_period():
    # 09_zhejiang-future-factories-2022early: the title of a plan commits nothing.
    text = ("早在2002年,浙江省提出建设“数字浙江”。根据《浙江省数字经济发展“十四五”规划》,"
            "“十三五”期间,浙江累计培育智能工厂(数字化车间)263家(个)、“未来工厂”12家。")
    found = by_value(text)
    assert found[263.0]["kind"] == "observation" and found[12.0]["kind"] == "observation"


def test_a_change_from_the_end_of_last_year_does_not_date_the_stock():
    text = ("Meanwhile, China's capital Beijing had a total of 63,000 5G base stations as of "
            "the end of July, up 11,000 from the end of last year.")
    found = by_value(text, published=datetime.date(2022, 12, 9))
    assert found[63000.0]["year"] != 2021


def test_this_year_without_a_date_is_not_the_previous_sentences_year():
    # 12_yrd-5g-2022apr (undated repost).
    text = ("2021年,长三角5G基站数量已超过37万个。"
            "据悉,工信部将加快基础设施建设,今年计划新增5G基站60万个。")
    found = by_value(text)
    assert found[600000.0]["year"] is None
