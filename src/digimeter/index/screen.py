"""Unit screening as COINr's ``Screen()``: drop units with too little data or too many zeros."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from digimeter.errors import InputError
from digimeter.index.data import Table

RULES = ("byNA", "byzeros", "byNAandzeros")
ALIASES = {"na": "byNA", "byna": "byNA", "zeros": "byzeros", "byzeros": "byzeros",
           "both": "byNAandzeros", "naandzeros": "byNAandzeros",
           "bynaandzeros": "byNAandzeros"}


@dataclass(frozen=True)
class ScreenResult:
    table: Table
    summary: list[dict[str, object]]
    removed: tuple[str, ...]


def rule_name(value: object, where: str) -> str:
    key = str(value).lower()
    if key not in ALIASES:
        raise InputError(f"unknown screening rule {value!r} (na, zeros or both)", where=where)
    return ALIASES[key]


def screen(table: Table, rule: str = "byNA", dat_thresh: float | None = None,
           nonzero_thresh: float | None = None, force: Mapping[str, bool] | None = None,
           where: str = "screen") -> ScreenResult:
    dat_thresh = 2 / 3 if dat_thresh is None else float(dat_thresh)
    nonzero_thresh = 0.05 if nonzero_thresh is None else float(nonzero_thresh)
    for name, t in (("dat_thresh", dat_thresh), ("nonzero_thresh", nonzero_thresh)):
        if not 0 <= t <= 1:
            raise InputError(f"{name} {t} is not between 0 and 1", where=where)
    x = table.values
    n_na = np.isnan(x).sum(axis=1)
    n_zero = (x == 0).sum(axis=1)
    avail = 1 - n_na / x.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        nonzero = 1 - n_zero / (x.shape[1] - n_na)
    low_data, low_nonzero = avail < dat_thresh, nonzero < nonzero_thresh
    included = {"byNA": ~low_data, "byzeros": ~low_nonzero,
                "byNAandzeros": ~(low_data | low_nonzero)}[rule].copy()
    for unit, keep in (force or {}).items():
        if unit not in table.units:
            raise InputError(f"forced unit {unit!r} is not in the data", where=where)
        included[table.units.index(unit)] = bool(keep)
    summary = [{"uCode": u, "N_missing": int(n_na[i]), "N_zero": int(n_zero[i]),
                "N_miss_or_zero": int(n_na[i] + n_zero[i]), "Dat_Avail": float(avail[i]),
                "Non_Zero": float(nonzero[i]), "LowData": bool(low_data[i]),
                "LowNonZero": bool(low_nonzero[i]),
                "LowDatOrZeroFlag": bool(low_data[i] or low_nonzero[i]),
                "Included": bool(included[i])} for i, u in enumerate(table.units)]
    removed = tuple(u for u, k in zip(table.units, included, strict=True) if not k)
    return ScreenResult(table.rows(included), summary, removed)
