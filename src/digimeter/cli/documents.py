"""``digimeter ingest`` and ``digimeter documents``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from digimeter.cli.common import DbOption, FormatOption, store
from digimeter.cli.output import Format, emit
from digimeter.cli.problems import Problems, note, stderr
from digimeter.extract import extract_document
from digimeter.ingest.readers import DEFAULT_MAX_BYTES
from digimeter.ingest.run import Outcome, expand
from digimeter.ingest.run import ingest as ingest_items
from digimeter.store.documents import list_documents

DOCUMENT_COLUMNS = ("id", "sha256", "title", "publisher", "published", "source", "language",
                    "media_type", "size_bytes", "records", "ingested_at")
TABLE_COLUMNS = ("id", "title", "published", "language", "media_type", "records", "source")


def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders or http(s) URLs.")],
    db: DbOption = None,
    max_mb: Annotated[float, typer.Option(help="Refuse files larger than this many MB.")]
    = DEFAULT_MAX_BYTES / 2**20,
    no_extract: Annotated[bool, typer.Option(
        "--no-extract", help="Store the documents without extracting records.")] = False,
) -> None:
    """Store documents (text, HTML, PDF, DOCX) with their extracted records, each document
    once and in one transaction."""
    engine = store(db)
    problems = Problems()
    items = list(expand(inputs))
    counts = {"stored": 0, "already": 0, "records": 0}
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=stderr, transient=True,
                  disable=not stderr.is_terminal) as progress:
        task = progress.add_task("ingesting", total=len(items))

        def done(outcome: Outcome) -> None:
            progress.advance(task)
            if outcome.error:
                problems.report(outcome.error)
            elif outcome.added and outcome.added.created:
                counts["stored"] += 1
                counts["records"] += outcome.added.records
            else:
                counts["already"] += 1

        ingest_items(engine, inputs, max_bytes=int(max_mb * 2**20),
                     extract=None if no_extract else extract_document, on_item=done)
    note(f"{counts['stored']} stored ({counts['records']} records), {counts['already']} "
         f"already stored, {problems.count} failed")
    raise typer.Exit(problems.exit_code)


def documents(db: DbOption = None, fmt: FormatOption = Format.table) -> None:
    """List stored documents."""
    rows = list_documents(store(db))
    emit(rows, TABLE_COLUMNS if fmt is Format.table else DOCUMENT_COLUMNS, fmt,
         title="Documents")


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("documents")(documents)
