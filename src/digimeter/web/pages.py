"""Server-rendered pages in Chinese and English. Document text is untrusted: it only ever
reaches a page through Jinja's autoescaping, and highlights are built from escaped pieces."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from digimeter.errors import UnknownRegionError
from digimeter.indicators import load_taxonomy, load_units
from digimeter.progress import GOOD_STATUSES, get_method
from digimeter.regions import load_regions
from digimeter.store.curation import list_records
from digimeter.store.documents import get_document, list_documents
from digimeter.web.api import engine_of
from digimeter.web.cache import assessments
from digimeter.web.indexes import overview_index, region_benchmark

HERE = Path(__file__).parent
LANGUAGES = ("zh", "en")
router = APIRouter(include_in_schema=False)


@cache
def messages(lang: str) -> dict[str, str]:
    return json.loads((HERE / "messages" / f"{lang}.json").read_text(encoding="utf-8"))


@cache
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(HERE / "templates"),
                       autoescape=select_autoescape(["html"]))


def language(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "zh"
    return lang if lang in LANGUAGES else "zh"


def render(request: Request, template: str, status: int = 200, **context: object
           ) -> HTMLResponse:
    lang = language(request)
    text = messages(lang)

    def t(key: str, **values: object) -> str:
        return text[key].format(**values)

    other = "en" if lang == "zh" else "zh"
    html = environment().get_template(template).render(
        t=t, lang=lang, other=other, path=request.url.path, **context)
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie("lang", lang, samesite="lax")
    return response


def region_name(code: str, lang: str) -> str:
    try:
        region = load_regions().get(code)
    except UnknownRegionError:
        return code
    return region.name_zh if lang == "zh" else region.name_en


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    """Regions ranked by the share of their targets achieved or on track."""
    result = assessments(engine_of(request), request.app.state.cache)
    lang = language(request)
    rows = []
    if not result.empty:
        for code, group in result.groupby("region_code"):
            assessed = group[group["status"] != "insufficient_data"]
            good = int(assessed["status"].isin(GOOD_STATUSES).sum())
            rows.append({"code": code, "name": region_name(code, lang), "targets": len(group),
                         "assessed": len(assessed),
                         "share": good / len(assessed) if len(assessed) else None})
    rows.sort(key=lambda r: (-(r["share"] or -1), -r["targets"]))
    colour = overview_index(request, _int_param(request, "index"))
    return render(request, "overview.html", rows=rows, colour=colour,
                  known=load_regions())


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@router.get("/regions/{code}", response_class=HTMLResponse)
def region_page(request: Request, code: str) -> HTMLResponse:
    """A region's targets with status, progress, the latest value and the evidence quote."""
    try:
        load_regions().get(code)
    except UnknownRegionError:
        raise HTTPException(404) from None
    engine = engine_of(request)
    result = assessments(engine, request.app.state.cache, region=code)
    quotes = {f"r{r['id']}": r for r in list_records(engine, region=code, kind="target")}
    lang = language(request)
    taxonomy = load_taxonomy()
    targets = []
    for row in result.to_dict("records"):
        meta = taxonomy.get(row["indicator"]) if row["indicator"] in taxonomy else None
        name = (meta.name_zh if lang == "zh" else meta.name_en) if meta else row["indicator"]
        targets.append({**row, "record": quotes.get(row["id"]), "progress": _progress(row),
                        "indicator_name": name, "unit": unit_label(meta.unit if meta else "",
                                                                   lang)})
    bench = region_benchmark(request, code, _int_param(request, "index"),
                             request.query_params.get("benchmark"))
    return render(request, "region.html", code=code, name=region_name(code, lang),
                  targets=targets, method=get_method().name, bench=bench)


def unit_label(unit: str, lang: str) -> str:
    """A base unit as readers write it (元, %; 个 for a count in Chinese, nothing in English);
    the id itself if unnamed."""
    known = load_units().get(unit)
    if known is None:
        return unit
    if unit == "count" and lang == "en":
        return ""
    return known.name_zh if lang == "zh" else known.name_en


def _progress(row: dict) -> float | None:
    """How far from the baseline to the target the latest value has come, 0 to 1."""
    base, latest, target = row["baseline_value"], row["latest_value"], row["target_value"]
    if any(v is None or v != v for v in (base, latest, target)) or target == base:
        return None
    return max(0.0, min(1.0, (latest - base) / (target - base)))


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request) -> HTMLResponse:
    return render(request, "documents.html", documents=list_documents(engine_of(request)))


@dataclass
class Piece:
    text: str
    record: dict | None = None


def highlighted(text: str, records: list[dict]) -> Markup:
    """The text, escaped, with each record's quote in a <mark> carrying its fields."""
    out: list[str] = []
    at = 0
    for r in sorted(records, key=lambda r: (r["start"], -r["end"])):
        if r["start"] < at or r["end"] > len(text):
            continue
        out.append(str(escape(text[at:r["start"]])))
        title = (f"{r['kind']} · {r['indicator'] or r['indicator_text'] or ''} · "
                 f"{r['value']} {r['unit'] or ''} {r['comparator'] or ''} · {r['year'] or ''}")
        out.append(f'<mark id="r{int(r["id"])}" class="{escape(r["kind"])}" '
                   f'title="{escape(title)}">{escape(text[r["start"]:r["end"]])}</mark>')
        at = r["end"]
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: int) -> HTMLResponse:
    """The document's text with every extracted record highlighted."""
    engine = engine_of(request)
    doc = get_document(engine, doc_id)
    if doc is None:
        raise HTTPException(404)
    found = list_records(engine, document=doc_id)
    return render(request, "document.html", doc=doc, records=found,
                  body=highlighted(doc["text"], found))
