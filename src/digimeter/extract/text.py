"""The working copy of a document's text that every stage matches against.

``prepare`` folds the document's ``text_normalized`` (full-width ASCII already folded by
ingest) once more, character for character: traditional Chinese characters to simplified ones
(OpenCC's character table, first candidate only) and ASCII letters to lower case in a second
copy. Every copy has exactly the length of the original text, so an offset found in a copy is an
offset into ``text``, and quotes are always cut from ``text`` itself. The copies are made on
arrays of code points (one table look-up for the whole text), not character by character.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from digimeter.ingest.textnorm import code_points, from_code_points

# Punctuation and spacing folded to one form for matching (one character to one character).
_PUNCT = {
    ord("\u3001"): "、", ord("\uff64"): "、", ord("\u2014"): "-", ord("\u2013"): "-",
    ord("\u2012"): "-", ord("\u2212"): "-", ord("\uff5e"): "~", ord("\u301c"): "~",
    ord("\u2018"): "'", ord("\u2019"): "'", ord("\u00a0"): " ", ord("\u3000"): " ",
    ord("\u00b7"): "·", ord("\ufe63"): "-", ord("\uff0b"): "+", ord("\ufe62"): "+",
}


@cache
def _ts_table() -> dict[int, str]:
    """Traditional → simplified, one character to one character (OpenCC TSCharacters)."""
    table: dict[int, str] = {}
    try:
        import opencc
    except ImportError:  # pragma: no cover - the dependency is declared
        return table
    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2 or len(parts[0]) != 1:
                continue
            target = parts[1].split(" ")[0]
            if len(target) == 1 and target != parts[0]:
                table[ord(parts[0])] = target
    # Variants OpenCC leaves alone that plan texts use.
    table[ord("于")] = "于"
    return table


@cache
def _fold_table() -> dict[int, str]:
    table = dict(_ts_table())
    table.update(_PUNCT)
    return table


@cache
def _fold_codes() -> np.ndarray:
    """The folded code point of every code point (``_fold_table`` as an array)."""
    codes = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    for code, target in _fold_table().items():
        codes[code] = ord(target)
    return codes


def _folded(codes: np.ndarray) -> np.ndarray:
    return _fold_codes()[codes]


def _lowered(codes: np.ndarray) -> np.ndarray:
    return codes + np.uint32(32) * ((codes >= ord("A")) & (codes <= ord("Z")))


def fold(text: str) -> str:
    """Simplified, punctuation-folded copy of ``text`` with the same length."""
    return from_code_points(_folded(code_points(text)))


def lower_ascii(text: str) -> str:
    """ASCII letters lower-cased; every other character kept (same length)."""
    return from_code_points(_lowered(code_points(text)))


@dataclass(frozen=True)
class Prepared:
    """``text`` as published, ``s`` folded for matching, ``low`` the same in lower case."""

    text: str
    s: str
    low: str

    @classmethod
    def of(cls, text: str, normalized: str | None = None) -> Prepared:
        base = normalized if normalized is not None and len(normalized) == len(text) else text
        folded = _folded(code_points(base))
        return cls(text=text, s=from_code_points(folded),
                   low=from_code_points(_lowered(folded)))


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


_UNGUARDED: dict[re.Pattern[str], str] = {}


def guarded(first: str, pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` behind ``first``, an assertion that holds wherever one of its matches can
    begin (a look-ahead for its first characters): every other position of a scan is then
    rejected by one test instead of by each alternative in turn. The matches are the same."""
    compiled = re.compile(f"(?:{first})(?:{pattern})", flags)
    _UNGUARDED[compiled] = pattern
    return compiled


def unguarded(compiled: re.Pattern[str]) -> re.Pattern[str]:
    """A pattern made by :func:`guarded` without its guard (tests compare the two)."""
    return re.compile(_UNGUARDED[compiled], compiled.flags)


def at_word_start(*alternatives: str) -> str:
    r"""The alternatives of ``\b(?:alternative|…)``, for alternatives that each begin with a
    letter, written so that a scan can skip straight to their first letters: the word boundary
    is tested after the first letter, as "no word character before it" (``(?<!\w.)``). The
    matches are the same. No group encloses them: they may join a longer alternation."""
    if not all(a[:1].isalnum() for a in alternatives):
        raise ValueError("every alternative must begin with a letter or digit")
    return "|".join(f"{a[0]}(?<!\\w.){a[1:]}" for a in alternatives)
