"""Kind: target, observation or measure."""

import datetime

import pytest

from tests.extract_helpers import only, records


@pytest.mark.parametrize("sentence,kind", [
    ("到2025年,建成5G基站4万个。", "target"),
    ("力争数字经济核心产业增加值增长12%。", "target"),
    ("全省将打造30家智能制造标杆企业。", "target"),
    ("截至2022年底,全国累计建成5G基站231.2万个。", "observation"),
    ("2021年,全市数字经济核心产业增加值2580.6亿元,同比增长18.7%。", "observation"),
    ("The city aims to build 20 leading manufacturing enterprises.", "target"),
    ("Liaoning built more than 23,000 5G base stations this year.", "observation"),
    ("Provincial GDP was up by 9.2% in 2023.", "observation"),
    ("6,643 5G base stations will be built this year.", "target"),
    ("It will foster more than 50 eagle enterprises.", "target"),
    ("对建设5G专网的企业,按其实际投资额20%给予补助。", "measure"),
    ("对新认定的平台,给予最高10万元一次性奖励。", "measure"),
    ("The city offers a subsidy of up to 3 million yuan to platforms.", "measure"),
    ("Suzhou will invest more than 100 billion yuan in special funds.", "measure"),
    ("A reward of 30 million yuan will be given to firms listed for the first time.",
     "measure"),
])
def test_kind(sentence, kind):
    assert records(sentence)[0]["kind"] == kind


def test_past_year_with_future_wording_is_an_observation():
    r = only("In 2020, the city's digital economy will exceed 1.44 trillion yuan.",
             published=datetime.date(2021, 8, 2))
    assert (r["kind"], r["year"]) == ("observation", 2020)


def test_estimate_of_a_past_year_is_an_observation():
    r = only("The regional GDP of 2.2 trillion yuan was expected to be completed by 2021.",
             published=datetime.date(2022, 1, 7))
    assert (r["kind"], r["year"]) == ("observation", 2021)


def test_eligibility_threshold_in_a_policy_document():
    text = ("专项资金申报条件\n(一)奖励类:给予一次性奖励。\n(二)补助类:给予补助。\n"
            "申报奖补标准如下。\n平台服务企业数超过100家,且设备连接数超过5000台套。\n")
    assert {(r["kind"], r["value"]) for r in records(text)} == {("measure", 100),
                                                                ("measure", 5000)}


def test_eligibility_in_a_subsidy_sentence():
    recs = records("对实际投入500万元以上的项目,按照其实际投入一次性给予10%,最高60万元补助。")
    assert [(r["kind"], r["value"], r["comparator"]) for r in recs] == [
        ("measure", 5e6, ">="), ("measure", 10, "="), ("measure", 6e5, "<=")]
