"""Years: explicit, plan periods, periods, relative years, carry-over rules."""

import datetime

import pytest

from tests.extract_helpers import only, records


@pytest.mark.parametrize("sentence,year", [
    ("到2025年,建成5G基站4万个。", 2025),
    ("2022年底,全市5G基站达到4万个。", 2022),
    ("到“十四五”末,建成智能网联道路1000公里。", 2025),
    ("到十五五末,数字经济核心产业增加值占比达到15%。", 2030),
    ("《行动计划(2021—2023年)》提出,新增智能工厂100家。", 2023),
    ("By 2025, Liaoning will have 140,000 5G base stations.", 2025),
    ("Liaoning is expected to have 140,000 5G base stations by 2025.", 2025),
    ("The city will complete 1,000 kilometers by the end of the 14th Five-Year Plan.", 2025),
    ("In 2021-25, more than 650 innovation platforms are expected to be established.", 2025),
    ("In 2023, the province's GDP grew 6.6 percent year-on-year.", 2023),
])
def test_explicit_years(sentence, year):
    assert only(sentence)["year"] == year


def test_relative_years_use_the_documents_date():
    text = "发布时间:2023-05-12\n去年,全省新建5G基站2万个。今年,力争新建5G基站3万个。"
    recs = records(text)
    assert [(r["value"], r["year"]) for r in recs] == [(20000, 2022), (30000, 2023)]


def test_relative_years_from_the_reader_date():
    r = only("Last year, online retail sales reached 461.3 billion yuan.",
             published=datetime.date(2022, 3, 22))
    assert r["year"] == 2021


def test_english_dateline_dates_the_document():
    text = ("SUZHOU, Jan. 7, 2022 -- The city said this year it will build 100 new smart "
            "factories.")
    assert only(text)["year"] == 2022


def test_relative_year_without_a_date_is_not_invented():
    r = only("今年,全省新建5G基站2万个。")
    assert r["year"] is None


def test_list_heading_year_applies():
    text = "2023年工作回顾\n全省地区生产总值增长9.2%\n服务业增加值增长10.3%\n"
    assert [r["year"] for r in records(text)] == [2023, 2023]


def test_base_and_target_year_pair():
    recs = records("到2025年,5G用户普及率从2020年的15%提高到56%。")
    got = sorted((r["kind"], r["value"], r["year"], r.get("baseline_year")) for r in recs)
    assert got == [("observation", 15, 2020, None), ("target", 56, 2025, 2020)]


def test_since_is_not_a_reference_year():
    r = only("2012年以来,我国数字经济年均增速高达15.9%。", published=datetime.date(2022, 7, 11))
    assert r["year"] != 2012


def test_measure_during_the_plan_period_has_no_year():
    r = only("During the 14th Five-Year Plan period, the city will invest more than 100 "
             "billion yuan in special funds.")
    assert (r["kind"], r["year"]) == ("measure", None)
