"""The indicator taxonomy and the units it is measured in, both kept as data files.

``taxonomy.csv`` holds the indicators (ids, zh/en names and aliases, base unit, direction,
category), ``categories.csv`` the categories they belong to (the NBS 2021 classification of the
digital economy and its core industries, plus cross-cutting pillars), ``units.csv`` the base
units and ``published_units.csv`` how units are printed in yearbooks and documents (亿元,
万户, %) with their factor to the base unit.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from digimeter.errors import UnitError, UnknownIndicatorError

DATA = Path(__file__).parent
TAXONOMY_CSV = DATA / "taxonomy.csv"


@dataclass(frozen=True)
class Indicator:
    id: str
    name_en: str
    name_zh: str
    unit: str
    direction: int
    category: str
    aliases_zh: tuple[str, ...]
    aliases_en: tuple[str, ...]

    def names(self) -> tuple[str, ...]:
        """Every phrase that names this indicator: id, names and aliases."""
        return (self.id, self.name_zh, self.name_en, *self.aliases_zh, *self.aliases_en)


@dataclass(frozen=True)
class Unit:
    unit: str
    dimension: str
    name_en: str
    name_zh: str


@dataclass(frozen=True)
class Conversion:
    """A published unit: ``unit`` is the base unit, or None for a bare multiplier (万, 亿)."""

    unit: str | None
    factor: float


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _split(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split(";") if a.strip())


class Taxonomy:
    """Indicators by id, and a case-insensitive lookup from any of their names."""

    def __init__(self, indicators: list[Indicator]) -> None:
        self._by_id = {i.id: i for i in indicators}
        self._by_name: dict[str, set[str]] = {}
        for ind in indicators:
            for name in ind.names():
                self._by_name.setdefault(name.casefold(), set()).add(ind.id)

    def __iter__(self):
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    def get(self, indicator_id: str) -> Indicator:
        try:
            return self._by_id[indicator_id]
        except KeyError:
            raise UnknownIndicatorError("unknown indicator", where=indicator_id) from None

    def resolve(self, text: str) -> Indicator:
        """The indicator whose id, name or alias is ``text`` (case and spacing ignored)."""
        ids = self._by_name.get(" ".join(text.split()).casefold(), set())
        if len(ids) == 1:
            return self._by_id[next(iter(ids))]
        if not ids:
            raise UnknownIndicatorError("no indicator has this id, name or alias", where=text)
        raise UnknownIndicatorError(f"ambiguous indicator, could be {sorted(ids)}", where=text)

    def alias_owners(self) -> dict[str, set[str]]:
        """Every lower-cased name with the ids it names (more than one id is a data error)."""
        return {k: set(v) for k, v in self._by_name.items()}


@cache
def load_taxonomy(path: Path = TAXONOMY_CSV) -> Taxonomy:
    indicators = [
        Indicator(id=r["id"], name_en=r["name_en"], name_zh=r["name_zh"], unit=r["unit"],
                  direction=int(r["direction"]), category=r["category"],
                  aliases_zh=_split(r["aliases_zh"]), aliases_en=_split(r["aliases_en"]))
        for r in _rows(path)
    ]
    return Taxonomy(indicators)


@cache
def load_units() -> dict[str, Unit]:
    return {r["unit"]: Unit(**r) for r in _rows(DATA / "units.csv")}


@cache
def load_categories() -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in _rows(DATA / "categories.csv")}


@cache
def load_conversions() -> dict[str, Conversion]:
    return {r["published"].casefold(): Conversion(r["unit"] or None, float(r["factor"]))
            for r in _rows(DATA / "published_units.csv")}


def _compatible(target: str, published: str) -> bool:
    """A measure word (个, 件) names the counted thing; per-capita indicators omit the 'per'."""
    return target == published or (published == "count" and target.startswith("count_per_"))


def tidy(values):  # noqa: ANN001, ANN201 - a number or a numpy array
    """Round to 15 significant digits: 4.6 亿 is 460000000, not 459999999.99999994.

    A printed figure never carries more digits than that, so this only removes the binary
    representation noise that multiplying by a unit factor adds.
    """
    import numpy as np

    x = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.abs(np.where(x == 0, 1.0, x))))
        scale = 10.0 ** (14 - magnitude)
        out = np.where(np.isfinite(x), np.round(x * scale) / scale, x)
    return out if out.ndim else float(out)


def conversion_factor(published: str, target_unit: str) -> float:
    """Factor that turns a value printed in ``published`` into ``target_unit``.

    ``published`` may be a base unit itself, a printed unit (亿元, 万户, %), a bare
    multiplier (万, 亿) applying to the target unit, or empty (already in the target unit).
    """
    key = " ".join(published.split()).casefold()
    if key in ("", "base", target_unit.casefold()):
        return 1.0
    conv = load_conversions().get(key)
    if conv is None:
        raise UnitError("unknown unit", where=published)
    if conv.unit is not None and not _compatible(target_unit, conv.unit):
        raise UnitError(f"unit ({conv.unit}) cannot be converted to {target_unit}",
                        where=published)
    return conv.factor
