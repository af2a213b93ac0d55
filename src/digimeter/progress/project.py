"""Projecting each target's indicator to its target year from the observed trend.

Levels of positive quantities follow a log-linear trend (constant growth rate); shares, rates
and series with a zero or negative value follow a linear one. The fit is ordinary least
squares over every observation of the series; with three or more points the projection
carries a 95 % prediction interval, with two it is the line through them. Sums per series
are computed once, so the cost is one pass over the observations whatever the number of
targets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

SERIES = ["region_code", "indicator"]
LINEAR_UNITS = ("percent", "percentage_point")
ORIGIN = 2000.0  # years are centred near zero so the sums of squares keep their precision


def _sums(obs: pd.DataFrame) -> pd.DataFrame:
    x = obs["year"].to_numpy(float) - ORIGIN
    y = obs["value"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ly = np.where(y > 0, np.log(y), np.nan)
    frame = obs[SERIES].assign(n=1.0, x=x, y=y, xx=x * x, xy=x * y, yy=y * y,
                               ly=ly, xly=x * ly, lyly=ly * ly, nonpos=(y <= 0).astype(float))
    return frame.groupby(SERIES, as_index=False).sum(min_count=1)


def _fit(n: np.ndarray, sx: np.ndarray, sy: np.ndarray, sxx: np.ndarray, sxy: np.ndarray,
         syy: np.ndarray, x0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """OLS prediction at ``x0`` and the half-width of its 95 % prediction interval."""
    with np.errstate(divide="ignore", invalid="ignore"):
        xbar, ybar = sx / n, sy / n
        sxx_c = sxx - n * xbar * xbar
        sxy_c = sxy - n * xbar * ybar
        syy_c = syy - n * ybar * ybar
        slope = np.where(sxx_c > 0, sxy_c / sxx_c, np.nan)
        pred = ybar + slope * (x0 - xbar)
        sse = np.maximum(syy_c - slope * sxy_c, 0.0)
        dof = n - 2
        s = np.sqrt(np.where(dof > 0, sse / dof, np.nan))
        tcrit = stats.t.ppf(0.975, np.where(dof > 0, dof, 1))
        half = np.where(dof > 0, tcrit * s * np.sqrt(1 + 1 / n + (x0 - xbar) ** 2 / sxx_c),
                        np.nan)
    return pred, half


def project(assessed: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """``assessed`` with projected_value, projected_low, projected_high and gap added."""
    out = assessed.merge(_sums(obs), on=SERIES, how="left")
    n = out["n"].to_numpy(float)
    x0 = out["target_year"].to_numpy(float) - ORIGIN
    linear = (out["unit"].isin(LINEAR_UNITS).to_numpy() if "unit" in out
              else np.zeros(len(out), bool)) | (out["nonpos"].fillna(0).to_numpy(float) > 0)
    lin_pred, lin_half = _fit(n, out["x"], out["y"], out["xx"], out["xy"], out["yy"], x0)
    log_pred, log_half = _fit(n, out["x"], out["ly"], out["xx"], out["xly"], out["lyly"], x0)
    with np.errstate(over="ignore"):  # a log-linear bound past float range is infinite
        pred = np.where(linear, lin_pred, np.exp(log_pred))
        low = np.where(linear, lin_pred - lin_half, np.exp(log_pred - log_half))
        high = np.where(linear, lin_pred + lin_half, np.exp(log_pred + log_half))
    enough = n >= 2
    out["projected_value"] = np.where(enough, pred, np.nan)
    out["projected_low"] = np.where(enough, low, np.nan)
    out["projected_high"] = np.where(enough, high, np.nan)
    out["gap"] = out["projected_value"] - out["target_value"]
    return out.drop(columns=["n", "x", "y", "xx", "xy", "yy", "ly", "xly", "lyly", "nonpos"])
