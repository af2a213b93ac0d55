"""``digimeter extract PATH...``: quantified records of documents, one JSON object a line.

stdout carries only the records (jsonl, the default; or a table, or CSV); every file that
cannot be read is one line on stderr, and the exit status is then non-zero.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from digimeter.batch import Runner
from digimeter.cli.output import Format, emit
from digimeter.cli.problems import Problems
from digimeter.extract import FIELDS, extract_paths

_TABLE_COLUMNS = ("doc", "kind", "region_code", "indicator", "value", "unit", "comparator",
                  "year", "quote")
_CSV_COLUMNS = (*FIELDS, "value_max", "baseline_year", "baseline_value")


def extract(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (walked recursively).")],
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.jsonl,
    workers: Annotated[int | None, typer.Option(
        help="Extract on a local Dask cluster of N worker processes.")] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="Extract on an existing dask.distributed scheduler (tcp://host:8786).")] = None,
) -> None:
    """Print the targets, observations and policy measures each document states."""
    problems = Problems()
    runner = Runner(workers=workers, scheduler=scheduler)
    rows: list[dict] = []
    for path, result in extract_paths(paths, runner=runner):
        if isinstance(result, str):
            problems.report(result)
            continue
        if fmt is Format.jsonl:
            for record in result:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            rows.extend(result)
        del path
    if fmt is not Format.jsonl:
        emit(rows, _TABLE_COLUMNS if fmt is Format.table else _CSV_COLUMNS, fmt,
             title="Records")
    raise typer.Exit(problems.exit_code)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
