"""Write endpoints: curation decisions and data import, each needing an editor token and each
recorded with the token holder's name as the actor."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from digimeter.errors import DigimeterError
from digimeter.imports import import_file
from digimeter.store.curation import confirm, correct, parse_change, reject
from digimeter.web.api import Id, engine_of, plain
from digimeter.web.auth import require

WRITE_ERRORS = {401: {"description": "No valid token."},
                403: {"description": "The token's role may not do this."},
                404: {"description": "No such record."}}
router = APIRouter(prefix="/api/v1", responses=WRITE_ERRORS)


class Decision(BaseModel):
    reason: str | None = Field(None, max_length=2000)


class Correction(Decision):
    changes: dict[str, str] = Field(..., description="FIELD: VALUE, as text (value: '38900')")


def _apply(action, request: Request, record_id: int, *args: object) -> dict:  # noqa: ANN001
    who = require(request, "editor")
    try:
        return plain(action(engine_of(request), record_id, *args[:-1], who.name, args[-1]))
    except DigimeterError as exc:
        status = 404 if "no record" in exc.message else 422
        raise HTTPException(status, str(exc)) from exc


@router.post("/records/{record_id}/confirm", tags=["curation"])
def confirm_record(request: Request, record_id: Id, body: Decision) -> dict:
    """Confirm a record (editor token)."""
    return _apply(confirm, request, record_id, body.reason)


@router.post("/records/{record_id}/reject", tags=["curation"])
def reject_record(request: Request, record_id: Id, body: Decision) -> dict:
    """Reject a record (editor token); the machine's version stays visible."""
    return _apply(reject, request, record_id, body.reason)


@router.post("/records/{record_id}/correct", tags=["curation"])
def correct_record(request: Request, record_id: Id, body: Correction) -> dict:
    """Correct fields of a record (editor token); the machine's original is kept."""
    require(request, "editor")
    try:
        changes = {k: parse_change(k, v) for k, v in body.changes.items()}
    except DigimeterError as exc:
        raise HTTPException(422, str(exc)) from exc
    if not changes:
        raise HTTPException(422, "a correction needs at least one field")
    return _apply(correct, request, record_id, changes, body.reason)


@router.post("/observations/import", tags=["data"])
async def import_observations(request: Request, source: str, unit: str | None = None) -> dict:
    """Import a CSV body (long or wide layout) as observations (editor token)."""
    who = require(request, "editor")
    body = await request.body()
    if not body:
        raise HTTPException(422, "the request body is empty; send the CSV as the body")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.csv"
        path.write_bytes(body)
        try:
            result = import_file(engine_of(request), path, source=source, unit=unit)
        except DigimeterError as exc:
            raise HTTPException(422, str(exc).replace(str(path), "body")) from exc
    return {"rows": result.rows, "stored": result.stored, "unchanged": result.unchanged,
            "rejected": [str(e).replace(str(path), "body") for e in result.errors],
            "actor": who.name}
