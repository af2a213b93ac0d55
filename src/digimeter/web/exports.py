"""Every table as CSV or Excel: the same rows and filters as the JSON API, as a download."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, datetime

import pandas as pd
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from digimeter.indicators import Indicator, load_taxonomy
from digimeter.progress import DEFAULT_METHOD, OUTPUT
from digimeter.regions import Region, load_regions
from digimeter.store.curation import list_records
from digimeter.store.documents import LIST_COLUMNS, list_documents
from digimeter.store.indexes import (
    IndexRunNotFoundError,
    IndexScore,
    IndexUncertainty,
    index_scores,
    index_uncertainty,
)
from digimeter.store.observations import latest
from digimeter.store.records import RECORD_FIELDS
from digimeter.store.schema import observations
from digimeter.web.api import engine_of
from digimeter.web.cache import assessments

router = APIRouter(prefix="/api/v1/export", tags=["exports"],
                   responses={404: {"description": "No such table or format."}})
EMPTY_COLUMNS = {
    "documents": [*LIST_COLUMNS, "records"],
    "records": ["id", "doc", "document_id", "status", *RECORD_FIELDS],
    "observations": [c.name for c in observations.columns],
    "progress": [*OUTPUT, "conflicts", "region_code", "indicator"],
    "regions": [f.name for f in fields(Region)],
    "indicators": [f.name for f in fields(Indicator)],
    "index_scores": [f.name for f in fields(IndexScore)],
    "index_uncertainty": [f.name for f in fields(IndexUncertainty)],
}
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _rows(request: Request, table: str) -> list[dict]:
    q = request.query_params
    engine = engine_of(request)
    tables: dict[str, Callable[[], list[dict]]] = {
        "documents": lambda: list_documents(engine),
        "records": lambda: list_records(engine, region=q.get("region"),
                                        indicator=q.get("indicator"), kind=q.get("kind"),
                                        status=q.get("status")),
        "observations": lambda: latest(engine, indicator=q.get("indicator"),
                                       region_code=q.get("region"), as_of=q.get("as_of")),
        "progress": lambda: assessments(engine, request.app.state.cache,
                                        q.get("method", DEFAULT_METHOD),
                                        q.get("region")).to_dict("records"),
        "regions": lambda: [r.__dict__ for r in load_regions() if r.is_current],
        "indicators": lambda: [{**i.__dict__, "aliases_zh": ";".join(i.aliases_zh),
                                "aliases_en": ";".join(i.aliases_en)}
                               for i in load_taxonomy()],
        "index_scores": lambda: [s.__dict__ for s in index_scores(
            engine, _run(q.get("run")), level=_level(q.get("level")), unit=q.get("unit"))],
        "index_uncertainty": lambda: [u.__dict__ for u in index_uncertainty(
            engine, _run(q.get("run")))],
    }
    if table not in tables:
        raise HTTPException(404, f"no table {table!r}; one of {', '.join(tables)}")
    try:
        return tables[table]()
    except IndexRunNotFoundError:
        raise HTTPException(404, f"no index run {q.get('run')}") from None


def _run(value: str | None) -> int:
    if not value or not value.isdigit() or len(value) > 9:
        raise HTTPException(422, "the index tables need run=ID (see /api/v1/indexes)")
    return int(value)


def _level(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or len(value) > 2:
        raise HTTPException(422, f"level must be a whole number, not {value!r}")
    return int(value)


def to_bytes(frame: pd.DataFrame, fmt: str, sheet: str) -> bytes:
    """CSV with a BOM (so Excel opens Chinese text as UTF-8), or an Excel workbook."""
    if fmt == "csv":
        return frame.to_csv(index=False).encode("utf-8-sig")
    buffer = io.BytesIO()
    frame = frame.map(_naive)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


def _naive(value: object) -> object:
    """Excel has no time zones: an aware time becomes its UTC wall time."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


@router.get("/{table}.{fmt}")
def export(request: Request, table: str, fmt: str) -> Response:
    """``/api/v1/export/records.xlsx?region=440100``: a table with the API's filters."""
    if fmt not in MEDIA:
        raise HTTPException(404, f"format {fmt!r} is not csv or xlsx")
    rows = _rows(request, table)
    frame = pd.DataFrame(rows) if rows else pd.DataFrame(columns=EMPTY_COLUMNS[table])
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, dict | list)).any():
            frame[column] = frame[column].map(str)
    return Response(to_bytes(frame, fmt, table), media_type=MEDIA[fmt], headers={
        "Content-Disposition": f'attachment; filename="{table}.{fmt}"'})
