"""Imputation as COINr's ``Impute()``: by column (mean, median, within groups), by row
(after min-max scaling, as COINr does), or along a panel's time axis."""

from __future__ import annotations

import warnings

import numpy as np

from digimeter.errors import InputError

METHODS = ("mean", "median", "mean_group", "median_group", "none")
ALIASES = {"i_mean": "mean", "i_median": "median", "i_mean_grp": "mean_group",
           "i_median_grp": "median_group", "mean_grp": "mean_group",
           "median_grp": "median_group"}


def method_name(value: object, where: str) -> str:
    key = ALIASES.get(str(value), str(value))
    if key not in METHODS:
        raise InputError(f"unknown imputation method {value!r} (one of {', '.join(METHODS)}, "
                         "panel)", where=where)
    return key


def _fill_columns(x: np.ndarray, method: str) -> np.ndarray:
    miss = np.isnan(x)
    if not miss.any():
        return x.copy()
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        stat = np.nanmean(x, axis=0) if method.startswith("mean") else np.nanmedian(x, axis=0)
    return np.where(miss, stat[None, :], x)


def impute_columns(x: np.ndarray, method: str, groups: np.ndarray | None = None) -> np.ndarray:
    """Each column filled with its mean or median, within ``groups`` for the *_group methods;
    units whose group is missing are left as they are."""
    if method == "none":
        return x.copy()
    if not method.endswith("group"):
        return _fill_columns(x, method)
    if groups is None:
        raise InputError(f"{method} needs a group column", where="impute")
    out = x.copy()
    for g in {v for v in groups if v is not None}:
        rows = np.array([v == g for v in groups])
        out[rows] = _fill_columns(x[rows], method)
    return out


def impute_rows(x: np.ndarray, method: str, directions: np.ndarray,
                normalise_first: bool = True) -> np.ndarray:
    """Row-wise imputation; values are min-max scaled (after Direction) first, as COINr."""
    if method.endswith("group"):
        raise InputError("group imputation works by column, not by row", where="impute")
    if not normalise_first:
        return impute_columns(x.T, method).T
    xd = x * directions
    mn, mx = np.nanmin(xd, axis=0), np.nanmax(xd, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        xn = (xd - mn) / (mx - mn)
    filled = impute_columns(xn.T, method).T
    back = (filled * (mx - mn) + mn) * directions
    return np.where(np.isnan(x), back, x)


PANEL_KINDS = ("latest", "constant", "linear")
PANEL_METHODS = ("panel", "impute_panel", "i_panel")


def panel_kind(value: object, max_time: object, where: str) -> tuple[str, int | None]:
    """The panel imputation type and ``max_time`` (time points to look back, latest only)."""
    kind = str(value)
    if kind not in PANEL_KINDS:
        raise InputError(f"unknown panel imputation type {value!r} (one of "
                         f"{', '.join(PANEL_KINDS)})", where=where)
    if max_time is None:
        return kind, None
    if kind != "latest":
        raise InputError("max_time applies to type latest only", where=where)
    if isinstance(max_time, bool) or not isinstance(max_time, int) or max_time < 1:
        raise InputError(f"max_time {max_time!r} is not a positive whole number", where=where)
    return kind, max_time


def impute_panel(values: np.ndarray, times: np.ndarray, units: np.ndarray,
                 kind: str = "latest", max_time: int | None = None) -> np.ndarray:
    """Panel imputation over rows (unit, time), each unit's columns along its Time values.

    ``latest``: COINr's ``impute_panel``, the value from the most recent earlier time point
    of the panel that has one, looking back at most ``max_time`` time points. ``constant``
    and ``linear``: R's ``approx(method = ..., rule = 2)`` over Time, so the first value
    also fills the years before it and the last the years after it.
    """
    out = values.copy()
    years = np.unique(times)
    for u in np.unique(units):
        rows = np.flatnonzero(units == u)
        rows = rows[np.argsort(times[rows], kind="stable")]
        if kind == "latest":
            out[rows] = _latest(times[rows], values[rows], years, max_time)
        else:
            out[rows] = np.column_stack([_approx(times[rows], values[rows, j], kind)
                                         for j in range(values.shape[1])])
    return out


def _latest(t: np.ndarray, y: np.ndarray, years: np.ndarray,
            max_time: int | None) -> np.ndarray:
    out = y.copy()
    position = {float(v): i for i, v in enumerate(t)}
    for i in np.flatnonzero(np.isnan(y).any(axis=1)):
        older = years[years < t[i]][::-1][:max_time]
        for year in older:
            k = position.get(float(year))
            if k is None:
                continue
            fill = np.isnan(out[i]) & ~np.isnan(y[k])
            out[i, fill] = y[k, fill]
    return out


def _approx(t: np.ndarray, y: np.ndarray, kind: str) -> np.ndarray:
    have = ~np.isnan(y)
    if have.all() or not have.any():
        return y
    out = y.copy()
    if kind == "linear":
        out[~have] = np.interp(t[~have], t[have], y[have])
        return out
    known = np.flatnonzero(have)
    before = np.searchsorted(known, np.flatnonzero(~have)) - 1
    out[~have] = y[known[np.maximum(before, 0)]]
    return out
