"""Document readers: bytes, files and URLs to a ``ParsedDocument``. Pure apart from I/O.

Pipeline of ``read_document``:

1. media type (``sniff.detect_media_type``): signatures, then the caller's hint, then HTML
   markup, then the extension;
2. the format reader gives the text and whatever metadata the format carries
   (``html_reader``, ``pdf_reader``, ``docx_reader``; plain text is decoded by ``decoding``);
3. common derivations: a leading BOM is dropped and line endings are normalised
   (``\\r\\n`` and a lone ``\\r`` -> ``\\n``) -- this is the only change made to the text,
   and offsets are in this ``\\n``-normalised text; then ``text_normalized`` (full-width
   folding, same length), ``sha256`` of the UTF-8 text, ``language``
   (``textnorm.detect_language``: "zh" when Han characters are >= 30 % of the letters);
4. plain text gets its title, publisher and date from its first lines (``plaintext``).

Errors are ``DocumentError`` (``TooLargeError`` for size) whose ``where`` is the source: the
absolute path for ``read_path``, the URL for ``fetch_url``, else ``source`` or ``name``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from digimeter.errors import DocumentError, TooLargeError
from digimeter.ingest.decoding import decode_text
from digimeter.ingest.docx_reader import read_docx
from digimeter.ingest.fetch import download, url_file_name
from digimeter.ingest.html_reader import read_html
from digimeter.ingest.model import DEFAULT_MAX_BYTES, Extracted, ParsedDocument
from digimeter.ingest.pdf_reader import read_pdf
from digimeter.ingest.plaintext import text_metadata
from digimeter.ingest.sniff import (
    charset_from_mime,
    detect_media_type,
    media_type_from_mime,
)
from digimeter.ingest.textnorm import (
    detect_language,
    format_size,
    normalize_newlines,
    sha256_text,
    strip_bom,
    to_halfwidth,
)


def read_document(data: bytes, *, name: str, source: str | None = None,
                  media_type: str | None = None) -> ParsedDocument:
    """Parse ``data``, a document called ``name`` (a file name or URL part).

    ``media_type`` ("text", "html", "pdf", "docx") is a hint; a PDF or DOCX signature in the
    bytes wins over it. ``source`` defaults to ``name``.
    """
    return _parse(data, name=name, source=source or name, hint=media_type)


def read_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    """Read and parse one file. The size is checked (``os.stat``) before anything is read."""
    path = Path(path)
    source = str(path.absolute())
    try:
        info = os.stat(path)
    except OSError as exc:
        raise DocumentError(f"cannot read the file: {exc.strerror or exc}", where=source) from None
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError("not a regular file", where=source)
    _check_size(info.st_size, max_bytes, source)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise DocumentError(f"cannot read the file: {exc.strerror or exc}", where=source) from None
    _check_size(len(data), max_bytes, source)  # the file grew after stat
    return _parse(data, name=path.name, source=source, hint=None)


def fetch_url(url: str, *, max_bytes: int = DEFAULT_MAX_BYTES,
              timeout: float = 30) -> ParsedDocument:
    """Download ``url`` (http/https only, streamed, capped at ``max_bytes``) and parse it.

    The media type comes from the bytes' signature, then the Content-Type header, then the
    extension of the URL's last path part; a ``charset`` in Content-Type is tried first for
    text and HTML. ``source`` is the URL as given, ``file_name`` its last path part.
    """
    fetched = download(url, max_bytes=max_bytes, timeout=timeout)
    return _parse(
        fetched.data,
        name=url_file_name(fetched.url),
        source=url,
        hint=media_type_from_mime(fetched.content_type),
        charset=charset_from_mime(fetched.content_type),
    )


def iter_paths(inputs: Iterable[Path]) -> Iterator[Path]:
    """Files to read: each file as given; each folder walked recursively in sorted order.

    Inside folders, hidden files and hidden folders (name starting with ".") are skipped,
    symbolic links to folders are not followed, and only regular files are yielded. A path
    that does not exist is yielded as given, so that ``read_path`` reports it with the others.
    """
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        raise DocumentError(f"cannot list the folder: {exc.strerror or exc}",
                            where=str(folder)) from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


def _check_size(size: int, max_bytes: int, where: str) -> None:
    if size > max_bytes:
        raise TooLargeError(
            f"file is {format_size(size)}, above the limit of {format_size(max_bytes)}",
            where=where,
        )


def _parse(data: bytes, *, name: str, source: str, hint: str | None,
           charset: str | None = None) -> ParsedDocument:
    if not data:
        raise DocumentError("empty document (0 bytes)", where=source)
    media_type = detect_media_type(data, name=name, hint=hint, where=source)
    extracted = _extract(data, media_type, where=source, charset=charset)
    text = normalize_newlines(strip_bom(extracted.text))
    if not text.strip():
        raise DocumentError("empty document (no text)", where=source)
    normalized = to_halfwidth(text)
    if media_type == "text":
        meta = text_metadata(text, normalized)
        extracted = Extracted(text, meta.title, meta.publisher, meta.published,
                              extracted.encoding)
    return ParsedDocument(
        text=text,
        text_normalized=normalized,
        sha256=sha256_text(text),
        title=extracted.title,
        publisher=extracted.publisher,
        published=extracted.published,
        language=detect_language(text),
        media_type=media_type,
        encoding=extracted.encoding if media_type in ("text", "html") else None,
        size_bytes=len(data),
        file_name=name,
        source=source,
    )


def _extract(data: bytes, media_type: str, *, where: str, charset: str | None) -> Extracted:
    if media_type == "pdf":
        return read_pdf(data, where=where)
    if media_type == "docx":
        return read_docx(data, where=where)
    if media_type == "html":
        return read_html(data, where=where, declared_charset=charset)
    text, encoding = decode_text(data, where=where, declared=charset)
    return Extracted(text=text, encoding=encoding)
