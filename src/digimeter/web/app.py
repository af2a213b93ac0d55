"""The web application: one FastAPI app over one store."""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.routing import Match

from digimeter import __version__
from digimeter.errors import DigimeterError
from digimeter.store import open_store
from digimeter.web.api import router
from digimeter.web.auth import holder, readable
from digimeter.web.curation_pages import router as curation_pages
from digimeter.web.exports import router as exports
from digimeter.web.pages import HERE
from digimeter.web.pages import router as pages
from digimeter.web.report import router as report
from digimeter.web.writes import router as writes

MAX_BODY_BYTES = 10 * 2**20
WRITES = ("POST", "PUT", "PATCH", "DELETE")


class BodyLimit(BaseHTTPMiddleware):
    """Refuse request bodies above a size before reading them."""

    async def dispatch(self, request: Request, call_next):  # noqa: ANN001, ANN201
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return JSONResponse({"detail": "request body too large"}, status_code=413)
        return await call_next(request)


def _is_write_route(request: Request) -> bool:
    """A route exists for this path and method (else routing answers 404 or 405)."""
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match == Match.FULL:
            return True
    return False


class WriteGuard(BaseHTTPMiddleware):
    """Every write to the API needs an editor token, checked before the body is read, so an
    unauthenticated write fails with 401 or 403 whatever it sends."""

    async def dispatch(self, request: Request, call_next):  # noqa: ANN001, ANN201
        if request.method in WRITES and request.url.path.startswith("/api/") \
                and _is_write_route(request):
            who = holder(request)
            if who is None:
                return JSONResponse({"detail": "a valid token is needed"}, status_code=401,
                                    headers={"WWW-Authenticate": "Bearer"})
            if not who.may("editor"):
                return JSONResponse({"detail": f"the {who.role} role may not write"},
                                    status_code=403)
        return await call_next(request)


def create_app(db_url: str | None = None, *, read_open: bool = True) -> FastAPI:
    """The app over the store at ``db_url`` (default as for the CLI). Writing always needs
    an editor token; reading needs a viewer token only when ``read_open`` is False."""
    app = FastAPI(title="digimeter", version=__version__, openapi_url="/api/openapi.json",
                  docs_url="/api/docs", redoc_url=None,
                  description="Regional digital-economy targets, observations, tracking and "
                              "indices. Values are in base units (CNY, count, percent, ...); "
                              "every observation names its source and vintage.")
    app.state.engine = open_store(db_url)
    app.state.read_open = read_open
    app.state.cache = {}
    app.add_middleware(WriteGuard)
    app.add_middleware(BodyLimit)
    app.include_router(router, dependencies=[Depends(readable)])
    app.include_router(writes)
    app.include_router(exports, dependencies=[Depends(readable)])
    app.include_router(report, dependencies=[Depends(readable)])
    app.include_router(pages, dependencies=[Depends(readable)])
    app.include_router(curation_pages)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(DigimeterError)
    async def _digimeter_error(_request: Request, exc: DigimeterError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    return app
