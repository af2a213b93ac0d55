"""Reading yearbook tables (CSV, Excel) and bringing them to one long layout.

Every cell is read as text so that a bad cell is reported with its row instead of turning a
whole column into floats or NaN. Row numbers are those a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from charset_normalizer import from_bytes

from digimeter.errors import InputError

ROW = "_row"

SYNONYMS: dict[str, tuple[str, ...]] = {
    "region": ("region", "region_code", "geo", "area", "province", "city", "ucode", "地区",
               "地区代码", "省份", "城市", "行政区划代码"),
    "indicator": ("indicator", "indicator_id", "indicator_code", "icode", "series", "指标",
                  "指标代码"),
    "period": ("period", "year", "date", "time", "period_ytd", "年份", "时间", "日期", "年度"),
    "value": ("value", "obs_value", "数值", "值"),
    "unit": ("unit", "units", "单位", "计量单位"),
    "source": ("source", "来源", "数据来源"),
    "source_url": ("source_url", "url", "address", "链接"),
    "value_published": ("value_published",),
    "unit_published": ("unit_published",),
    "note": ("note", "notes", "remark", "备注", "说明"),
}
FIELDS = tuple(SYNONYMS)
YEAR_HEADER = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:年)?\s*$")


@dataclass(frozen=True)
class Mapping:
    """Which column of the file holds each field; unset fields are found by their synonyms."""

    columns: dict[str, str]

    @classmethod
    def parse(cls, pairs: list[str] | None) -> Mapping:
        columns: dict[str, str] = {}
        for pair in pairs or []:
            field, sep, column = pair.partition("=")
            if not sep or field.strip() not in FIELDS:
                raise InputError(f"mapping {pair!r} is not FIELD=COLUMN with FIELD one of "
                                 f"{', '.join(FIELDS)}", where="--map")
            columns[field.strip()] = column.strip()
        return cls(columns)


@dataclass(frozen=True)
class Crosswalk:
    """Codes of the file's own (field, from) → the project's; an empty ``to`` drops the row.

    Yearbooks and research tables use their own indicator and region codes; a crosswalk file
    (columns field, from, to, note) says once what each means here, and why a row is left out.
    """

    codes: dict[str, dict[str, str]]

    @classmethod
    def read(cls, path: Path) -> Crosswalk:
        frame = read_table(path)
        missing = {"field", "from", "to"} - set(frame.columns)
        if missing:
            raise InputError(f"a crosswalk needs the columns field, from, to; "
                             f"missing {', '.join(sorted(missing))}", where=str(path))
        codes: dict[str, dict[str, str]] = {}
        for field, source, target, row in frame[["field", "from", "to", ROW]].itertuples(
                index=False):
            if field not in ("region", "indicator", "unit"):
                raise InputError(f"field {field!r} is not region, indicator or unit",
                                 where=f"{path}, row {row}")
            codes.setdefault(field, {})[source] = target
        return cls(codes)

    def apply(self, long: pd.DataFrame) -> tuple[pd.DataFrame, int]:
        """The table with codes replaced, and the number of rows dropped on purpose."""
        dropped = pd.Series(False, index=long.index)
        for field, codes in self.codes.items():
            if field in long:
                long[field] = long[field].map(lambda v, c=codes: c.get(v, v))
                dropped |= long[field] == ""
        return long[~dropped], int(dropped.sum())


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError("cannot decode the file's text (not UTF-8, GB18030 or Big5)",
                         where=where)
    return str(best)


def read_table(path: Path, sheet: str | None = None) -> pd.DataFrame:
    """The file's cells as strings, with a ``_row`` column of spreadsheet row numbers."""
    where = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=str, keep_default_na=False)
        else:
            from io import StringIO

            text = _decode(path.read_bytes(), where)
            frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False,
                                skipinitialspace=True)
    except InputError:
        raise
    except (ValueError, OSError, pd.errors.ParserError, KeyError) as exc:
        raise InputError(f"cannot read the table: {exc}", where=where) from exc
    if frame.empty:
        raise InputError("the table has no rows", where=where)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame[ROW] = range(2, len(frame) + 2)
    return frame


def _find(columns: list[str], field: str, mapping: Mapping) -> str | None:
    if field in mapping.columns:
        return mapping.columns[field]
    lowered = {c.casefold(): c for c in columns}
    for name in SYNONYMS[field]:
        if name.casefold() in lowered:
            return lowered[name.casefold()]
    return None


def year_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if YEAR_HEADER.match(str(c))]


def to_long(frame: pd.DataFrame, mapping: Mapping, where: str,
            layout: str = "auto") -> pd.DataFrame:
    """The table in long layout with columns named by FIELDS (missing ones absent)."""
    columns = [c for c in frame.columns if c != ROW]
    for field, column in mapping.columns.items():
        if column not in columns:
            raise InputError(f"--map {field}={column}: no such column (columns: "
                             f"{', '.join(columns)})", where=where)
    found = {f: _find(columns, f, mapping) for f in FIELDS}
    years = year_columns(frame)
    if layout == "auto":
        layout = "long" if found["value"] else "wide" if years else "long"
    if layout == "wide":
        if not years:
            raise InputError("wide layout needs year columns such as 2020, 2021",
                             where=where)
        ids = [c for c in (found[f] for f in FIELDS if f not in ("period", "value")) if c]
        frame = frame.melt(id_vars=[ROW, *ids], value_vars=years, var_name="__period",
                           value_name="__value")
        frame = frame[frame["__value"].str.strip() != ""]
        frame["__period"] = frame["__period"].str.extract(YEAR_HEADER)[0]
        found["period"], found["value"] = "__period", "__value"
        frame = frame.sort_values([ROW, "__period"], kind="stable")
    for required in ("region", "indicator", "period", "value"):
        if not found[required]:
            raise InputError(f"no {required} column (columns: {', '.join(columns)}); "
                             f"name it with --map {required}=COLUMN", where=where)
    out = pd.DataFrame({ROW: frame[ROW].to_numpy()})
    for field, column in found.items():
        if column:
            out[field] = _stripped(frame[column].astype(str))
    return out


def _stripped(values: pd.Series) -> np.ndarray:
    """Cells without surrounding spaces; each distinct cell is stripped once."""
    return values.map({v: v.strip() for v in pd.unique(values)}).to_numpy()
