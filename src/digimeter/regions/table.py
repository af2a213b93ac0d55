"""The region table: codes, their hierarchy and history, and name resolution."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from digimeter.errors import UnknownRegionError
from digimeter.regions.naming import name_key

COUNTRY = "CN"
_CODE = re.compile(r"\d{6}")
_LONG_CODE = re.compile(r"\d{6}0{6}")
_GROUP_CODE = re.compile(r"CN-[A-Z]{1,3}")
GROUP_LEVEL = -1
_NAME, _ALIAS = 1, 2
_HISTORICAL = 2


@dataclass(frozen=True)
class Region:
    """One GB/T 2260 code. ``valid_to`` is the last year the code was in use (None: current)."""

    code: str
    name_zh: str
    name_en: str
    level: int
    parent_code: str | None
    valid_from: int | None
    valid_to: int | None
    successor_code: str | None

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


def _int(value: str) -> int | None:
    return int(value) if value else None


def read_regions(path: Path) -> list[Region]:
    with path.open(encoding="utf-8", newline="") as f:
        return [Region(r["code"], r["name_zh"], r["name_en"], int(r["level"]),
                       r["parent_code"] or None, _int(r["valid_from"]), _int(r["valid_to"]),
                       r["successor_code"] or None)
                for r in csv.DictReader(f)]


def read_aliases(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["alias"], r["code"]) for r in csv.DictReader(f)]


def read_groupings(path: Path) -> tuple[list[Region], list[tuple[str, str]],
                                           dict[str, tuple[str, ...]]]:
    """Statistical groupings of provinces (NBS macro-regions, Jing-Jin-Ji, the Yangtze River
    Delta) as regions of level -1, outside the hierarchy, with their aliases and members."""
    regions, aliases, members = [], [], {}
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            regions.append(Region(r["code"], r["name_zh"], r["name_en"], GROUP_LEVEL, None,
                                  None, None, None))
            aliases += [(a.strip(), r["code"]) for a in r["aliases"].split(";") if a.strip()]
            members[r["code"]] = tuple(r["members"].split(";"))
    return regions, aliases, members


def as_code(text: str) -> str | None:
    """``440604``, ``440604000000``, ``CN`` and groupings (``CN-E``) as a table code."""
    text = text.strip()
    if text.upper() == COUNTRY:
        return COUNTRY
    if _GROUP_CODE.fullmatch(text.upper()):
        return text.upper()
    if _LONG_CODE.fullmatch(text):
        return text[:6]
    return text if _CODE.fullmatch(text) else None


Ranked = list[tuple[int, Region]]


class RegionTable:
    """Regions by code, with their parents, successors, names and aliases.

    Name matching ranks candidates: a code, then a current division's Chinese name, then a
    current division's alias or English name, then the same for codes no longer in use.
    Matching ignores case, accents, spaces and apostrophes (see :func:`name_key`).
    """

    def __init__(self, regions: Iterable[Region], aliases: Iterable[tuple[str, str]],
                 members: dict[str, tuple[str, ...]] | None = None) -> None:
        self._by_code = {r.code: r for r in regions}
        self._members = members or {}
        self._children: dict[str, list[Region]] = defaultdict(list)
        for r in self._by_code.values():
            if r.parent_code:
                self._children[r.parent_code].append(r)
        self._aliases: dict[str, set[str]] = defaultdict(set)
        self._keys: dict[str, dict[str, int]] = defaultdict(dict)
        for r in self._by_code.values():
            self._add(r.name_zh, r.code, _NAME)
            self._add(r.name_en, r.code, _ALIAS)
        for alias, code in aliases:
            self._add(alias, code, _ALIAS)

    @classmethod
    def from_csv(cls, regions_csv: Path, aliases_csv: Path,
                 groupings_csv: Path | None = None) -> RegionTable:
        groups, group_aliases, members = (read_groupings(groupings_csv) if groupings_csv
                                          else ([], [], {}))
        return cls([*read_regions(regions_csv), *groups],
                   [*read_aliases(aliases_csv), *group_aliases], members)

    def members(self, code: str) -> tuple[str, ...]:
        """The provinces a grouping (level -1) is made of; empty for a division."""
        return self._members.get(self.get(code).code, ())

    def _add(self, name: str, code: str, kind: int) -> None:
        if code not in self._by_code:
            raise UnknownRegionError(f"alias {name!r} points to an unknown code", where=code)
        self._aliases[name].add(code)
        known = self._keys[name_key(name)]
        known[code] = min(kind, known.get(code, kind))

    def __iter__(self) -> Iterator[Region]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and as_code(code) in self._by_code

    # --- codes and hierarchy -------------------------------------------------------------

    def get(self, code: str) -> Region:
        """The region with this code (current or not)."""
        found = self._by_code.get(as_code(code) or "")
        if found is None:
            raise UnknownRegionError("no region has this code", where=code)
        return found

    def current(self, code: str) -> Region:
        """The current division an old code became, following successor links."""
        region, seen = self.get(code), set()
        while not region.is_current:
            if region.successor_code is None or region.code in seen:
                raise UnknownRegionError(
                    f"{region.name_zh} was abolished after {region.valid_to} and the source "
                    "records no successor", where=region.code)
            seen.add(region.code)
            region = self.get(region.successor_code)
        return region

    def parents(self, code: str) -> list[Region]:
        """Ancestors from the country down to the immediate parent."""
        chain: list[Region] = []
        region = self.get(code)
        while region.parent_code and region.parent_code not in {r.code for r in chain}:
            region = self.get(region.parent_code)
            chain.insert(0, region)
        return chain

    def children(self, code: str, *, include_historical: bool = False) -> list[Region]:
        """Regions whose parent is ``code``, current ones unless ``include_historical``."""
        kids = self._children.get(self.get(code).code, [])
        return sorted((r for r in kids if include_historical or r.is_current),
                      key=lambda r: r.code)

    def is_within(self, code: str, ancestor: str) -> bool:
        """True when ``ancestor`` is ``code`` itself or one of its parents."""
        target = self.get(ancestor).code
        return self.get(code).code == target or any(p.code == target for p in self.parents(code))

    def full_name(self, code: str) -> str:
        """``广东省佛山市禅城区``: the Chinese names from the province down."""
        chain = [*self.parents(code), self.get(code)]
        return "".join(r.name_zh for r in chain if r.level > 0) or self.get(code).name_zh

    def at_level(self, level: int, *, include_historical: bool = False) -> list[Region]:
        return [r for r in self if r.level == level and (include_historical or r.is_current)]

    # --- names ---------------------------------------------------------------------------

    def aliases(self) -> dict[str, list[str]]:
        """Every name and alias as written, with the codes it may mean (for text scanning).

        Keys include the Chinese and English names of every code, current or not. Compare
        Latin text case-insensitively, or through :func:`name_key`.
        """
        return {name: sorted(codes) for name, codes in self._aliases.items()}

    def _rank(self, code: str, kind: int) -> tuple[int, Region]:
        region = self._by_code[code]
        return kind + (0 if region.is_current else _HISTORICAL), region

    def _lookup(self, key: str) -> Ranked:
        ranked = [self._rank(code, kind) for code, kind in self._keys.get(key, {}).items()]
        return sorted(ranked, key=lambda tr: (tr[0], tr[1].level, tr[1].code))

    def _lookup_path(self, key: str, depth: int = 2) -> Ranked:
        """``广东佛山禅城`` style text: a known name followed by a name inside it."""
        if depth == 0:
            return []
        for cut in range(len(key) - 1, 1, -1):
            heads = self._lookup(key[:cut])
            if not heads:
                continue
            tails = self._lookup(key[cut:]) or self._lookup_path(key[cut:], depth - 1)
            found = {r.code: (t, r) for t, r in tails for _, h in heads
                     if r.code != h.code and self.is_within(r.code, h.code)}
            if found:
                return sorted(found.values(), key=lambda tr: (tr[0], tr[1].level, tr[1].code))
        return []

    def _ranked(self, text: str) -> Ranked:
        code = as_code(text)
        if code in self._by_code:
            return [(0, self._by_code[code])]
        key = name_key(text)
        return self._lookup(key) or self._lookup_path(key) if key else []

    def candidates(self, text: str) -> list[Region]:
        """Every region ``text`` may name, best matches first."""
        return [r for _, r in self._ranked(text)]

    def resolve(self, text: str, *, within: str | None = None) -> Region:
        """The one region ``text`` names: a code, a Chinese or English name, or an alias.

        Of several candidates, the best-ranked wins; ``within`` (a province or city code)
        keeps those inside it, when any is. Among equally ranked candidates, one division
        above all the others wins (吉林 the province over 吉林市, 西安 the city over the
        districts named 西安区), and of old codes that all became the same division, the
        latest (玉环县 is 331021, not 332627). Otherwise the text is ambiguous and the error
        lists the candidates.
        """
        ranked = self._ranked(text)
        if not ranked:
            raise UnknownRegionError("no region has this name or code", where=text)
        if within is not None:
            ranked = [tr for tr in ranked if self.is_within(tr[1].code, within)] or ranked
        best = [r for t, r in ranked if t == ranked[0][0]]
        chosen = _only(best) or _latest_code(best) or _highest(best)
        if chosen is not None:
            return chosen
        listed = ", ".join(f"{r.code} {self.full_name(r.code)}" for r in best)
        raise UnknownRegionError(f"ambiguous: could be {listed}; give a code or a "
                                 "province or city to look within", where=text)


def _only(regions: list[Region]) -> Region | None:
    return regions[0] if len(regions) == 1 else None


def _latest_code(regions: list[Region]) -> Region | None:
    """Old codes of one place (renumbered, then ended): the last one used."""
    if any(r.is_current for r in regions) or len({r.successor_code for r in regions}) != 1:
        return None
    if regions[0].successor_code is None:
        return None
    return max(regions, key=lambda r: r.valid_to or 0)


def _highest(regions: list[Region]) -> Region | None:
    top = min(r.level for r in regions)
    return _only([r for r in regions if r.level == top])
