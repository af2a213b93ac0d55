"""Ranking sources: a document by its publisher, address and the bodies it cites; a point
figure over a lower bound; a figure with no year dated by its document."""

from __future__ import annotations

import dataclasses
import datetime

from digimeter.ingest import read_document
from digimeter.progress.provenance import attributions, describe, host, is_bound
from digimeter.progress.store import document_observations, store_observations
from digimeter.store.documents import add_document, set_addresses


def test_the_bodies_a_lead_paragraph_cites():
    # 01_beijing-de-2023 and 10_national-core-de-2023-nda, as published.
    zh = "中新网 北京1月23日电 (记者 陈杭)记者23日从北京市统计局获悉,2023年,北京实现数字经济增加值"
    en = ("The value-added output of core industries reached 10 percent of China's GDP in "
          "2023, according to the latest report on the development of Digital China released "
          "by the National Data Administration.")
    assert any("北京市统计局" in a for a in attributions(zh))
    assert attributions(en) == ["National Data Administration"]


def test_a_document_takes_the_best_rank_of_its_names():
    bureau = describe(None, "http://bisenet.com/article/202501/205952.htm",
                      "国家统计局根据《数字经济及其核心产业统计分类(2021)》核算了增加值。", "a.txt")
    press = describe("Xinhua", "https://en.people.cn/n3/2025/0430/x.html",
                     "China's digital transformation is gaining momentum.", "b.txt")
    assert bureau == ("bisenet.com", 0)
    assert press[0] == "en.people.cn" and press[1] > bureau[1]
    assert describe(None, "/local/c.txt", "", "c.txt") == ("c.txt", press[1])
    assert host("https://gxj.gz.gov.cn/zw/post_1.html") == "gxj.gz.gov.cn"


def test_lower_bounds():
    assert is_bound(">=", None) and is_bound(None, "首次突破12%") and is_bound(None, "over 68,000")
    assert not is_bound("~", None) and not is_bound(None, "about 10 percent")


def record(doc, quote: str, value: float, comparator: str, year: int | None) -> dict:
    start = doc.text.index(quote)
    return {"kind": "observation", "region_code": "CN", "region_name": "China",
            "indicator": "digital_economy_core_industries_share_of_gdp",
            "indicator_text": "core share", "value": value, "unit": "percent",
            "comparator": comparator, "year": year, "quote": quote, "start": start,
            "end": start + len(quote)}


def test_undated_figures_take_their_documents_date_and_a_point_beats_a_bound(engine):
    about = "Among notable indicators, the core industries accounted for about 10 percent."
    over = "核心产业增加值占GDP比重首次突破12%。"
    one = dataclasses.replace(read_document(about.encode(), name="nda.txt"),
                              published=datetime.date(2024, 12, 30))
    two = read_document(("2024年," + over).encode("utf-8"), name="summary.txt")
    add_document(engine, two, lambda d: [record(d, over, 12.0, ">=", 2024)])  # stored first
    add_document(engine, one, lambda d: [record(d, about, 10.0, "~", None)])
    assert set_addresses(engine, {"nda.txt": "http://en.people.cn/n3/2024/1230/c.html",
                                  "summary.txt": "https://www.shic.org.cn/2025/06/09/x"}) == 2
    found = document_observations(engine).set_index("source")
    assert found.loc["en.people.cn", "year"] == 2024
    assert bool(found.loc["en.people.cn", "dated_by_document"])
    assert found.loc["en.people.cn", "rank"] == found.loc["www.shic.org.cn", "rank"]
    best, conflicts = store_observations(engine)
    assert best.to_dict("records") == [{
        "region_code": "CN", "indicator": "digital_economy_core_industries_share_of_gdp",
        "year": 2024, "value": 10.0, "source": "en.people.cn"}]
    assert conflicts[["value", "source"]].to_dict("records") == [
        {"value": 12.0, "source": "www.shic.org.cn"}]
