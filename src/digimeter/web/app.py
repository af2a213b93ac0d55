"""The web application: one FastAPI app over one store."""

from __future__ import annotations

import os
import threading

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from digimeter import __version__
from digimeter.errors import DigimeterError
from digimeter.store import open_store
from digimeter.web.api import router
from digimeter.web.auth import readable
from digimeter.web.cache import ResponseCache, assessments
from digimeter.web.charts import router as charts
from digimeter.web.curation_pages import router as curation_pages
from digimeter.web.exports import router as exports
from digimeter.web.guards import BodyLimit, WriteGuard
from digimeter.web.index_pages import router as index_pages
from digimeter.web.indexes import router as indexes
from digimeter.web.pages import HERE, environment
from digimeter.web.pages import router as pages
from digimeter.web.report import router as report
from digimeter.web.writes import router as writes


def create_app(db_url: str | None = None, *, read_open: bool = True,
               warm: bool = False) -> FastAPI:
    """The app over the store at ``db_url`` (default as for the CLI). Writing always needs
    an editor token; reading needs a viewer token only when ``read_open`` is False. With
    ``warm``, every target is assessed in the background as the server starts, so the first
    reader does not wait for it."""
    app = FastAPI(title="digimeter", version=__version__, openapi_url="/api/openapi.json",
                  docs_url="/api/docs", redoc_url=None,
                  description="Regional digital-economy targets, observations, tracking and "
                              "indices. Values are in base units (CNY, count, percent, ...); "
                              "every observation names its source and vintage.")
    app.state.engine = open_store(db_url)
    app.state.read_open = read_open
    app.state.cache = {}
    if warm:
        app.router.on_startup.append(lambda: _warm(app))
    app.add_middleware(ResponseCache)
    app.add_middleware(WriteGuard)
    app.add_middleware(BodyLimit)
    app.include_router(router, dependencies=[Depends(readable)])
    app.include_router(charts, dependencies=[Depends(readable)])
    app.include_router(indexes, dependencies=[Depends(readable)])
    app.include_router(writes)
    app.include_router(exports, dependencies=[Depends(readable)])
    app.include_router(report, dependencies=[Depends(readable)])
    app.include_router(pages, dependencies=[Depends(readable)])
    app.include_router(index_pages, dependencies=[Depends(readable)])
    app.include_router(curation_pages)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(DigimeterError)
    async def _digimeter_error(_request: Request, exc: DigimeterError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    return app


def _warm(app: FastAPI) -> None:
    def work() -> None:
        templates = environment()
        for name in templates.list_templates():
            templates.get_template(name)
        assessments(app.state.engine, app.state.cache)

    threading.Thread(target=work, name="digimeter-warm", daemon=True).start()


def from_environment() -> FastAPI:
    """The app as ``digimeter serve`` configures it through the environment: what each
    server process builds when there are several."""
    return create_app(os.environ.get("DIGIMETER_DB"),
                      read_open=os.environ.get("DIGIMETER_PRIVATE") != "1", warm=True)
