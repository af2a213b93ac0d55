"""Assembly: quantities of each sentence → records with kind, region, year, indicator, quote.

Also here: base-year / target-year pairs (从2020年的7.8%提高到10%; from 6.4 million in 2020
to 60 million), lists that share a comparator (分别最高资助300万元、200万元), currency
conversions in parentheses (not records), definitional thresholds (超过2000万的企业: not a
record outside a measure), and restatements (a headline and its body are one record).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from digimeter.extract.indicators import indicator_phrase, map_indicator
from digimeter.extract.kinds import THRESHOLD_CUE, is_measure_sentence, kind_of
from digimeter.extract.places import Mention, region_name
from digimeter.extract.quantities import Quantity
from digimeter.extract.segment import Sentence, clauses
from digimeter.extract.units import per_capita
from digimeter.extract.years import YearMention, context_year, sentence_year
from digimeter.regions import COUNTRY, load_regions

_PAIR_GAP = re.compile(r"^\s*(?:提高|提升|增加|增长|扩大|上升|降低|下降|减少|降|升|增|发展)?"
                       r"\s*(?:到|至)\s*$"
                       r"|^\s*(?:in (?:19|20)\d{2}\s*,?\s*)?to\s*$")
_FROM_BEFORE = re.compile(r"(?:从|由|from)\s*(?:(?:19|20)\d{2}\s*年?\s*(?:的|底|末)?\s*)?$")
_LIST_GAP = re.compile(r"^\s*(?:、|,|和|及|与|以及|or|and|,\s*and)\s*$")
_CONVERSION_GAP = re.compile(r"^\s*[(（]\s*(?:about|approximately|around|roughly|nearly|约|合|折合|"
                             r"or|equivalent to)?\s*$")
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
    mention_starts: list[int] = field(default_factory=list)
    para_start: dict[int, int] = field(default_factory=dict)
    clause_cache: dict[int, tuple[list[int], list[tuple[int, int]]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.mention_starts = [m.start for m in self.mentions]


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
    for m in reversed(ctx.mentions[:lo_para]):
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
    if q.unit is not None or q.scaled and not _english(ctx.low, q.start):
        return True
    if _english(ctx.low, q.start):
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
        if _FROM_BEFORE.search(ctx.low, max(0, a.start - 16), a.start) or re.search(
                r"(?:从|由|from)", ctx.low[max(0, a.start - 16):a.start]):
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
                     column_years: dict[int, int] | None = None) -> list[dict]:
    """Records for the quantities ``qs`` found in ``sent``."""
    low = ctx.low[sent.start:sent.end]
    measure_cue = is_measure_sentence(low) and any(
        q.unit in ("CNY", "USD", "percent", "count", "m2") for q in qs)
    measure_threshold = ctx.policy and THRESHOLD_CUE.search(low) is not None
    pairs = _pairs(ctx, qs)
    targets_of = {v: k for k, v in pairs.items()}
    out: list[dict] = []
    prev: Quantity | None = None
    for i, q in enumerate(qs):
        gap = ctx.low[prev.end:q.start] if prev is not None else None
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
        rec = _record(ctx, sent, q, measure, column_years)
        if rec is None:
            continue
        if i in pairs:
            rec["kind"] = "observation"
            year = _from_year(ctx, q, sent.start)
            if year is not None:
                rec["year"] = year
        if i in targets_of:
            base = out[-1] if out and out[-1].get("_index") == i - 1 else None
            rec["kind"] = "target" if rec["kind"] != "measure" else "measure"
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
    if re.match(r"\s*(?:比|较|同比|环比|提高|增加|增长|up|an increase|compared)", own):
        prev = ctx.low[max(sent.start, qa - 40):qa]
        return prev + own
    return own


def _record(ctx: Context, sent: Sentence, q: Quantity, measure: bool,
            column_years: dict[int, int] | None) -> dict | None:
    before = ctx.low[sent.start:q.start]
    after = ctx.low[q.end:sent.end]
    qa, qb = _quote_span(ctx, sent, q.start, q.end)
    clause = ctx.s[qa:qb]
    english = _english(ctx.low, q.start)
    counted = q.unit == "count" and q.noun is None and not english
    phrase = indicator_phrase(ctx.s, (qa, qb), q.start, q.end, counted, q.noun)
    if len(phrase) < 2:
        # 最高资助300万元: the subject is in the clause before (对新认定的…项目).
        lead = ctx.s[max(sent.start, qa - 60):qa].strip(" ,;:")
        phrase = (lead + " " + ctx.s[qa:q.start]).strip()[-80:]
    indicator, ind_unit = map_indicator(phrase, clause, q.unit)
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
    kind = kind_of(before, after, year, ctx.ref_year, year_explicit, measure)
    if year is None and kind != "measure":
        year = context_year(ctx.years, sent.start,
                            past=ctx.ref_year if kind == "observation" else None)
        if kind == "target" and year is not None and ctx.ref_year and year < ctx.ref_year:
            year = ctx.ref_year
    region = region_at(ctx, sent, q.start)
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
