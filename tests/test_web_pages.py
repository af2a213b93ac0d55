"""The server-rendered pages: both languages, evidence links, and untrusted text kept inert."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from digimeter.ingest import read_document
from digimeter.store.documents import add_document
from digimeter.web import create_app
from digimeter.web.pages import highlighted, messages

EVIL = ("<script>alert('x')</script> 到2025年，广州市5G基站达到8万座。"
        "<img src=x onerror=alert(1)> <a href=\"javascript:alert(2)\">link</a>"
        "2020年全市5G基站4.8万座。")


def records_of(doc) -> list[dict]:
    out = []
    for kind, quote, value, year in (("target", "到2025年，广州市5G基站达到8万座", 80000.0, 2025),
                                     ("observation", "2020年全市5G基站4.8万座", 48000.0, 2020)):
        start = doc.text.index(quote)
        out.append({"kind": kind, "region_code": "440100", "region_name": "广州市",
                    "indicator": "fiveg_base_stations", "indicator_text": "5G基站",
                    "value": value, "unit": "count", "comparator": ">=" if year == 2025
                    else "=", "year": year, "quote": quote, "start": start,
                    "end": start + len(quote)})
    return out


@pytest.fixture
def client(engine, store_url):
    add_document(engine, read_document(EVIL.encode("utf-8"), name="evil.html.txt"),
                 records_of)
    with TestClient(create_app(store_url)) as c:
        yield c


def test_message_catalogues_have_the_same_keys():
    assert set(messages("zh")) == set(messages("en"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_in_both_languages(client, lang):
    for path in ("/", "/regions/440100", "/documents", "/documents/1"):
        response = client.get(path, params={"lang": lang})
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">' in response.text
        assert messages(lang)["nav_overview"] in response.text


def test_language_choice_is_remembered(client):
    client.get("/", params={"lang": "en"})
    assert '<html lang="en">' in client.get("/documents").text


def test_region_page_links_each_target_to_its_quote(client):
    page = client.get("/regions/440100", params={"lang": "en"}).text
    assert 'title="fiveg_base_stations">5G base stations (cumulative stock)<' in page
    assert ">5G基站数<" in client.get("/regions/440100", params={"lang": "zh"}).text
    # one observation (2020) only: the catalogue's words for insufficient data
    assert messages("en")["status_insufficient_data"] in page
    assert 'href="/documents/1#r1"' in page


def test_untrusted_document_text_renders_inert(client):
    page = client.get("/documents/1").text
    article = re.search(r'<article class="document">(.*)</article>', page, re.S).group(1)
    assert "<script" not in article and "<img" not in article and "<a " not in article
    assert "&lt;script&gt;" in article and "onerror" in article  # shown as text
    assert article.count("<mark") == 2 and 'id="r1"' in article


def test_highlights_never_break_on_overlaps_or_markup():
    text = "a<b>c 123 d"
    recs = [{"id": 1, "kind": "target", "indicator": None, "indicator_text": "<i>",
             "value": 1, "unit": None, "comparator": None, "year": None, "start": 1, "end": 4},
            {"id": 2, "kind": "measure", "indicator": None, "indicator_text": None,
             "value": 2, "unit": None, "comparator": None, "year": None, "start": 2, "end": 6}]
    html = str(highlighted(text, recs))
    assert html.startswith("a<mark") and "&lt;b&gt;" in html and "&lt;i&gt;" in html
    assert html.count("<mark") == 1


def test_unknown_pages_are_404(client):
    assert client.get("/regions/999999").status_code == 404
    assert client.get("/documents/999").status_code == 404
