"""Weights optimised for the balance of correlations: COINr's ``get_opt_weights``.

The weights at one level are varied; for each trial the index is re-aggregated (with the
pipeline's own aggregation, as COINr's ``Regen`` does) and each element at that level is
correlated with the top aggregate it belongs to. ``balance`` minimises
``log(sum((itarg - r / sum(r))^2) / n)``, the distance between the normalised correlations
and the target importances ``itarg`` (default equal), starting from ``itarg``; ``infomax``
minimises ``-sum(r)``, starting from the current weights. As in COINr the search is
Nelder-Mead and the weights are rescaled to sum to 1. Differences: the weights are kept
non-negative (|w|: COINr's search can wander into negative weights); the default tolerance
is 1e-6 on weights and objective (COINr: ``reltol = 0.1``); and a list ``itarg`` is read in
iMeta order, whereas COINr compares it with correlations in the alphabetical order of
``get_corr``'s merge (a mapping code -> importance avoids the question).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import minimize

from digimeter.errors import InputError
from digimeter.index import aggregate as agg
from digimeter.index.analysis import corr_matrix
from digimeter.index.data import Table
from digimeter.index.framework import Framework

OPTYPES = ("balance", "infomax")


@dataclass(frozen=True)
class OptResult:
    codes: tuple[str, ...]
    weights: dict[str, float]
    desired: np.ndarray | None
    obtained: np.ndarray
    converged: bool


@dataclass(frozen=True)
class OptProblem:
    table: Table
    fw: Framework
    spec: agg.AggSpec
    weights: Mapping[str, float]
    level: int
    cortype: str = "pearson"

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.fw.elements if e.level == self.level)

    def correlations(self, w: np.ndarray) -> np.ndarray:
        """Each element at the level against the top aggregate it belongs to."""
        weights = {**self.weights, **dict(zip(self.codes, w, strict=True))}
        ind = [c for c in self.table.codes if c in self.fw.indicators]
        wcodes = list(weights)
        out_codes, values = agg.aggregate(self.table.select(ind)[None], ind, self.fw,
                                          self.spec, np.array([[weights[c] for c in wcodes]]),
                                          wcodes, True, self.table.units)
        columns = dict(zip(ind, self.table.select(ind).T, strict=True))
        columns.update(zip(out_codes, values[0].T, strict=True))
        top = self.fw.max_level
        return np.array([corr_matrix(columns[c][:, None],
                                     columns[self.fw.ancestor(c, top)][:, None],
                                     self.cortype)[0][0, 0] for c in self.codes])


def targets(itarg: Any, codes: Sequence[str], where: str) -> np.ndarray:
    """``equal``, a mapping code -> importance, or a list in iMeta order; sums to 1."""
    if itarg is None or itarg == "equal":
        t = np.ones(len(codes))
    elif isinstance(itarg, Mapping):
        unknown = set(itarg) - set(codes)
        if unknown or len(itarg) != len(codes):
            raise InputError(f"itarg names {', '.join(map(str, itarg))}, not the codes at "
                             f"this level: {', '.join(codes)}", where=where)
        t = np.array([_number(itarg[c], where) for c in codes])
    elif isinstance(itarg, list) and len(itarg) == len(codes):
        t = np.array([_number(v, where) for v in itarg])
    else:
        raise InputError(f"itarg is 'equal', a mapping or a list of {len(codes)} numbers",
                         where=where)
    if (t < 0).any() or t.sum() <= 0:
        raise InputError("itarg must be non-negative and not all zero", where=where)
    return t / t.sum()


def _number(value: object, where: str) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"itarg value {value!r} is not a number", where=where) from None


def opt_objective(r: np.ndarray, desired: np.ndarray | None) -> float:
    """COINr's objective for correlations ``r``: ``log(mean((itarg - r / sum(r))^2))`` for
    balance, ``-sum(r)`` for infomax (``desired`` None); inf when a correlation is missing."""
    if np.isnan(r).any():
        return np.inf
    if desired is None:
        return -float(r.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        msd = float(np.mean((desired - r / r.sum()) ** 2))
    return float(np.log(max(msd, 1e-300))) if np.isfinite(msd) else np.inf


def optimise_weights(problem: OptProblem, itarg: Any = "equal", optype: str = "balance",
                     toler: float = 1e-6, maxiter: int = 500,
                     where: str = "weights") -> OptResult:
    if optype not in OPTYPES:
        raise InputError(f"unknown optype {optype!r} (balance or infomax)", where=where)
    codes = problem.codes
    if len(codes) < 2:
        raise InputError(f"level {problem.level} has fewer than two elements to weight",
                         where=where)
    desired = targets(itarg, codes, where) if optype == "balance" else None

    def objective(v: np.ndarray) -> float:
        w = np.abs(v)
        if w.sum() == 0:
            return np.inf
        return opt_objective(problem.correlations(w / w.sum()), desired)

    current = np.array([problem.weights[c] for c in codes], dtype=float)
    start = desired if desired is not None else current
    options = {"maxiter": maxiter, "xatol": toler, "fatol": toler}
    res = minimize(objective, start, method="Nelder-Mead", options=options)
    if desired is not None and objective(current) < res.fun:
        # COINr starts from itarg only; a search stuck above the current weights is
        # restarted from them, so the result is never less balanced than what it replaces.
        again = minimize(objective, current, method="Nelder-Mead", options=options)
        res = again if again.fun < res.fun else res
    w = np.abs(res.x) / np.abs(res.x).sum()
    r = problem.correlations(w)
    obtained = r / r.sum() if desired is not None else r
    return OptResult(codes, dict(zip(codes, map(float, w), strict=True)), desired, obtained,
                     bool(res.success))
