"""Tables as CSV and Excel downloads, with the API's filters."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from digimeter.extract import extract_document
from digimeter.ingest.run import ingest
from digimeter.web import create_app
from tests.conftest import SEEDS


@pytest.fixture
def client(engine, store_url):
    ingest(engine, [str(SEEDS)], extract=extract_document)
    with TestClient(create_app(store_url)) as c:
        yield c


@pytest.mark.parametrize("table", ["documents", "records", "observations", "progress",
                                   "regions", "indicators"])
def test_every_table_downloads_as_csv_and_excel_with_the_same_rows(client, table):
    csv = client.get(f"/api/v1/export/{table}.csv")
    xlsx = client.get(f"/api/v1/export/{table}.xlsx")
    assert csv.status_code == xlsx.status_code == 200
    assert csv.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the CJK right
    assert f'filename="{table}.xlsx"' in xlsx.headers["content-disposition"]
    from_csv = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig")
    from_xlsx = pd.read_excel(io.BytesIO(xlsx.content))
    assert list(from_csv.columns) == list(from_xlsx.columns)
    assert len(from_csv) == len(from_xlsx)
    api = client.get(f"/api/v1/{table}", params={"limit": 1}).json()
    assert len(from_csv) == api["total"]


def test_filters_apply_to_exports(client):
    every = pd.read_csv(io.BytesIO(client.get("/api/v1/export/records.csv").content))
    targets = pd.read_csv(io.BytesIO(
        client.get("/api/v1/export/records.csv", params={"kind": "target"}).content))
    assert 0 < len(targets) < len(every) and set(targets["kind"]) == {"target"}


def test_unknown_table_or_format_is_404(client):
    assert client.get("/api/v1/export/secrets.csv").status_code == 404
    assert client.get("/api/v1/export/records.pdf").status_code == 404
