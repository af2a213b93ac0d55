"""Who may change what: tokens stored hashed, roles, CSRF on forms, the audit trail's actor."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from digimeter.ingest import read_document
from digimeter.store.curation import history
from digimeter.store.documents import add_document
from digimeter.store.schema import tokens
from digimeter.store.tokens import create_token, revoke_token
from digimeter.web import create_app
from tests.conftest import run_cli
from tests.test_web_pages import EVIL, records_of


@pytest.fixture
def setup(engine, store_url):
    add_document(engine, read_document(EVIL.encode("utf-8"), name="doc.txt"), records_of)
    editor = create_token(engine, "li", "editor")
    viewer = create_token(engine, "wang", "viewer")
    return engine, store_url, editor, viewer


def test_tokens_are_stored_hashed_and_listed_without_secrets(setup):
    engine, store_url, editor, _ = setup
    with engine.connect() as conn:
        hashes = [h for (h,) in conn.execute(select(tokens.c.token_hash))]
    assert editor not in hashes and all(len(h) == 64 for h in hashes)
    listed = run_cli("token", "list", "--db", store_url, "--format", "csv", check=True)
    assert editor not in listed.stdout and "li,editor" in listed.stdout


def test_api_writes_need_an_editor_token(setup):
    engine, store_url, editor, viewer = setup
    with TestClient(create_app(store_url)) as client:
        url = "/api/v1/records/1/confirm"
        assert client.post(url, json={}).status_code == 401
        assert client.post(url, json={}, headers={"Authorization": "Bearer nope"}
                           ).status_code == 401
        assert client.post(url, json={}, headers={"Authorization": f"Bearer {viewer}"}
                           ).status_code == 403
        done = client.post("/api/v1/records/1/correct",
                           json={"changes": {"value": "90000"}, "reason": "typo"},
                           headers={"Authorization": f"Bearer {editor}"})
        assert done.status_code == 200 and done.json()["value"] == 90000
        bad = client.post("/api/v1/records/1/correct", json={"changes": {"year": "soon"}},
                          headers={"Authorization": f"Bearer {editor}"})
        assert bad.status_code == 422
    [event] = history(engine, 1)
    assert (event["actor"], event["action"], event["reason"]) == ("li", "correct", "typo")


def test_revoked_tokens_stop_working(setup):
    engine, store_url, editor, _ = setup
    revoke_token(engine, 1)
    with TestClient(create_app(store_url)) as client:
        response = client.post("/api/v1/records/1/reject", json={},
                               headers={"Authorization": f"Bearer {editor}"})
    assert response.status_code == 401


def test_reading_can_require_a_token(setup):
    _, store_url, _, viewer = setup
    with TestClient(create_app(store_url, read_open=False)) as client:
        assert client.get("/api/v1/documents").status_code == 401
        assert client.get("/documents").status_code == 401
        assert client.get("/api/v1/documents",
                          headers={"Authorization": f"Bearer {viewer}"}).status_code == 200


def test_browser_curation_needs_the_forms_csrf_token(setup):
    engine, store_url, editor, _ = setup
    with TestClient(create_app(store_url)) as client:
        assert client.post("/login", data={"token": "wrong"}).status_code == 401
        login = client.post("/login", data={"token": editor}, follow_redirects=False)
        assert login.status_code == 303
        assert "httponly" in login.headers["set-cookie"].lower()
        page = client.get("/records/2").text
        csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)
        forged = client.post("/records/2", data={"action": "reject", "csrf": "0" * 64},
                             follow_redirects=False)
        assert forged.status_code == 403
        done = client.post("/records/2", data={"action": "reject", "csrf": csrf,
                                               "reason": "duplicate"},
                           follow_redirects=False)
        assert done.status_code == 303
        after = client.get("/records/2", params={"lang": "en"}).text
        assert "duplicate" in after and ">li<" in after and "rejected" in after
    assert [e["action"] for e in history(engine, 2)] == ["reject"]


def test_import_through_the_api(setup):
    _, store_url, editor, viewer = setup
    body = "region,indicator,year,value\n广州市,fiveg_base_stations,2022,7.6\n"
    with TestClient(create_app(store_url)) as client:
        url = "/api/v1/observations/import?source=GZ%20stats&unit=%E4%B8%87%E4%B8%AA"
        assert client.post(url, content=body,
                           headers={"Authorization": f"Bearer {viewer}"}).status_code == 403
        done = client.post(url, content=body, headers={"Authorization": f"Bearer {editor}"})
        assert done.status_code == 200 and done.json()["stored"] == 1
        obs = client.get("/api/v1/observations", params={"region": "440100"}).json()
        assert obs["items"][0]["value"] == 76000 and obs["items"][0]["source"] == "GZ stats"
