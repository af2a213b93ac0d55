"""Data types shared by the document readers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
"""Default size limit for one document (100 MiB); every reader entry point takes its own."""

MEDIA_TYPES = ("text", "html", "pdf", "docx")


@dataclass(frozen=True)
class ParsedDocument:
    """One document, decoded and reduced to its text.

    ``text`` is the text exactly as the source gives it after HTML boilerplate removal or
    PDF/DOCX text extraction, with one change only: line endings are normalised (``\\r\\n`` and
    a lone ``\\r`` become ``\\n``) and a leading byte-order mark is dropped. Quotes and character
    offsets of the extraction engine point into ``text``.

    ``text_normalized`` has exactly the same length as ``text``: full-width ASCII variants
    (U+FF01..U+FF5E) are mapped to their ASCII counterparts and the ideographic space U+3000 to a
    plain space; every other character is kept. An offset into one is an offset into the other.
    """

    text: str
    text_normalized: str
    sha256: str
    title: str | None
    publisher: str | None
    published: datetime.date | None
    language: str | None
    media_type: str
    encoding: str | None
    size_bytes: int
    file_name: str
    source: str


@dataclass(frozen=True)
class Extracted:
    """What one format reader gives back before the common fields are derived."""

    text: str
    title: str | None = None
    publisher: str | None = None
    published: datetime.date | None = None
    encoding: str | None = None
