"""Media type of a document: byte signatures first, then the caller's hint, then the name.

Order:
1. ``%PDF-`` in the first 1024 bytes -> ``pdf``; a ZIP archive holding ``word/document.xml``
   -> ``docx`` (a damaged ZIP named or hinted as DOCX too, so that the DOCX reader says
   why). Signatures beat any hint: a PDF served as ``text/html`` is still a PDF.
2. A ZIP archive that is not a DOCX, or an OLE2 compound file (legacy .doc/.xls) ->
   DocumentError: unsupported.
3. The caller's ``media_type`` (or the HTTP Content-Type mapped by ``media_type_from_mime``).
4. HTML markup at the start (``<!doctype html``, ``<html``, ``<head``, ``<body``, or such a tag
   within the first 2048 bytes after an XML declaration or comments) -> ``html``.
5. The extension: .pdf, .docx, .htm/.html/.xhtml/.shtml, anything else -> ``text``.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

from digimeter.errors import DocumentError
from digimeter.ingest.model import MEDIA_TYPES

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ANYWHERE = re.compile(rb"<html\b|<!doctype\s+html|<body\b", re.IGNORECASE)
_EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".htm": "html",
    ".html": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
}
_MIME_TYPES = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
}


def detect_media_type(data: bytes, *, name: str, hint: str | None = None,
                      where: str | None = None) -> str:
    """One of ``text``, ``html``, ``pdf``, ``docx`` for ``data`` called ``name``."""
    where = where or name
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(_ZIP_MAGIC):
        return _zip_media_type(data, name=name, hint=hint, where=where)
    if data.startswith(_OLE2_MAGIC):
        raise DocumentError(
            "unsupported document type: legacy Office file (.doc/.xls); save it as DOCX",
            where=where,
        )
    if hint is not None:
        if hint not in MEDIA_TYPES:
            raise DocumentError(f"unknown media type {hint!r} (expected one of "
                                f"{', '.join(MEDIA_TYPES)})", where=where)
        return hint
    if _HTML_START.match(head) or _HTML_ANYWHERE.search(head[:1024]):
        return "html"
    return media_type_from_name(name) or "text"


def media_type_from_name(name: str) -> str | None:
    """Media type from a file name's extension, None when the extension says nothing."""
    return _EXTENSIONS.get(PurePosixPath(name).suffix.lower())


def media_type_from_mime(content_type: str | None) -> str | None:
    """Media type from an HTTP Content-Type value such as ``text/html; charset=gbk``."""
    if not content_type:
        return None
    mime = content_type.split(";", 1)[0].strip().lower()
    return _MIME_TYPES.get(mime)


def charset_from_mime(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type value, if any."""
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _zip_media_type(data: bytes, *, name: str, hint: str | None, where: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            is_docx = "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        if "docx" in (hint, media_type_from_name(name)):
            return "docx"  # the DOCX reader reports the damage
        raise DocumentError(f"damaged ZIP archive: {exc}", where=where) from None
    if is_docx:
        return "docx"
    raise DocumentError("unsupported document type: a ZIP archive that is not a DOCX",
                        where=where)
