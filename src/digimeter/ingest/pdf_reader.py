"""PDF files: the text layer via pypdf, title and creation date from the document info.

Pages are joined with a blank line (``"\\n\\n"``) when a page's text does not already end
with one. A file without ``%%EOF`` in its last 1024 bytes is refused as truncated (pypdf would
otherwise sometimes recover part of it, and a partial text gives partial evidence). A PDF whose
pages hold no text is refused as scanned: OCR is not done here.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable

import pypdf
from pypdf.errors import PdfReadError, PyPdfError

from digimeter.errors import DocumentError
from digimeter.ingest.model import Extracted
from digimeter.ingest.textnorm import clean_field, to_date

_PRODUCER_TITLE_PREFIX = re.compile(r"^(?:microsoft\s+(?:word|powerpoint)\s*-\s*)", re.IGNORECASE)
_FILE_SUFFIX = re.compile(r"\.(?:docx?|pptx?|xlsx?|wps|pdf)$", re.IGNORECASE)
_PLACEHOLDER_TITLES = {"untitled", "无标题", "無標題", "title", "document"}


def read_pdf(data: bytes, *, where: str) -> Extracted:
    """Text and metadata of a PDF; DocumentError for damaged, encrypted or scanned files."""
    if b"%PDF-" not in data[:1024]:
        raise DocumentError("not a PDF (no %PDF- header)", where=where)
    if b"%%EOF" not in data[-1024:]:
        raise DocumentError("damaged PDF: truncated (no %%EOF marker at the end)", where=where)
    reader = _open(data, where)
    pages = _page_texts(reader, where)
    if not any(page.strip() for page in pages):
        raise DocumentError("PDF has no text layer (scanned?)", where=where)
    title, published = _metadata(reader)
    return Extracted(text=_join_pages(pages), title=title, published=published)


def _open(data: bytes, where: str) -> pypdf.PdfReader:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("PDF is encrypted (a password is needed)", where=where)
        if len(reader.pages) == 0:
            raise DocumentError("PDF has no pages", where=where)
    except DocumentError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError,
            NotImplementedError) as exc:
        raise DocumentError(f"damaged PDF: {_reason(exc)}", where=where) from None
    return reader


def _page_texts(reader: pypdf.PdfReader, where: str) -> list[str]:
    texts = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on broken content
            raise DocumentError(
                f"damaged PDF: cannot extract the text of page {number}: {_reason(exc)}",
                where=where,
            ) from None
    return texts


def _join_pages(pages: list[str]) -> str:
    parts: list[str] = []
    for index, page in enumerate(pages):
        parts.append(page)
        if index < len(pages) - 1:
            parts.append("" if page.endswith("\n\n") else "\n" if page.endswith("\n") else "\n\n")
    return "".join(parts)


def _metadata(reader: pypdf.PdfReader) -> tuple[str | None, datetime.date | None]:
    try:
        info = reader.metadata
    except Exception:  # noqa: BLE001 - a broken info dictionary only loses metadata
        return None, None
    if info is None:
        return None, None
    title = _clean_title(_safe(lambda: info.title))
    published = to_date(_safe(lambda: info.creation_date))
    return title, published


def _clean_title(value: object) -> str | None:
    title = clean_field(value)
    if title is None:
        return None
    title = _FILE_SUFFIX.sub("", _PRODUCER_TITLE_PREFIX.sub("", title)).strip()
    if not title or title.lower() in _PLACEHOLDER_TITLES:
        return None
    return title


def _safe(getter: Callable[[], object]) -> object:
    try:
        return getter()
    except Exception:  # noqa: BLE001 - malformed dates or strings in the info dictionary
        return None


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__
