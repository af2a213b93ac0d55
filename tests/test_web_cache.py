"""Responses kept per state of the store: a write anywhere is seen by the next reader, and a
reader with a token or session never gets another reader's page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from digimeter.ingest import read_document
from digimeter.store.documents import add_document
from digimeter.store.tokens import create_token, revoke_token
from digimeter.web import create_app
from tests.test_web_pages import EVIL, records_of

OTHER = "2023年，深圳市5G基站达到7.3万座，到2025年达到10万座。"


def shenzhen(doc) -> list[dict]:
    quote = "2023年，深圳市5G基站达到7.3万座"
    start = doc.text.index(quote)
    return [{"kind": "observation", "region_code": "440300", "region_name": "深圳市",
             "indicator": "fiveg_base_stations", "indicator_text": "5G基站", "value": 73000.0,
             "unit": "count", "comparator": "=", "year": 2023, "quote": quote,
             "start": start, "end": start + len(quote)}]


def test_a_write_outside_the_app_is_seen_by_the_next_request(engine, store_url):
    add_document(engine, read_document(EVIL.encode("utf-8"), name="gz.txt"), records_of)
    with TestClient(create_app(store_url)) as client:
        first = client.get("/documents").text
        assert client.get("/documents").text == first
        assert "sz.txt" not in first
        add_document(engine, read_document(OTHER.encode("utf-8"), name="sz.txt"), shenzhen)
        assert "sz.txt" in client.get("/documents").text
        total = client.get("/api/v1/records", params={"region": "440300"}).json()["total"]
        assert total == 1


def test_a_signed_in_reader_gets_their_own_page(engine, store_url):
    add_document(engine, read_document(EVIL.encode("utf-8"), name="gz.txt"), records_of)
    editor = create_token(engine, "li", "editor")
    with TestClient(create_app(store_url)) as client:
        anonymous = client.get("/records/1").text
        assert 'name="csrf"' not in anonymous
        client.post("/login", data={"token": editor}, follow_redirects=False)
        assert 'name="csrf"' in client.get("/records/1").text


def test_closed_reading_checks_the_token_on_every_request(engine, store_url):
    add_document(engine, read_document(EVIL.encode("utf-8"), name="gz.txt"), records_of)
    viewer = create_token(engine, "wang", "viewer")
    header = {"Authorization": f"Bearer {viewer}"}
    with TestClient(create_app(store_url, read_open=False)) as client:
        assert client.get("/api/v1/documents", headers=header).status_code == 200
        assert client.get("/api/v1/documents").status_code == 401
        revoke_token(engine, 1)
        assert client.get("/api/v1/documents", headers=header).status_code == 401


def test_the_language_cookie_keys_the_page(engine, store_url):
    add_document(engine, read_document(EVIL.encode("utf-8"), name="gz.txt"), records_of)
    with TestClient(create_app(store_url)) as client:
        english = client.get("/documents", params={"lang": "en"}).text
        assert client.get("/documents").text == english  # the cookie now says en
        client.cookies.set("lang", "zh")
        assert client.get("/documents").text != english
