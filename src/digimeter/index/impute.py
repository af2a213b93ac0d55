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
        raise InputError(f"unknown imputation method {value!r} (one of {', '.join(METHODS)})",
                         where=where)
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


def impute_panel(values: np.ndarray, times: np.ndarray, units: np.ndarray,
                 kind: str = "latest", max_time: int | None = None) -> np.ndarray:
    """Panel imputation over rows (unit, time): the latest earlier value, or the series
    interpolated (``linear``) or carried (``constant``) and held flat beyond its ends."""
    if kind not in ("latest", "constant", "linear", "linear-constant"):
        raise InputError(f"unknown panel imputation {kind!r}", where="impute")
    out = values.copy()
    for u in np.unique(units):
        rows = np.flatnonzero(units == u)
        rows = rows[np.argsort(times[rows])]
        t = times[rows]
        for j in range(values.shape[1]):
            y = values[rows, j]
            have = ~np.isnan(y)
            if have.all() or not have.any():
                continue
            out[rows, j] = _series(t, y, have, kind, max_time)
    return out


def _series(t: np.ndarray, y: np.ndarray, have: np.ndarray, kind: str,
            max_time: int | None) -> np.ndarray:
    out = y.copy()
    if kind == "latest":
        for i in np.flatnonzero(~have):
            earlier = np.flatnonzero(have[:i])
            if max_time is not None:
                earlier = earlier[earlier >= i - max_time]
            if earlier.size:
                out[i] = y[earlier[-1]]
        return out
    if kind == "linear-constant":
        kind = "constant" if have.sum() == 1 else "linear"
    if kind == "linear":
        out[~have] = np.interp(t[~have], t[have], y[have])
        return out
    for i in np.flatnonzero(~have):
        earlier = np.flatnonzero(have[:i])
        out[i] = y[earlier[-1]] if earlier.size else y[np.flatnonzero(have)[0]]
    return out
