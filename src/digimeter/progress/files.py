"""Store-free tracking: an analyst's own targets and observations files.

targets: id, region_code, indicator, value, unit, comparator, year, baseline_year,
baseline_value (optional: form, plan_year). observations: region_code, indicator, year, value,
unit. Values are converted to each indicator's base unit. ``baseline_value`` is in the
target's unit, except for changes (percentage_point) and multiples, whose baseline is in the
indicator's base unit. Bad rows are reported with their file and row and left out; the other
rows are assessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from digimeter.errors import DigimeterError, InputError, RowError
from digimeter.imports.normalize import (
    Resolver,
    normalize,
    parse_number,
    resolve_indicator,
    resolve_region,
)
from digimeter.imports.tables import ROW, Mapping, read_table, to_long
from digimeter.indicators import conversion_factor, load_taxonomy, tidy
from digimeter.progress.assess import FORMS

TARGET_COLUMNS = ("id", "region_code", "indicator", "value", "unit", "comparator", "year",
                  "baseline_year", "baseline_value")
COMPARATORS = (">=", ">", "~", "<=", "=")
CHANGE_UNITS = {"percentage_point": "change", "multiple": "multiple"}


@dataclass
class Loaded:
    frame: pd.DataFrame
    errors: list[DigimeterError] = field(default_factory=list)


def _optional_number(text: str) -> float:
    return np.nan if text.strip() == "" else parse_number(text)


def _year(text: str) -> float:
    if text.strip() == "":
        return np.nan
    value = parse_number(text)
    if value != int(value) or not 1900 <= value <= 2200:
        raise ValueError(f"year {text!r} is not a year")
    return value


def _comparator(text: str) -> str:
    text = text.strip() or "="
    if text not in COMPARATORS:
        raise ValueError(f"comparator {text!r} is not one of {' '.join(COMPARATORS)}")
    return text


def default_form(indicator: str, unit: str) -> str:
    if unit in CHANGE_UNITS:
        return CHANGE_UNITS[unit]
    if indicator.endswith("_growth_rate"):
        return "rate"
    if indicator.endswith("_added"):
        return "flow"
    return "level"


def _form(text: str) -> str:
    if text not in FORMS:
        raise ValueError(f"form {text!r} is not one of {', '.join(FORMS)}")
    return text


def _columns(frame: pd.DataFrame, path: Path, columns: dict[str, str] | None,
             defaults: dict[str, str] | None) -> pd.DataFrame:
    """The targets table with its columns named as TARGET_COLUMNS, defaults filled in."""
    columns = columns or {}
    for name, column in columns.items():
        if name not in (*TARGET_COLUMNS, "plan_year", "form"):
            raise InputError(f"{name!r} is not a targets field", where="--map")
        if column not in frame:
            raise InputError(f"--map {name}={column}: no such column", where=str(path))
    frame = frame.rename(columns={c: f for f, c in columns.items()})
    for name, value in (defaults or {}).items():
        if name not in frame:
            frame[name] = value
    if "id" not in frame:
        frame["id"] = [f"{path.stem}-{row}" for row in frame[ROW]]
    missing = [c for c in TARGET_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; a targets file has "
                         f"{', '.join(TARGET_COLUMNS)}", where=str(path))
    return frame


def read_targets(path: Path, columns: dict[str, str] | None = None,
                 defaults: dict[str, str] | None = None) -> Loaded:
    """Targets from a file; ``columns`` names the file's own columns, ``defaults`` fills
    fields the file lacks (a region for a national plan, a comparator)."""
    frame = _columns(read_table(path), path, columns, defaults)
    res = Resolver(str(path), frame[ROW].to_numpy())
    cols = {c: res.apply(frame[c].astype(str), fn, c) for c, fn in (
        ("region_code", resolve_region), ("indicator", resolve_indicator),
        ("value", parse_number), ("comparator", _comparator), ("year", _year),
        ("baseline_year", _year), ("baseline_value", _optional_number))}
    if "plan_year" in frame:
        cols["plan_year"] = res.apply(frame["plan_year"].astype(str), _year, "plan_year")
    taxonomy = load_taxonomy()
    out = []
    for i, row in enumerate(frame.to_dict("records")):
        if res.bad[i]:
            continue
        try:
            out.append(_target_row(row, {k: v[i] for k, v in cols.items()}, taxonomy))
        except (DigimeterError, ValueError) as exc:
            message = exc.message if isinstance(exc, DigimeterError) else str(exc)
            res.errors.append(RowError(message, file=str(path), row=int(res.rows[i])))
    columns = [*TARGET_COLUMNS, "form", "direction", "plan_year", "target_unit", ROW]
    errors = sorted(res.errors, key=lambda e: e.row or 0)
    return Loaded(pd.DataFrame(out, columns=columns), list(errors))


def _target_row(row: dict, cell: dict, taxonomy) -> dict:  # noqa: ANN001
    indicator = taxonomy.get(cell["indicator"])
    unit = str(row["unit"]).strip()
    given = str(row.get("form", "")).strip()
    form = _form(given) if given else default_form(indicator.id, unit)
    if form in ("change", "multiple"):
        factor, base_factor = 1.0, 1.0
    else:
        factor = conversion_factor(unit, indicator.unit)
        base_factor = factor
    year, base_year = cell["year"], cell["baseline_year"]
    if not np.isnan(year) and not np.isnan(base_year) and year <= base_year:
        raise ValueError(f"target year {int(year)} is not after the baseline year "
                         f"{int(base_year)}")
    direction = -1 if cell["comparator"] == "<=" else indicator.direction
    return {"id": str(row["id"]), "region_code": cell["region_code"],
            "indicator": indicator.id, "value": tidy(cell["value"] * factor),
            "unit": indicator.unit,
            "comparator": cell["comparator"], "year": year, "baseline_year": base_year,
            "baseline_value": tidy(cell["baseline_value"] * base_factor), "form": form,
            "direction": direction, "plan_year": cell.get("plan_year", np.nan),
            "target_unit": unit, ROW: row[ROW]}


def read_observations(path: Path) -> Loaded:
    frame = read_table(path)
    long = to_long(frame, Mapping({"region": "region_code", "period": "year"})
                   if "region_code" in frame and "year" in frame else Mapping({}), str(path),
                   layout="long")
    norm = normalize(long, str(path), source=str(path))
    obs = norm.frame[[ROW, "region_code", "indicator", "year", "value"]]
    errors: list[DigimeterError] = list(norm.errors)
    key = ["region_code", "indicator", "year"]
    dup = obs.duplicated(key, keep="first")
    if dup.any():
        first = obs[~dup].set_index(key)[ROW]
        errors += [RowError(f"a second value for the same region, indicator and year as row "
                            f"{first.loc[(region, indicator, year)]}", file=str(path),
                            row=int(row))
                   for row, region, indicator, year in obs.loc[dup, [ROW, *key]].to_numpy()]
        obs = obs[~dup]
    return Loaded(obs.drop(columns=ROW).reset_index(drop=True), errors)
