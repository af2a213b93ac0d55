"""Request guards as plain ASGI middleware (cheaper than Starlette's BaseHTTPMiddleware on
every request): a body-size limit, and the editor token every API write needs, checked before
the body is read so an unauthenticated write fails with 401 or 403 whatever it sends."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from digimeter.web.auth import holder

MAX_BODY_BYTES = 10 * 2**20
WRITES = ("POST", "PUT", "PATCH", "DELETE")


class BodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope["headers"]).get(b"content-length", b"")
            if length.isdigit() and int(length) > MAX_BODY_BYTES:
                await JSONResponse({"detail": "request body too large"},
                                   status_code=413)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _is_write_route(scope: Scope) -> bool:
    """A route exists for this path and method (else routing answers 404 or 405)."""
    return any(route.matches(scope)[0] == Match.FULL for route in scope["app"].router.routes)


class WriteGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in WRITES \
                and scope["path"].startswith("/api/") and _is_write_route(scope):
            who = holder(Request(scope))
            if who is None:
                response = JSONResponse({"detail": "a valid token is needed"},
                                        status_code=401,
                                        headers={"WWW-Authenticate": "Bearer"})
                await response(scope, receive, send)
                return
            if not who.may("editor"):
                await JSONResponse({"detail": f"the {who.role} role may not write"},
                                   status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)
