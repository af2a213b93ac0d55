"""The ``digimeter`` command: a thin layer over the library, one module per concept."""

from __future__ import annotations

import sys

import typer

from digimeter import __version__
from digimeter.cli import (
    data,
    demo,
    documents,
    extract,
    index,
    progress,
    records,
    reference,
    report,
    serve,
    token,
)
from digimeter.cli.problems import Problems
from digimeter.errors import DigimeterError

app = typer.Typer(
    name="digimeter",
    help="Measure and track regional digital-economy development against published plans.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
documents.register(app)
reference.register(app)
app.add_typer(data.app, name="data")
data.register(app)
demo.register(app)
extract.register(app)
progress.register(app)
app.add_typer(records.app, name="records")
app.add_typer(index.app, name="index")
serve.register(app)
report.register(app)
app.add_typer(token.app, name="token")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"digimeter {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """Measure and track regional digital-economy development against published plans."""


def main() -> None:
    try:
        app()
    except DigimeterError as exc:
        Problems().report(exc)
        sys.exit(1)
