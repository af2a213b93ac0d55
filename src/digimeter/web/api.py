"""The JSON API, version 1: every list paged and filterable, every value with its unit and
source. Read endpoints only; writes arrive with tokens and roles."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, func, select

from digimeter.errors import DigimeterError, UnknownRegionError
from digimeter.indicators import load_taxonomy
from digimeter.progress import DEFAULT_METHOD, load_methods
from digimeter.regions import load_regions
from digimeter.store.curation import effective, get_record, history, list_records
from digimeter.store.documents import LIST_COLUMNS, get_document, list_documents
from digimeter.store.observations import latest
from digimeter.store.schema import documents
from digimeter.web.cache import assessments

router = APIRouter(prefix="/api/v1")
MAX_LIMIT = 1000
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="Items to skip.")]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
IdQuery = Annotated[int | None, Query(ge=1, le=2**31 - 1)]


NOT_FOUND = {404: {"description": "No such item."}}


class Page(BaseModel):
    """One page of a list: the items, how many there are in all, and where this page is."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    next: str | None = Field(None, description="The address of the next page, if any.")


def engine_of(request: Request) -> Engine:
    return request.app.state.engine


def page(request: Request, items: list[dict], limit: int, offset: int) -> JSONResponse:
    """One page as a ready response: the items are plain already, so FastAPI's encoder and
    re-validation (the costly part of a large page) are skipped; ``Page`` documents it."""
    chunk = items[offset:offset + limit]
    following = None
    if offset + limit < len(items):
        following = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return JSONResponse({"items": [plain(i) for i in chunk], "total": len(items),
                         "limit": limit, "offset": offset, "next": following})


def plain(item: dict) -> dict:
    out = {}
    for key, value in item.items():
        if isinstance(value, float) and value != value:
            value = None
        elif isinstance(value, float) and value in (float("inf"), float("-inf")):
            value = None
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        out[key] = value
    return out


@router.get("/documents", response_model=Page, tags=["documents"])
def documents_list(request: Request, limit: Limit = 50, offset: Offset = 0,
                   language: str | None = None) -> JSONResponse:
    """Stored documents, without their text."""
    rows = list_documents(engine_of(request))
    if language:
        rows = [r for r in rows if r["language"] == language]
    return page(request, rows, limit, offset)


@router.get("/documents/{doc_id}", tags=["documents"], responses=NOT_FOUND)
def documents_one(request: Request, doc_id: Id) -> dict:
    """One document with its text and the records extracted from it (quotes as offsets)."""
    doc = get_document(engine_of(request), doc_id)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id}")
    found = list_records(engine_of(request), document=doc_id)
    keep = (*LIST_COLUMNS, "text")
    return plain({**{k: doc[k] for k in keep}, "records": [plain(r) for r in found]})


@router.get("/records", response_model=Page, tags=["records"])
def records_list(request: Request, limit: Limit = 50, offset: Offset = 0,
                 region: str | None = None, indicator: str | None = None,
                 kind: str | None = None, document: IdQuery = None,
                 status: str | None = None) -> JSONResponse:
    """Extracted records as they stand after curation; units are base units."""
    rows = list_records(engine_of(request), region=region, indicator=indicator, kind=kind,
                        document=document, status=status)
    return page(request, rows, limit, offset)


@router.get("/records/{record_id}", tags=["records"], responses=NOT_FOUND)
def records_one(request: Request, record_id: Id) -> dict:
    """One record as it stands, with every curation decision on it."""
    engine = engine_of(request)
    try:
        row = get_record(engine, record_id)
    except DigimeterError:
        raise HTTPException(404, f"no record {record_id}") from None
    doc = get_document(engine, row["document_id"])
    return {**plain({"id": row["id"], "doc": doc["file_name"], "document_id": row["document_id"],
                     "status": row["status"], **effective(row)}),
            "history": [plain(e) for e in history(engine, record_id)]}


@router.get("/regions", response_model=Page, tags=["reference"])
def regions_list(request: Request, limit: Limit = 100, offset: Offset = 0,
                 level: int | None = None, parent: str | None = None,
                 q: str | None = Query(None, description="A name, alias or code.")) -> JSONResponse:
    """GB/T 2260 regions (current ones unless searched by a former name)."""
    table = load_regions()
    found = table.candidates(q) if q else [
        r for r in table if r.is_current and (level is None or r.level == level)
        and (parent is None or r.parent_code == parent)]
    return page(request, [r.__dict__ for r in found], limit, offset)


@router.get("/regions/{code}", tags=["reference"], responses=NOT_FOUND)
def regions_one(code: str) -> dict:
    table = load_regions()
    try:
        region = table.get(code)
    except UnknownRegionError:
        raise HTTPException(404, f"no region {code}") from None
    return {**region.__dict__, "parents": [p.__dict__ for p in table.parents(code)],
            "children": [c.code for c in table.children(code)] if region.level >= 0 else []}


@router.get("/indicators", response_model=Page, tags=["reference"])
def indicators_list(request: Request, limit: Limit = 100, offset: Offset = 0,
                    category: str | None = None) -> JSONResponse:
    """The indicator taxonomy with each indicator's base unit."""
    rows = [{**i.__dict__, "aliases_zh": list(i.aliases_zh), "aliases_en": list(i.aliases_en)}
            for i in load_taxonomy() if category in (None, i.category)]
    return page(request, rows, limit, offset)


@router.get("/observations", response_model=Page, tags=["data"])
def observations_list(request: Request, limit: Limit = 100, offset: Offset = 0,
                      indicator: str | None = None, region: str | None = None,
                      as_of: str | None = Query(None, description="Latest vintage at or "
                                                "before this date.")) -> JSONResponse:
    """The latest vintage of each series and period, with unit, source and vintage."""
    rows = latest(engine_of(request), indicator=indicator, region_code=region, as_of=as_of)
    return page(request, rows, limit, offset)


MethodName = StrEnum("MethodName", {name: name for name in load_methods()})
DEFAULT = MethodName(DEFAULT_METHOD)


@router.get("/progress", response_model=Page, tags=["tracking"])
def progress_list(request: Request, limit: Limit = 100, offset: Offset = 0,
                  region: str | None = None,
                  method: MethodName = DEFAULT) -> JSONResponse:
    """Every target's assessment now (not stored as a run), with the method named."""
    result = assessments(engine_of(request), request.app.state.cache, method.value, region)
    return page(request, result.to_dict("records"), limit, offset)


@router.get("/stats", tags=["data"])
def stats(request: Request) -> dict:
    """How much the store holds."""
    with engine_of(request).connect() as conn:
        n_docs = conn.execute(select(func.count()).select_from(documents)).scalar()
    return {"documents": n_docs, "regions": len(load_regions()),
            "indicators": len(load_taxonomy())}
