"""Options every command shares."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import Engine

from digimeter.cli.output import Format
from digimeter.store import open_store

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="DIGIMETER_DB", show_envvar=True,
                 help="Store URL: sqlite:///path.db or postgresql://user@host/db "
                      "[default: sqlite:///digimeter.db]"),
]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]


def store(db: str | None) -> Engine:
    return open_store(db)
