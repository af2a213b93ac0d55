"""Printing lists as a table, CSV or JSON lines; stdout carries nothing else."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from enum import StrEnum

from rich.console import Console
from rich.table import Table


class Format(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def emit(rows: Iterable[dict], columns: Sequence[str], fmt: Format,
         title: str | None = None) -> None:
    if fmt is Format.jsonl:
        for row in rows:
            sys.stdout.write(json.dumps({c: _plain(row.get(c)) for c in columns},
                                        ensure_ascii=False) + "\n")
    elif fmt is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else _plain(row.get(c)) for c in columns])
    else:
        table = Table(title=title, show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*("" if row.get(c) is None else str(_plain(row.get(c)))
                            for c in columns))
        console = Console(soft_wrap=False)
        if not console.is_terminal:
            console = Console(soft_wrap=False, width=200)
        console.print(table)
