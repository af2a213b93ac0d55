"""Assessment methods: the bands that turn a growth ratio into a status, kept as data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from digimeter.errors import InputError

METHODS_YAML = Path(__file__).parent / "methods.yaml"
DEFAULT_METHOD = "open-sdg"
STATUSES = ("achieved", "on_track", "moderate", "limited", "deterioration", "insufficient_data",
            "missed")
GOOD_STATUSES = ("achieved", "on_track")  # what the dashboard counts as on track


@dataclass(frozen=True)
class Bands:
    """Lower bounds of on_track, moderate and limited; below ``limited`` is deterioration."""

    on_track: float
    moderate: float
    limited: float


@dataclass(frozen=True)
class Method:
    name: str
    description: str
    bands: Bands
    no_target_year: Bands
    zero_replacement: float


def _bands(spec: dict, where: str) -> Bands:
    try:
        bands = Bands(float(spec["on_track"]), float(spec["moderate"]), float(spec["limited"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"bands need numbers on_track, moderate, limited ({exc})",
                         where=where) from exc
    if not bands.on_track >= bands.moderate >= bands.limited:
        raise InputError("bands must satisfy on_track >= moderate >= limited", where=where)
    return bands


def parse_methods(text: str, where: str) -> dict[str, Method]:
    methods = {}
    for name, spec in (yaml.safe_load(text) or {}).items():
        methods[name] = Method(
            name=name, description=" ".join(str(spec.get("description", "")).split()),
            bands=_bands(spec, f"{where}: {name}"),
            no_target_year=_bands(spec.get("no_target_year", {}), f"{where}: {name}"),
            zero_replacement=float(spec.get("zero_replacement", 0.001)))
    return methods


@cache
def load_methods(path: Path = METHODS_YAML) -> dict[str, Method]:
    return parse_methods(path.read_text(encoding="utf-8"), str(path))


def get_method(name: str = DEFAULT_METHOD, path: Path | None = None) -> Method:
    methods = load_methods(path) if path else load_methods()
    if name not in methods:
        raise InputError(f"unknown method {name!r}; choose one of {', '.join(methods)}",
                         where="--method")
    return methods[name]


def band(values, bands: Bands):  # noqa: ANN001, ANN201 - numpy arrays in and out
    """Status words for an array of growth ratios (NaN stays empty for the caller to fill)."""
    import numpy as np

    out = np.full(values.shape, "", dtype=object)
    out[values < bands.limited] = "deterioration"
    out[values >= bands.limited] = "limited"
    out[values >= bands.moderate] = "moderate"
    out[values >= bands.on_track] = "on_track"
    return out
