"""Segmentation: lines → paragraphs, sentences and clauses; table rows; page furniture.

Offsets are into the document's text. A *sentence* ends at 。！？!? or at an English full
stop followed by white space (not after an abbreviation or between digits); a line break
always ends one. A *clause* is a piece of a sentence between commas, semicolons and colons (a
comma between digits, 38,900, is not a break). A line with two or more ``|`` or a tab is a
table row, its cells are kept. Lines of page furniture (navigation, copyright, ICP numbers,
view counters, "Next article") are skipped, and everything after a "related news" heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from digimeter.extract.text import Prepared, guarded

_SENTENCE_END = guarded(r"(?=[。！？!?.])", r"[。！？!?]+[”’\"'」』)）]*|\.(?=\s|$)[”’\"')]*")
# Words after which a full stop does not end a sentence (Dec. 23, No. 5, U.S. dollars).
_ABBREVIATIONS = frozenset((
    "no", "mr", "mrs", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "vs", "etc", "co", "inc", "ltd", "corp", "gov", "dept", "fig",
    "u.s", "u.k", "e.g", "i.e", "approx", "est"))
_WORD_BEFORE = re.compile(r"([A-Za-z](?:[A-Za-z.]{0,6}))$")
_CLAUSE_BREAK = guarded(r"(?=[,;:])", r"(?<!\d),|,(?!\d{3}(?!\d))|[;:]")
# Lines that are page furniture wherever they are (the guard: how its alternatives begin).
_FURNITURE = guarded(
    r"^|(?=[i公版atp电])",
    r"^\s*(?:see also\b|print\b|share\b|photo\b|copyright|©|all rights reserved|"
    r"reading articles|scan qr|read articles on your mobile|web editor|editor:|"
    r"reference address|责任编辑|版权|扫一扫|分享到|浏览次数|阅读次数|点击数|"
    r"政策咨询热线|咨询电话|联系电话|转自|来源:|原标题|home\s*[>»])|"
    r"icp[证备]|公网安备|版权所有|all rights reserved|telephone:|电话:|\bpostal code\b",
    re.IGNORECASE)
# Headings after which only page furniture follows.
_TAIL = re.compile(
    r"^\s*(?:related (?:posts|news|articles|reading|stories)|previous article|next article|"
    r"latest [\w ]*articles|you may also like|more news|recommended|相关推荐|新闻推荐|延伸阅读|"
    r"相关阅读|相关新闻|热点推荐|推荐阅读|上一篇|下一篇|猜你喜欢)",
    re.IGNORECASE)
_HEADING_STOP = re.compile(r"[。!?;,]$|[。;]")
_FIRST_LINE_STOP = re.compile(r"[。;].")
_TITLE_STOP = re.compile(r"[。;]|[.!?]$")
_TABLE_SPLIT = re.compile(r"\s*(?:\||\t)\s*")


@dataclass
class Sentence:
    """A sentence (or a heading, a table row) of the document, with where it is."""

    start: int
    end: int
    para: int
    title: bool = False
    heading: bool = False
    table: bool = False
    cells: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Segmented:
    sentences: list[Sentence]
    stop: int  # offset where page furniture takes over (len(text) if never)


def _lines(s: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in s.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _strip(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and s[a].isspace():
        a += 1
    while b > a and s[b - 1].isspace():
        b -= 1
    return a, b


def _is_heading(line: str) -> bool:
    """A short line with no sentence punctuation (a section or list heading)."""
    line = line.strip()
    return 0 < len(line) <= 60 and not _HEADING_STOP.search(line)


def _table_cells(s: str, a: int, b: int) -> list[tuple[int, int]]:
    cells, pos = [], a
    for m in _TABLE_SPLIT.finditer(s, a, b):
        cells.append(_strip(s, pos, m.start()))
        pos = m.end()
    cells.append(_strip(s, pos, b))
    return [c for c in cells if c[1] > c[0]]


def _abbreviation(s: str, dot: int) -> bool:
    """A full stop after an abbreviation or a single capital letter (U.S., Dec.)."""
    w = _WORD_BEFORE.search(s, max(0, dot - 8), dot)
    if not w:
        return False
    word = w.group(1)
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _pieces(s: str, a: int, b: int, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``s[a:b]`` cut at each (end of piece, start of next), stripped, empty pieces dropped."""
    out, pos = [], a
    for end, following in [*cuts, (b, b)]:
        span = _strip(s, pos, end)
        if span[1] > span[0]:
            out.append(span)
        pos = following
    return out


def split_sentences(s: str, a: int, b: int) -> list[tuple[int, int]]:
    cuts = [(m.end(), m.end()) for m in _SENTENCE_END.finditer(s, a, b)
            if not (s[m.start()] == "." and _abbreviation(s, m.start()))]
    return _pieces(s, a, b, cuts)


def clauses(s: str, a: int, b: int) -> list[tuple[int, int]]:
    """The clauses of the sentence ``s[a:b]``."""
    return _pieces(s, a, b, [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(s, a, b)])


def segment(doc: Prepared, max_line: int = 20_000) -> Segmented:
    """Sentences of the document, in order, without page furniture."""
    s = doc.s
    sentences: list[Sentence] = []
    seen_text = False
    stop = len(s)
    para = 0
    for a, b in _lines(s):
        a, b = _strip(s, a, b)
        if a == b:
            continue
        line = s[a:b]
        if seen_text and _TAIL.match(line) and len(line) < 200:
            stop = a
            break
        if _FURNITURE.search(line[:200]):
            continue
        para += 1
        # The headline: the first line, or a short heading among the first lines.
        title = (not seen_text and len(line) <= 150 and not _FIRST_LINE_STOP.search(line)) or (
            para <= 3 and 15 <= len(line) <= 150 and not _TITLE_STOP.search(line))
        seen_text = True
        if line.count("|") >= 2 or "\t" in line:
            sentences.append(Sentence(a, b, para, title=title, table=True,
                                      cells=_table_cells(s, a, b)))
            continue
        heading = _is_heading(line)
        # Very long lines are cut into pieces so that no stage sees unbounded input.
        for ca in range(a, b, max_line):
            cb = min(b, ca + max_line)
            for sa, sb in split_sentences(s, ca, cb):
                sentences.append(Sentence(sa, sb, para, title=title, heading=heading))
    return Segmented(sentences, stop)
