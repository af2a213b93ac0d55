"""The pages in real headless Chromium (Debian's, driven by Playwright): navigation from the
overview to a quote in its document, both languages, inert untrusted text, a curation.

Runs when Chromium is installed (``.ci/run`` installs it); DIGIMETER_TEST_CHROMIUM names
another binary, and a run that names one that is missing fails rather than skips.
Screenshots are kept in build/test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from digimeter.ingest import read_document
from digimeter.store.documents import add_document
from digimeter.store.tokens import create_token
from tests.conftest import ROOT
from tests.test_web_pages import EVIL, records_of

CHROMIUM = os.environ.get("DIGIMETER_TEST_CHROMIUM") or shutil.which("chromium")
ARTIFACTS = ROOT / "build" / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and "DIGIMETER_TEST_CHROMIUM" not in os.environ,
    reason="Chromium is not installed (apt-get install chromium; .ci/run does)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from digimeter.store import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('site') / 'site.db'}"
    engine = open_store(url)
    add_document(engine, read_document(EVIL.encode("utf-8"), name="evil.txt"), records_of)
    token = create_token(engine, "li", "editor")
    engine.dispose()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DIGIMETER_DB"}
    server = subprocess.Popen([sys.executable, "-m", "digimeter", "serve", "--db", url,
                               "--port", str(port)], env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/api/openapi.json", timeout=2)
            break
        except httpx.TransportError:
            assert server.poll() is None and time.monotonic() < deadline, server.stderr.read()
            time.sleep(0.2)
    yield base, token
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM and Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


def test_overview_to_region_to_quote_in_its_document(site, page):
    base, _ = site
    page.goto(base + "/?lang=en")
    page.click("text=Guangzhou")
    assert page.url.endswith("/regions/440100")
    page.click("text=到2025年，广州市5G基站达到8万座")
    assert "/documents/1#r1" in page.url
    mark = page.locator("mark#r1")
    assert mark.is_visible() and mark.inner_text() == "到2025年，广州市5G基站达到8万座"
    outline = mark.evaluate("m => getComputedStyle(m).outlineStyle")
    assert outline == "solid"  # the :target highlight
    page.screenshot(path=str(ARTIFACTS / "document-quote.png"), full_page=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_in_both_languages_at_phone_width(site, page, lang):
    base, _ = site
    for path in ("/", "/regions/440100", "/documents", "/documents/1", "/records/1"):
        page.goto(f"{base}{path}?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, f"{path} overflows a phone screen ({width}px)"
    page.screenshot(path=str(ARTIFACTS / f"record-{lang}.png"), full_page=True)


def test_untrusted_document_stays_inert(site, page):
    base, _ = site
    page.goto(base + "/documents/1")
    page.wait_for_timeout(300)
    assert page.dialogs == []
    article = page.locator("article.document")
    assert article.locator("script, img, a").count() == 0
    assert "<script>alert('x')</script>" in article.inner_text()


def test_curation_with_a_token_shows_in_the_history(site, page):
    base, token = site
    page.goto(base + "/login?lang=en")
    page.fill("input[name=token]", token)
    page.click("button:has-text('Sign in')")
    page.goto(base + "/records/2?lang=en")
    page.fill("input[name=reason]", "restates the plan")
    page.click("button[value=confirm]")
    page.wait_for_url(base + "/records/2")
    history = page.locator("table.history").inner_text()
    assert "li" in history and "confirm" in history and "restates the plan" in history
    page.screenshot(path=str(ARTIFACTS / "curation.png"), full_page=True)
