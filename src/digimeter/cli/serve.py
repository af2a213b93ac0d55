"""``digimeter serve``: the JSON API on a local address."""

from __future__ import annotations

import os
import socket
from typing import Annotated

import typer

from digimeter.cli.common import DbOption
from digimeter.errors import InputError


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
    app = "digimeter.web.app:from_environment"
    if workers == 1:
        uvicorn.run(app, factory=True, host=host, port=port, log_level="warning")
        return
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(app, factory=True, host=host, port=port, workers=workers,
                            log_level="warning")
    Multiprocess(config, sockets=[listening_socket(host, port)]).run()


def listening_socket(host: str, port: int) -> socket.socket:
    """The socket the server processes share, made as TCP explicitly: asyncio turns Nagle's
    algorithm off only on connections whose socket says IPPROTO_TCP, and uvicorn's own
    shared socket does not (each keep-alive response then waited ~40 ms for a delayed ACK)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}",
                         where="serve") from None
    sock.set_inheritable(True)
    return sock


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
