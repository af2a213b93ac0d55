"""Assembly: quantities of each sentence → records with kind, region, year, indicator, quote.

Also here: base-year / target-year pairs (从2020年的7.8%提高到10%; from 6.4 million in 2020
to 60 million), lists that share a comparator (分别最高资助300万元、200万元), currency
conversions in parentheses (not records), definitional thresholds (超过2000万的企业: not a
record outside a measure), and restatements (a headline and its body are one record).
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, field

from digimeter.extract.indicators import (
    indicator_phrase,
    is_share_of_gdp,
    map_indicator,
    share_indicator,
)
from digimeter.extract.kinds import THRESHOLD_CUE, is_measure_sentence, kind_of
from digimeter.extract.places import Mention, region_name
from digimeter.extract.quantities import Quantity
from digimeter.extract.segment import Sentence, clauses
from digimeter.extract.units import industry_magnitude, per_capita
from digimeter.extract.years import (
    YearMention,
    context_year,
    sentence_year,
    whole_year,
    within,
)
from digimeter.regions import COUNTRY, load_regions

_PAIR_GAP = re.compile(r"^\s*(?:提高|提升|增加|增长|扩大|上升|降低|下降|减少|降|升|增|发展)?"
                       r"\s*(?:到|至)\s*$"
                       r"|^\s*(?:in (?:19|20)\d{2}\s*,?\s*)?to\s*$")
_FROM_BEFORE = re.compile(r"(?:从|由|from)\s*(?:(?:19|20)\d{2}\s*年?\s*(?:的|底|末)?\s*)?$")
_FROM_WORD = re.compile(r"(?:从|由|from)")
_LIST_GAP = re.compile(r"^\s*(?:、|,|和|及|与|以及|or|and|,\s*and)\s*$")
_CONVERSION_GAP = re.compile(r"^\s*[(（]\s*(?:about|approximately|around|roughly|nearly|约|合|折合|"
                             r"or|equivalent to)?\s*$")
_UP_FROM_GAP = re.compile(r"^(?:\s*in (?:19|20)\d{2})?\s*,?\s*(?:(?:up|down|rising|falling|"
                          r"increasing|decreasing|growing) from|compared with|compared to)\s*$")
_NAMED_ITEM_GAP = re.compile(r"^\s*(?:以上|左右|以内|多|余)?\s*[、,，;；]\s*[a-z\u4e00-\u9fff]{2}")
_GENERIC_PHRASE = re.compile(r"^(?:总数|总量|总计|合计|累计|共计|total|in total)?$")
_NOW = re.compile(r"如今|目前|现在|当前|\bnow\b|\btoday\b")
_COMPARED = re.compile(r"\s*(?:比|较|同比|环比|提高|增加|增长|up|an increase|compared)")
_OF_OWNER = re.compile(r"\s*(?:左右|以上)?\s*of (?:the )?[a-z ]{0,12}'s\b")
_DEFINITION_AFTER = re.compile(r"\s*(?:及以上|以上)?\s*的")
_EN_BARE_BEFORE = re.compile(r"(?:\bto|\bof|\breach(?:ed|es)?|\btotall?ed|\btotal|\bat|\bhit|"
                             r"\bexceed(?:ed)?|"
                             r"\bsurpass(?:ed)?|\bthan|\babout|\baround|\bnearly|\bover)\s*$")


@dataclass
class Context:
    """What every sentence of one document needs."""

    doc: str
    text: str
    s: str
    low: str
    home: str
    ref_year: int | None
    years: list[YearMention]
    mentions: list[Mention]
    policy: bool
    date: datetime.date | None = None
    mention_starts: list[int] = field(default_factory=list)
    para_start: dict[int, int] = field(default_factory=dict)
    clause_cache: dict[int, tuple[list[int], list[tuple[int, int]]]] = field(default_factory=dict)
    english_at: dict[int, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.mention_starts = [m.start for m in self.mentions]

    def english(self, pos: int) -> bool:
        """Whether the text around ``pos`` is English rather than Chinese."""
        known = self.english_at.get(pos)
        if known is None:
            known = self.english_at[pos] = _english(self.low, pos)
        return known


def _usable_mention(m: Mention) -> bool:
    return not m.named


def region_at(ctx: Context, sent: Sentence, pos: int) -> str:
    """The region a statement at ``pos`` is about (see module docs of ``places``)."""
    hi = bisect.bisect_left(ctx.mention_starts, pos)
    lo_sent = bisect.bisect_left(ctx.mention_starts, sent.start)
    for m in reversed(ctx.mentions[lo_sent:hi]):
        if _usable_mention(m):
            return ctx.home if m.code == "HOME" else m.code
    lo_para = bisect.bisect_left(ctx.mention_starts, ctx.para_start.get(sent.para, sent.start))
    for m in reversed(ctx.mentions[lo_para:lo_sent]):
        if _usable_mention(m) and m.code != COUNTRY:
            return ctx.home if m.code == "HOME" else m.code
    for i in range(lo_para - 1, -1, -1):
        m = ctx.mentions[i]
        if not _usable_mention(m) or m.code == COUNTRY:
            continue
        if m.code == "HOME":
            return ctx.home
        if _related(m.code, ctx.home):
            return ctx.home
        return m.code
    return ctx.home


def _related(code: str, home: str) -> bool:
    """``code`` is ``home``, inside it or above it: then it is not carried across
    paragraphs (a venue, a parent named in passing)."""
    if home == COUNTRY:
        return False
    table = load_regions()
    return table.is_within(code, home) or table.is_within(home, code)


def _clause_of(ctx: Context, sent: Sentence, a: int, b: int) -> tuple[int, int]:
    cached = ctx.clause_cache.get(sent.start)
    if cached is None:
        spans = clauses(ctx.s, sent.start, sent.end)
        cached = ([ca for ca, _ in spans], spans)
        ctx.clause_cache = {sent.start: cached}
    starts, spans = cached
    i = max(0, bisect.bisect_right(starts, a) - 1)
    for ca, cb in spans[i:]:
        if ca <= a < cb or (a < ca < b):
            return min(ca, a), max(cb, b)
        if ca >= b:
            break
    return a, b


def _quote_span(ctx: Context, sent: Sentence, a: int, b: int) -> tuple[int, int]:
    qa, qb = _clause_of(ctx, sent, a, b)
    if qb - qa > 300:
        qa, qb = max(qa, a - 120), min(qb, b + 80)
    return qa, qb


_LATIN = re.compile(r"[a-z]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _english(low: str, pos: int) -> bool:
    window = low[max(0, pos - 16):pos + 16]
    if window.isascii():
        return True
    return len(_LATIN.findall(window)) > len(_HAN.findall(window))


def _keep_bare(ctx: Context, q: Quantity, sent: Sentence) -> bool:
    """A number without a unit is a count in English (6,000 enterprises; the total to
    25,138); in Chinese only with a scale (9.89亿)."""
    if q.unit is not None or q.scaled and not ctx.english(q.start):
        return True
    if ctx.english(q.start):
        if q.noun is not None or q.comparator != "=":
            return True
        return bool(_EN_BARE_BEFORE.search(ctx.low, max(sent.start, q.start - 14), q.start))
    return False


def _pairs(ctx: Context, qs: list[Quantity]) -> dict[int, int]:
    """Index of a base quantity → index of its target (从A提高到B)."""
    out = {}
    for i in range(len(qs) - 1):
        a, b = qs[i], qs[i + 1]
        if not _PAIR_GAP.match(ctx.low, a.end, b.start) and not _PAIR_GAP.match(
                ctx.low[a.end:b.start]):
            continue
        if _FROM_BEFORE.search(ctx.low, max(0, a.start - 16), a.start) or _FROM_WORD.search(
                ctx.low[max(0, a.start - 16):a.start]):
            out[i] = i + 1
    return out


def _from_year(ctx: Context, q: Quantity, floor: int) -> int | None:
    for m in reversed(ctx.years):
        if floor <= m.start < q.start and m.role == "from":
            return m.year
        if m.start < floor:
            break
    return None


def sentence_records(ctx: Context, sent: Sentence, qs: list[Quantity],
                     column_years: dict[int, int] | None = None,
                     cued: bool | None = None) -> list[dict]:
    """Records for the quantities ``qs`` found in ``sent`` (``cued``: whether it names a
    subsidy, reward or fund, when already known)."""
    low = ctx.low[sent.start:sent.end]
    if cued is None:
        cued = is_measure_sentence(low)
    measure_cue = cued and any(
        q.unit in ("CNY", "USD", "percent", "count", "m2") for q in qs)
    measure_threshold = ctx.policy and THRESHOLD_CUE.search(low) is not None
    pairs = _pairs(ctx, qs)
    targets_of = {v: k for k, v in pairs.items()}
    out: list[dict] = []
    prev: Quantity | None = None
    for i, q in enumerate(qs):
        gap = ctx.low[prev.end:q.start] if prev is not None else None
        prev_end = prev.end if prev is not None else None
        if prev is not None and gap is not None:
            if _CONVERSION_GAP.match(gap) and q.unit in ("USD", "CNY", "HKD", "EUR"):
                continue  # (about US$1.4 billion): a conversion, not a second record
            if _LIST_GAP.match(gap) and q.comparator == "=" and (q.unit == prev.unit):
                q.comparator = prev.comparator
        prev = q
        if i in pairs and q.unit is None:
            q.unit = qs[pairs[i]].unit
        if i in targets_of and q.unit is None:
            q.unit = qs[targets_of[i]].unit
        if q.unit in ("rank",) or _truncated(ctx, sent, q):
            continue
        if not _keep_bare(ctx, q, sent) and i not in pairs and i not in targets_of:
            if not _bare_indexed(ctx, sent, q):
                continue
        measure = measure_cue or (measure_threshold and q.comparator != "=")
        if not measure and _DEFINITION_AFTER.match(ctx.low, q.end) and any(
                o.start > q.end for o in qs[i + 1:]):
            continue  # 超过2000万的企业达到17家: a threshold inside the indicator
        floor = prev_end if gap is not None and _NAMED_ITEM_GAP.match(gap) else None
        rec = _record(ctx, sent, q, measure, column_years, floor)
        if rec is None:
            continue
        if i in pairs:
            rec["kind"] = "observation"
            year = _from_year(ctx, q, sent.start)
            if year is not None:
                rec["year"] = year
        if gap is not None and _UP_FROM_GAP.match(gap) and out and _restates(out[-1], rec):
            _stated_after(out[-1], rec)
        if i in targets_of:
            base = out[-1] if out and out[-1].get("_index") == i - 1 else None
            if rec["kind"] != "measure":
                now = _NOW.search(ctx.low, qs[i - 1].end, q.start)
                rec["kind"] = "observation" if now else "target"
            if base is not None:
                rec["baseline_year"], rec["baseline_value"] = base["year"], base["value"]
                qa = min(base["start"], rec["start"])
                rec["start"], rec["quote"] = qa, ctx.text[qa:rec["end"]]
                base["end"] = rec["end"]
                base["quote"] = ctx.text[base["start"]:base["end"]]
                if rec["indicator"] is None:
                    rec["indicator"] = base["indicator"]
                rec["indicator_text"] = base["indicator_text"] or rec["indicator_text"]
        rec["_index"] = i
        out.append(rec)
    for rec in out:
        rec.pop("_index", None)
    return out


def _restates(prev: dict, rec: dict) -> bool:
    return rec["indicator"] is None and prev["unit"] == rec["unit"] and prev["kind"] != "measure"


def _stated_after(prev: dict, rec: dict) -> None:
    """A base stated after its target or latest figure (to 10 percent in 2025, up from 7.8
    percent in 2020): an observation of the same indicator, and the target's baseline."""
    rec["indicator"], rec["indicator_text"] = prev["indicator"], prev["indicator_text"]
    rec["kind"] = "observation"
    if prev["kind"] == "target" and rec["year"] is not None:
        prev["baseline_year"], prev["baseline_value"] = rec["year"], rec["value"]


def _truncated(ctx: Context, sent: Sentence, q: Quantity) -> bool:
    """A statement cut off where the stored text ends (网上零售额…提高到17)."""
    return q.end >= len(ctx.text.rstrip(" ")) and not ctx.text.endswith("\n")


def _bare_indexed(ctx: Context, sent: Sentence, q: Quantity) -> bool:
    """A bare number whose indicator is measured in index points (发展指数85)."""
    a, b = _clause_of(ctx, sent, q.start, q.end)
    phrase = indicator_phrase(ctx.s, (a, b), q.start, q.end, False, None)
    ind, unit = map_indicator(phrase, "", None)
    if ind is not None and unit in ("index",):
        q.unit = unit
        return True
    return False


def _per_capita_prefix(ctx: Context, sent: Sentence, qa: int, q: Quantity) -> str:
    """The words a per-capita unit may be stated in: the clause up to the number, and the
    clause before it when this one only compares (比上年末提高6.3个)."""
    own = ctx.low[qa:q.start]
    if _COMPARED.match(own):
        prev = ctx.low[max(sent.start, qa - 40):qa]
        return prev + own
    return own


def _record(ctx: Context, sent: Sentence, q: Quantity, measure: bool,
            column_years: dict[int, int] | None, floor: int | None = None) -> dict | None:
    """The record of one quantity; ``floor``: where the previous item of a list ends (新增智能
    工厂193个、未来工厂20家), so that this one's indicator is named after it."""
    before = ctx.low[sent.start:q.start]
    after = ctx.low[q.end:sent.end]
    qa, qb = _quote_span(ctx, sent, q.start, q.end)
    english = ctx.english(q.start)
    counted = q.unit == "count" and q.noun is None and not english
    phrase = indicator_phrase(ctx.s, (max(qa, floor or qa), qb), q.start, q.end, counted,
                              q.noun)
    if len(phrase) < 2:
        # 最高资助300万元: the subject is in the clause before (对新认定的…项目).
        lead = ctx.s[max(sent.start, qa - 60):qa].strip(" ,;:")
        phrase = (lead + " " + ctx.s[qa:q.start]).strip()[-80:]
    q.unit = industry_magnitude(ctx.low, q.value, q.unit, q.noun) or q.unit
    own = qa if _GENERIC_PHRASE.match(phrase) else max(qa, floor or qa)
    named = ctx.s[own:q.end] + " " + phrase  # not an indicator named after the quantity
    indicator, ind_unit = map_indicator(phrase, named, q.unit, ctx.s[qa:q.start])
    share = q.unit == "percent" and is_share_of_gdp(before, after)
    if share:
        indicator = share_indicator(before) or indicator
    unit = q.unit
    if unit is None:
        unit = ind_unit if ind_unit and ind_unit not in ("CNY", "USD") else "count"
    unit = per_capita(unit, _per_capita_prefix(ctx, sent, qa, q))
    if column_years is not None:
        year = column_years.get(q.start)
    else:
        year = sentence_year(ctx.years, sent.start, sent.end, q.start,
                             "measure" if measure else "other", (qa, qb))
    year_explicit = year is not None
    kind = kind_of(before, after, year, ctx.ref_year, year_explicit, measure,
                   dated=ctx.date is not None)
    if year is None and kind != "measure" and not _unresolved_relative(ctx, sent):
        year = context_year(ctx.years, sent.start,
                            past=ctx.ref_year if kind == "observation" else None)
        if kind == "target" and year is not None and ctx.ref_year and year < ctx.ref_year:
            year = ctx.ref_year
        if year is None and kind == "observation":
            year = whole_year(before, ctx.date)
    region = (share and _gdp_owner(ctx, q.end)) or region_at(ctx, sent, q.start)
    rec = {
        "doc": ctx.doc, "kind": kind, "region_code": region, "region_name": region_name(region),
        "indicator": indicator, "indicator_text": phrase or None,
        "value": _round(q.value), "unit": unit, "comparator": q.comparator, "year": year,
        "quote": ctx.text[qa:qb], "start": qa, "end": qb,
        "_title": sent.title, "_sentence": sent.start,
    }
    if q.value_max is not None:
        rec["value_max"] = _round(q.value_max)
    return rec


def _unresolved_relative(ctx: Context, sent: Sentence) -> bool:
    """The sentence says 今年 / last year and the document has no date to resolve it by: its
    year is unknown, not the one named in an earlier sentence."""
    return any(m.role == "rel" and m.year is None
               for m in within(ctx.years, sent.start, sent.end))


def _gdp_owner(ctx: Context, end: int) -> str | None:
    """The region named in "N percent of China's GDP" right after the number."""
    if not _OF_OWNER.match(ctx.low, end):
        return None
    i = bisect.bisect_left(ctx.mention_starts, end)
    for m in ctx.mentions[i:i + 2]:
        if m.start - end <= 16 and _usable_mention(m):
            return ctx.home if m.code == "HOME" else m.code
    return None


def _round(value: float) -> float:
    return float(f"{value:.10g}")


def deduplicate(records: list[dict]) -> list[dict]:
    """One record per quantity statement: a headline restated in the body, a figure restated
    with the same indicator, keep the first informative occurrence."""
    body = [r for r in records if not r.get("_title")]
    seen_values = {(r["region_code"], r["unit"], r["value"]) for r in body}
    kept = [r for r in records if not r.get("_title")
            or (r["region_code"], r["unit"], r["value"]) not in seen_values]
    out, seen = [], set()
    loose_seen: dict[tuple, int] = {}
    for r in kept:
        ident = r["indicator"] or r["indicator_text"] or r["quote"]
        if r["kind"] == "measure":
            ident = (ident, r["quote"], r["start"])
        key = (r["kind"], r["region_code"], r["unit"], r["value"], r["year"], ident)
        loose = (r["kind"], r["region_code"], r["unit"], r["value"], r["year"])
        distinctive = r["kind"] != "measure" and r["unit"] not in (
            "percent", "percentage_point") and abs(r["value"]) >= 1000
        if key in seen:
            continue
        if distinctive and loose_seen.get(loose, r["_sentence"]) != r["_sentence"]:
            continue
        seen.add(key)
        if distinctive:
            loose_seen.setdefault(loose, r["_sentence"])
        out.append(r)
    for r in out:
        r.pop("_title", None)
        r.pop("_sentence", None)
    return out
