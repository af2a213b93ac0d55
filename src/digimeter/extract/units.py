"""Units written after (or, for currencies, before) a number, mapped to base units.

The lexicon is built from ``digimeter/indicators/published_units.csv`` (亿元, 万户, %, …) plus
the measure words and English unit names below. Matching is longest-first on the folded,
lower-cased text. Compound units are written ``A_per_B`` (元/平方米/月 → ``CNY_per_m2_month``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from digimeter.indicators import load_conversions


@dataclass(frozen=True)
class UnitMatch:
    unit: str
    factor: float
    end: int  # offset just past the unit text


# Chinese measure words that count things (individuals, organisations, items).
MEASURE_WORDS = ("个", "家", "户", "座", "项", "人", "件", "台套", "台", "套", "笔", "条", "名",
                 "所", "种", "款", "只", "张", "部", "辆", "栋", "处", "根", "块", "间", "支",
                 "位", "例", "次", "人次", "万人次", "对", "场", "批次", "门", "颗", "片", "枚",
                 "端口", "口", "层", "份")
# Measure words that name document structure, not quantities (任务, 行动 follow them).
_CN_UNITS: dict[str, tuple[str, float]] = {
    "元": ("CNY", 1), "元人民币": ("CNY", 1), "人民币": ("CNY", 1), "美元": ("USD", 1),
    "欧元": ("EUR", 1), "%": ("percent", 1), "个百分点": ("percentage_point", 1),
    "百分点": ("percentage_point", 1), "倍": ("multiple", 1), "公里": ("km", 1),
    "千米": ("km", 1), "平方公里": ("km2", 1), "平方千米": ("km2", 1), "平方米": ("m2", 1),
    "g": ("Gbps", 1), "gbps": ("Gbps", 1), "tbps": ("Tbps", 1), "pb": ("PB", 1),
    "eflops": ("EFLOPS", 1), "个位次": ("rank", 1), "位次": ("rank", 1),
}
_EN_UNITS: dict[str, tuple[str, float]] = {
    "%": ("percent", 1), "percent": ("percent", 1), "per cent": ("percent", 1),
    "percentage points": ("percentage_point", 1), "percentage point": ("percentage_point", 1),
    "pp": ("percentage_point", 1), "times": ("multiple", 1), "fold": ("multiple", 1),
    "yuan": ("CNY", 1), "rmb": ("CNY", 1), "renminbi": ("CNY", 1), "cny": ("CNY", 1),
    "u.s. dollars": ("USD", 1), "us dollars": ("USD", 1), "dollars": ("USD", 1),
    "usd": ("USD", 1), "euros": ("EUR", 1),
    "kilometers": ("km", 1), "kilometres": ("km", 1), "km": ("km", 1),
    "square kilometers": ("km2", 1), "square kilometres": ("km2", 1), "sq km": ("km2", 1),
    "km2": ("km2", 1), "square meters": ("m2", 1), "square metres": ("m2", 1),
    "sq m": ("m2", 1), "m2": ("m2", 1), "gbps": ("Gbps", 1), "tbps": ("Tbps", 1),
    "meters per second": ("m_per_s", 1), "metres per second": ("m_per_s", 1),
    "m/s": ("m_per_s", 1), "c": ("degC", 1), "°c": ("degC", 1), "degrees celsius": ("degC", 1),
}
# Currency signs and codes written before the number.
CURRENCY_PREFIX = re.compile(r"(?:us\$|\$|¥|rmb|cny|usd|hk\$)\s?$")
_PREFIX_UNITS = {"us$": "USD", "$": "USD", "¥": "CNY", "rmb": "CNY", "cny": "CNY",
                 "usd": "USD", "hk$": "HKD"}

# Denominators of compound units (元/平方米/月, 个/万人).
_PER: dict[str, str] = {"平方米": "m2", "㎡": "m2", "月": "month", "年": "year", "天": "day",
                        "日": "day", "人": "person", "万人": "10k_people", "百人": "100_people",
                        "gb": "GB", "吨": "t", "千瓦时": "kWh", "度": "kWh", "户": "household",
                        "m2": "m2", "month": "month", "year": "year", "person": "person"}
DURATIONS = ("years", "year", "days", "day", "months", "month", "hours", "hour", "minutes",
             "weeks", "年", "个月", "天", "小时", "分钟", "周", "岁")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _cn_lexicon() -> dict[str, tuple[str, float]]:
    lex = dict(_CN_UNITS)
    for w in MEASURE_WORDS:
        lex.setdefault(w, ("count", 1))
    for name, conv in load_conversions().items():
        if conv.unit and conv.unit != "year" and not name.isascii() \
                and not re.match(r"[万亿千百]", name):
            lex.setdefault(name, (conv.unit, conv.factor))
    lex.pop("位", None)
    lex["位"] = ("count", 1)
    return lex


@cache
def _cn_regex() -> re.Pattern[str]:
    return re.compile(r"\s{0,2}(?:" + _alternation(list(_cn_lexicon())) + ")")


@cache
def _en_regex() -> re.Pattern[str]:
    return re.compile(r"\s{0,2}(?:" + _alternation(list(_EN_UNITS)) + r")(?![a-z])")


_PER_RE = re.compile(r"\s?(?:/|每)\s?(" + _alternation(list(_PER)) + ")")


def match_unit(low: str, pos: int, end: int) -> UnitMatch | None:
    """The unit starting at ``pos`` (after optional spaces), not reaching past ``end``."""
    m = _cn_regex().match(low, pos, end)
    best: UnitMatch | None = None
    if m:
        unit, factor = _cn_lexicon()[m.group().strip()]
        best = UnitMatch(unit, factor, m.end())
    e = _en_regex().match(low, pos, end)
    if e and (best is None or e.end() > best.end):
        unit, factor = _EN_UNITS[e.group().strip()]
        best = UnitMatch(unit, factor, e.end())
    if best is None:
        return None
    # 元人民币 and similar: a currency word may repeat after the unit.
    if best.unit in ("CNY", "USD") and low.startswith("人民币", best.end):
        best = UnitMatch(best.unit, best.factor, best.end + 3)
    return _compound(low, best, end)


def _compound(low: str, base: UnitMatch, end: int) -> UnitMatch:
    """元/平方米/月 → CNY_per_m2_month; 个/万人 → count_per_10k_people."""
    unit, pos, parts = base.unit, base.end, []
    while len(parts) < 2:
        m = _PER_RE.match(low, pos, end)
        if not m:
            break
        parts.append(_PER[m.group(1)])
        pos = m.end()
    if not parts:
        return base
    if parts[0] in ("10k_people", "100_people"):
        return UnitMatch(f"{unit}_per_{parts[0]}", base.factor, pos)
    return UnitMatch(f"{unit}_per_{'_'.join(parts)}", base.factor, pos)


def currency_before(low: str, start: int, floor: int) -> tuple[str, int] | None:
    """A currency sign or code right before ``start`` ($1.4 billion, RMB 3 billion)."""
    window = low[max(floor, start - 4):start]
    m = CURRENCY_PREFIX.search(window)
    if not m:
        return None
    return _PREFIX_UNITS[m.group().strip()], start - len(window) + m.start()


_PER_10K = re.compile(r"每万人|万人拥有|per 10,?000 (?:people|inhabitants|residents|population)")
_PER_100 = re.compile(r"每百人|百人拥有|per 100 (?:people|inhabitants|residents)")


def per_capita(unit: str, prefix: str) -> str:  # prefix: the clause up to the number
    """A count whose phrase says 每万人 / per 10,000 people is a per-capita count."""
    if unit != "count":
        return unit
    if _PER_10K.search(prefix):
        return "count_per_10k_people"
    if _PER_100.search(prefix):
        return "count_per_100_people"
    return unit


_INDUSTRY_NOUN = re.compile(r"(?:-?level\s+|yuan-level\s+)?(?:industr|cluster|market|sector|"
                            r"econom)")


def industry_magnitude(low: str, value: float, unit: str | None,
                       noun: tuple[int, int] | None) -> str | None:
    """"100 billion industrial clusters" (千亿级产业集群 in translation) measures the size of
    the clusters in yuan, not a count of them: ``CNY`` for a count of a billion or more whose
    counted noun is an industry, cluster, market or sector."""
    if unit not in (None, "count") or noun is None or value < 1e9:
        return None
    return "CNY" if _INDUSTRY_NOUN.match(low, noun[0]) else None
