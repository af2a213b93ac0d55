"""Outlier treatment as COINr's ``Treat()``: a skew/kurtosis check, winsorisation one
extreme at a time, and a log transformation when winsorisation is not enough."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from digimeter.errors import InputError
from digimeter.index.stats import column_skew_kurt, skew


@dataclass(frozen=True)
class TreatSpec:
    """``f1`` (winsorise or none), ``f2`` (the fallback, or None) and their settings."""

    winmax: int | None = 5
    skew_thresh: float = 2.0
    kurt_thresh: float = 3.5
    force_win: bool = False
    f1: str = "winsorise"
    f2: str | None = "log_CT"
    combine_treat: bool = False
    boxcox_lambda: float = 1.0


@dataclass
class ColumnResult:
    x: np.ndarray
    details: dict[str, object] = field(default_factory=dict)
    points: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    """COINr's ``check_SkewKurt`` of every column: ``defined`` is False where both statistics
    are undefined (too few values), and such a column is never treated."""

    passing: np.ndarray
    skew: np.ndarray
    kurt: np.ndarray

    @property
    def defined(self) -> np.ndarray:
        return ~(np.isnan(self.skew) & np.isnan(self.kurt))

    def details(self, j: int, stage: int) -> dict[str, object]:
        name = f"check_SkewKurt{stage}"
        return {f"{name}.Pass": bool(self.passing[j]), f"{name}.Skew": float(self.skew[j]),
                f"{name}.Kurt": float(self.kurt[j])}


def check_columns(x: np.ndarray, spec: TreatSpec) -> Check:
    sk, kt = column_skew_kurt(x)
    return Check((np.abs(sk) < spec.skew_thresh) | (kt < spec.kurt_thresh), sk, kt)


@dataclass
class Winsorised:
    """Columns after winsorising; the count and flags describe the last step taken on each
    side, as COINr's; ``failed`` columns ran out of values and are left as they were."""

    x: np.ndarray
    nwin: np.ndarray
    high: np.ndarray
    low: np.ndarray
    failed: np.ndarray


def winsorise_columns(x: np.ndarray, spec: TreatSpec) -> Winsorised:
    """COINr's ``winsorise`` on every column at once: while a column fails the check (or
    ``force_win``), its most extreme value(s) on the side of its skew take the next value."""
    x = x.copy()
    m = x.shape[1]
    w = Winsorised(x, np.zeros(m, int), np.zeros(x.shape, bool), np.zeros(x.shape, bool),
                   np.zeros(m, bool))
    check = check_columns(x, spec)
    limit = np.inf if spec.winmax is None else spec.winmax
    while True:
        go = (~check.passing | spec.force_win) & ~w.failed & (w.nwin < limit)
        if not go.any():
            break
        up = go & (check.skew >= 0)
        _step(w, up, np.fmax)
        _step(w, go & ~up, np.fmin)
        w.nwin = w.high.sum(axis=0) + w.low.sum(axis=0)
        check = check_columns(w.x, spec)
        w.failed |= go & np.isnan(check.skew)
    w.x[:, w.failed] = x[:, w.failed]
    return w


def _step(w: Winsorised, cols: np.ndarray, fn: np.ufunc) -> None:
    if not cols.any():
        return
    x = w.x[:, cols]
    hit = x == fn.reduce(x, axis=0)
    rest = fn.reduce(np.where(hit, np.nan, x), axis=0)
    empty = np.isnan(rest)
    w.failed[np.flatnonzero(cols)[empty]] = True
    hit[:, empty] = False
    w.x[:, cols] = np.where(hit, rest, x)
    (w.high if fn is np.fmax else w.low)[:, cols] = hit


def log_ct(x: np.ndarray) -> np.ndarray:
    mn, mx = np.nanmin(x), np.nanmax(x)
    return np.log(x - mn + 0.01 * (mx - mn))


def log_ct_plus(x: np.ndarray) -> np.ndarray:
    mn, mx = np.nanmin(x), np.nanmax(x)
    a = 0.01 * (mx - mn)
    return np.log(x - mn + a) if skew(x) > 0 else -np.log(mx + a - x)


def log_ct_orig(x: np.ndarray) -> np.ndarray:
    return np.log(x - np.nanmin(x) + 1)


def boxcox(x: np.ndarray, lam: float) -> np.ndarray:
    x = x - np.nanmin(x) + 1
    return np.log(x) if lam == 0 else (x**lam - 1) / lam


TRANSFORMS: dict[str, Callable[[np.ndarray, TreatSpec], np.ndarray]] = {
    "log_CT": lambda x, s: log_ct(x),
    "log_CT_plus": lambda x, s: log_ct_plus(x),
    "log_CT_orig": lambda x, s: log_ct_orig(x),
    "boxcox": lambda x, s: boxcox(x, s.boxcox_lambda),
}
ALIASES = {k.lower(): k for k in TRANSFORMS} | {"none": None, "winsorise": "winsorise"}


def transform_name(name: str | None, where: str) -> str | None:
    if name is None:
        return None
    key = str(name).lower()
    if key not in ALIASES:
        raise InputError(f"unknown treatment {name!r} (one of winsorise, "
                         f"{', '.join(TRANSFORMS)}, none)", where=where)
    return ALIASES[key]


def treat_column(x: np.ndarray, spec: TreatSpec) -> ColumnResult:
    """COINr's ``Treat.numeric`` for one indicator; ValueError when it cannot be treated."""
    res = treat_columns(x[:, None], spec)
    if res.failed[0]:
        raise ValueError("winsorisation ran out of values")
    return ColumnResult(res.values[:, 0], res.details[0], res.points[0])


@dataclass
class ColumnsResult:
    values: np.ndarray
    details: list[dict[str, object]]
    points: list[list[str]]
    failed: np.ndarray


def treat_columns(x: np.ndarray, spec: TreatSpec) -> ColumnsResult:
    """COINr's ``Treat.numeric`` for every column of ``x`` under one spec: the check,
    winsorisation of the failing columns, then ``f2`` on those still failing."""
    m = x.shape[1]
    check0 = check_columns(x, spec)
    out = x.copy()
    defined = check0.defined
    details = [check0.details(j, 0) if defined[j] else {} for j in range(m)]
    passing = check0.passing.copy()
    high, low = np.zeros(x.shape, bool), np.zeros(x.shape, bool)
    failed = np.zeros(m, bool)
    cols = np.flatnonzero(~passing & defined)
    if spec.f1 == "winsorise" and cols.size:
        w = winsorise_columns(x[:, cols], spec)
        out[:, cols], high[:, cols], low[:, cols] = w.x, w.high, w.low
        failed[cols] = w.failed
        check1 = check_columns(w.x, spec)
        passing[cols] = check1.passing
        for k, j in enumerate(cols):
            details[j] |= {"winsorise.nwin": int(w.nwin[k]), **check1.details(k, 1)}
    flags = np.where(low, "winlo", np.where(high, "winhi", ""))
    points = [flags[:, j].tolist() if details[j] else [] for j in range(m)]
    for j in np.flatnonzero(~passing & defined & ~failed):
        if spec.f2 is not None:
            out[:, j] = _fallback(x[:, j], out[:, j], spec, details[j], points[j])
    return ColumnsResult(out, details, points, failed)


def _fallback(x: np.ndarray, x1: np.ndarray, spec: TreatSpec, details: dict[str, object],
              points: list[str]) -> np.ndarray:
    assert spec.f2 is not None
    x2 = TRANSFORMS[spec.f2](x1 if spec.combine_treat else x, spec)
    details |= check_columns(x2[:, None], spec).details(0, 2)
    points[:] = [f"{p}+{spec.f2}" for p in points]
    return x2


@dataclass
class TreatResult:
    values: np.ndarray
    details: dict[str, dict[str, object]]
    points: dict[str, list[str]]


def treat(codes: tuple[str, ...], values: np.ndarray, spec: TreatSpec,
          overrides: Mapping[str, TreatSpec | None] | None = None) -> TreatResult:
    """Treat every column, the columns sharing a spec together; an override of None leaves
    that indicator untouched, as does a winsorisation that runs out of values."""
    overrides = overrides or {}
    by_spec: dict[TreatSpec, list[int]] = {}
    for j, code in enumerate(codes):
        col_spec = overrides.get(code, spec)
        if col_spec is not None:
            by_spec.setdefault(col_spec, []).append(j)
    out = values.copy()
    details: dict[str, dict[str, object]] = {}
    points: dict[str, list[str]] = {}
    for col_spec, cols in by_spec.items():
        res = treat_columns(values[:, cols], col_spec)
        for k, j in enumerate(cols):
            if res.failed[k]:
                continue
            out[:, j] = res.values[:, k]
            if res.details[k]:
                details[codes[j]] = res.details[k]
            if res.points[k]:
                points[codes[j]] = res.points[k]
    return TreatResult(out, details, points)


def spec_from(settings: Mapping[str, object], where: str, base: TreatSpec = TreatSpec()
              ) -> TreatSpec:
    """A TreatSpec from pipeline settings (COINr names, plus ``fallback`` for f2)."""
    known = {"winmax", "skew_thresh", "kurt_thresh", "force_win", "f1", "f2", "fallback",
             "combine_treat", "lambda", "indicators"}
    unknown = set(settings) - known
    if unknown:
        raise InputError(f"unknown treat setting(s) {', '.join(sorted(unknown))}", where=where)
    spec = base
    if "winmax" in settings:
        wm = settings["winmax"]
        spec = replace(spec, winmax=None if wm is None else _int(wm, "winmax", where))
    for key in ("skew_thresh", "kurt_thresh"):
        if key in settings:
            spec = replace(spec, **{key: _float(settings[key], key, where)})
    if "force_win" in settings:
        spec = replace(spec, force_win=bool(settings["force_win"]))
    if "combine_treat" in settings:
        spec = replace(spec, combine_treat=bool(settings["combine_treat"]))
    if "lambda" in settings:
        spec = replace(spec, boxcox_lambda=_float(settings["lambda"], "lambda", where))
    if "f1" in settings:
        f1 = transform_name(settings["f1"], where)  # type: ignore[arg-type]
        spec = replace(spec, f1=f1 or "none")
        if f1 not in ("winsorise", None):
            spec = replace(spec, f1="none", f2=f1)
    for key in ("f2", "fallback"):
        if key in settings:
            f2 = transform_name(settings[key], where)  # type: ignore[arg-type]
            if f2 == "winsorise":
                raise InputError("the fallback cannot be winsorise", where=where)
            spec = replace(spec, f2=f2)
    return spec


def _int(value: object, key: str, where: str) -> int:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{key} {value!r} is not a number", where=where) from None
    if number != int(number) or number < 0:
        raise InputError(f"{key} {value!r} is not a non-negative integer", where=where)
    return int(number)


def _float(value: object, key: str, where: str) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{key} {value!r} is not a number", where=where) from None
