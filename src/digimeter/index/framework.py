"""The index framework: COINr's iMeta as a typed tree of indicators and aggregates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from digimeter.errors import InputError, RowError

TYPES = ("Indicator", "Aggregate", "Group", "Denominator", "Other")


@dataclass(frozen=True)
class Element:
    """One iMeta row of type Indicator or Aggregate; ``row`` is its spreadsheet row."""

    code: str
    name: str
    level: int
    parent: str | None
    weight: float
    direction: int
    kind: str
    row: int = 0
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Framework:
    """Elements in iMeta order, plus the Group and Denominator codes that iMeta declares."""

    elements: tuple[Element, ...]
    groups: tuple[str, ...] = ()
    denominators: tuple[str, ...] = ()
    source: str = "iMeta"

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {e.code: e for e in self.elements})
        object.__setattr__(self, "_indicators",
                           tuple(e.code for e in self.elements if e.kind == "Indicator"))

    def __getitem__(self, code: str) -> Element:
        return self._by_code[code]  # type: ignore[attr-defined]

    def __contains__(self, code: object) -> bool:
        return code in self._by_code  # type: ignore[attr-defined]

    @property
    def indicators(self) -> tuple[str, ...]:
        return self._indicators  # type: ignore[attr-defined,no-any-return]

    @property
    def max_level(self) -> int:
        return max(e.level for e in self.elements)

    def level_codes(self, level: int) -> tuple[str, ...]:
        """Codes at ``level``; aggregates sorted by code, as COINr's ``tapply`` leaves them."""
        codes = [e.code for e in self.elements if e.level == level]
        return tuple(codes) if level == 1 else tuple(sorted(codes))

    def children(self, code: str) -> tuple[str, ...]:
        return tuple(e.code for e in self.elements if e.parent == code)

    def tree(self) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]:
        """Per level 2..top, each aggregate (in ``level_codes`` order) with its children in
        iMeta order: the order COINr aggregates in. Computed once."""
        cached = self.__dict__.get("_tree")
        if cached is None:
            cached = tuple(tuple((p, tuple(e.code for e in self.elements
                                           if e.parent == p and e.level == level - 1))
                                 for p in self.level_codes(level))
                           for level in range(2, self.max_level + 1))
            object.__setattr__(self, "_tree", cached)
        return cached  # type: ignore[no-any-return]

    @property
    def codes(self) -> tuple[str, ...]:
        """Indicators, then aggregates level by level: the columns of an aggregated data set."""
        out: list[str] = []
        for level in range(1, self.max_level + 1):
            out.extend(self.level_codes(level))
        return tuple(out)

    def weights(self) -> dict[str, float]:
        return {e.code: e.weight for e in self.elements}

    def directions(self, codes: Sequence[str]) -> np.ndarray:
        return np.array([self[c].direction for c in codes], dtype=float)

    def ancestor(self, code: str, level: int) -> str:
        element = self[code]
        while element.level < level:
            if element.parent is None:
                raise InputError(f"{code} has no ancestor at level {level}", where=self.source)
            element = self[element.parent]
        return element.code

    def param(self, code: str, name: str) -> object:
        return self[code].params.get(name)


def check_framework(fw: Framework) -> Framework:
    """Raise a RowError for the first structural fault: parents, levels, cycles, childless."""
    codes = {e.code for e in fw.elements}
    top = fw.max_level
    for e in fw.elements:
        if e.kind == "Indicator" and e.level != 1:
            raise RowError(f"indicator {e.code} is at level {e.level}, not 1",
                           file=fw.source, row=e.row, column="Level")
        if e.kind == "Aggregate" and e.level < 2:
            raise RowError(f"aggregate {e.code} must be at level 2 or higher",
                           file=fw.source, row=e.row, column="Level")
        if e.parent is not None and e.parent not in codes:
            raise RowError(f"parent {e.parent!r} of {e.code} is not an iCode",
                           file=fw.source, row=e.row, column="Parent")
    _check_cycles(fw)
    for e in fw.elements:
        if e.parent is None and e.level != top:
            raise RowError(f"{e.code} at level {e.level} has no parent",
                           file=fw.source, row=e.row, column="Parent")
        if e.parent is not None:
            if e.level == top:
                raise RowError(f"{e.code} is at the top level {top} but has a parent",
                               file=fw.source, row=e.row, column="Parent")
            if fw[e.parent].level != e.level + 1:
                raise RowError(f"parent {e.parent} of {e.code} is at level "
                               f"{fw[e.parent].level}, not {e.level + 1}",
                               file=fw.source, row=e.row, column="Parent")
    parents = {e.parent for e in fw.elements}
    for e in fw.elements:
        if e.kind == "Aggregate" and e.code not in parents:
            raise RowError(f"aggregate {e.code} has no children", file=fw.source, row=e.row,
                           column="iCode")
    levels = {e.level for e in fw.elements}
    if levels != set(range(1, top + 1)):
        raise InputError(f"levels {sorted(levels)} are not 1..{top} without gaps",
                         where=f"{fw.source}, column 'Level'")
    return fw


def _check_cycles(fw: Framework) -> None:
    for e in fw.elements:
        seen = {e.code}
        current = e
        while current.parent is not None:
            if current.parent in seen:
                raise RowError(f"cycle in Parent: {current.code} -> {current.parent} -> ... "
                               f"-> {current.code}", file=fw.source, row=current.row,
                               column="Parent")
            seen.add(current.parent)
            current = fw[current.parent]


def effective_weights(fw: Framework, weights: Mapping[str, float] | None = None
                      ) -> dict[str, float]:
    """Each element's share of the top aggregate: its weight within its siblings, times its
    parent's share."""
    w = dict(fw.weights() if weights is None else weights)
    share: dict[str, float] = {}
    for e in fw.elements:
        siblings = [s.code for s in fw.elements if s.parent == e.parent and s.level == e.level]
        share[e.code] = w[e.code] / sum(w[s] for s in siblings)
    out: dict[str, float] = {}
    for level in range(fw.max_level, 0, -1):
        for code in fw.level_codes(level):
            parent = fw[code].parent
            out[code] = share[code] * (out[parent] if parent is not None else 1.0)
    return out
