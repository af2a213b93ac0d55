"""Signing in with a token, and curating a record in the browser (confirm, correct, reject),
with the record's machine version and history in view."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from digimeter.errors import DigimeterError
from digimeter.store.curation import (
    CORRECTABLE,
    confirm,
    correct,
    get_record,
    history,
    machine_version,
    parse_change,
    reject,
)
from digimeter.store.tokens import holder_of
from digimeter.web.api import engine_of
from digimeter.web.auth import COOKIE, check_csrf, csrf_token, holder, readable, require
from digimeter.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return render(request, "login.html", error=None, who=holder(request))


@router.post("/login")
def login(request: Request, token: str = Form(..., max_length=200)):  # noqa: ANN201
    if holder_of(engine_of(request), token) is None:
        return render(request, "login.html", status=401, error="bad_token", who=None)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict")
    return response


@router.post("/logout")
def logout() -> RedirectResponse:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/records/{record_id}", response_class=HTMLResponse,
            dependencies=[Depends(readable)])
def record_page(request: Request, record_id: int) -> HTMLResponse:
    engine = engine_of(request)
    try:
        row = get_record(engine, record_id)
    except DigimeterError:
        raise HTTPException(404) from None
    machine = machine_version(row)
    current = {**machine, **(row["curated"] or {})}
    who = holder(request)
    return render(request, "record.html", record=row, machine=machine, current=current,
                  fields=(*CORRECTABLE, "quote"), events=history(engine, record_id),
                  who=who, may_edit=bool(who and who.may("editor")),
                  csrf=csrf_token(request))


def _changes(text: str) -> dict:
    changes = {}
    for line in text.splitlines():
        if line.strip():
            field, sep, value = line.partition("=")
            if not sep:
                raise HTTPException(422, f"{line!r} is not FIELD=VALUE")
            try:
                changes[field.strip()] = parse_change(field.strip(), value.strip())
            except DigimeterError as exc:
                raise HTTPException(422, str(exc)) from exc
    return changes


@router.post("/records/{record_id}")
def decide(request: Request, record_id: int, action: str = Form(...),
           csrf: str = Form(""), reason: str = Form("", max_length=2000),
           changes: str = Form("", max_length=5000)) -> RedirectResponse:
    check_csrf(request, csrf)
    who = require(request, "editor")
    engine = engine_of(request)
    try:
        if action == "confirm":
            confirm(engine, record_id, who.name, reason or None)
        elif action == "reject":
            reject(engine, record_id, who.name, reason or None)
        elif action == "correct":
            correct(engine, record_id, _changes(changes), who.name, reason or None)
        else:
            raise HTTPException(422, f"unknown action {action!r}")
    except DigimeterError as exc:
        raise HTTPException(404 if "no record" in exc.message else 422, str(exc)) from exc
    return RedirectResponse(f"/records/{record_id}", status_code=303)
