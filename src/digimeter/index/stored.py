"""Index data from digimeter's store: a framework file (iMeta whose Indicator and Denominator
codes are taxonomy indicator ids) and the latest vintage of each observation.

Each (region, indicator, year) takes the annual figure (period ``2022``) when there is one,
else the figure whose period ends last in that year (``2022-12-31`` before ``2022-06``).
Regions with at least one indicator value that year are the units. Without a year, every year
with data gives one data set, as a panel iData does.
"""

from __future__ import annotations

import calendar
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import Engine

from digimeter.errors import InputError, RowError, UnknownIndicatorError
from digimeter.index.data import IndexData, Table, Units, read_meta
from digimeter.index.framework import Framework
from digimeter.indicators import load_taxonomy
from digimeter.regions import COUNTRY, load_regions
from digimeter.store.observations import latest

Cell = tuple[str, str, int]


def read_framework(path: Path) -> Framework:
    """iMeta, with every Indicator and Denominator code checked against the taxonomy."""
    fw = read_meta(path)
    taxonomy = load_taxonomy()
    rows = {e.code: e.row for e in fw.elements}
    for code in (*fw.indicators, *fw.denominators):
        if code in taxonomy:
            continue
        hint = ""
        try:
            hint = f" (did you mean {taxonomy.resolve(code).id}?)"
        except UnknownIndicatorError:
            pass
        raise RowError(f"{code!r} is not an indicator id of the taxonomy{hint}",
                       file=str(path), row=rows.get(code), column="iCode")
    return fw


def period_end(period: str) -> str:
    """The last day a stored period covers, as YYYY-MM-DD (sortable)."""
    end = period.split("..")[-1]
    if re.fullmatch(r"\d{4}", end):
        return f"{end}-12-31"
    quarter = re.fullmatch(r"(\d{4})Q([1-4])", end)
    if quarter:
        end = f"{quarter[1]}-{3 * int(quarter[2]):02d}"
    month = re.fullmatch(r"(\d{4})-(\d{2})", end)
    if month:
        year, m = int(month[1]), int(month[2])
        return f"{end}-{calendar.monthrange(year, m)[1]:02d}"
    return end


def _choose(rows: Sequence[dict], where: str) -> dict:
    """The annual figure, else the one ending last; sources that disagree are an error."""
    year = rows[0]["year"]
    annual = [r for r in rows if r["period"] == str(year)]
    pool = annual or rows
    best = max(period_end(r["period"]) for r in pool)
    pool = [r for r in pool if period_end(r["period"]) == best]
    pool.sort(key=lambda r: (r["period"], r["source"]))
    first = pool[0]
    for r in pool[1:]:
        if not math.isclose(r["value"], first["value"], rel_tol=1e-12, abs_tol=0.0):
            raise InputError(f"{first['source']!r} gives {first['value']:g} and "
                             f"{r['source']!r} gives {r['value']:g} for {first['period']}; "
                             "choose one with --source", where=where)
    return first


def _cells(engine: Engine, codes: Iterable[str], source: str | None,
           years: set[int] | None) -> dict[Cell, dict]:
    grouped: dict[Cell, list[dict]] = defaultdict(list)
    for code in codes:
        for row in latest(engine, indicator=code):
            if row["value"] is None or (source is not None and row["source"] != source):
                continue
            if years is None or row["year"] in years:
                grouped[(row["region_code"], code, int(row["year"]))].append(row)
    return {cell: _choose(rows, f"store, region {cell[0]}, indicator {cell[1]}, {cell[2]}")
            for cell, rows in grouped.items()}


def _check_units(cells: dict[Cell, dict]) -> None:
    seen: dict[str, dict] = {}
    for (region, code, year), row in sorted(cells.items()):
        first = seen.setdefault(code, row)
        if row["unit"] != first["unit"]:
            raise InputError(f"indicator {code} is stored in {first['unit']!r} for "
                             f"{first['region_code']} and {row['unit']!r} for {region} "
                             f"({year}); convert one of them", where="store")


def region_name(code: str) -> str:
    if code == COUNTRY:
        return "China"
    table = load_regions()
    return table.get(code).name_zh if code in table else code


def _one_year(fw: Framework, cells: dict[Cell, dict], year: int, source: str) -> IndexData:
    here = {(r, c): row["value"] for (r, c, y), row in cells.items() if y == year}
    regions = tuple(sorted({r for (r, c) in here if c in fw.indicators}))
    for code in fw.indicators:
        if not any((r, code) in here for r in regions):
            e = fw[code]
            raise RowError(f"indicator {code} has no observation for {year} in the store",
                           file=source, row=e.row, column="iCode")

    def column(code: str) -> np.ndarray:
        return np.array([here.get((r, code), np.nan) for r in regions], dtype=float)

    values = np.column_stack([column(c) for c in fw.indicators])
    units = Units(regions, tuple(region_name(r) for r in regions), {},
                  {d: column(d) for d in fw.denominators},
                  np.full(len(regions), float(year)))
    return IndexData(fw, units, Table(regions, fw.indicators, values))


def from_store(engine: Engine, framework: Path, year: int | None = None,
               source: str | None = None) -> list[IndexData]:
    """One IndexData for ``year``, or one per year with data (a panel) when it is None."""
    fw = read_framework(framework)
    cells = _cells(engine, (*fw.indicators, *fw.denominators), source,
                   None if year is None else {year})
    _check_units(cells)
    years = sorted({y for (_, c, y) in cells if c in fw.indicators})
    if not years:
        which = f"for {year} " if year is not None else ""
        raise InputError(f"the store has no observations {which}of the framework's "
                         "indicators", where=str(framework))
    return [_one_year(fw, cells, y, str(framework)) for y in years]
