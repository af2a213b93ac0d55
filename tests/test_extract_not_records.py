"""What is not a record: dates, document numbers, task counts, technology names, furniture."""

import pytest

from tests.extract_helpers import records


@pytest.mark.parametrize("text", [
    "2021年9月24日,余姚市人民政府办公室印发通知。",
    "余政办发〔2021〕79号",
    "实施数字经济六大行动,推进十项工程。",
    "The plan puts forward eight main tasks and six highlands.",
    "推动5G、6G、IPv6和50G PON技术发展,建设F5G网络。",
    "Build 5G SA and explore 10 Gigabit access using 50G PON technology.",
    "浏览次数:148 发布时间:2022-05-12 09:37:09",
    "Copyright © 2005-2024 EEWORLD.com.cn, Inc. All rights reserved 京ICP证060456号",
    "政策咨询热线:19855108681",
    "第十五届人民代表大会第六次会议在上海召开。",
    "On June 18, the 2022 Foshan Conference was held at 09:30.",
    "通过3年的努力,全省数字经济发展水平明显提高。",
    "Room 1530, 15th Floor, Building B, No.18 Zhongguancun Street, Postal Code: 100190",
    "“十四五”时期是数字经济发展的关键期。",
    "一是加快数字产业化,二是推进产业数字化。",
    "Suzhou, with its 2,500-year history, held the first meeting.",
])
def test_no_record(text):
    assert records(text) == []


def test_related_news_tail_is_skipped():
    text = ("2021年,成都数字经济核心产业增加值2580.6亿元。\n\n新闻推荐\n\n"
            "青白江区9个工程取消施工图审查备案,新增投资30亿元。\n")
    assert [r["value"] for r in records(text)] == [2.580600e11]


def test_threshold_inside_an_indicator_is_not_a_record():
    recs = records("去年,互联网年业务收入超过2000万的企业达到17家。")
    assert [r["value"] for r in recs] == [17]


def test_truncated_statement_is_not_a_record():
    recs = records("到2025年,网上零售额从2020年11.76万亿元提高到17")
    assert [r["value"] for r in recs] == [1.176e13]


def test_headline_restated_in_the_body_is_one_record():
    text = ("我国累计建成开通5G基站231.2万个\n时间:2023-01-31\n"
            "截至2022年底,我国累计建成并开通5G基站231.2万个。")
    recs = records(text)
    assert len(recs) == 1 and recs[0]["start"] > text.index("\n")


def test_fortune_500_is_a_name():
    recs = records("30 million yuan will be rewarded to firms listed in the Fortune 500.")
    assert [r["value"] for r in recs] == [3e7]
