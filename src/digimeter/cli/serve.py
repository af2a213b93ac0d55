"""``digimeter serve``: the JSON API on a local address."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from digimeter.cli.common import DbOption


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    private: Annotated[bool, typer.Option(
        help="Reading needs a viewer token too (writing always needs an editor token).")]
    = False,
    workers: Annotated[int, typer.Option(min=1, max=64, help=(
        "Server processes; each keeps its own cache of assessments and pages."))] = 1,
) -> None:
    """Serve the zh/en pages and the JSON API (OpenAPI at /api/openapi.json)."""
    import uvicorn

    from digimeter.store import open_store

    open_store(db).dispose()
    if db:
        os.environ["DIGIMETER_DB"] = db
    os.environ["DIGIMETER_PRIVATE"] = "1" if private else "0"
    uvicorn.run("digimeter.web.app:from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
