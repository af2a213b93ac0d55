"""Small text helpers: line endings, full-width folding, language, hash, cleaning of fields."""

from __future__ import annotations

import datetime
import hashlib
import re

import numpy as np

_NEWLINES = re.compile(r"\r\n?")
_SPACES = re.compile(r"\s+")


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and a lone ``\\r`` become ``\\n``; nothing else changes."""
    return _NEWLINES.sub("\n", text)


def strip_bom(text: str) -> str:
    """Drop one leading U+FEFF (a byte-order mark that survived decoding)."""
    return text.removeprefix("\ufeff")


def to_halfwidth(text: str) -> str:
    """Full-width ASCII variants (U+FF01..U+FF5E) to ASCII, U+3000 to a space; same length.

    Done on the code points as an array: ``str.translate`` costs a dictionary look-up per
    character, and Chinese text has a full-width comma in most sentences."""
    codes = code_points(text).copy()
    wide = (codes >= 0xFF01) & (codes <= 0xFF5E)
    if not wide.any() and not (codes == 0x3000).any():
        return text
    codes[wide] -= np.uint32(0xFEE0)
    codes[codes == 0x3000] = 0x20
    return from_code_points(codes)


def code_points(text: str) -> np.ndarray:
    """The text as an array of code points (read-only), for whole-text character mappings."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def from_code_points(codes: np.ndarray) -> str:
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


def format_size(size: int) -> str:
    """``"600.0 MB (629145600 bytes)"``: MB are 2**20 bytes, as the CLI's ``--max-mb``."""
    return f"{size / 2**20:.1f} MB ({size} bytes)"


def sha256_text(text: str) -> str:
    """SHA-256 of the text encoded as UTF-8 (independent of the source encoding)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003134f]+")
_LETTER = re.compile(r"[^\W\d_]+")
_LANGUAGE_SAMPLE = 200_000


def detect_language(text: str, *, threshold: float = 0.3) -> str | None:
    """``"zh"`` when Han characters are at least ``threshold`` of all letters, else ``"en"``.

    Letters are Han characters plus alphabetic non-Han characters (Latin, kana, ...). A
    Chinese text with English terms ("5G", "GDP") stays "zh"; an English article quoting a few
    Chinese names stays "en". ``None`` when the text holds no letter at all. Only the first
    200,000 characters are counted.
    """
    sample = text[:_LANGUAGE_SAMPLE]
    han = sum(map(len, _HAN.findall(sample)))
    other = sum(map(len, _LETTER.findall(sample))) - han
    if han + other == 0:
        return None
    return "zh" if han / (han + other) >= threshold else "en"


def clean_field(value: object, *, max_len: int = 300) -> str | None:
    """A metadata string with runs of white space collapsed, or None if empty or too long."""
    if not isinstance(value, str):
        return None
    cleaned = _SPACES.sub(" ", value).strip()
    if not cleaned or len(cleaned) > max_len:
        return None
    return cleaned


def to_date(value: object) -> datetime.date | None:
    """A ``date`` from a date, a datetime or an ISO ``YYYY-MM-DD...`` string; None otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
        if match:
            return make_date(*match.groups())
    return None


def make_date(year: str | int, month: str | int, day: str | int) -> datetime.date | None:
    """A plausible calendar date (1949..2100) or None."""
    try:
        result = datetime.date(int(year), int(month), int(day))
    except (ValueError, OverflowError):
        return None
    return result if 1949 <= result.year <= 2100 else None
