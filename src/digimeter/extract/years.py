"""Years: explicit (到2025年, by 2025, 2022年底), plan periods (十四五末 → 2025), periods
(2021—2023年 → its end year), relative years (今年, 去年, this year, last year) against the
document's own date, and the year a statement falls back on when its sentence names none.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass

from digimeter.extract.text import at_word_start, guarded

_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_MONTH_WORDS = at_word_start("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                             "nov", "dec")
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})"),
    re.compile(r"(" + _MONTH_WORDS + r")[a-z]*\.?\s+(\d{1,2}),?\s+((?:19|20)\d{2})\b"),
    re.compile(r"\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+"
               r"((?:19|20)\d{2})\b"),
)
_HEAD = 1500

# Plan periods: the N-th Five-Year Plan ends in 1955 + 5 N (十四五 → 2025).
_FYP_ZH = {"十一五": 11, "十二五": 12, "十三五": 13, "十四五": 14, "十五五": 15, "十六五": 16}
_FYP_EN = {"11th": 11, "12th": 12, "13th": 13, "14th": 14, "15th": 15, "16th": 16}

# Years, plan periods and relative years (the guard: how its alternatives begin).
_YEAR_RE = guarded(
    r"(?=[12\"“”'‘’十今去明前本上]|end |during |by the |th[ei]|last |next |over )",
    r"(?P<period>(?<!\d)(?P<p1>(?:19|20)\d{2})\s*(?:-|~|至|到)\s*(?P<p2>(?:19|20)?\d{2})(?!\d)"
    r"\s*年?)"
    r"|(?P<fyp>[\"“”'‘’]?(?P<fypzh>十[一二三四五六]五)[\"“”'‘’]?\s*(?:规划)?\s*(?P<fypzhend>末|期末|"
    r"时期|期间)?)"
    r"|(?P<fypen>(?P<fypenend>end of the |during the |by the end of the )?[\"“”']?"
    r"(?P<ord>1[1-6]th) five-year plan[\"“”']?(?: \((?:19|20)\d{2}-\d{2,4}\))?(?P<per> period)?)"
    r"|(?P<year>(?<![\d.])(?<!\d,)(?:19|20)\d{2}(?!\d|,\d{3}|\.\d)(?!\s*(?:亿|万|千|百|元|个|家|%|多|余|件|"
    r"户|人|名|台|套|项|座|条|公里|平方|倍|billion|million|yuan|percent|kilomet|square)))"
    r"|(?P<rel>今年|去年|明年|前年|本年度|上年度|this year|last year|next year|the previous year|"
    r"the past year|over the past year)")
_UNTIL_BEFORE = re.compile(r"(?:到|至)\s*$")
_TO_BEFORE = re.compile(r"(?:到|至|by|until|by the end of|力争|争取|预计)\s*$")
_ASOF_BEFORE = re.compile(r"(?:截至|截止|as of|as at|in)\s*$")
_FROM_BEFORE = re.compile(r"(?:从|由|from(?: the (?:end|beginning|start) of)?)\s*$")
_BASE_BEFORE = re.compile(r"(?:比|较|相比|than|compared with|compared to|over)\s*$")
_SINCE_AFTER = re.compile(r"\s*年?\s*(?:以来|来)")
_SINCE_BEFORE = re.compile(r"(?:since|自)\s*$")


@dataclass(frozen=True)
class YearMention:
    start: int
    end: int
    year: int | None
    role: str  # "year", "to", "from", "base", "since", "period", "plan", "plan_period", "rel"


def document_date(published: datetime.date | None, low: str) -> datetime.date | None:
    """The document's date: the reader's, else the first full date in its first lines."""
    if published is not None:
        return published
    head = low[:_HEAD]
    best: tuple[int, datetime.date] | None = None
    for i, pattern in enumerate(_DATE_PATTERNS):
        m = pattern.search(head)
        if not m:
            continue
        try:
            if i == 0:
                d = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            elif i == 1:
                d = datetime.date(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
            else:
                d = datetime.date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
        except ValueError:
            continue
        if best is None or m.start() < best[0]:
            best = (m.start(), d)
    return best[1] if best else None


def _role(low: str, start: int, end: int) -> str:
    before = low[max(0, start - 18):start]
    if _SINCE_BEFORE.search(before) or _SINCE_AFTER.match(low, end):
        return "since"
    if _FROM_BEFORE.search(before):
        return "from"
    if _BASE_BEFORE.search(before):
        return "base"
    if _ASOF_BEFORE.search(before) and not _UNTIL_BEFORE.search(before):
        return "year"
    if _TO_BEFORE.search(before):
        return "to"
    return "year"


def _relative(word: str, doc_year: int | None) -> int | None:
    if doc_year is None:
        return None
    if word in ("今年", "本年度", "this year"):
        return doc_year
    if word in ("去年", "上年度", "last year", "the previous year", "the past year",
                "over the past year"):
        return doc_year - 1
    if word in ("明年", "next year"):
        return doc_year + 1
    if word == "前年":
        return doc_year - 2
    return None


def year_mentions(low: str, doc_year: int | None) -> list[YearMention]:
    """Every year the text names, with its role, in order."""
    out: list[YearMention] = []
    for m in _YEAR_RE.finditer(low):
        a, b = m.span()
        if m.group("period"):
            p1, p2 = m.group("p1"), m.group("p2")
            end = int(p2) if len(p2) == 4 else int(p1[:2] + p2)
            if int(p1) < end <= int(p1) + 15:
                out.append(YearMention(a, b, end, "period"))
        elif m.group("fypzh"):
            n = _FYP_ZH[m.group("fypzh")]
            tail = m.group("fypzhend") or ""
            role = "plan" if "末" in tail else "plan_period"
            out.append(YearMention(a, b, 1955 + 5 * n, role))
        elif m.group("fypen"):
            n = _FYP_EN[m.group("ord")]
            lead = m.group("fypenend") or ""
            role = "plan" if "end" in lead else "plan_period"
            out.append(YearMention(a, b, 1955 + 5 * n, role))
        elif m.group("year"):
            out.append(YearMention(a, b, int(m.group("year")), _role(low, a, b)))
        elif m.group("rel"):
            role = _role(low, a, b)
            out.append(YearMention(a, b, _relative(m.group("rel"), doc_year),
                                   role if role in ("since", "from", "base") else "rel"))
    return out


def _usable(m: YearMention, kind: str) -> bool:
    if m.year is None or m.role in ("since", "base", "from"):
        return False
    return not (kind == "measure" and m.role == "plan_period")


def sentence_year(mentions: list[YearMention], a: int, b: int, pos: int,
                  kind: str, clause: tuple[int, int] | None = None) -> int | None:
    """The year a statement at ``pos`` in the sentence ``[a, b)`` names: one in its own
    clause (the nearest before, else after), else the nearest before it in the sentence,
    else the nearest after it."""
    mentions = within(mentions, a, b)
    if clause is not None:
        own = [m for m in mentions if clause[0] <= m.start < clause[1] and _usable(m, kind)]
        if own:
            ahead = [m for m in own if m.start < pos]
            return (ahead[-1] if ahead else own[0]).year
    before = [m for m in mentions if a <= m.start < pos and _usable(m, kind)]
    if before:
        return before[-1].year
    after = [m for m in mentions if pos <= m.start < b and _usable(m, kind)]
    return after[0].year if after else None


def within(mentions: list[YearMention], a: int, b: int) -> list[YearMention]:
    """The mentions that start in ``[a, b)``."""
    starts = _starts(mentions)
    return mentions[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]


_STARTS: dict[int, tuple[list[YearMention], list[int]]] = {}


def _starts(mentions: list[YearMention]) -> list[int]:
    """Start offsets of ``mentions`` (sorted), cached for the list being worked on."""
    cached = _STARTS.get(id(mentions))
    if cached is None or cached[0] is not mentions:
        _STARTS.clear()
        cached = (mentions, [m.start for m in mentions])
        _STARTS[id(mentions)] = cached
    return cached[1]


def context_year(mentions: list[YearMention], pos: int, floor: int = 0,
                 past: int | None = None) -> int | None:
    """The last year named before ``pos`` (a heading, an earlier sentence); with ``past``
    (for an observation), only a year not after it and not a target year."""
    hi = bisect.bisect_left(_starts(mentions), pos)
    for m in reversed(mentions[max(0, hi - 200):hi]):
        if m.start >= floor and m.year is not None and m.role not in (
                "since", "base", "from"):
            if past is not None and (m.year > past or m.role in ("to", "plan", "plan_period")):
                continue
            return m.year
    return None


def guess_document_year(mentions: list[YearMention]) -> int | None:
    """Without a date: the latest year named as a plain reference (not a target year)."""
    years = [m.year for m in mentions if m.role in ("year", "rel") and m.year is not None
             and m.year <= 2100]
    return max(years) if years else None


_WHOLE_YEAR = re.compile(r"全年|全年度")
_ANNUAL_RELEASE_MONTHS = 4


def whole_year(before: str, date: datetime.date | None) -> int | None:
    """全年 (the whole year) in a report dated in the first months of a year is the year
    before: annual figures are published after the year ends (a statistical bulletin of
    2021 released on 1 March 2022)."""
    if date is None or date.month > _ANNUAL_RELEASE_MONTHS or not _WHOLE_YEAR.search(before):
        return None
    return date.year - 1
