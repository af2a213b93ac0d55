"""From a long table of text cells to observations in base units, row errors set aside.

Each distinct cell value is resolved once (a million rows have a few hundred distinct regions,
indicators, periods and units), then mapped back onto the rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from digimeter.errors import DigimeterError, RowError
from digimeter.imports.tables import ROW
from digimeter.indicators import conversion_factor, load_taxonomy, tidy
from digimeter.regions import load_regions

COUNTRY = {"cn", "china", "全国", "中国", "chn", "national"}
PERIOD_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^((?:19|20)\d{2})(?:\.0+)?(?:年)?$"), lambda m: m[1]),
    (re.compile(r"^((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?$"),
     lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"),
    (re.compile(r"^((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日$"),
     lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"),
    (re.compile(r"^((?:19|20)\d{2})[-/](\d{1,2})$"), lambda m: f"{m[1]}-{int(m[2]):02d}"),
    (re.compile(r"^((?:19|20)\d{2})年(\d{1,2})月$"), lambda m: f"{m[1]}-{int(m[2]):02d}"),
    (re.compile(r"^((?:19|20)\d{2})-?[Qq]([1-4])$"), lambda m: f"{m[1]}Q{m[2]}"),
    (re.compile(r"^((?:19|20)\d{2})-(\d{2})\.\.((?:19|20)\d{2})-(\d{2})$"),
     lambda m: f"{m[1]}-{m[2]}..{m[3]}-{m[4]}"),
]
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass
class Normalized:
    frame: pd.DataFrame  # region_code, indicator, period, year, value, unit, source, ...
    errors: list[RowError]


def parse_period(text: str) -> tuple[str, int]:
    """A period as stored (2022, 2022-06, 2022-06-30, 2022Q3, 2022-01..2022-05) and its year.

    The year of a span is its end year, since that is when the figure is complete.
    """
    clean = unicodedata.normalize("NFKC", text).strip()
    for pattern, build in PERIOD_PATTERNS:
        match = pattern.match(clean)
        if match:
            period = build(match)
            return period, int(period.split("..")[-1][:4])
    raise ValueError(f"period {text!r} is not a year, date, month, quarter or span")


def parse_number(text: str) -> float:
    clean = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    if not NUMBER.match(clean):
        raise ValueError(f"value {text!r} is not a number")
    return float(clean)


def resolve_region(text: str) -> str:
    if text.strip().casefold() in COUNTRY:
        return "CN"
    return load_regions().resolve(text.strip()).code


def resolve_indicator(text: str) -> str:
    return load_taxonomy().resolve(text).id


def _resolve(values: pd.Series, fn: Callable[[str], object]) -> dict[str, object]:
    """``fn`` over the distinct values; a failure maps to the exception, kept for reporting."""
    out: dict[str, object] = {}
    for value in pd.unique(values):
        try:
            out[value] = fn(value)
        except (DigimeterError, ValueError) as exc:
            out[value] = exc
    return out


def _reason(exc: object) -> str:
    """The error's message with the offending value, which lookups keep in ``where``."""
    if isinstance(exc, DigimeterError):
        return f"{exc.message}: {exc.where!r}" if exc.where else exc.message
    return str(exc)


class Resolver:
    """Resolves a column through a function, distinct values once; failures become RowErrors."""

    def __init__(self, file: str, rows: np.ndarray) -> None:
        self.file = file
        self.rows = rows
        self.bad = np.zeros(len(rows), dtype=bool)
        self.errors: list[RowError] = []

    def apply(self, column: pd.Series, fn: Callable[[str], object],
              field: str) -> list[object]:
        resolved = _resolve(column, fn)
        mapped = column.map(resolved).tolist()
        for i, value in enumerate(mapped):
            if isinstance(value, Exception) and not self.bad[i]:
                self.bad[i] = True
                self.errors.append(RowError(_reason(value), file=self.file,
                                            row=int(self.rows[i]), column=field))
        return mapped


def normalize(long: pd.DataFrame, file: str, *, source: str | None = None,
              unit: str | None = None) -> Normalized:
    """Resolve regions, indicators, periods, numbers and units; convert to base units."""
    if "unit" not in long and unit is None:
        raise DigimeterError("no unit column; give --unit (a unit such as 亿元 for every "
                             "row, or 'base' when values are in each indicator's base unit)",
                             where=file)
    if "source" not in long and not source:
        raise DigimeterError("no source column; give --source NAME", where=file)
    col = Resolver(file, long[ROW].to_numpy())
    regions = col.apply(long["region"], resolve_region, "region")
    indicators = col.apply(long["indicator"], resolve_indicator, "indicator")
    periods = col.apply(long["period"], parse_period, "period")
    values = col.apply(long["value"], parse_number, "value")
    taxonomy = load_taxonomy()
    units = long["unit"] if "unit" in long and not unit else pd.Series([unit] * len(long))
    pairs = pd.Series([f"{u}\x00{i}" if isinstance(i, str) else "" for u, i in
                       zip(units.tolist(), indicators, strict=True)])

    def factor(pair: str) -> float:
        published, _, ind = pair.partition("\x00")
        if not ind:
            return np.nan
        return conversion_factor(published, taxonomy.get(ind).unit)

    factors = col.apply(pairs, factor, "unit")
    keep = ~col.bad
    good = np.flatnonzero(keep)
    frame = pd.DataFrame({
        ROW: long[ROW].to_numpy()[keep],
        "region_code": [regions[i] for i in good],
        "indicator": [indicators[i] for i in good],
        "period": [periods[i][0] for i in good],
        "year": np.array([periods[i][1] for i in good], dtype=np.int64),
        "value": tidy(np.array([values[i] for i in good], dtype=float)
                      * np.array([factors[i] for i in good], dtype=float)),
    })
    frame["unit"] = frame["indicator"].map({i.id: i.unit for i in taxonomy})
    frame["source"] = (long["source"].to_numpy()[keep] if "source" in long and not source
                       else source)
    for optional in ("source_url", "value_published", "unit_published", "note"):
        if optional in long:
            frame[optional] = long[optional].to_numpy()[keep]
    if "value_published" not in frame:
        frame["value_published"] = long["value"].to_numpy()[keep]
    if "unit_published" not in frame:
        frame["unit_published"] = units.to_numpy()[keep]
    return Normalized(*_drop_duplicates(frame, file, col.errors))


def _drop_duplicates(frame: pd.DataFrame, file: str,
                     errors: list[RowError]) -> tuple[pd.DataFrame, list[RowError]]:
    key = ["indicator", "region_code", "period", "source"]
    dup = frame.duplicated(key, keep="first")
    if dup.any():
        first = frame[~dup].set_index(key)[ROW]
        for _, row in frame[dup].iterrows():
            original = first.loc[tuple(row[k] for k in key)]
            errors.append(RowError(f"same region, indicator, period and source as row "
                                   f"{original}", file=file, row=int(row[ROW])))
        frame = frame[~dup.to_numpy()]
    errors.sort(key=lambda e: e.row or 0)
    return frame, errors
