"""COINr's iData and iMeta tables, read from CSV or Excel and checked cell by cell."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from digimeter.errors import InputError, RowError
from digimeter.index.framework import TYPES, Element, Framework, check_framework

META_REQUIRED = ("Level", "iCode", "Parent", "Direction", "Type", "Weight")
META_NUMERIC_PARAMS = ("Target", "dist2targ_cap_max", "goalpost_lower", "goalpost_upper",
                       "goalpost_scale", "minmax_lower", "minmax_upper", "zscore_mean",
                       "zscore_sd", "scaled_lower", "scaled_upper", "scale_factor")
META_BOOL_PARAMS = ("dist2targ_cap_max", "goalpost_trunc2posts")
RESERVED = ("uCode", "uName", "Time")
NA_STRINGS = ("", "NA", "N/A", "NaN", "nan", "#N/A", "..", "-")


@dataclass(frozen=True)
class Table:
    """A data set: units (rows) by codes (columns), NaN for missing."""

    units: tuple[str, ...]
    codes: tuple[str, ...]
    values: np.ndarray

    def column(self, code: str) -> np.ndarray:
        return self.values[:, self.codes.index(code)]

    def select(self, codes: Sequence[str]) -> np.ndarray:
        idx = [self.codes.index(c) for c in codes]
        return self.values[:, idx]

    def with_values(self, values: np.ndarray) -> Table:
        return Table(self.units, self.codes, values)

    def rows(self, keep: np.ndarray) -> Table:
        return Table(tuple(u for u, k in zip(self.units, keep, strict=True) if k), self.codes,
                     self.values[keep])

    def extend(self, codes: Sequence[str], values: np.ndarray) -> Table:
        return Table(self.units, self.codes + tuple(codes), np.hstack([self.values, values]))


@dataclass(frozen=True)
class Units:
    """Per-unit columns that are not indicators: names, groups, denominators, time."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    groups: dict[str, np.ndarray] = field(default_factory=dict)
    denominators: dict[str, np.ndarray] = field(default_factory=dict)
    time: np.ndarray | None = None

    def lookup(self, units: Sequence[str]) -> np.ndarray:
        pos = {u: i for i, u in enumerate(self.codes)}
        return np.array([pos[u] for u in units], dtype=int)


def read_table(path: Path, sheet: str | None = None) -> pd.DataFrame:
    """Every cell as text (None for empty), so that each can be checked where it stands."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", where=str(path))
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=object)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read table: {exc}", where=str(path)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    dupes = frame.columns[frame.columns.duplicated()].tolist()
    if dupes:
        raise RowError(f"duplicate column {dupes[0]!r}", file=str(path), row=1, column=dupes[0])
    return frame.map(_cell).astype(object).where(frame.notna(), None)


def _cell(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return None if text in NA_STRINGS else text


def numeric_column(frame: pd.DataFrame, column: str, file: str,
                   rows: np.ndarray | None = None) -> np.ndarray:
    """The column as floats; a cell that is neither a number nor missing is a RowError.

    ``rows`` gives each frame row's 0-based position in the file when ``frame`` is a subset.
    """
    out = np.full(len(frame), np.nan)
    for i, cell in enumerate(frame[column]):
        cell = _cell(cell)
        if cell is None:
            continue
        try:
            out[i] = float(cell)
        except ValueError:
            row = int(rows[i] if rows is not None else i) + 2
            raise RowError(f"{cell!r} is not a number", file=file, row=row,
                           column=column) from None
    return out


def _text(frame: pd.DataFrame, i: int, column: str) -> str | None:
    return _cell(frame[column].iloc[i]) if column in frame.columns else None


def read_meta(path: Path, sheet: str | None = None) -> Framework:
    frame = read_table(path, sheet)
    file = str(path)
    missing = [c for c in META_REQUIRED if c not in frame.columns]
    if missing:
        raise RowError(f"missing column(s) {', '.join(missing)}", file=file, row=1,
                       column=missing[0])
    levels = numeric_column(frame, "Level", file)
    weights = numeric_column(frame, "Weight", file)
    directions = numeric_column(frame, "Direction", file)
    params = {c: numeric_column(frame, c, file) for c in META_NUMERIC_PARAMS
              if c in frame.columns and c not in META_BOOL_PARAMS}
    elements: list[Element] = []
    groups: list[str] = []
    denoms: list[str] = []
    seen: set[str] = set()
    for i in range(len(frame)):
        row = i + 2
        code, kind = _text(frame, i, "iCode"), _text(frame, i, "Type")
        if code is None:
            raise RowError("empty iCode", file=file, row=row, column="iCode")
        if code in seen:
            raise RowError(f"duplicate iCode {code!r}", file=file, row=row, column="iCode")
        seen.add(code)
        if kind not in TYPES:
            raise RowError(f"Type {kind!r} is not one of {', '.join(TYPES)}", file=file,
                           row=row, column="Type")
        if kind == "Group":
            groups.append(code)
        elif kind == "Denominator":
            denoms.append(code)
        if kind not in ("Indicator", "Aggregate"):
            continue
        for column, values in (("Level", levels), ("Weight", weights),
                               ("Direction", directions)):
            if math.isnan(values[i]):
                raise RowError(f"{kind} {code} has no {column}", file=file, row=row,
                               column=column)
        if directions[i] not in (-1, 1):
            raise RowError(f"Direction {directions[i]:g} is not 1 or -1", file=file, row=row,
                           column="Direction")
        if levels[i] != int(levels[i]) or levels[i] < 1:
            raise RowError(f"Level {levels[i]:g} is not a positive integer", file=file,
                           row=row, column="Level")
        p: dict[str, object] = {c: v[i] for c, v in params.items() if not math.isnan(v[i])}
        for column in META_BOOL_PARAMS:
            flag = _text(frame, i, column)
            if flag is not None:
                p[column] = _boolean(flag, file, row, column)
        denom = _text(frame, i, "Denominator")
        if denom is not None:
            p["Denominator"] = denom
        elements.append(Element(code=code, name=_text(frame, i, "iName") or code,
                                level=int(levels[i]), parent=_text(frame, i, "Parent"),
                                weight=float(weights[i]), direction=int(directions[i]),
                                kind=kind, row=row, params=p))
    if not any(e.kind == "Indicator" for e in elements):
        raise InputError("no rows of Type Indicator", where=file)
    return check_framework(Framework(tuple(elements), tuple(groups), tuple(denoms), file))


def _boolean(text: str, file: str, row: int, column: str) -> bool:
    low = text.lower()
    if low in ("true", "t", "1", "yes", "1.0"):
        return True
    if low in ("false", "f", "0", "no", "0.0"):
        return False
    raise RowError(f"{text!r} is not TRUE or FALSE", file=file, row=row, column=column)


@dataclass(frozen=True)
class IndexData:
    """What a build starts from: the framework, the units and the Raw data set."""

    framework: Framework
    units: Units
    raw: Table


def read_data(path: Path, framework: Framework, sheet: str | None = None) -> list[IndexData]:
    """iData checked against iMeta; a panel (several Time values) gives one entry per Time."""
    frame = read_table(path, sheet)
    file = str(path)
    if "uCode" not in frame.columns:
        raise RowError("no uCode column", file=file, row=1, column="uCode")
    for i, code in enumerate(frame["uCode"]):
        if code is None or " " in code:
            raise RowError(f"uCode {code!r} is empty or has a space", file=file, row=i + 2,
                           column="uCode")
    declared = set(framework.indicators) | set(framework.groups) | set(framework.denominators)
    other = {e.code for e in framework.elements} | declared | set(RESERVED)
    for column in frame.columns:
        if column not in other:
            raise RowError(f"column {column!r} is not in iMeta", file=file, row=1,
                           column=column)
        if column in framework and framework[column].kind == "Aggregate":
            raise RowError(f"column {column!r} is an aggregate; COINr computes it",
                           file=file, row=1, column=column)
    for code in framework.indicators:
        if code not in frame.columns:
            e = framework[code]
            raise RowError(f"indicator {code} has no column in {file}", file=framework.source,
                           row=e.row, column="iCode")
    time = numeric_column(frame, "Time", file) if "Time" in frame.columns else None
    years = [None] if time is None else sorted({t for t in time if not math.isnan(t)})
    out = []
    for year in years:
        keep = np.ones(len(frame), bool) if year is None else (time == year)
        out.append(_one_time(frame[keep], np.flatnonzero(keep), framework, file))
    return out


def _one_time(frame: pd.DataFrame, rows: np.ndarray, fw: Framework, file: str) -> IndexData:
    codes = list(frame["uCode"])
    seen: dict[str, int] = {}
    for code, r in zip(codes, rows, strict=True):
        if code in seen:
            raise RowError(f"duplicate uCode {code!r} (also row {seen[code]})", file=file,
                           row=int(r) + 2, column="uCode")
        seen[code] = int(r) + 2
    for column in (*fw.indicators, *fw.denominators, "Time"):
        if column in frame.columns:
            numeric_column(frame, column, file, rows)
    order = np.argsort(np.array(codes, dtype=object), kind="stable")
    frame = frame.iloc[order]

    def col(name: str) -> np.ndarray:
        return numeric_column(frame, name, file)

    values = np.column_stack([col(c) for c in fw.indicators])
    names = tuple(frame["uName"]) if "uName" in frame.columns else tuple(frame["uCode"])
    groups = {g: np.array(frame[g], dtype=object) for g in fw.groups if g in frame.columns}
    denoms = {d: col(d) for d in fw.denominators if d in frame.columns}
    time = col("Time") if "Time" in frame.columns else None
    ucodes = tuple(frame["uCode"])
    units = Units(ucodes, tuple(n or c for n, c in zip(names, ucodes, strict=True)), groups,
                  denoms, time)
    return IndexData(fw, units, Table(ucodes, fw.indicators, values))


def load(data: Path, meta: Path) -> list[IndexData]:
    return read_data(data, read_meta(meta))
