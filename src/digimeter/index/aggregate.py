"""Aggregation as COINr's ``Aggregate()``, vectorised over replicates.

Every function takes the children ``x`` with shape (R, U, C) (replicates, units, children)
and weights ``w`` with shape (R, C), and returns (R, U). Missing children are skipped and the
remaining weights renormalised, as COINr's ``a_amean`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from digimeter.errors import InputError
from digimeter.index.bod import bod_aggregate
from digimeter.index.framework import Framework

METHODS = ("amean", "gmean", "hmean", "genmean", "median", "copeland", "bod")
PARAMS = {"genmean": {"p"}, "bod": {"lower", "upper"}}


class AggregationError(InputError):
    """A method that cannot be applied to these values (gmean over zero, say)."""


def _wsum(v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """sum_c v[r, u, c] * w[r, c] -> (R, U); a leading 1 in ``v`` is shared by all replicates."""
    if v.shape[0] == 1:
        return (v[0] @ w.T).T
    return np.matmul(v, w[:, :, None])[:, :, 0]


def _any_missing(x: np.ndarray) -> tuple[bool, np.ndarray | None]:
    ok = ~np.isnan(x)
    return (False, None) if ok.all() else (True, ok)


def _present(ok: np.ndarray, w: np.ndarray) -> np.ndarray:
    return _wsum(ok.astype(float), np.ones_like(w)) > 0


def amean(x: np.ndarray, w: np.ndarray, **_: object) -> np.ndarray:
    missing, ok = _any_missing(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        if not missing:
            return _wsum(x, w) / w.sum(axis=1)[:, None]
        assert ok is not None
        y = _wsum(np.where(ok, x, 0.0), w) / _wsum(ok.astype(float), w)
    return np.where(_present(ok, w), y, np.nan)


def gmean(x: np.ndarray, w: np.ndarray, **_: object) -> np.ndarray:
    missing, ok = _any_missing(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        if not missing:
            return np.exp(_wsum(np.log(x), w) / w.sum(axis=1)[:, None])
        assert ok is not None
        logs = np.log(np.where(ok, x, 1.0))
        y = np.exp(_wsum(logs, w) / _wsum(ok.astype(float), w))
    return np.where(_present(ok, w), y, np.nan)


def hmean(x: np.ndarray, w: np.ndarray, **_: object) -> np.ndarray:
    missing, ok = _any_missing(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        if not missing:
            return w.sum(axis=1)[:, None] / _wsum(1.0 / x, w)
        assert ok is not None
        inv = np.where(ok, 1.0 / np.where(ok, x, 1.0), 0.0)
        y = _wsum(ok.astype(float), w) / _wsum(inv, w)
    return np.where(_present(ok, w), y, np.nan)


def genmean(x: np.ndarray, w: np.ndarray, p: float = 1.0, **_: object) -> np.ndarray:
    """COINr's ``a_genmean``: any missing child makes the result missing, as in R."""
    missing, ok = _any_missing(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        y = (_wsum(np.where(np.isnan(x), 0.0, x) ** p, w) / w.sum(axis=1)[:, None]) ** (1 / p)
    if not missing:
        return y
    assert ok is not None
    complete = _wsum((~ok).astype(float), np.ones_like(w)) == 0
    return np.where(complete, y, np.nan)


def median(x: np.ndarray, w: np.ndarray, **_: object) -> np.ndarray:
    """Median of the available children with non-zero weight (weights otherwise unused)."""
    shape = (w.shape[0], x.shape[1], x.shape[2])
    keep = np.broadcast_to((w != 0)[:, None, :], shape)
    with np.errstate(invalid="ignore"), _quiet():
        return np.nanmedian(np.where(keep, np.broadcast_to(x, shape), np.nan), axis=2)


def copeland(x: np.ndarray, w: np.ndarray, **_: object) -> np.ndarray:
    """COINr's ``a_copeland``: outranking matrix with half weight for ties, then +1/-1/0."""
    wn = w / np.nansum(w, axis=1, keepdims=True)
    x = np.broadcast_to(x, (w.shape[0], x.shape[1], x.shape[2]))
    xi, xj = x[:, :, None, :], x[:, None, :, :]
    ww = wn[:, None, None, :]
    with np.errstate(invalid="ignore"):
        orm = np.sum(np.where(xi > xj, ww, 0.0), axis=3) \
            + np.sum(np.where(xi == xj, ww, 0.0), axis=3) / 2
    upper = np.triu(np.ones(orm.shape[1:], bool), 1)
    orm = np.where(upper, orm, 1 - np.swapaxes(orm, 1, 2))
    score = np.sign(orm - 0.5)
    idx = np.arange(orm.shape[1])
    score[:, idx, idx] = 0
    return score.sum(axis=2)


def invalid(name: str, x: np.ndarray, params: Mapping[str, float]) -> tuple[np.ndarray, str]:
    """Per replicate, whether ``name`` cannot be computed on ``x`` (R, U, C), and why
    (comparisons with NaN are false, so missing values never count)."""
    if name == "gmean" or (name == "genmean" and params.get("p", 1.0) < 0):
        return (x <= 0).any(axis=(1, 2)), (
            "geometric mean over zero or negative values" if name == "gmean"
            else "generalised mean with negative p over zero or negative values")
    if name == "hmean":
        return (x == 0).any(axis=(1, 2)), "harmonic mean over zero values"
    if name == "bod":
        return (np.isnan(x) | (x < 0)).any(axis=(1, 2)), (
            "benefit of the doubt over missing or negative values (impute and normalise first)")
    return np.zeros(1, bool), ""


class _quiet:
    def __enter__(self) -> None:
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc: object) -> None:
        self._w.__exit__(*exc)


FUNCTIONS: dict[str, Callable[..., np.ndarray]] = {
    "amean": amean, "gmean": gmean, "hmean": hmean, "genmean": genmean, "median": median,
    "copeland": copeland, "bod": bod_aggregate,
}


@dataclass(frozen=True)
class AggMethod:
    name: str = "amean"
    params: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class AggSpec:
    """A method for every level (2..top), overridable per aggregate; data thresholds per level."""

    levels: Mapping[int, AggMethod] = field(default_factory=dict)
    default: AggMethod = AggMethod()
    by_code: Mapping[str, AggMethod] = field(default_factory=dict)
    dat_thresh: Mapping[int, float] = field(default_factory=dict)

    def method(self, code: str, level: int) -> AggMethod:
        return self.by_code.get(code, self.levels.get(level, self.default))


def method_from(value: object, params: Mapping[str, object] | None, where: str) -> AggMethod:
    if isinstance(value, Mapping):
        return method_from(value.get("method", "amean"),
                           {k: v for k, v in value.items() if k != "method"}, where)
    name = str(value).strip()
    name = name[2:] if name.startswith("a_") else name
    if name not in METHODS:
        raise InputError(f"unknown aggregation method {value!r} (one of {', '.join(METHODS)})",
                         where=where)
    p = dict(params or {})
    if name == "genmean" and "p" not in p:
        raise InputError("genmean needs a parameter p", where=where)
    if name == "genmean" and float(p["p"]) == 0:  # type: ignore[arg-type]
        raise InputError("genmean with p = 0 is the geometric mean: use gmean", where=where)
    try:
        clean = {k: float(v) for k, v in p.items()}  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"aggregation parameters {p} are not numbers", where=where) from None
    extra = set(clean) - PARAMS.get(name, set())
    if extra:
        raise InputError(f"unknown parameter(s) {', '.join(sorted(extra))} for {name}",
                         where=where)
    return AggMethod(name, clean)


def spec_from(settings: Mapping[str, object], fw: Framework, where: str) -> AggSpec:
    known = {"method", "params", "levels", "by_code", "dat_thresh", "weights"}
    unknown = set(settings) - known
    if unknown:
        raise InputError(f"unknown aggregate setting(s) {', '.join(sorted(unknown))}",
                         where=where)
    params = settings.get("params")
    if params is not None and not isinstance(params, Mapping):
        raise InputError("aggregate params must be a mapping such as {p: 2}", where=where)
    top = fw.max_level
    method = settings.get("method", "amean")
    levels: dict[int, AggMethod] = {}
    default = AggMethod()
    if isinstance(method, list):
        if len(method) != top - 1:
            raise InputError(f"method lists one per level 2..{top}: {top - 1} entries",
                             where=where)
        levels = {lev: method_from(m, params, where) for lev, m in zip(range(2, top + 1),
                                                                        method, strict=True)}
    else:
        default = method_from(method, params, where)
    for lev, m in dict(settings.get("levels") or {}).items():  # type: ignore[call-overload]
        level = _level(lev, top, where)
        levels[level] = method_from(m, params if not isinstance(m, Mapping) else None, where)
    by_code = {}
    for code, m in dict(settings.get("by_code") or {}).items():  # type: ignore[call-overload]
        if code not in fw or fw[code].kind != "Aggregate":
            raise InputError(f"by_code names {code!r}, which is not an aggregate", where=where)
        by_code[str(code)] = method_from(m, None, where)
    return AggSpec(levels, default, by_code, _thresholds(settings.get("dat_thresh"), top,
                                                         where))


def _level(value: object, top: int, where: str) -> int:
    try:
        level = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise InputError(f"level {value!r} is not a number", where=where) from None
    if not 2 <= level <= top:
        raise InputError(f"level {level} is out of 2..{top}", where=where)
    return level


def _thresholds(value: object, top: int, where: str) -> dict[int, float]:
    if value is None:
        return {}
    values = value if isinstance(value, list) else [value] * (top - 1)
    if len(values) != top - 1:
        raise InputError(f"dat_thresh lists one value per level 2..{top}", where=where)
    out = {}
    for lev, v in zip(range(2, top + 1), values, strict=True):
        t = float(v)
        if not 0 <= t <= 1:
            raise InputError(f"dat_thresh {t} is not between 0 and 1", where=where)
        out[lev] = t
    return out


def aggregate(x: np.ndarray, codes: Sequence[str], fw: Framework, spec: AggSpec,
              weights: np.ndarray, weight_codes: Sequence[str], strict: bool = True,
              units: Sequence[str] | None = None) -> tuple[list[str], np.ndarray]:
    """Aggregate level by level. ``x`` is (R, U, K) over ``codes`` (the indicators), weights
    (R, len(weight_codes)). Returns the aggregate codes and their values (R, U, A).

    A method that cannot be applied raises AggregationError when ``strict``; otherwise that
    replicate's results are all NaN, as a failed COINr ``Regen`` gives in a sensitivity run.
    """
    reps, n_units = weights.shape[0], x.shape[1]
    failed = np.zeros(reps, bool)
    windex = {c: i for i, c in enumerate(weight_codes)}
    below, index = x, {c: j for j, c in enumerate(codes)}
    out_codes: list[str] = []
    blocks: list[np.ndarray] = []
    for level, parents in enumerate(fw.tree(), start=2):
        y_level = np.empty((reps, n_units, len(parents)))
        for p, (parent, kids) in enumerate(parents):
            xk = below[:, :, [_position(index, c) for c in kids]]
            wk = weights[:, [_position(windex, c, "weight") for c in kids]]
            m = spec.method(parent, level)
            bad, why = invalid(m.name, xk, m.params)
            if strict and bad.any():
                raise AggregationError(f"{why} in {parent}{_culprit(xk, units, m.name)}",
                                       where="aggregate")
            failed = failed | bad
            y = FUNCTIONS[m.name](xk, wk, **m.params)
            thresh = spec.dat_thresh.get(level)
            if thresh is not None:
                y = np.where(np.mean(~np.isnan(xk), axis=2) < thresh, np.nan, y)
            y_level[:, :, p] = y
        below, index = y_level, {parent: p for p, (parent, _) in enumerate(parents)}
        out_codes.extend(index)
        blocks.append(y_level)
    values = np.concatenate(blocks, axis=2)
    values[failed] = np.nan
    return out_codes, values


def _culprit(x: np.ndarray, units: Sequence[str] | None, name: str) -> str:
    if units is None:
        return ""
    with np.errstate(invalid="ignore"):
        bad = {"bod": np.isnan(x) | (x < 0), "hmean": x == 0}.get(name, x <= 0)
    rows = np.flatnonzero(bad.any(axis=(0, 2)))
    return f" (unit {units[rows[0]]})" if rows.size else ""


def _position(index: Mapping[str, int], code: str, what: str = "data") -> int:
    if code not in index:
        raise InputError(f"no {what} for {code}", where="aggregate")
    return index[code]
