"""Number / unit / comparator spans: the quantities a sentence states.

A quantity is a numeral (Arabic, Chinese, mixed, 百分之…, an English number word), an optional
scale (万, 亿, 万亿, million, billion), an optional approximate marker (多, 余), a unit (亿元,
%, 个百分点, 倍, measure words, km, yuan, percent, …), an optional range (3~5个, 3-5 million)
and comparators written before (超过, 不超过, more than, up to) or after (以上, 左右, or more).
Numbers that are not quantities are dropped here: dates, years, periods, times, document and
telephone numbers, ordinals, enumeration labels, technology names (5G, IPv6, 50G PON) and
spelled-out counts of document structure (六大行动, eight tasks).

All matching runs on the folded lower-case copy (``Prepared.low``); offsets are the text's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digimeter.extract.numbers import ARABIC, CN_SCALES, EN_SCALES, EN_WORDS, parse_number
from digimeter.extract.text import guarded
from digimeter.extract.units import DURATIONS, currency_before, match_unit

_EN_WORD_ALT = "|".join(sorted((w for w in EN_WORDS), key=len, reverse=True))
_CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
NUMBER_RE = guarded(
    r"(?=[\d" + _CN_NUMERAL + r"]|\b[" + "".join(sorted({w[0] for w in EN_WORDS})) + "])",
    r"(?P<pct>百分之)?(?:"
    r"(?P<ar>(?<![a-z0-9._/])(?<!\d-)" + ARABIC + r")"
    r"|(?P<cn>[" + _CN_NUMERAL + r"]+(?:点[零〇一二三四五六七八九]+)?)"
    r"|(?P<en>\b(?:" + _EN_WORD_ALT + r")\b))"
)
_SCALE_RE = re.compile(
    r"\s{0,2}(?P<approx1>多|余)?(?P<scale>" + "|".join(sorted(CN_SCALES, key=len, reverse=True))
    + r"|(?:" + "|".join(EN_SCALES) + r")(?![a-z]))(?:(?P<approx2>多|余)(?P<scale2>亿)?)?")
_APPROX_RE = re.compile(r"多|余")
_RANGE_RE = re.compile(r"\s?(?:~|-|至|到|to)\s?(" + ARABIC + r")(?![a-z0-9])")

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
# Where a span of _BLOCKED can begin: how its alternatives begin.
_BLOCKED_START = (r"^|(?=[\d\n(〔\[【第一二三四五六七八九十]|icp"
                  r"|\b(?:jan|feb|ma[ry]|apr|ju[nl]|aug|sep|oct|no|dec|room|floor|fortune|global|top"
                  r"|g\d))")
_BLOCKED_AT = re.compile(_BLOCKED_START)
# Spans that hold numbers which are never quantities.
_BLOCKED = guarded(
    _BLOCKED_START,
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?"  # dates
    r"|(?<!\d)(?:19|20)\d{2}\s*(?:-|~|至|到|—|－)\s*(?:(?:19|20)?\d{2})(?!\d)\s*年?"  # periods
    r"|(?<!\d)(?:19|20)\d{2}\s*年(?:度|底|末|初|前|后|内|以来|上半年|下半年)?"  # years
    r"|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月(?:份|底|末|初)?|\d{1,2}\s*[日号](?![元])"
    r"|\d{1,2}:\d{2}(?::\d{2})?"                                           # times
    r"|\b" + _MONTH + r"\.?\s+\d{1,2}\b(?!\s*(?:%|percent|billion|million|trillion|yuan))"
    r"|\b\d{1,2}\s+" + _MONTH + r"\b"
    r"|[〔\[【(](?:19|20)\d{2}[〕\]】)]\s*\S{0,4}?\d+\s*号"                 # document numbers
    r"|第\s*[\d零〇一二两三四五六七八九十百千]+"                              # ordinals
    r"|\bno\.?\s*\d+|\broom\s+\d+|\bfloor\s+\d+|\d+(?:st|nd|rd|th)\b"
    r"|icp\S*\d+|\d{3,4}-\d{7,8}|(?<!\d)1\d{10}(?!\d)|\d{4,8}(?:\s\d{3,8}){2,6}"  # phones
    r"|(?:^|\n)\s*\(?\d{1,2}[.、)](?!\d)"                                  # list labels
    r"|\(\d{1,2}\)|\d+\s*(?:·|\.)\s*\d+\s*(?:版|代)"                          # (1), 2.0版
    r"|十[一二三四五六]五|[一二三四五六七八九十]五(?=规划|时期|期间|末)"     # 十四五
    r"|\bfortune\s+\d+|\bglobal\s+\d+|\btop\s+\d+|\d+\s*强|\bg\d+\b"
    r"|\d+(?:\.\d+)?\s*(?:mhz|ghz|nm|kv)\b|\d+\.[a-z]+\b",
)
_AFTER_SKIP = re.compile(
    r"\s?(?:年|月|日|号|时|点(?!\d)|届|期|版|代|岁|周年|大(?!型|于|幅)|方面|任务|行动|工程|举措|措施|"
    r"条措施|重点|环节|板块|部分|领域|批|是|型|级|位一体|化|名单|链|中心城市|码|大类|中类|小类)")
_DURATION_AFTER = re.compile(r"\s?(?:" + "|".join(DURATIONS) + r"|自然年|工作日|个?月|年)")
_EN_AFTER_SKIP = re.compile(r"-[a-z]|\s?-\s?(?:year|day|month|week|hour|minute|level|scale|class)")
_EN_STOP = frozenset((
    "to", "of", "in", "as", "and", "or", "on", "at", "by", "for", "from", "with", "was", "were",
    "is", "are", "the", "a", "an", "this", "that", "last", "per", "than", "over", "up", "year",
    "which", "while", "when", "since", "after", "before", "into", "will", "would", "has",
    "have", "had", "be", "been", "it", "its", "their", "respectively", "each", "more", "less"))

_LATIN = re.compile(r"[a-z]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_EN_NOUN = re.compile(r"\s+([a-z0-9][a-z0-9'\-]*)")
_EN_TECH = frozenset(("gigabit", "megabit", "bit", "bits", "mbps", "mhz", "ghz", "nm", "c", "g",
                      "k", "p", "pon", "gpon"))

_COMPARATORS: tuple[tuple[str, str], ...] = (
    ("<=", r"最高不超过|不超过|不高于|不多于|不大于|最多|最高|上限|以内|up to|no more than|"
           r"not (?:to )?exceed(?:ing)?|not more than|a maximum of|maximum(?: of)?|at most|"
           r"capped at|a cap of|no higher than"),
    (">=", r"不少于|不低于|至少|达到|高达|突破|达|超出|at least|reach(?:es|ed|ing)?|hit|"
           r"no less than|not less than|no fewer than|a minimum of|minimum(?: of)?"),
    (">", r"超过|超|多于|高于|逾|more than|over|exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|"
          r"above|in excess of|upwards of"),
    ("~", r"约|近|大约|接近|将近|左右|about|around|nearly|approximately|roughly|close to|almost|"
          r"some"),
)
_CMP_RE = re.compile("|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(_COMPARATORS)))
_CMP_OF = {f"c{i}": c for i, (c, _) in enumerate(_COMPARATORS)}
_SUFFIX_CMP = re.compile(
    r"\s?(?:(?P<ge>以上|及以上|之上|or more|and above|or above|and more|plus)"
    r"|(?P<le>以下|以内|及以下|or less|or below|at most)|(?P<approx>左右|上下))")
_NEGATIVE = re.compile(r"(?:下降|减少|降低|回落|下滑|缩减|减|降|decreas\w*|declin\w*|fell|fall\w*|"
                       r"drop\w*|down|shr[au]nk|contract\w*)\s*(?:by\s*|了)?\s*$")


@dataclass
class Quantity:
    """One stated quantity; ``start``/``end`` cover number, unit and comparator words."""

    start: int
    end: int
    value: float
    unit: str | None
    comparator: str = "="
    value_max: float | None = None
    spelled: bool = False
    scaled: bool = False
    noun: tuple[int, int] | None = None  # an English counted noun right after the number


def is_blocked(low: str, start: int, end: int) -> bool:
    """Whether the number at ``[start, end)`` lies in a date, a year, a document number, …
    (the patterns are tried on a small window around the number only, as a scan of the
    window would try them, but only from where a span can begin up to the number)."""
    lo, hi = max(0, start - 30), min(len(low), min(end, start + 40) + 20)
    pos = lo
    for at in _BLOCKED_AT.finditer(low, lo, hi):
        if at.start() > start:
            break
        if at.start() < pos:
            continue
        m = _BLOCKED.match(low, at.start(), hi)
        if m is not None:
            if m.end() > start:
                return True
            pos = m.end()
    return False


def comparator_before(low: str, start: int, floor: int) -> tuple[str, int] | None:
    """The comparator written nearest before ``start`` (within a short window)."""
    window_start = max(floor, start - 16)
    found = None
    for m in _CMP_RE.finditer(low, window_start, start):
        found = (_CMP_OF[m.lastgroup or ""], m.start())
    return found


def _scale(low: str, pos: int, end: int) -> tuple[float, int, bool]:
    m = _SCALE_RE.match(low, pos, end)
    if not m:
        a = _APPROX_RE.match(low, pos, end)
        return 1.0, (a.end() if a else pos), bool(a)
    name = m.group("scale")
    factor = CN_SCALES.get(name) or EN_SCALES[name]
    if m.group("scale2"):  # 1万多亿元: more than 1万亿
        factor *= CN_SCALES[m.group("scale2")]
    return factor, m.end(), bool(m.group("approx1") or m.group("approx2"))


def _english_noun(low: str, pos: int, end: int) -> tuple[int, int] | None:
    m = _EN_NOUN.match(low, pos, end)
    if not m or m.group(1) in _EN_STOP or m.group(1) in _EN_TECH or m.group(1).isdigit():
        return None
    return m.span(1)


def _reject_after(low: str, pos: int, end: int, english: bool) -> bool:
    if _AFTER_SKIP.match(low, pos, end):
        return True
    if english and _EN_AFTER_SKIP.match(low, pos, end):
        return True
    nxt = low[pos:pos + 1]
    return bool(nxt) and ("a" <= nxt <= "z" or nxt == "+" or nxt == "_")


def _build(low: str, m: re.Match[str], end: int, floor: int) -> Quantity | None:
    """The quantity whose numeral is ``m``, or None when it is not one."""
    num_text = m.group("ar") or m.group("cn") or m.group("en") or ""
    if len(num_text) > 24:
        return None  # a run of digits (an identifier, a hash), not a quantity
    spelled = m.group("ar") is None
    if m.group("cn") and all(ch in "万亿千百十" for ch in num_text) and num_text != "十":
        return None  # 千万, 百亿: vague magnitudes
    value = parse_number(num_text)
    if value is None:
        return None
    pos = m.end()
    factor, pos, approx = _scale(low, pos, end)
    value_max = None
    r = _RANGE_RE.match(low, pos, end)
    if r and not m.group("pct"):
        second = parse_number(r.group(1))
        f2, p2, _ = _scale(low, r.end(), end)
        if second is not None and second > value and (f2 == factor or factor == 1.0):
            unit_probe = match_unit(low, p2, end)
            if unit_probe is not None or f2 != 1.0:
                factor = f2
                value_max, pos = second * f2, p2
    unit_match = match_unit(low, pos, end)
    unit, unit_factor = (None, 1.0)
    if m.group("pct"):
        unit = "percent"
    elif unit_match is not None:
        if unit_match.unit == "Gbps" and factor == 1.0 and low[pos:unit_match.end].strip() == "g":
            unit_match = None  # 5G, 10G-PON: technology names
        else:
            unit, unit_factor, pos = unit_match.unit, unit_match.factor, unit_match.end
    english = unit is None and m.group("ar") is not None and _english_context(low, m.start())
    if unit is None and _reject_after(low, pos, end, english or bool(m.group("en"))):
        return None
    if unit is None and factor == 1.0 and _is_year_like(num_text, value):
        return None
    if unit in (None, "count") and _DURATION_AFTER.match(low, pos, end):
        return None
    start = m.start()
    if unit is None:
        cur = currency_before(low, start, floor)
        if cur is not None:
            unit, start = cur
    noun = None
    if unit is None and (english or m.group("en")):
        noun = _english_noun(low, pos, end)
    total = value * factor * unit_factor
    if value_max is not None:
        value_max = value_max * unit_factor
    q = Quantity(start, pos, total, unit, value_max=value_max, spelled=spelled,
                 scaled=factor != 1.0, noun=noun)
    if approx:
        q.comparator = ">"
    return q


def _english_context(low: str, pos: int) -> bool:
    """Latin letters rather than Han characters around the number."""
    window = low[max(0, pos - 12):pos + 12]
    if window.isascii():
        return True
    return len(_LATIN.findall(window)) > len(_HAN.findall(window))


def _is_year_like(text: str, value: float) -> bool:
    return "," not in text and "." not in text and value.is_integer() and 1900 <= value <= 2100


def _suffix(low: str, q: Quantity, end: int) -> None:
    m = _SUFFIX_CMP.match(low, q.end, end)
    if not m:
        return
    q.end = m.end()
    q.comparator = ">=" if m.group("ge") else "<=" if m.group("le") else "~"


def find_quantities(low: str, a: int, b: int) -> list[Quantity]:
    """Quantities stated in ``low[a:b]`` (one sentence), in order."""
    out: list[Quantity] = []
    floor = a
    for m in NUMBER_RE.finditer(low, a, b):
        if out and m.start() < out[-1].end:
            continue
        q = _build(low, m, b, floor)
        if q is None:
            continue
        _suffix(low, q, b)
        if q.unit is None and q.noun is None and q.comparator != "=" and _english_context(
                low, q.start):
            q.noun = _english_noun(low, q.end, b)
        prefix = comparator_before(low, q.start, floor)
        if prefix is not None and q.comparator == "=":
            q.comparator = prefix[0]
        if q.spelled and (q.unit is None and q.noun is None or q.unit not in (
                "percent", "CNY", "USD") and prefix is None and q.comparator == "="):
            continue  # 六大行动, eight tasks: spelled counts need a unit and a comparator
        if is_blocked(low, m.start(), m.end()):
            continue
        if q.unit in ("percent", "percentage_point") and _NEGATIVE.search(
                low, max(floor, q.start - 12), q.start):
            q.value, q.value_max = -q.value, q.value_max
        out.append(q)
        floor = q.end
    return out
