"""``digimeter serve``: the JSON API on a local address."""

from __future__ import annotations

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
) -> None:
    """Serve the zh/en pages and the JSON API (OpenAPI at /api/openapi.json)."""
    import uvicorn

    from digimeter.web import create_app

    uvicorn.run(create_app(db, read_open=not private), host=host, port=port,
                log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
