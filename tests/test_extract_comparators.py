"""Comparators from the wording, and the 不超过 / 超过 trap."""

import pytest

from tests.extract_helpers import only, records


@pytest.mark.parametrize("sentence,comparator", [
    ("到2025年,数字经济增加值达到2万亿元。", ">="),
    ("到2025年,软件业务收入突破6000亿元。", ">="),
    ("到2025年,培育国家级创新平台10家以上。", ">="),
    ("到2025年,培育大数据企业不少于50家。", ">="),
    ("到2025年,软件业务收入超过6000亿元。", ">"),
    ("截至2023年底,全市数字经济企业300多家。", ">"),
    ("截至2023年底,全市数字经济企业4500余家。", ">"),
    ("到2025年,数字经济增加值占GDP比重约50%。", "~"),
    ("到2025年,培育龙头企业10家左右。", "~"),
    ("对示范项目按不超过实际投入的20%予以资助。", "<="),
    ("对示范项目给予最高100万元奖励。", "<="),
    ("对示范项目给予补助,最高不超过300万元。", "<="),
    ("到2025年,建成5G基站4万个。", "="),
    ("By 2022 revenue is expected to exceed 600 billion yuan.", ">"),
    ("By 2025 the share will reach about 50% of GDP.", "~"),
    ("The city offers a subsidy of up to 3 million yuan.", "<="),
    ("By 2025 the city will foster more than 50 eagle enterprises.", ">"),
    ("Enterprises serving 200 or more enterprises get a subsidy of 20% of the investment.",
     ">="),
    ("By 2025 the number of enterprises should reach at least 9,000.", ">="),
    ("By 2025 it will support nearly 100 projects.", "~"),
])
def test_comparator(sentence, comparator):
    assert records(sentence)[0]["comparator"] == comparator


def test_not_exceeding_is_not_exceeding():
    r = only("对新认定的平台按不超过平台建设总投入的30%予以资助。")
    assert r["comparator"] == "<="


def test_list_shares_its_comparator():
    recs = records("对国家级、省级、市级示范项目,分别最高资助300万元、200万元、100万元。")
    assert [(r["value"], r["comparator"]) for r in recs] == [
        (3e6, "<="), (2e6, "<="), (1e6, "<=")]
