"""Outlier treatment as COINr's ``Treat()``: a skew/kurtosis check, winsorisation one
extreme at a time, and a log transformation when winsorisation is not enough."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from digimeter.errors import InputError
from digimeter.index.stats import column_skew_kurt, skew, skew_kurt


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


def check_skew_kurt(x: np.ndarray, spec: TreatSpec) -> tuple[bool | None, float, float]:
    sk, kt = skew_kurt(x)
    if np.isnan(sk) and np.isnan(kt):
        return None, sk, kt
    passing = bool(abs(sk) < spec.skew_thresh) or bool(kt < spec.kurt_thresh)
    return passing, sk, kt


def winsorise(x: np.ndarray, spec: TreatSpec) -> tuple[np.ndarray, int, np.ndarray]:
    """COINr's ``winsorise``: the count and flags describe the last step taken on each side."""
    x = x.copy()
    passing, sk, _ = check_skew_kurt(x, spec)
    nwin = 0
    imax = imin = np.array([], dtype=int)
    while (not passing or spec.force_win) and (spec.winmax is None or nwin < spec.winmax):
        if sk >= 0:
            imax = np.flatnonzero(x == np.nanmax(x))
            x[imax] = _extreme(np.delete(x, imax), np.nanmax)
        else:
            imin = np.flatnonzero(x == np.nanmin(x))
            x[imin] = _extreme(np.delete(x, imin), np.nanmin)
        nwin = imax.size + imin.size
        passing, sk, _ = check_skew_kurt(x, spec)
        if np.isnan(sk):
            raise ValueError("skewness is undefined after winsorising")
    flags = np.full(x.size, "", dtype=object)
    flags[imax] = "winhi"
    flags[imin] = "winlo"
    return x, nwin, flags


def _extreme(rest: np.ndarray, fn: Callable[[np.ndarray], float]) -> float:
    rest = rest[~np.isnan(rest)]
    if rest.size == 0:
        raise ValueError("no values left to winsorise to")
    return float(fn(rest))


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
    """COINr's ``Treat.numeric`` for one indicator."""
    passing, sk, kt = check_skew_kurt(x, spec)
    if passing is None:
        return ColumnResult(x.copy())
    details: dict[str, object] = {"check_SkewKurt0.Pass": passing,
                                  "check_SkewKurt0.Skew": sk, "check_SkewKurt0.Kurt": kt}
    win_flags = np.full(x.size, "", dtype=object)
    x1 = x
    if not passing and spec.f1 == "winsorise":
        x1, nwin, win_flags = winsorise(x, spec)
        details["winsorise.nwin"] = nwin
        passing, sk, kt = check_skew_kurt(x1, spec)
        details |= {"check_SkewKurt1.Pass": passing, "check_SkewKurt1.Skew": sk,
                    "check_SkewKurt1.Kurt": kt}
    x2, points = x1, win_flags
    if not passing and spec.f2 is not None:
        base = x1 if spec.combine_treat else x
        x2 = TRANSFORMS[spec.f2](base, spec)
        passing, sk, kt = check_skew_kurt(x2, spec)
        details |= {"check_SkewKurt2.Pass": passing, "check_SkewKurt2.Skew": sk,
                    "check_SkewKurt2.Kurt": kt}
        points = np.full(x.size, f"+{spec.f2}", dtype=object)
        flagged = np.flatnonzero(win_flags != "")
        points[flagged] = [f"{w}+{spec.f2}" for w in win_flags[flagged]]
    return ColumnResult(x2, details, list(points))


@dataclass
class TreatResult:
    values: np.ndarray
    details: dict[str, dict[str, object]]
    points: dict[str, list[str]]


def treat(codes: tuple[str, ...], values: np.ndarray, spec: TreatSpec,
          overrides: Mapping[str, TreatSpec | None] | None = None) -> TreatResult:
    """Treat every column; an override of None leaves that indicator untouched."""
    overrides = overrides or {}
    out = values.copy()
    details: dict[str, dict[str, object]] = {}
    points: dict[str, list[str]] = {}
    sk, kt = column_skew_kurt(values)
    for j, code in enumerate(codes):
        col_spec = overrides.get(code, spec)
        if col_spec is None:
            continue
        if col_spec is spec and not spec.force_win and (abs(sk[j]) < spec.skew_thresh
                                                        or kt[j] < spec.kurt_thresh):
            details[code] = {"check_SkewKurt0.Pass": True, "check_SkewKurt0.Skew": sk[j],
                             "check_SkewKurt0.Kurt": kt[j]}
            points[code] = [""] * values.shape[0]
            continue
        try:
            res = treat_column(values[:, j], col_spec)
        except ValueError:
            continue
        out[:, j] = res.x
        if res.details:
            details[code] = res.details
        if res.points:
            points[code] = res.points
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
