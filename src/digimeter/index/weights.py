"""Weights: named sets, files in COINr's long form, PCA weights, noisy weights."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from digimeter.errors import InputError, RowError
from digimeter.index.data import numeric_column, read_table
from digimeter.index.framework import Framework

if TYPE_CHECKING:
    from digimeter.index.pipeline import Coin


def read_weight_sets(path: Path) -> dict[str, dict[str, float]]:
    """Long form ``wset, iCode, Level, Weight`` (``wset`` optional: one set named 'file')."""
    frame = read_table(path)
    file = str(path)
    for column in ("iCode", "Weight"):
        if column not in frame.columns:
            raise RowError(f"no {column} column", file=file, row=1, column=column)
    weights = numeric_column(frame, "Weight", file)
    sets: dict[str, dict[str, float]] = {}
    names = frame["wset"] if "wset" in frame.columns else ["file"] * len(frame)
    for i, (name, code) in enumerate(zip(names, frame["iCode"], strict=True)):
        if code is None or np.isnan(weights[i]):
            raise RowError("empty iCode or Weight", file=file, row=i + 2,
                           column="iCode" if code is None else "Weight")
        key = _set_name(name)
        sets.setdefault(key, {})[code] = float(weights[i])
    return sets


def _set_name(name: object) -> str:
    try:
        number = float(name)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(name)
    return str(int(number)) if number == int(number) else str(name)


def check_weights(weights: Mapping[str, float], fw: Framework, where: str) -> dict[str, float]:
    """Complete ``weights`` from the framework's own, rejecting codes it does not have."""
    unknown = [c for c in weights if c not in fw]
    if unknown:
        raise InputError(f"weights for unknown code(s) {', '.join(unknown[:5])}", where=where)
    return {**fw.weights(), **{k: float(v) for k, v in weights.items()}}


def resolve_weights(coin: Coin, settings: Mapping[str, Any], where: str) -> dict[str, float]:
    fw = coin.framework
    weights = dict(coin.weights)
    if "set" in settings:
        name = _set_name(settings["set"])
        if name not in coin.weight_sets:
            raise InputError(f"no weight set {name!r} (have {', '.join(coin.weight_sets)})",
                             where=where)
        weights = check_weights(coin.weight_sets[name], fw, where)
    if "file" in settings:
        sets = read_weight_sets(Path(settings["file"]))
        weights = check_weights(next(iter(sets.values())), fw, where)
    method = settings.get("method")
    if method in ("equal",):
        weights = {c: 1.0 for c in weights}
    elif method in ("meta", "original"):
        weights = fw.weights()
    elif method == "pca":
        level = int(settings.get("level", 1))
        weights.update(pca_weights(coin.dset(), fw, level))
    elif method in ("optimise", "optimize", "opt"):
        weights.update(_optimised(coin, settings, weights, where))
    elif method is not None:
        raise InputError(f"unknown weighting method {method!r} (equal, meta, pca, optimise)",
                         where=where)
    if "weights" in settings:
        weights.update(check_weights(dict(settings["weights"]), fw, where))
    return weights


def _optimised(coin: Coin, settings: Mapping[str, Any], weights: Mapping[str, float],
               where: str) -> dict[str, float]:
    """COINr's ``get_opt_weights`` on the latest data set; details go to analysis."""
    from digimeter.index.aggregate import spec_from
    from digimeter.index.optweights import OptProblem, optimise_weights

    fw = coin.framework
    level = settings.get("level")
    if not isinstance(level, int) or not 1 <= level < fw.max_level:
        raise InputError(f"optimise needs a level between 1 and {fw.max_level - 1}",
                         where=where)
    how = settings.get("aggregate", "amean")
    spec = spec_from(how if isinstance(how, Mapping) else {"method": how}, fw, where)
    problem = OptProblem(coin.dset(), fw, spec, weights, level,
                         str(settings.get("cortype", "pearson")))
    res = optimise_weights(problem, settings.get("itarg", "equal"),
                           str(settings.get("optype", "balance")),
                           float(settings.get("toler", 1e-6)),
                           int(settings.get("maxiter", 500)), where)
    coin.analysis["Weights"] = {"codes": res.codes, "desired": res.desired,
                                "obtained": res.obtained, "weights": res.weights,
                                "converged": res.converged}
    return res.weights


def pca_weights(table: Any, fw: Framework, level: int = 1) -> dict[str, float]:
    """First principal component loadings of ``prcomp(center, scale)`` within each parent;
    rows with a missing value are dropped, as COINr does. The sign is arbitrary."""
    out: dict[str, float] = {}
    codes = [c for c in fw.level_codes(level) if c in table.codes]
    parents: list[str] = []
    for c in codes:
        p = fw[c].parent
        if p is not None and p not in parents:
            parents.append(p)
    for parent in parents:
        kids = [c for c in codes if fw[c].parent == parent]
        x = table.select(kids)
        x = x[~np.isnan(x).any(axis=1)]
        if len(kids) == 1:
            out[kids[0]] = 1.0
            continue
        z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
        _, _, vt = np.linalg.svd(z, full_matrices=False)
        out.update(zip(kids, map(float, vt[0]), strict=True))
    return out


def noisy_weights(base: Mapping[str, float], fw: Framework, noise: Mapping[int, float], n: int,
                  rng: np.random.Generator) -> list[dict[str, float]]:
    """COINr's ``get_noisy_weights``: each weight at a listed level times 1 ± U(0, factor)."""
    out = []
    for _ in range(n):
        w = dict(base)
        for level, factor in noise.items():
            codes = [e.code for e in fw.elements if e.level == level]
            eps = (rng.random(len(codes)) * 2 - 1) * factor
            for c, e in zip(codes, eps, strict=True):
                w[c] = base[c] + e * base[c]
        out.append(w)
    return out


def weight_matrix(sets: Sequence[Mapping[str, float]], codes: Sequence[str]) -> np.ndarray:
    return np.array([[s[c] for c in codes] for s in sets], dtype=float)
