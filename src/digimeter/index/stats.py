"""Statistics with COINr's (and R's) exact definitions: e1071 type-2 skew and kurtosis,
``rank(ties.method = "min", na.last = "keep")``, and the per-indicator statistics table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _centred(x: np.ndarray) -> np.ndarray:
    x = x[~np.isnan(x)] if np.isnan(x).any() else x
    return x - x.mean()


def _skew_of(d: np.ndarray, d2: np.ndarray, s2: float) -> float:
    n = d.size
    if n < 3:
        return float("nan")
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.sqrt(n) * np.dot(d2, d) / s2**1.5
    return float(y * np.sqrt(n * (n - 1)) / (n - 2))


def _kurt_of(d2: np.ndarray, s2: float) -> float:
    n = d2.size
    if n < 4:
        return float("nan")
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n * np.dot(d2, d2) / s2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def skew(x: np.ndarray) -> float:
    """Sample skewness, e1071 type 2, NaNs dropped; NaN below 3 points."""
    d = _centred(x)
    d2 = d * d
    return _skew_of(d, d2, float(d2.sum()))


def kurt(x: np.ndarray) -> float:
    """Sample excess kurtosis, e1071 type 2, NaNs dropped; NaN below 4 points."""
    d = _centred(x)
    d2 = d * d
    return _kurt_of(d2, float(d2.sum()))


def skew_kurt(x: np.ndarray) -> tuple[float, float]:
    """Both, sharing one pass over the data."""
    d = _centred(x)
    d2 = d * d
    s2 = float(d2.sum())
    return _skew_of(d, d2, s2), _kurt_of(d2, s2)


def column_skew_kurt(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``skew`` and ``kurt`` of every column at once (NaNs dropped per column)."""
    ok = ~np.isnan(x)
    n = ok.sum(axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, x, 0.0).sum(axis=0) / n
        d = np.where(ok, x - mean, 0.0)
        d2 = d * d
        s2, s3, s4 = d2.sum(axis=0), (d2 * d).sum(axis=0), (d2 * d2).sum(axis=0)
        sk = np.sqrt(n) * s3 / s2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * s4 / s2**2
        kt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return np.where(n >= 3, sk, np.nan), np.where(n >= 4, kt, np.nan)


def rank_min(x: np.ndarray, axis: int = -1, descending: bool = False) -> np.ndarray:
    """R's ``rank(x, ties.method = "min", na.last = "keep")`` along ``axis``, as floats.

    ``descending`` ranks the largest value 1, as ``rank(-x)``.
    """
    x = np.moveaxis(np.asarray(x, dtype=float), axis, -1)
    key = -x if descending else x
    order = np.argsort(key, axis=-1, kind="stable")
    s = np.take_along_axis(key, order, axis=-1)
    n = s.shape[-1]
    pos = np.broadcast_to(np.arange(n), s.shape)
    new = np.ones(s.shape, bool)
    new[..., 1:] = s[..., 1:] != s[..., :-1]
    first = np.maximum.accumulate(np.where(new, pos, 0), axis=-1)
    ranks = np.empty_like(s)
    np.put_along_axis(ranks, order, first + 1.0, axis=-1)
    ranks[np.isnan(x)] = np.nan
    return np.moveaxis(ranks, -1, axis)


def rank_desc(x: np.ndarray, axis: int = 0) -> np.ndarray:
    """COINr's ``rank_df``: 1 = highest, ties take the smallest rank, NA kept."""
    return rank_min(x, axis=axis, descending=True)


def sd(x: np.ndarray) -> float:
    x = x[~np.isnan(x)]
    return float(np.std(x, ddof=1)) if x.size > 1 else float("nan")


@dataclass(frozen=True)
class Thresholds:
    skew: float = 2.0
    kurt: float = 3.5
    avail: float = 0.65
    zero: float = 0.5
    unique: float = 0.5


STAT_COLUMNS = ("Min", "Max", "Mean", "Median", "Std", "Skew", "Kurt", "N.Avail", "N.NonZero",
                "N.Unique", "N.Same", "Frc.Avail", "Frc.NonZero", "Frc.Unique", "Frc.Same",
                "Flag.Avail", "Flag.NonZero", "Flag.Unique", "Flag.SkewKurt")


def indicator_stats(x: np.ndarray, t: Thresholds = Thresholds()) -> dict[str, object]:
    """COINr's ``get_stats`` row for one column (``nsignif = NULL``)."""
    n = x.size
    v = x[~np.isnan(x)]
    n_avail = v.size
    sk, kt = skew(x), kurt(x)
    nonzero = int(np.sum(v != 0))
    unique, counts = np.unique(v, return_counts=True)
    nsame = int(counts.max()) if counts.size else 0
    return {
        "Min": float(v.min()), "Max": float(v.max()), "Mean": float(v.mean()),
        "Median": float(np.median(v)), "Std": sd(v), "Skew": sk, "Kurt": kt,
        "N.Avail": n_avail, "N.NonZero": nonzero, "N.Unique": int(unique.size),
        "N.Same": nsame, "Frc.Avail": n_avail / n, "Frc.NonZero": nonzero / n_avail,
        "Frc.Unique": unique.size / n_avail, "Frc.Same": nsame / n_avail,
        "Flag.Avail": "ok" if n_avail / n >= t.avail else "LOW",
        "Flag.NonZero": "ok" if nonzero / n >= t.zero else "LOW",
        "Flag.Unique": "ok" if unique.size / n >= t.unique else "LOW",
        "Flag.SkewKurt": "OUT" if abs(sk) > t.skew and kt > t.kurt else "ok",
    }


def stats_table(codes: tuple[str, ...], values: np.ndarray,
                t: Thresholds = Thresholds()) -> list[dict[str, object]]:
    return [{"iCode": c, **indicator_stats(values[:, j], t)} for j, c in enumerate(codes)]


def quantile7(x: np.ndarray, q: float, axis: int = -1) -> np.ndarray:
    """R's default ``quantile(type = 7)``, NaNs dropped."""
    return np.nanquantile(x, q, axis=axis)


def row_quantiles(x: np.ndarray, qs: tuple[float, ...] | list[float]) -> np.ndarray:
    """R's type-7 quantiles of each row of ``x``, NaNs skipped (NaN for a row without
    values): shape (len(qs), rows). One sort for all rows, where ``np.nanquantile`` loops."""
    s = np.sort(x, axis=1)  # NaN sorts last
    n = np.sum(~np.isnan(x), axis=1)
    out = np.full((len(qs), x.shape[0]), np.nan)
    ok = n > 0
    if not ok.any():
        return out
    s, n = s[ok], n[ok]
    for k, q in enumerate(qs):
        h = (n - 1) * q
        lo = np.floor(h).astype(np.int64)
        hi = np.minimum(lo + 1, n - 1)
        a = np.take_along_axis(s, lo[:, None], axis=1)[:, 0]
        b = np.take_along_axis(s, hi[:, None], axis=1)[:, 0]
        out[k, ok] = a + (h - lo) * (b - a)
    return out
