"""Metadata of a plain-text document: title, publisher and date from its first lines.

Conservative by design: a field is filled only when the head of the document says it clearly,
otherwise it stays None.

* Title: the first non-empty line, after skipping at most three navigation lines (breadcrumbs
  such as ``当前位置: 首页 > …`` or ``Home » …``, accessibility toolbars), when it looks like
  a title: 4-200 characters, no sentence end (``。``, a final ``.``, ``;``, ``:``), at most two
  commas, at most 60 Han characters or 30 words, and at least 4 Han characters or 3 words.
  A first line that is a metadata line (``发布时间:…``) or a credit line (``记者``, ``摄影``,
  ``文/``, ``Photo by``) gives no title; ``原标题:`` before a title is dropped.
* Published: the first date after a date label (``发布时间``, ``发布日期``, ``发稿时间``,
  ``成文日期``, ``生成日期``, ``更新时间``, ``日期``, ``时间``, ``Date``, ``Time``,
  ``Published``, ``Updated``, ``Latest update time``, …) in the first 12 non-empty lines, else
  a line that is nothing but a date (and time), else a store-added ``" date YYYY-MM-DD …"``
  first line. Dates: ``2021-12-30``, ``2021/12/30``, ``2021.12.30``, ``2021年12月30日``,
  ``December 30, 2021``.
* Publisher: the value after a source/publisher label, in this order of preference:
  ``发布机构``/``发文机关``/``发布单位``, ``来源``/``信息来源``/``文章来源``, ``Source``,
  ``转自``, ``Publisher``. A value ends at the next label on the same line, at two spaces, a
  tab or ``|``; it must hold 2-60 characters, mostly not digits, and no date.

Label matching is done on the full-width-folded text, so ``来源：`` and ``来源:`` both work.
Chinese labels must not follow a Han character (``统计时间`` is not ``时间``), English labels
must not follow a Latin letter.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from digimeter.ingest.textnorm import make_date

_HEAD_LINES = 12
_MAX_META_LINE = 300
_DATE_LABELS = (
    "发布时间", "发布日期", "发稿时间", "发表时间", "发表日期", "成文日期", "生成日期",
    "印发日期", "更新时间", "更新日期", "日期", "时间",
    "latest update time", "last updated", "update time", "updated", "published on",
    "published", "publication date", "release date", "posted on", "posted", "date", "time",
)
_PUBLISHER_LABELS = (
    "发布机构", "发文机关", "发布单位", "发文单位", "来源", "信息来源", "文章来源", "稿件来源",
    "source", "转自", "publisher",
)
_OTHER_LABELS = (
    "作者", "浏览次数", "阅读次数", "点击数", "访问量", "责任编辑", "编辑", "字号", "索引号",
    "主题分类", "文件编号", "发文字号", "author", "editor", "views", "reporter",
)
_ALL_LABELS = sorted({*_DATE_LABELS, *_PUBLISHER_LABELS, *_OTHER_LABELS}, key=len, reverse=True)
_LABEL_RE = re.compile(
    r"(?:(?<![\u4e00-\u9fff])(?P<zh>" + "|".join(x for x in _ALL_LABELS if not x.isascii())
    + r")|(?<![A-Za-z])(?P<en>" + "|".join(x for x in _ALL_LABELS if x.isascii())
    + r"))\s*[:：]\s*(?:\|\s*)?",
    re.IGNORECASE,
)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_NUMERIC_DATE = re.compile(
    r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)\s*日?"
)
_ENGLISH_DATE = re.compile(r"(" + "|".join(_MONTHS) + r")\.?\s+(\d{1,2}),?\s+(\d{4})",
                           re.IGNORECASE)
_TIME = r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
_DATE_ONLY_LINE = re.compile(
    r"^\s*\d{4}\s*(?:[-/.]|年)\s*\d{1,2}\s*(?:[-/.]|月)\s*\d{1,2}\s*日?" + _TIME + r"\s*$"
)
_STORE_DATE_LINE = re.compile(r"^\s*date (\d{4})-(\d{2})-(\d{2})(?:\s+|$)")
_NAVIGATION = re.compile(
    r"^(?:当前位置|您的位置|您现在的位置|现在位置|所在位置)\s*[:：]"
    r"|^(?:首页|网站首页|home)\s*[>»/＞›]"
    r"|无障碍|繁体版|简体版|长者模式",
    re.IGNORECASE,
)
_BULLET_START = re.compile(r"^[-*•·◎?？●■□▪]")
_ORIGINAL_TITLE = re.compile(r"^\s*原标题\s*[:：]\s*")
_CREDIT = re.compile(r"摄影|攝影|记者|記者|通讯员|通訊員|^[文图圖]\s*/|photo\s*(?:by|:)",
                     re.IGNORECASE)
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


@dataclass(frozen=True)
class TextMetadata:
    title: str | None
    publisher: str | None
    published: datetime.date | None


def text_metadata(text: str, normalized: str) -> TextMetadata:
    """Title, publisher and date read from the head of a plain-text document.

    ``normalized`` is ``text`` with full-width characters folded (same length); labels and
    dates are matched there, values are cut from ``text`` at the same offsets.
    """
    lines = _head_lines(text, normalized)
    return TextMetadata(
        title=_title(lines),
        publisher=_publisher(lines),
        published=_published(lines),
    )


@dataclass(frozen=True)
class _Line:
    original: str
    folded: str


def _head_lines(text: str, normalized: str) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    while len(lines) < _HEAD_LINES and start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            lines.append(_Line(text[start:end], normalized[start:end]))
        start = end + 1
    return lines


def _labelled_values(line: _Line) -> list[tuple[str, str]]:
    """``(label, value)`` pairs of one metadata line, label lower-cased."""
    if len(line.folded) > _MAX_META_LINE or (":" not in line.folded
                                             and "：" not in line.folded):
        return []
    matches = list(_LABEL_RE.finditer(line.folded))
    pairs = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(line.folded)
        label = (match.group("zh") or match.group("en")).lower()
        pairs.append((label, line.original[match.end():end]))
    return pairs


def _title(lines: list[_Line]) -> str | None:
    skipped = 0
    for index, line in enumerate(lines):
        candidate = line.original.strip()
        if index == 0 and (store := _STORE_DATE_LINE.match(line.folded)):
            candidate = line.original[store.end():].strip()
        elif original := _ORIGINAL_TITLE.match(line.folded):
            candidate = line.original[original.end():].strip()
        if _NAVIGATION.search(line.folded) and skipped < 3:
            skipped += 1
            continue
        if _LABEL_RE.match(line.folded.strip()):
            return None
        return candidate if _looks_like_title(candidate) else None
    return None


def _looks_like_title(line: str) -> bool:
    if not 4 <= len(line) <= 200 or _BULLET_START.match(line) or _CREDIT.search(line):
        return False
    if line[0] in "(（[【" and line[-1] in ")）]】":
        return False
    if "。" in line or line[-1] in ".;；:：,，、" or line.count(",") + line.count("，") > 2:
        return False
    han = len(_HAN.findall(line))
    words = len(_WORD.findall(line))
    if han > 60 or words > 30:
        return False
    return han >= 4 or words >= 3


def _published(lines: list[_Line]) -> datetime.date | None:
    for line in lines:
        for label, value in _labelled_values(line):
            if label in _DATE_LABELS and (found := _date_at_start(value)):
                return found
    for line in lines:
        if _DATE_ONLY_LINE.match(line.folded) and (found := _date_at_start(line.folded)):
            return found
    if lines and (store := _STORE_DATE_LINE.match(lines[0].folded)):
        return make_date(*store.groups())
    return None


def _date_at_start(value: str) -> datetime.date | None:
    value = value.strip()
    if numeric := _NUMERIC_DATE.match(value):
        return make_date(*numeric.groups())
    if english := _ENGLISH_DATE.match(value):
        month = _MONTHS.index(english.group(1).lower()) + 1
        return make_date(english.group(3), month, english.group(2))
    return None


def _publisher(lines: list[_Line]) -> str | None:
    found: dict[str, str] = {}
    for line in lines:
        for label, value in _labelled_values(line):
            if label in _PUBLISHER_LABELS and label not in found:
                cleaned = _clean_publisher(value)
                if cleaned:
                    found[label] = cleaned
    for label in _PUBLISHER_LABELS:
        if label in found:
            return found[label]
    return None


def _clean_publisher(value: str) -> str | None:
    value = re.split(r"\s{2,}|\t|\||｜", value.strip(), maxsplit=1)[0]
    value = value.strip(" :：,，;；.。·-—_()（）[]【】")
    if not 2 <= len(value) <= 60:
        return None
    digits = sum(char.isdigit() for char in value)
    if digits / len(value) >= 0.3 or _NUMERIC_DATE.search(value):
        return None
    if not (_HAN.search(value) or re.search(r"[A-Za-z]{3}", value)):
        return None
    return value
