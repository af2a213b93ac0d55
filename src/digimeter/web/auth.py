"""Who may change what: bearer tokens for the API, a session cookie holding the token for the
pages, CSRF tokens on forms. Reading is open unless the app is made with ``read_open=False``."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import HTTPException, Request

from digimeter.store.tokens import Holder, holder_of

COOKIE = "dgm_session"


def presented(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(COOKIE)


def holder(request: Request) -> Holder | None:
    return holder_of(request.app.state.engine, presented(request))


def require(request: Request, role: str) -> Holder:
    """The holder if their role suffices; 401 without a valid token, 403 with too little."""
    who = holder(request)
    if who is None:
        raise HTTPException(401, "a valid token is needed",
                            headers={"WWW-Authenticate": "Bearer"})
    if not who.may(role):
        raise HTTPException(403, f"the {who.role} role may not do this")
    return who


def readable(request: Request) -> None:
    """A dependency on every read: passes when reading is open or a viewer token is shown."""
    if not request.app.state.read_open:
        require(request, "viewer")


def csrf_token(request: Request) -> str:
    """A per-session value forms must send back; derived from the session's token."""
    token = request.cookies.get(COOKIE) or ""
    return hmac.new(token.encode(), b"digimeter-csrf", hashlib.sha256).hexdigest()


def check_csrf(request: Request, sent: str | None) -> None:
    if not request.cookies.get(COOKIE) or not sent or \
            not hmac.compare_digest(sent, csrf_token(request)):
        raise HTTPException(403, "the form's CSRF token is missing or wrong")
