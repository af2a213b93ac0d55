"""A printable report of a region's targets and progress: HTML, and PDF through headless
Chromium (the browser prints it exactly as the page shows)."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from digimeter.errors import DigimeterError, InputError, UnknownRegionError
from digimeter.indicators import load_taxonomy
from digimeter.progress import get_method
from digimeter.progress.store import track
from digimeter.regions import load_regions
from digimeter.store.curation import list_records
from digimeter.web.api import engine_of
from digimeter.web.pages import environment, messages

router = APIRouter(include_in_schema=False)


def report_html(engine: Engine, region: str, lang: str = "zh",
                method_name: str = "open-sdg") -> str:
    """The report as one self-contained HTML page."""
    try:
        place = load_regions().get(region)
    except UnknownRegionError as exc:
        raise InputError("no region has this code", where=region) from exc
    method = get_method(method_name)
    result = track(engine, method, place.code, record=False)
    quotes = {f"r{r['id']}": r for r in list_records(engine, region=place.code, kind="target")}
    names = {i.id: i.name_zh if lang == "zh" else i.name_en for i in load_taxonomy()}
    rows = [{**r, "record": quotes.get(r["id"]), "name": names.get(r["indicator"], r["indicator"])}
            for r in result.to_dict("records")]
    text = messages(lang)

    def t(key: str, **values: object) -> str:
        return text[key].format(**values)

    return environment().get_template("report.html").render(
        t=t, lang=lang, region=place, name=place.name_zh if lang == "zh" else place.name_en,
        rows=rows, counts=Counter(r["status"] for r in rows), method=method,
        made=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))


def print_pdf(html: str, out: Path, chromium: str | None = None) -> None:
    """Print ``html`` to ``out`` with headless Chromium through Playwright."""
    binary = chromium or shutil.which("chromium")
    if not binary:
        raise InputError("printing a PDF needs Chromium (apt-get install chromium)",
                         where=str(out))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=binary, headless=True,
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        page = browser.new_page()
        page.set_content(html, wait_until="load")
        page.pdf(path=str(out), format="A4", print_background=True,
                 margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
        browser.close()


@router.get("/report/{code}", response_class=HTMLResponse)
def report_page(request: Request, code: str) -> HTMLResponse:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    try:
        html = report_html(engine_of(request), code, lang if lang in ("zh", "en") else "zh")
    except DigimeterError:
        raise HTTPException(404) from None
    return HTMLResponse(html)
