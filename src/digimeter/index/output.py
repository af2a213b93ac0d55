"""Writing results as COINr writes them: ``%.17g``, ``NA`` for missing, ``Inf`` for infinity."""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from digimeter.index.data import Table
from digimeter.index.stats import rank_desc


def number(value: float) -> str:
    if math.isnan(value):
        return "NA"
    if math.isinf(value):
        return "Inf" if value > 0 else "-Inf"
    return f"{value:.17g}"


def write_matrix(path: Path, first: str, labels: Sequence[str], columns: Sequence[str],
                 values: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([first, *columns])
        for label, row in zip(labels, values, strict=True):
            w.writerow([label, *(number(float(v)) for v in row)])


def write_scores_and_ranks(out: Path, table: Table) -> None:
    write_matrix(out / "scores.csv", "uCode", table.units, table.codes, table.values)
    write_matrix(out / "ranks.csv", "uCode", table.units, table.codes,
                 rank_desc(table.values, axis=0))


def write_rows(path: Path, rows: Sequence[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        if not rows:
            return
        w = csv.writer(f)
        w.writerow(list(rows[0]))
        for row in rows:
            w.writerow([number(v) if isinstance(v, float) else
                        ("TRUE" if v is True else "FALSE" if v is False else v)
                        for v in row.values()])
