"""The working copy of a document's text that every stage matches against.

``prepare`` folds the document's ``text_normalized`` (full-width ASCII already folded by
ingest) once more, character for character: traditional Chinese characters to simplified ones
(OpenCC's character table, first candidate only) and ASCII letters to lower case in a second
copy. Every copy has exactly the length of the original text, so an offset found in a copy is an
offset into ``text``, and quotes are always cut from ``text`` itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
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


def fold(text: str) -> str:
    """Simplified, punctuation-folded copy of ``text`` with the same length."""
    folded = text.translate(_fold_table())
    if len(folded) != len(text):  # a mapping to more than one character: never expected
        return text
    return folded


def lower_ascii(text: str) -> str:
    """ASCII letters lower-cased; every other character kept (same length)."""
    return text.translate(_ASCII_LOWER)


@dataclass(frozen=True)
class Prepared:
    """``text`` as published, ``s`` folded for matching, ``low`` the same in lower case."""

    text: str
    s: str
    low: str

    @classmethod
    def of(cls, text: str, normalized: str | None = None) -> Prepared:
        base = normalized if normalized is not None and len(normalized) == len(text) else text
        s = fold(base)
        return cls(text=text, s=s, low=lower_ascii(s))


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
