"""Bytes to text: byte-order marks, strict UTF-8, then GB18030 / Big5 / detector candidates.

Decision rule (see ``decode_text``):

1. A byte-order mark decides (UTF-8, UTF-16, UTF-32); the mark is not part of the text.
2. Binary junk is refused before any guessing: NUL bytes or more than 2 % control bytes.
3. Strict UTF-8 wins whenever it decodes.
4. Otherwise every candidate that decodes *strictly* is scored on a sample: the declared
   charset (HTML ``<meta charset>`` or HTTP header) if any, ``gb18030`` (a superset of GBK and
   GB2312, which are decoded with it), ``big5``, ``cp950``, ``big5hkscs``, then what
   charset-normalizer proposes. The score counts suspicious characters: replacement, private-use,
   unassigned and control characters weigh 5, any character outside the common sets (GB2312 or
   Big5 level-1 Han characters, ASCII, CJK and full-width punctuation, kana, hangul, general
   punctuation) weighs 1. The lowest score wins, ties go to the earlier candidate. This is what
   separates GB18030 from Big5 on short texts: Big5 bytes read as GB18030 turn into rare GBK
   extension characters and private-use symbols, and GBK bytes read as Big5 into level-2 Big5
   characters, or fail.
5. Nothing decodes, or the best candidate is mostly suspicious characters: ``cannot decode``.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata

import charset_normalizer

from digimeter.errors import DocumentError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BUILTIN_CANDIDATES = ("gb18030", "big5", "cp950", "big5hkscs")
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "euc_cn": "gb18030",
    "ascii": "cp1252",
    "latin_1": "cp1252",
    "iso8859-1": "cp1252",
}
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_CONTROL_SHARE = 0.02
_SAMPLE_CHARS = 100_000
_MAX_BADNESS_PER_CHAR = 0.3
_DETECTOR_GUESSES = 3


def decode_text(data: bytes, *, where: str, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; raise DocumentError when impossible."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, encoding, where), encoding
    check_not_binary(data, where=where)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    tried = ["utf-8"]
    best: tuple[float, int, str, str] | None = None
    for priority, encoding in enumerate(_candidates(data, declared)):
        tried.append(encoding)
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = badness(text[:_SAMPLE_CHARS])
        if best is None or (score, priority) < best[:2]:
            best = (score, priority, text, encoding)
    if best is None or best[0] > _MAX_BADNESS_PER_CHAR * min(len(best[2]), _SAMPLE_CHARS):
        raise DocumentError(f"cannot decode the text (tried {', '.join(tried)})", where=where)
    _check_decoded_controls(best[2], where)
    return best[2], best[3]


def check_not_binary(data: bytes, *, where: str) -> None:
    """Refuse data with NUL bytes or a high share of control bytes."""
    sample = data[:65536]
    if b"\x00" in sample:
        raise DocumentError("not a text document (binary data: NUL bytes)", where=where)
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if sample and controls / len(sample) > _CONTROL_SHARE:
        raise DocumentError(
            f"not a text document (binary data: {controls} control bytes "
            f"in the first {len(sample)})",
            where=where,
        )


def canonical_encoding(name: str | None) -> str | None:
    """Python codec name for a declared charset label, with GBK/GB2312 widened to GB18030."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    return _ALIASES.get(codec, codec)


def badness(text: str) -> float:
    """Sum of character costs: 0 common, 1 uncommon, 5 replacement/private/unassigned/control."""
    return float(sum(_char_cost(char) for char in text))


def _decode_with_bom(data: bytes, encoding: str, where: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"cannot decode the text (tried {encoding} from its byte-order mark: {exc.reason})",
            where=where,
        ) from None
    text = text.removeprefix("\ufeff")
    _check_decoded_controls(text, where)
    return text


def _check_decoded_controls(text: str, where: str) -> None:
    sample = text[:65536]
    controls = sum(1 for char in sample if _is_bad_control(char))
    if "\x00" in sample or (sample and controls / len(sample) > _CONTROL_SHARE):
        raise DocumentError("not a text document (binary data: control characters)", where=where)


def _is_bad_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and char not in "\t\n\x0b\x0c\r\x1b\x85"


def _candidates(data: bytes, declared: str | None) -> list[str]:
    names: list[str] = []
    declared_codec = canonical_encoding(declared)
    if declared_codec and declared_codec not in ("utf-8",):
        names.append(declared_codec)
    names.extend(_BUILTIN_CANDIDATES)
    names.extend(_detector_guesses(data))
    seen: set[str] = set()
    unique: list[str] = []
    for name in names:
        codec = canonical_encoding(name) or name
        if codec not in seen:
            seen.add(codec)
            unique.append(codec)
    return unique


def _detector_guesses(data: bytes) -> list[str]:
    try:
        matches = charset_normalizer.from_bytes(data)
    except Exception:  # noqa: BLE001 - a detector failure only removes candidates
        return []
    return [match.encoding for match in list(matches)[:_DETECTOR_GUESSES]]


_COMMON_RANGES = (
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # kana
    (0xAC00, 0xD7A3),  # hangul syllables
    (0xFF01, 0xFF5E),  # full-width ASCII variants
    (0x2010, 0x2027),  # dashes, quotes, ellipsis, bullet
    (0x2030, 0x205E),  # per mille, primes, guillemets
    (0x2160, 0x216B),  # Roman numerals
    (0x2460, 0x2473),  # circled numbers
)
_COMMON_SYMBOLS = frozenset("·×÷°©®«»§¥£€±‰№℃")
_UNIHAN_CODEPOINTS = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003134f]")


def _char_cost(char: str) -> int:
    code = ord(char)
    if code < 0x80:
        return 0 if (char.isprintable() or char in "\t\n\r\x0c") else 5
    if char in _COMMON_SYMBOLS:
        return 0
    category = unicodedata.category(char)
    if char == "\ufffd" or category in ("Co", "Cn", "Cs", "Cc"):
        return 5
    if _UNIHAN_CODEPOINTS.match(char):
        return 0 if char in _common_han() else 1
    if any(low <= code <= high for low, high in _COMMON_RANGES):
        return 0
    if category == "Zs":
        return 0
    return 1


@functools.cache
def _common_han() -> frozenset[str]:
    """GB2312 Han characters (rows 16-87) and Big5 level-1 Han characters (A440-C67E)."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xF8):
        row = b"".join(bytes((lead, trail)) for trail in range(0xA1, 0xFF))
        chars.update(row.decode("gb2312", errors="ignore"))
    trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    for lead in range(0xA4, 0xC7):
        row = b"".join(bytes((lead, trail)) for trail in trails)
        chars.update(row.decode("big5", errors="ignore"))
    return frozenset(char for char in chars if _UNIHAN_CODEPOINTS.match(char))
