"""Weights optimised for the balance of correlations: COINr's ``get_opt_weights``.

The weights at one level are varied; for each trial the index is re-aggregated and each
element at that level is correlated with the index. ``balance`` minimises
``log(mean((itarg - r / sum(r))^2))``, the distance between the normalised correlations and
the target importances ``itarg``, starting from ``itarg``; ``infomax`` maximises the sum of
the correlations, starting from the current weights. As in COINr the search is Nelder-Mead
and the weights are rescaled to sum to 1; here they are kept non-negative (|w|).
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
        r = problem.correlations(w / w.sum())
        if np.isnan(r).any():
            return np.inf
        if desired is None:
            return -float(r.sum())
        msd = float(np.mean((desired - r / r.sum()) ** 2))
        return float(np.log(max(msd, 1e-300)))

    start = desired if desired is not None else np.array([problem.weights[c] for c in codes])
    res = minimize(objective, start, method="Nelder-Mead",
                   options={"maxiter": maxiter, "xatol": toler, "fatol": toler})
    w = np.abs(res.x) / np.abs(res.x).sum()
    r = problem.correlations(w)
    obtained = r / r.sum() if desired is not None else r
    return OptResult(codes, dict(zip(codes, map(float, w), strict=True)), desired, obtained,
                     bool(res.success))
