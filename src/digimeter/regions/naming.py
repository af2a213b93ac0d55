"""How Chinese division names are built: root + ethnic groups + type suffix.

``延边朝鲜族自治州`` is root ``延边``, groups ``朝鲜族``, suffix ``自治州``; ``禅城区`` is root
``禅城``, suffix ``区``. The suffixes and ethnic groups, with their English words, are the data
files ``name_suffixes.csv`` and ``ethnic_groups.csv``. The build script uses this module to
write short names and English names; the resolver uses :func:`name_key` to match text.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent
AUTONOMOUS = "自治"
MIN_SHORT = 2


@dataclass(frozen=True)
class Suffix:
    zh: str
    en: str
    min_root: int = MIN_SHORT


@dataclass(frozen=True)
class Ethnic:
    zh: str
    en: str


@dataclass(frozen=True)
class NameParts:
    root: str
    groups: tuple[Ethnic, ...]
    suffix: Suffix | None

    @property
    def short(self) -> str | None:
        """The name without its suffix, when that leaves at least two characters."""
        return self.root if len(self.root) >= MIN_SHORT else None


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def suffixes() -> tuple[Suffix, ...]:
    """Type suffixes, longest first."""
    rows = [Suffix(r["suffix"], r["name_en"], int(r["min_root"]))
            for r in _rows("name_suffixes.csv")]
    return tuple(sorted(rows, key=lambda s: -len(s.zh)))


@cache
def ethnic_groups() -> tuple[Ethnic, ...]:
    """Ethnic groups as they appear in autonomous names (without 族), longest first."""
    rows = [Ethnic(r["name_zh"], r["name_en"]) for r in _rows("ethnic_groups.csv")]
    return tuple(sorted(rows, key=lambda e: -len(e.zh)))


def _strip_group(text: str) -> tuple[str, Ethnic] | None:
    for group in ethnic_groups():
        if text.endswith(group.zh + "族"):
            return text[: -len(group.zh) - 1], group
        if len(group.zh) > 1 and text.endswith(group.zh):
            return text[: -len(group.zh)], group
    return None


def _strip_groups(text: str) -> tuple[str, tuple[Ethnic, ...]]:
    groups: list[Ethnic] = []
    while (found := _strip_group(text)) is not None:
        text, group = found
        groups.insert(0, group)
    if not text and groups:
        return groups[0].zh, tuple(groups[1:])
    return text, tuple(groups)


def _split_with(name: str, suffix: Suffix) -> NameParts:
    stem = name[: -len(suffix.zh)]
    if suffix.zh.startswith(AUTONOMOUS):
        root, groups = _strip_groups(stem)
        return NameParts(root, groups, suffix)
    return NameParts(stem, (), suffix)


def split_name(name: str) -> NameParts:
    """Split ``name``: the longest suffix that leaves a long enough root (``min_root`` in
    name_suffixes.csv: 神农架林区 is a forestry district, 万柏林区 and 碑林区 are districts);
    a one-character root (沛县) only when nothing else fits."""
    options = [_split_with(name, s) for s in suffixes() if name.endswith(s.zh)]
    options = [o for o in options if o.root]
    for parts in options:
        if parts.suffix and len(parts.root) >= parts.suffix.min_root:
            return parts
    return options[-1] if options else NameParts(name, (), None)


def join_groups(groups: tuple[Ethnic, ...]) -> str:
    """``Lahu, Va, Blang and Dai``."""
    names = [g.en for g in groups]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


_IGNORED = re.compile(r"[\s'’‘`\-‐‑–.,·•()（）]")


def name_key(text: str) -> str:
    """The form names are matched in: NFKC, case and accents folded, spaces and marks removed.

    ``Xi'an`` and ``xian``, ``Lüliang`` and ``Luliang``, ``佛山 禅城区`` and ``佛山禅城区``
    share a key.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text)
    return _IGNORED.sub("", text.casefold())
