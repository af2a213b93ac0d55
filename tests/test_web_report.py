"""The printable report: HTML from the store, PDF printed by headless Chromium."""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient

from digimeter.indicators import load_taxonomy
from digimeter.ingest import read_document
from digimeter.store.documents import add_document
from digimeter.web import create_app
from digimeter.web.report import report_html
from tests.conftest import run_cli
from tests.test_web_pages import EVIL, records_of


@pytest.fixture
def stored(engine, store_url):
    add_document(engine, read_document(EVIL.encode("utf-8"), name="gz.txt"), records_of)
    return engine, store_url


def test_report_lists_targets_with_status_and_evidence_in_both_languages(stored):
    engine, _ = stored
    zh = report_html(engine, "440100", "zh")
    en = report_html(engine, "440100", "en")
    name = load_taxonomy().get("fiveg_base_stations")
    assert "广州市目标与进展报告" in zh and name.name_zh in zh and name.name_en in en
    assert "Targets and progress: Guangzhou" in en and "insufficient data" in en
    assert "到2025年，广州市5G基站达到8万座" in en and "&lt;script&gt;" not in en
    assert "<script" not in zh


def test_report_page_and_unknown_region(stored):
    _, url = stored
    with TestClient(create_app(url)) as client:
        assert "Guangzhou" in client.get("/report/440100", params={"lang": "en"}).text
        assert client.get("/report/999999").status_code == 404


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_report_prints_to_pdf(stored, tmp_path):
    _, url = stored
    out = tmp_path / "gz.pdf"
    run_cli("report", "--region", "440100", "--out", str(out), "--db", url, check=True)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 5000


def test_report_as_html_file(stored, tmp_path):
    _, url = stored
    out = tmp_path / "gz.html"
    run_cli("report", "--region", "440100", "--out", str(out), "--db", url, "--lang", "en",
            check=True)
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
