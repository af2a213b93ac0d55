"""Statistical coherence: correlations, Cronbach's alpha, removing elements, unit gaps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import stats as sps

from digimeter.errors import InputError
from digimeter.index.data import Table
from digimeter.index.framework import Framework, effective_weights
from digimeter.index.stats import rank_desc, rank_min

if TYPE_CHECKING:
    from digimeter.index.pipeline import Coin


def _pairwise(a: np.ndarray, b: np.ndarray, method: str) -> tuple[float, float]:
    ok = ~np.isnan(a) & ~np.isnan(b)
    x, y = a[ok], b[ok]
    if x.size < 3:
        return float("nan"), float("nan")
    if method == "spearman":
        x, y = _avg_rank(x), _avg_rank(y)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = float(np.corrcoef(x, y)[0, 1])
    if np.isnan(r):
        return r, float("nan")
    if method == "kendall":
        return tuple(map(float, sps.kendalltau(a[ok], b[ok])))  # type: ignore[return-value]
    t = r * np.sqrt((x.size - 2) / max(1e-300, 1 - r * r))
    return r, float(2 * sps.t.sf(abs(t), x.size - 2))


def _avg_rank(x: np.ndarray) -> np.ndarray:
    return sps.rankdata(x, method="average")


def corr_matrix(a: np.ndarray, b: np.ndarray, method: str = "pearson"
                ) -> tuple[np.ndarray, np.ndarray]:
    """R's ``cor(a, b, use = "pairwise.complete.obs")`` and ``cor.test`` p-values."""
    if method not in ("pearson", "spearman", "kendall"):
        raise InputError(f"unknown correlation {method!r}", where="correlation")
    r = np.full((a.shape[1], b.shape[1]), np.nan)
    p = np.full_like(r, np.nan)
    for i in range(a.shape[1]):
        for j in range(b.shape[1]):
            r[i, j], p[i, j] = _pairwise(a[:, i], b[:, j], method)
    return r, p


@dataclass(frozen=True)
class Corr:
    var1: str
    var2: str
    value: float
    pvalue: float


def correlations(table: Table, fw: Framework, level1: int, level2: int,
                 method: str = "pearson", withparent: bool = False, pval: float = 0.0
                 ) -> list[Corr]:
    """COINr's ``get_corr``: codes at ``level1`` against codes at ``level2``; with
    ``withparent`` only each code against its ancestor; ``pval`` > 0 blanks insignificant."""
    c1 = [c for c in fw.level_codes(level1) if c in table.codes]
    c2 = [c for c in fw.level_codes(level2) if c in table.codes]
    r, p = corr_matrix(table.select(c1), table.select(c2), method)
    out = []
    for i, a in enumerate(c1):
        for j, b in enumerate(c2):
            if withparent and level1 != level2 and fw.ancestor(a, level2) != b:
                continue
            value = r[i, j] if not (pval > 0 and p[i, j] > pval) else float("nan")
            out.append(Corr(a, b, float(value), float(p[i, j])))
    return out


def cronbach(x: np.ndarray) -> float:
    """COINr's ``get_cronbach`` with pairwise-complete covariances."""
    k = x.shape[1]
    cov = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            ok = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
            cov[i, j] = np.cov(x[ok, i], x[ok, j], ddof=1)[0, 1]
    total = np.nansum(cov)
    avg = (total - np.nansum(np.diag(cov))) / (k * (k - 1))
    return float(k * k * avg / total)


def cronbach_group(table: Table, fw: Framework, parent: str, level: int) -> float:
    """Alpha of the codes at ``level`` that descend from ``parent``."""
    codes = [c for c in fw.level_codes(level) if c in table.codes
             and fw.ancestor(c, fw[parent].level) == parent]
    return cronbach(table.select(codes))


def mean_abs_rank_change(nominal: np.ndarray, alternatives: np.ndarray) -> np.ndarray:
    """Mean over units of |rank(nominal) - rank(alternative)|, one per alternative column."""
    r0 = rank_desc(nominal, axis=0)
    r = np.abs(r0[:, None] - rank_desc(alternatives, axis=0))
    n = np.sum(~np.isnan(r), axis=0)
    with np.errstate(invalid="ignore"):
        return np.where(n > 0, np.nansum(r, axis=0) / n, np.nan)


def distance_to_reference(table: Table, unit: str, reference: str, codes: Sequence[str],
                          weights: dict[str, float] | None = None) -> list[dict[str, object]]:
    """How far ``unit`` is from ``reference`` on each code, largest weighted gap first."""
    for u in (unit, reference):
        if u not in table.units:
            raise InputError(f"unit {u!r} is not in the data", where="distance")
    i, j = table.units.index(unit), table.units.index(reference)
    rows = []
    for c in codes:
        gap = table.column(c)[j] - table.column(c)[i]
        w = (weights or {}).get(c, 1.0)
        rows.append({"iCode": c, "unit": table.column(c)[i], "reference": table.column(c)[j],
                     "gap": gap, "weighted_gap": gap * w})
    return sorted(rows, key=lambda r: -np.nan_to_num(r["weighted_gap"], nan=-np.inf))


def distance(coin: Coin, unit: str, benchmark: str, n: int = 10) -> list[dict[str, object]]:
    """The gap (benchmark - unit) on every aggregate, top level first, then the ``n`` (0:
    all) indicators contributing most to it. Contribution is gap times effective weight, so
    for arithmetic means over complete data the indicators' contributions add up to the
    index gap; share is contribution over the gap of the element's top-level ancestor."""
    table = coin.dset()
    for option, u in (("--unit", unit), ("--benchmark", benchmark)):
        if u not in table.units:
            why = " (screened out)" if u in coin.data.units.codes else ""
            raise InputError(f"unit {u!r} is not in the data{why}", where=option)
    if unit == benchmark:
        raise InputError(f"{unit} is its own benchmark", where="--benchmark")
    fw = coin.framework
    eff = effective_weights(fw, coin.analysis.get("Aggregated", {}).get("weights")
                            or coin.weights)
    aggs = [c for level in range(fw.max_level, 1, -1) for c in fw.level_codes(level)
            if c in table.codes]
    inds = [c for c in fw.indicators if c in table.codes]
    by_code = {r["iCode"]: r for r in distance_to_reference(table, unit, benchmark, aggs, eff)}
    ranked = distance_to_reference(table, unit, benchmark, inds, eff)
    rows = [("aggregate", by_code[c]) for c in aggs]
    rows += [("indicator", r) for r in ranked[:n or None]]
    return [_gap_row(kind, r, fw, by_code) for kind, r in rows]


def _gap_row(kind: str, r: dict[str, object], fw: Framework,
             aggs: dict[str, dict[str, object]]) -> dict[str, object]:
    code = str(r["iCode"])
    top = aggs.get(fw.ancestor(code, fw.max_level), {}).get("gap")
    contribution = float(r["weighted_gap"])  # type: ignore[arg-type]
    share = None
    if isinstance(top, float) and np.isfinite(top) and top != 0 and np.isfinite(contribution):
        share = contribution / top
    return {"kind": kind, "iCode": code, "iName": fw[code].name, "level": fw[code].level,
            "unit": float(r["unit"]), "benchmark": float(r["reference"]),  # type: ignore
            "gap": float(r["gap"]), "contribution": contribution,  # type: ignore[arg-type]
            "share": share}


def strengths_weaknesses(table: Table, unit: str, codes: Sequence[str], n: int = 5
                         ) -> tuple[list[str], list[str]]:
    """The unit's ``n`` best- and worst-ranked codes among ``codes``."""
    i = table.units.index(unit)
    ranks = rank_min(-table.select(codes), axis=0)[i]
    order = np.argsort(np.nan_to_num(ranks, nan=np.inf), kind="stable")
    best = [codes[k] for k in order[:n]]
    worst = [codes[k] for k in order[::-1] if not np.isnan(ranks[k])][:n]
    return best, worst


def unit_profile(table: Table, fw: Framework, unit: str, n: int = 5
                 ) -> list[dict[str, object]]:
    """A unit at a glance, as COINr's ``get_unit_summary`` and ``get_str_weak``: its score
    and rank on every aggregate (top level first), then its ``n`` strongest and weakest
    indicators by rank among all units (1 = best; ``table`` should be direction-adjusted,
    e.g. the Aggregated data set)."""
    if unit not in table.units:
        raise InputError(f"unit {unit!r} is not in the data", where="profile")
    i = table.units.index(unit)
    rows: list[dict[str, object]] = []
    for level in range(fw.max_level, 1, -1):
        for code in (c for c in fw.level_codes(level) if c in table.codes):
            rows.append(_profile_row("score", table, fw, code, i))
    indicators = [c for c in fw.indicators if c in table.codes]
    best, worst = strengths_weaknesses(table, unit, indicators, n)
    rows += [_profile_row("strength", table, fw, c, i) for c in best]
    rows += [_profile_row("weakness", table, fw, c, i) for c in worst]
    return rows


def _profile_row(kind: str, table: Table, fw: Framework, code: str, i: int
                 ) -> dict[str, object]:
    column = table.column(code)
    rank = rank_desc(column, axis=0)[i]
    return {"kind": kind, "iCode": code, "iName": fw[code].name, "level": fw[code].level,
            "value": float(column[i]), "rank": None if np.isnan(rank) else int(rank),
            "of": int(np.sum(~np.isnan(column)))}
