"""The JSON API over a real store: paging, filters, units and sources, OpenAPI, errors."""

from __future__ import annotations

import socket

import httpx
import pytest
from fastapi.testclient import TestClient

from digimeter.extract import extract_document
from digimeter.imports import import_file
from digimeter.ingest.run import ingest
from digimeter.web import create_app
from tests.conftest import SEEDS, served

STATS = ("region,indicator,year,value,unit,source\n"
         "广州市,fiveg_base_stations,2020,4.8,万个,广州市统计局\n"
         "广州市,fiveg_base_stations,2022,7.6,万个,广州市统计局\n")


@pytest.fixture
def client(engine, store_url, tmp_path):
    ingest(engine, [str(SEEDS)], extract=extract_document)
    path = tmp_path / "s.csv"
    path.write_text(STATS, encoding="utf-8")
    import_file(engine, path)
    with TestClient(create_app(store_url)) as c:
        yield c


def test_openapi_document_lists_the_versioned_endpoints(client):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/v1/documents", "/api/v1/records", "/api/v1/observations",
            "/api/v1/progress", "/api/v1/regions"} <= set(spec["paths"])


def test_documents_are_paged_with_a_next_link(client):
    first = client.get("/api/v1/documents", params={"limit": 2}).json()
    assert first["total"] == 5 and len(first["items"]) == 2
    following = client.get(first["next"]).json()
    assert following["offset"] == 2
    assert {d["id"] for d in first["items"]}.isdisjoint({d["id"] for d in following["items"]})
    assert "text" not in first["items"][0]


def test_a_document_carries_its_text_and_records_whose_quotes_match(client):
    doc_id = client.get("/api/v1/documents").json()["items"][1]["id"]
    doc = client.get(f"/api/v1/documents/{doc_id}").json()
    assert doc["records"]
    for r in doc["records"]:
        assert doc["text"][r["start"]:r["end"]] == r["quote"]


def test_records_filter_and_observations_say_unit_and_source(client):
    targets = client.get("/api/v1/records", params={"kind": "target"}).json()
    assert targets["total"] > 0 and all(r["kind"] == "target" for r in targets["items"])
    obs = client.get("/api/v1/observations",
                     params={"indicator": "fiveg_base_stations", "region": "440100"}).json()
    assert [(o["period"], o["value"], o["unit"], o["source"]) for o in obs["items"]] == [
        ("2020", 48000.0, "count", "广州市统计局"), ("2022", 76000.0, "count", "广州市统计局")]


def test_regions_search_and_progress_names_its_method(client):
    found = client.get("/api/v1/regions", params={"q": "禅城区"}).json()
    assert found["items"][0]["code"] == "440604"
    assert client.get("/api/v1/regions/440604").json()["parents"][-1]["code"] == "440600"
    progress = client.get("/api/v1/progress").json()
    assert all(p["method"] == "open-sdg" for p in progress["items"])


@pytest.mark.parametrize(("path", "status"), [
    ("/api/v1/documents/999999", 404), ("/api/v1/records/999999", 404),
    ("/api/v1/regions/999999", 404), ("/api/v1/documents?limit=0", 422),
    ("/api/v1/documents?limit=100000", 422), ("/api/v1/progress?method=astrology", 422),
])
def test_bad_requests_are_4xx(client, path, status):
    assert client.get(path).status_code == status


def test_large_bodies_are_refused(client):
    response = client.post("/api/v1/records", content=b"x" * (11 * 2**20))
    assert response.status_code == 413


def test_digimeter_serve_answers_on_loopback(store_url):
    with served(store_url) as base:
        response = httpx.get(base + "/api/openapi.json", timeout=10)
    assert response.status_code == 200 and response.json()["info"]["title"] == "digimeter"


def test_cached_assessments_follow_every_write(engine, store_url):
    from digimeter.ingest import read_document
    from digimeter.store.documents import add_document
    from digimeter.store.tokens import create_token
    from tests.test_web_pages import EVIL, records_of

    add_document(engine, read_document(EVIL.encode("utf-8"), name="gz.txt"), records_of)
    token = create_token(engine, "li", "editor")
    with TestClient(create_app(store_url)) as client:
        def status() -> str:
            return client.get("/api/v1/progress").json()["items"][0]["status"]

        assert status() == status() == "insufficient_data"  # 2020 only; second from cache
        body = "region,indicator,year,value\n广州市,fiveg_base_stations,2024,8.2\n"
        client.post("/api/v1/observations/import?source=stats&unit=%E4%B8%87%E4%B8%AA",
                    content=body, headers={"Authorization": f"Bearer {token}"})
        assert status() == "achieved"  # 82,000 >= 80,000
        client.post("/api/v1/records/1/correct", json={"changes": {"value": "90000"}},
                    headers={"Authorization": f"Bearer {token}"})
        assert status() != "achieved"


def test_several_server_processes_share_one_tcp_socket(store_url):
    import subprocess
    import sys
    import time

    from digimeter.cli.serve import listening_socket
    from tests.conftest import free_port

    sock = listening_socket("127.0.0.1", 0)
    assert sock.proto == socket.IPPROTO_TCP  # so asyncio turns Nagle off per connection
    sock.close()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "digimeter", "serve", "--db", store_url,
                               "--port", str(port), "--workers", "2"], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            while True:
                try:
                    answers = [client.get("/api/v1/stats").status_code for _ in range(6)]
                    break
                except httpx.TransportError:
                    assert server.poll() is None and time.monotonic() < deadline
                    time.sleep(0.2)
        assert answers == [200] * 6
    finally:
        server.terminate()
        server.wait(timeout=30)
