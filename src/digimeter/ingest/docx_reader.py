"""DOCX files: body paragraphs and tables in document order, title and date from core properties.

Each paragraph is one line. Each table row is one line, its cells separated by ``" | "``; a
cell spanning several grid columns appears once; line breaks inside a cell become spaces so a
row stays on one line (the extraction engine reads indicator tables this way). Nested tables
are flattened the same way, after the row that holds them. Headers, footers, footnotes and
text boxes are not read.

``published`` is the ``created`` core property, except python-docx's template default
(2013-12-23 23:15, author "python-docx") which says nothing about the document.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import OpcError
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from digimeter.errors import DocumentError
from digimeter.ingest.model import Extracted
from digimeter.ingest.textnorm import clean_field, to_date

CELL_SEPARATOR = " | "
_TEMPLATE_CREATED = datetime.datetime(2013, 12, 23, 23, 15, tzinfo=datetime.UTC)


def read_docx(data: bytes, *, where: str) -> Extracted:
    """Text and metadata of a DOCX file; DocumentError when it cannot be opened."""
    document = _open(data, where)
    lines = list(_body_lines(document))
    return Extracted(
        text="\n".join(lines),
        title=clean_field(document.core_properties.title),
        published=_published(document),
    )


def _open(data: bytes, where: str) -> DocxDocument:
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, OpcError, XMLSyntaxError, KeyError, ValueError, OSError) as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise DocumentError(f"damaged DOCX: {reason}", where=where) from None


def _body_lines(document: DocxDocument) -> Iterator[str]:
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Table):
            yield from _table_lines(block)


def _table_lines(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells = _unique_cells(row.cells)
        yield CELL_SEPARATOR.join(_cell_text(cell) for cell in cells)
        for cell in cells:
            for nested in cell.tables:
                yield from _table_lines(nested)


def _unique_cells(cells: tuple[_Cell, ...] | list[_Cell]) -> list[_Cell]:
    """Drop the repeats python-docx returns for a cell that spans several grid columns."""
    unique: list[_Cell] = []
    for cell in cells:
        if not unique or cell._tc is not unique[-1]._tc:
            unique.append(cell)
    return unique


def _cell_text(cell: _Cell) -> str:
    return " ".join(paragraph.text.replace("\n", " ") for paragraph in cell.paragraphs).strip()


def _published(document: DocxDocument) -> datetime.date | None:
    properties = document.core_properties
    try:
        created = properties.created
    except (ValueError, TypeError):
        return None
    if created is None:
        return None
    if properties.author == "python-docx" and _as_utc(created) == _TEMPLATE_CREATED:
        return None
    return to_date(created)


def _as_utc(value: datetime.datetime) -> datetime.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC)
