"""Numerals: Arabic (thousands separators, decimals), Chinese (三十, 一千五百, 两万, 三点五,
百分之二十), mixed (3.89万, 1.44万亿) and English (38,900; 1.44 trillion; three).

cn2an handles plain Chinese integers but not mixed forms (``1.44万亿``, ``三点八九万``) nor
``百分之二十`` (see tests/test_extract_numbers.py); the small parser below covers all of them
with one set of rules and no exceptions.
"""

from __future__ import annotations

import re

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)

# Scales written after a number (3.89万, 1.44万亿, 6000亿, 600 billion).
CN_SCALES = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "亿": 1e8, "千万": 1e7,
             "百万": 1e6, "十万": 1e5, "万": 1e4}
EN_SCALES = {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6,
             "thousand": 1e3}

EN_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
            "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
            "a hundred": 100, "one hundred": 100, "a thousand": 1000, "dozen": 12,
            "a dozen": 12}

ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_ARABIC_RE = re.compile(ARABIC)


def parse_arabic(text: str) -> float:
    """``"38,900"`` → 38900.0, ``"3.89"`` → 3.89."""
    return float(text.replace(",", ""))


def _small_section(text: str) -> int | None:
    """A Chinese number below 10,000 (一千五百, 三十, 十五, 两百零五)."""
    total, digit, seen_unit = 0, None, False
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None and digit != 0:
                return None  # two digits in a row: not a positional numeral
            digit = CN_DIGITS[ch]
        elif ch in CN_SMALL_UNITS:
            unit = CN_SMALL_UNITS[ch]
            total += (1 if digit is None else digit) * unit
            digit, seen_unit = None, True
        else:
            return None
    if digit:
        # 一千五 means 1500: a trailing digit after a unit takes the next lower unit.
        if seen_unit and len(text) >= 2 and text[-2] in CN_SMALL_UNITS and text[-2] != "十":
            total += digit * CN_SMALL_UNITS[text[-2]] // 10
        else:
            total += digit
    return total


def _digit_string(text: str) -> int | None:
    """二〇二五 → 2025: digits written one by one."""
    if len(text) < 2 or any(ch not in CN_DIGITS for ch in text):
        return None
    return int("".join(str(CN_DIGITS[ch]) for ch in text))


def parse_chinese_integer(text: str) -> int | None:
    """三十 → 30, 一千五百 → 1500, 两万 → 20000, 一亿二千万 → 120000000; None if not one."""
    if not text:
        return None
    plain = _digit_string(text)
    if plain is not None:
        return plain
    total, rest = 0, text
    for big, factor in (("亿", CN_BIG_UNITS["亿"]), ("万", CN_BIG_UNITS["万"])):
        if big in rest:
            head, _, rest = rest.partition(big)
            value = _section_or_compound(head) if head else 1
            if value is None:
                return None
            total += value * factor
    if rest:
        tail = _small_section(rest.lstrip("零〇"))
        if tail is None:
            return None
        total += tail
    return total


def _section_or_compound(text: str) -> int | None:
    """The part before 亿 may itself hold 万 (一万亿)."""
    if "万" in text:
        return parse_chinese_integer(text)
    return _small_section(text.lstrip("零〇"))


def parse_chinese(text: str) -> float | None:
    """Chinese numeral with an optional decimal part: 三点五 → 3.5, 三点八九万 → 38900."""
    if "点" not in text:
        value = parse_chinese_integer(text)
        return None if value is None else float(value)
    head, _, tail = text.partition("点")
    scale = 1.0
    for name, factor in CN_SCALES.items():
        if tail.endswith(name):
            tail, scale = tail[: -len(name)], factor
            break
    whole = parse_chinese_integer(head) if head else 0
    if whole is None or not tail or any(ch not in CN_DIGITS for ch in tail):
        return None
    decimals = "".join(str(CN_DIGITS[ch]) for ch in tail)
    return float(f"{whole}.{decimals}") * scale


def parse_number(text: str) -> float | None:
    """Any numeral this module knows: Arabic, Chinese, mixed (3.89万), 百分之二十 (→ 20)."""
    text = text.strip()
    if text.isdecimal():
        return float(text)
    if not text:
        return None
    if text.startswith("百分之"):
        return parse_number(text[3:])
    scale = 1.0
    for name, factor in CN_SCALES.items():
        if text.endswith(name) and len(text) > len(name) and text[-len(name) - 1].isdigit():
            text, scale = text[: -len(name)], factor
            break
    if _ARABIC_RE.fullmatch(text):
        return parse_arabic(text) * scale
    value = parse_chinese(text)
    if value is not None:
        return value * scale
    word = EN_WORDS.get(text.lower())
    return None if word is None else float(word)
