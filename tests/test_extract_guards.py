"""The fast forms of the extraction patterns find exactly what the plain forms find: a
pattern behind its look-ahead guard (``text.guarded``), words whose boundary is tested after
their first letter (``text.at_word_start``), the grouped trie of names, and the test for
numbers that are never quantities (tried only where a blocked span can begin)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digimeter.extract import kinds, places, quantities, years
from digimeter.extract.places import _trie_regex
from digimeter.extract.text import _UNGUARDED, Prepared, at_word_start, unguarded

_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_GUARDED = sorted(_UNGUARDED, key=lambda p: p.pattern)


def _spans(pattern: re.Pattern[str], text: str, pos: int = 0,
           endpos: int | None = None) -> list[tuple[tuple[int, int], tuple]]:
    end = len(text) if endpos is None else endpos
    return [(m.span(), m.groups()) for m in pattern.finditer(text, pos, end)]


@cache
def _texts() -> list[str]:
    """Corpus documents (folded, and lower-cased), and each of their lines on its own and
    indented (a line's start is a text's start there)."""
    files = sorted(_CORPUS.glob("**/*.txt")) if _CORPUS.is_dir() else []
    out = []
    for f in files[:40]:
        p = Prepared.of(f.read_text(encoding="utf-8"))
        out.extend((p.s, p.low))
        out.extend(line for text in (p.s, p.low) for raw in text.split("\n")
                   for line in (raw, " " + raw))
    return out or ["到2025年,建成5G基站3.89万个。By 2025, it will reach 50 percent.", " 1. 二〇"]


@pytest.mark.parametrize("pattern", _GUARDED, ids=lambda p: p.pattern[:30])
def test_guarded_patterns_match_like_the_plain_ones_on_the_corpus(pattern):
    plain = unguarded(pattern)
    for text in _texts():
        assert _spans(pattern, text) == _spans(plain, text)


def _pieces(source: str) -> list[str]:
    """Words of a pattern's source (its literals), numbers, spaces and brackets."""
    words = {w for w in re.findall(r"[^\\()\[\]|?*+{}.^$<>=!:]+", source) if len(w) <= 12}
    words |= {w[:1] for w in words} | {w[-1:] for w in words}
    return sorted(words | {"1", "12", "2025", "3.5", "38,900", " ", "  ", "\n", "(", ")", ".",
                           "-", ",", "a", "Z", "_", "号"})


@pytest.mark.parametrize("pattern", _GUARDED, ids=lambda p: p.pattern[:30])
def test_guarded_patterns_match_like_the_plain_ones_anywhere(pattern):
    plain = unguarded(pattern)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(_pieces(_UNGUARDED[pattern])), max_size=12).map("".join),
           st.integers(0, 80), st.integers(0, 80))
    def check(text, a, b):
        lo, hi = min(a, b, len(text)), min(max(a, b), len(text))
        assert _spans(pattern, text) == _spans(plain, text)
        assert _spans(pattern, text, lo, hi) == _spans(plain, text, lo, hi)

    check()


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 2).flatmap(lambda shortest: st.lists(
           st.text(alphabet="abcdefg北京市区县", min_size=shortest, max_size=5), max_size=40)),
       st.text(alphabet="abcdefg北京市区县 ", max_size=80), st.integers(1, 4))
def test_grouped_trie_finds_the_longest_word_like_an_alternation(words, text, fan_out):
    if not words:
        return
    plain = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    trie = re.compile(_trie_regex(words, fan_out=fan_out))
    assert _spans(trie, text) == _spans(plain, text)


_LITERAL_FIRST = [kinds.MEASURE_CUE, kinds._STRONG_TARGET, kinds._OBSERVED, kinds._WEAK_TARGET,
                  places._NATIONAL_EN, places._HOME_EN, years._DATE_PATTERNS[1]]


def _boundary_form(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern with each look-behind after a first letter moved back before it: ``w(?<!\\w.)``
    → ``\\bw``, ``拟(?<![虚模].)`` → ``(?<![虚模])拟``."""
    source = re.sub(r"(\w)\(\?<!\\w\.\)", r"\\b\1", pattern.pattern)
    source = re.sub(r"(\w)\(\?<!(\[[^\]]+\])\.\)", r"(?<!\2)\1", source)
    return re.compile(source, pattern.flags)


@pytest.mark.parametrize("pattern", _LITERAL_FIRST, ids=lambda p: p.pattern[:30])
def test_literal_first_patterns_match_like_their_boundary_forms(pattern):
    plain = _boundary_form(pattern)
    assert "(?<!" not in plain.pattern.replace("(?<![虚模])", "")
    for text in _texts():
        assert _spans(pattern, text) == _spans(plain, text)

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(_pieces(plain.pattern)), max_size=12).map("".join))
    def check(text):
        assert _spans(pattern, text) == _spans(plain, text)

    check()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abAB", min_size=1, max_size=4), min_size=1, max_size=5),
       st.text(alphabet="abAB '-_1中\n", max_size=60))
def test_word_start_alternation_matches_like_a_word_boundary(words, text):
    plain = re.compile(r"\b(?:" + "|".join(words) + ")")
    fast = re.compile(f"(?:{at_word_start(*words)})")
    assert _spans(fast, text) == _spans(plain, text)


def test_word_start_needs_a_letter_first():
    with pytest.raises(ValueError):
        at_word_start("(?:a|b)")


def _blocked_by_scan(low: str, start: int, end: int) -> bool:
    """``quantities.is_blocked`` as a plain scan of the number's window."""
    lo, hi = max(0, start - 30), min(len(low), min(end, start + 40) + 20)
    for m in unguarded(quantities._BLOCKED).finditer(low, lo, hi):
        if m.start() <= start < m.end():
            return True
        if m.start() > start:
            break
    return False


def test_blocked_numbers_are_those_a_scan_of_their_window_finds():
    for text in _texts()[::7]:
        for m in quantities.NUMBER_RE.finditer(text):
            assert quantities.is_blocked(text, m.start(), m.end()) == _blocked_by_scan(
                text, m.start(), m.end()), (text, m.span())


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_pieces(_UNGUARDED[quantities._BLOCKED])), max_size=16)
       .map("".join), st.integers(0, 200))
def test_blocked_anywhere_like_a_scan_of_the_window(text, at):
    start = min(at, len(text))
    end = min(len(text), start + 3)
    assert quantities.is_blocked(text, start, end) == _blocked_by_scan(text, start, end)
