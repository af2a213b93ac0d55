"""Indicator tables flattened to text: one row per line, cells separated by ``|`` or tabs.

A header row names years in some columns (2020年, 2025, 2027年目标); each later row is an
indicator with its values under those columns, its unit in a 单位 / unit column or in
brackets after its name (数字经济核心产业增加值(亿元)). The first year column is the base (an
observation), every later one a target whose ``baseline_year`` / ``baseline_value`` carry the
base. A cell marked ``/``, ``—`` or ``-`` gives no record.
"""

from __future__ import annotations

import re

from digimeter.extract.indicators import map_indicator
from digimeter.extract.numbers import ARABIC, CN_SCALES, EN_SCALES
from digimeter.extract.places import region_name
from digimeter.extract.records import Context, _round, region_at
from digimeter.extract.segment import Sentence
from digimeter.extract.units import match_unit

_YEAR_CELL = re.compile(r"^\D{0,6}((?:19|20)\d{2})\s*年?\s*(?:年末|年底|基期|基数|目标|目标值|"
                        r"预期|预期值|规划|现状|实际|[(（][^)）]*[)）])?\s*$")
_UNIT_HEADER = re.compile(r"^(?:单位|计量单位|unit|units)$", re.IGNORECASE)
_VALUE_CELL = re.compile(r"^\s*(?P<cmp>≥|>=|>|≤|<=|<|约|~)?\s*(?P<num>" + ARABIC + r")\s*"
                         r"(?P<rest>.{0,8}?)\s*(?P<suffix>以上|左右|以内)?\s*$")
_BRACKET_UNIT = re.compile(r"[(（]([^()（）]{1,8})[)）]\s*$")
_CMP = {"≥": ">=", ">=": ">=", ">": ">", "≤": "<=", "<=": "<=", "<": "<=", "约": "~",
        "~": "~", "以上": ">=", "左右": "~", "以内": "<="}


def _unit_of(text: str) -> tuple[str | None, float]:
    """``亿元`` → (CNY, 1e8); ``%`` → (percent, 1); ``万户`` → (count, 1e4)."""
    text = text.strip().lower()
    factor = 1.0
    for name, f in sorted({**CN_SCALES, **EN_SCALES}.items(), key=lambda t: -len(t[0])):
        if text.startswith(name):
            factor, text = f, text[len(name):].strip()
            break
    if not text:
        return (None if factor == 1.0 else "count"), factor
    m = match_unit(text, 0, len(text))
    if m is None:
        return None, factor
    return m.unit, factor * m.factor


def _header(ctx: Context, row: Sentence) -> tuple[dict[int, int], int | None]:
    years, unit_col = {}, None
    for j, (a, b) in enumerate(row.cells):
        cell = ctx.low[a:b].strip()
        m = _YEAR_CELL.match(cell)
        if m:
            years[j] = int(m.group(1))
        elif _UNIT_HEADER.match(cell):
            unit_col = j
    return years, unit_col


def _label(ctx: Context, row: Sentence, skip: set[int]) -> str:
    for j, (a, b) in enumerate(row.cells):
        cell = ctx.s[a:b].strip()
        if j in skip or not re.search(r"[A-Za-z\u4e00-\u9fff]", cell):
            continue
        if cell in ("预期性", "约束性", "指标属性", "属性"):
            continue
        return cell
    return ""


def table_records(ctx: Context, rows: list[Sentence]) -> list[dict]:
    """Records of one table (consecutive table rows)."""
    out: list[dict] = []
    years: dict[int, int] = {}
    unit_col: int | None = None
    for row in rows:
        found, ucol = _header(ctx, row)
        if len(found) >= 1 and len(found) >= len(row.cells) // 3:
            years, unit_col = found, ucol
            continue
        if not years:
            continue
        label = _label(ctx, row, set(years) | ({unit_col} if unit_col is not None else set()))
        unit_text = ""
        if unit_col is not None and unit_col < len(row.cells):
            a, b = row.cells[unit_col]
            unit_text = ctx.s[a:b]
        elif (m := _BRACKET_UNIT.search(label)) is not None:
            unit_text = m.group(1)
        unit, factor = _unit_of(unit_text)
        out.extend(_row_records(ctx, row, years, label, unit, factor))
    return out


def _row_records(ctx: Context, row: Sentence, years: dict[int, int], label: str,
                 unit: str | None, factor: float) -> list[dict]:
    recs: list[dict] = []
    base: dict | None = None
    first = min(years, key=lambda k: years[k])
    for j in sorted(years, key=lambda k: years[k]):
        if j >= len(row.cells):
            continue
        a, b = row.cells[j]
        m = _VALUE_CELL.match(ctx.low[a:b])
        if not m:
            continue  # "/", "—", text: no record
        cell_unit, cell_factor = unit, factor
        if m.group("rest"):
            u, f = _unit_of(m.group("rest"))
            if u is not None:
                cell_unit, cell_factor = u, f
        if cell_unit is None:
            continue
        value = float(m.group("num").replace(",", "")) * cell_factor
        cmp = _CMP.get(m.group("cmp") or m.group("suffix") or "", "=")
        year = years[j]
        is_base = j == first and (len(years) > 1 or ctx.ref_year is None
                                  or year <= ctx.ref_year)
        region = region_at(ctx, row, row.start)
        indicator, _ = map_indicator(label, label, cell_unit)
        rec = {
            "doc": ctx.doc, "kind": "observation" if is_base else "target",
            "region_code": region, "region_name": region_name(region),
            "indicator": indicator, "indicator_text": label or None, "value": _round(value),
            "unit": cell_unit, "comparator": cmp, "year": year,
            "quote": ctx.text[row.start:row.end], "start": row.start, "end": row.end,
            "_title": False, "_sentence": row.start,
        }
        if is_base:
            base = rec
        else:
            if base is not None:
                rec["baseline_year"], rec["baseline_value"] = base["year"], base["value"]
        recs.append(rec)
    return recs
