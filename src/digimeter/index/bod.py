"""Benefit of the doubt: each unit gets the weights that maximise its own score, subject to no
unit scoring above 1 under those weights (a DEA model with unit inputs). COINr lacks it.

Optional pie-share restrictions keep each indicator's share of the unit's score within
[lower, upper], so no indicator can be ignored or dominate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from digimeter.errors import InputError


@dataclass(frozen=True)
class BodResult:
    scores: np.ndarray
    weights: np.ndarray


def check_bod_data(x: np.ndarray, where: str = "benefit of the doubt") -> None:
    if np.isnan(x).any():
        raise InputError("benefit of the doubt needs complete data: impute first", where=where)
    if (x < 0).any():
        raise InputError("benefit of the doubt needs non-negative values: normalise to a "
                         "non-negative range first", where=where)


def _usable(x: np.ndarray) -> bool:
    return not (np.isnan(x).any() or (x < 0).any())


def _constraints(x: np.ndarray, i: int, lower: float, upper: float
                 ) -> tuple[np.ndarray, np.ndarray]:
    rows = [x]
    y = x[i]
    k = x.shape[1]
    if lower > 0:
        rows.append(lower * np.tile(y, (k, 1)) - np.diag(y))
    if upper < 1:
        rows.append(np.diag(y) - upper * np.tile(y, (k, 1)))
    a = np.vstack(rows)
    b = np.r_[np.ones(x.shape[0]), np.zeros(a.shape[0] - x.shape[0])]
    return a, b


def bod(x: np.ndarray, lower: float = 0.0, upper: float = 1.0,
        where: str = "benefit of the doubt") -> BodResult:
    """Scores (U,) in [0, 1] and each unit's weights (U, K) for units by indicators ``x``."""
    check_bod_data(x, where)
    if not 0 <= lower <= upper <= 1 or lower * x.shape[1] > 1 or upper * x.shape[1] < 1:
        raise InputError(f"share bounds lower {lower} and upper {upper} are not feasible for "
                         f"{x.shape[1]} indicators", where=where)
    units, k = x.shape
    bounds = [(0.0, 0.0) if not x[:, j].any() else (0.0, None) for j in range(k)]
    scores, weights = np.zeros(units), np.zeros((units, k))
    for i in range(units):
        if not x[i].any():
            continue
        a, b = _constraints(x, i, lower, upper)
        res = linprog(-x[i], A_ub=a, b_ub=b, bounds=bounds, method="highs")
        if res.status != 0:
            raise InputError(f"the linear programme for unit {i + 1} failed: {res.message}",
                             where=where)
        weights[i] = res.x
        scores[i] = float(x[i] @ res.x)
    return BodResult(scores, weights)


def bod_aggregate(x: np.ndarray, w: np.ndarray, lower: float = 0.0, upper: float = 1.0,
                  **_: object) -> np.ndarray:
    """Aggregation by benefit of the doubt: (R, U, C) children -> (R, U) scores; the nominal
    weights ``w`` are not used, since each unit chooses its own."""
    out = np.stack([bod(x[r], lower, upper).scores if _usable(x[r])
                    else np.full(x.shape[1], np.nan) for r in range(x.shape[0])])
    return np.broadcast_to(out, (max(w.shape[0], x.shape[0]), x.shape[1]))


def bod_weights(values: Mapping[str, np.ndarray],
                groups: Sequence[tuple[str, Sequence[str], Mapping[str, float]]]
                ) -> tuple[list[str], np.ndarray]:
    """The weights each unit chose in every benefit-of-the-doubt aggregation: ``groups`` are
    (parent, children, share bounds); ``values`` the children's columns. Returns the children
    codes and a (units, children) matrix, NaN where a group could not be computed."""
    codes: list[str] = []
    blocks: list[np.ndarray] = []
    for _parent, kids, params in groups:
        x = np.column_stack([values[c] for c in kids])
        if _usable(x):
            w = bod(x, float(params.get("lower", 0.0)), float(params.get("upper", 1.0))).weights
        else:
            w = np.full(x.shape, np.nan)
        codes.extend(kids)
        blocks.append(w)
    return codes, np.hstack(blocks) if blocks else np.empty((0, 0))
