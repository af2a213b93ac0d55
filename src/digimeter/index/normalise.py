"""Normalisation as COINr's ``Normalise()``: each indicator is multiplied by its Direction,
then scaled by one of COINr's ``n_*`` functions, column by column (vectorised)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from digimeter.errors import InputError
from digimeter.index.framework import Framework
from digimeter.index.stats import rank_min

METHODS = ("minmax", "zscore", "rank", "prank", "borda", "fracmax", "dist2max", "dist2ref",
           "dist2targ", "goalposts", "scaled", "none")
META_COLUMNS = {
    "minmax": ("minmax_lower", "minmax_upper"),
    "zscore": ("zscore_mean", "zscore_sd"),
    "scaled": ("scaled_lower", "scaled_upper", "scale_factor"),
    "dist2targ": ("Target",),
    "goalposts": ("goalpost_lower", "goalpost_upper", "goalpost_scale"),
}


@dataclass(frozen=True)
class NormSpec:
    """One method and its parameters: ``params`` is a list (minmax, zscore) or a mapping."""

    method: str = "minmax"
    params: tuple[float, ...] | None = None
    options: Mapping[str, object] = field(default_factory=dict)
    from_meta: bool = False


def method_name(name: object, where: str) -> str:
    key = str(name).strip()
    key = key[2:] if key.startswith("n_") else key
    if key not in METHODS:
        raise InputError(f"unknown normalisation method {name!r} (one of {', '.join(METHODS)})",
                         where=where)
    return key


def _minmax(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    mn, mx = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    return (x - mn) / (mx - mn) * (hi - lo) + lo


def _zscore(x: np.ndarray, m: float, s: float) -> np.ndarray:
    return (x - np.nanmean(x, axis=0)) / np.nanstd(x, axis=0, ddof=1) * s + m


def _prank(x: np.ndarray) -> np.ndarray:
    r = rank_min(x, axis=0)
    return (r - 1) / (np.sum(~np.isnan(x), axis=0) - 1)


def _dist2max(x: np.ndarray) -> np.ndarray:
    mn, mx = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    return 1 - (mx - x) / (mx - mn)


def _dist2ref(x: np.ndarray, iref: int, cap_max: bool) -> np.ndarray:
    mn = np.nanmin(x, axis=0)
    ref = x[iref]
    y = 1 - (ref - x) / (ref - mn)
    return np.where(cap_max & (y > 1), 1.0, y)


def _dist2targ(x: np.ndarray, targ: np.ndarray, cap_max: np.ndarray) -> np.ndarray:
    mn = np.nanmin(x, axis=0)
    y = (x - mn) / (targ - mn)
    return np.where(cap_max & (y > 1), 1.0, y)


def _goalposts(x: np.ndarray, lo: np.ndarray, hi: np.ndarray, scale: np.ndarray,
               trunc: np.ndarray) -> np.ndarray:
    y = (x - lo) / (hi - lo)
    y = np.where(trunc & (y > 1), 1.0, y)
    y = np.where(trunc & (y < 0), 0.0, y)
    return y * scale


def _scaled(x: np.ndarray, lo: np.ndarray, hi: np.ndarray, factor: np.ndarray) -> np.ndarray:
    return (x - lo) / (hi - lo) * factor


def _meta(fw: Framework, codes: Sequence[str], column: str, default: float | None,
          where: str) -> np.ndarray:
    out = []
    for c in codes:
        value = fw.param(c, column)
        if value is None:
            if default is None:
                raise InputError(f"indicator {c} has no {column} in iMeta", where=where)
            value = default
        out.append(float(value))  # type: ignore[arg-type]
    return np.array(out)


def _two(spec: NormSpec, default: tuple[float, float], where: str) -> tuple[float, float]:
    if spec.params is None:
        return default
    if len(spec.params) != 2:
        raise InputError(f"{spec.method} takes two parameters, not {list(spec.params)}",
                         where=where)
    return spec.params[0], spec.params[1]


def normalise_block(x: np.ndarray, spec: NormSpec, fw: Framework, codes: Sequence[str],
                    units: Sequence[str], where: str) -> np.ndarray:
    """``x`` already multiplied by Direction; one spec for all its columns."""
    m, dirs = spec.method, fw.directions(codes)
    with np.errstate(divide="ignore", invalid="ignore"):
        if m == "none":
            return x.copy()
        if m == "minmax":
            if spec.from_meta:
                return _minmax_meta(x, fw, codes, where)
            lo, hi = _two(spec, (0.0, 100.0), where)
            return _minmax(x, lo, hi)
        if m == "zscore":
            if spec.from_meta:
                mean = _meta(fw, codes, "zscore_mean", None, where)
                sdv = _meta(fw, codes, "zscore_sd", None, where)
                return (x - np.nanmean(x, axis=0)) / np.nanstd(x, axis=0, ddof=1) * sdv + mean
            mean, sdv = _two(spec, (0.0, 1.0), where)
            if sdv <= 0:
                raise InputError("zscore sd must be positive", where=where)
            return _zscore(x, mean, sdv)
        if m == "rank":
            return rank_min(x, axis=0)
        if m == "borda":
            return rank_min(x, axis=0) - 1
        if m == "prank":
            return _prank(x)
        if m == "fracmax":
            return x / np.nanmax(x, axis=0)
        if m == "dist2max":
            return _dist2max(x)
        if m == "dist2ref":
            return _dist2ref(x, _ref_index(spec, units, where), _flag(spec, "cap_max", False))
        if m == "dist2targ":
            targ = _meta(fw, codes, "Target", None, where) * dirs
            cap = np.array([_cap(spec, fw, c) for c in codes])
            return _dist2targ(x, targ, cap)
        if m == "goalposts":
            return _goalposts_meta(x, spec, fw, codes, dirs, where)
        if m == "scaled":
            lo = _meta(fw, codes, "scaled_lower", None, where)
            hi = _meta(fw, codes, "scaled_upper", None, where)
            factor = _meta(fw, codes, "scale_factor", 100.0, where)
            lo2, hi2 = np.where(dirs == -1, -hi, lo), np.where(dirs == -1, -lo, hi)
            return _scaled(x, lo2, hi2, factor)
    raise InputError(f"unknown normalisation method {m!r}", where=where)


def _minmax_meta(x: np.ndarray, fw: Framework, codes: Sequence[str], where: str) -> np.ndarray:
    lo = _meta(fw, codes, "minmax_lower", None, where)
    hi = _meta(fw, codes, "minmax_upper", None, where)
    mn, mx = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    return (x - mn) / (mx - mn) * (hi - lo) + lo


def _goalposts_meta(x: np.ndarray, spec: NormSpec, fw: Framework, codes: Sequence[str],
                    dirs: np.ndarray, where: str) -> np.ndarray:
    opts = spec.options
    if {"lower", "upper"} <= set(opts):
        lower = np.full(len(codes), float(opts["lower"]))  # type: ignore[arg-type]
        upper = np.full(len(codes), float(opts["upper"]))  # type: ignore[arg-type]
    else:
        lower = _meta(fw, codes, "goalpost_lower", None, where)
        upper = _meta(fw, codes, "goalpost_upper", None, where)
    scale_default = float(opts.get("scale", 1.0))  # type: ignore[arg-type]
    scale = _meta(fw, codes, "goalpost_scale", scale_default, where) \
        if "scale" not in opts else np.full(len(codes), scale_default)
    trunc = np.array([bool(opts["trunc2posts"]) if "trunc2posts" in opts
                      else bool(fw.param(c, "goalpost_trunc2posts")
                                if fw.param(c, "goalpost_trunc2posts") is not None else True)
                      for c in codes])
    lo = np.where(dirs == -1, -upper, lower)
    hi = np.where(dirs == -1, -lower, upper)
    return _goalposts(x, lo, hi, scale, trunc)


def _flag(spec: NormSpec, key: str, default: bool) -> bool:
    return bool(spec.options.get(key, default))


def _cap(spec: NormSpec, fw: Framework, code: str) -> bool:
    if "cap_max" in spec.options:
        return bool(spec.options["cap_max"])
    value = fw.param(code, "dist2targ_cap_max")
    return bool(value) if value is not None else False


def _ref_index(spec: NormSpec, units: Sequence[str], where: str) -> int:
    ref = spec.options.get("ref", spec.options.get("iref"))
    if ref is None:
        raise InputError("dist2ref needs ref: a uCode", where=where)
    if isinstance(ref, int) and not isinstance(ref, bool):
        if not 1 <= ref <= len(units):
            raise InputError(f"iref {ref} is out of 1..{len(units)}", where=where)
        return ref - 1
    if str(ref) not in units:
        raise InputError(f"reference unit {ref!r} is not in the data", where=where)
    return list(units).index(str(ref))


def normalise(x: np.ndarray, codes: Sequence[str], units: Sequence[str], fw: Framework,
              spec: NormSpec, overrides: Mapping[str, NormSpec] | None = None,
              where: str = "normalise") -> np.ndarray:
    """Direction first, then the global spec, with per-indicator overrides."""
    xd = x * fw.directions(codes)
    out = np.empty_like(xd)
    overrides = overrides or {}
    plain = [j for j, c in enumerate(codes) if c not in overrides]
    if plain:
        out[:, plain] = normalise_block(xd[:, plain], spec, fw, [codes[j] for j in plain],
                                        units, where)
    for j, c in enumerate(codes):
        if c in overrides:
            out[:, [j]] = normalise_block(xd[:, [j]], overrides[c], fw, [c], units,
                                          f"{where}, indicator {c}")
    return out


def spec_from(settings: Mapping[str, object], where: str) -> NormSpec:
    known = {"method", "params", "ref", "iref", "cap_max", "lower", "upper", "scale",
             "trunc2posts", "indicators"}
    unknown = set(settings) - known
    if unknown:
        raise InputError(f"unknown normalise setting(s) {', '.join(sorted(unknown))}",
                         where=where)
    method = method_name(settings.get("method", "minmax"), where)
    raw = settings.get("params")
    options = {k: v for k, v in settings.items() if k not in ("method", "params", "indicators")}
    if raw == "meta":
        return NormSpec(method, None, options, True)
    if isinstance(raw, Mapping):
        return NormSpec(method, None, {**options, **raw}, False)
    if raw is None:
        return NormSpec(method, None, options, False)
    if isinstance(raw, str):
        raw = [p for p in raw.replace(",", ";").split(";") if p.strip()]
    if not isinstance(raw, Sequence):
        raise InputError(f"params {raw!r} is not a list, a mapping or 'meta'", where=where)
    try:
        params = tuple(float(p) for p in raw)
    except (TypeError, ValueError):
        raise InputError(f"params {raw!r} are not numbers", where=where) from None
    return NormSpec(method, params, options, False)
