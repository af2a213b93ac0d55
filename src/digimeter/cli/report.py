"""``digimeter report``: a printable report of a region's targets and progress."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from digimeter.cli.common import DbOption, store
from digimeter.cli.problems import note
from digimeter.web.report import print_pdf, report_html


def report(
    region: Annotated[str, typer.Option(help="Region code.")],
    out: Annotated[Path, typer.Option(help="Where to write the report (.html or .pdf).")],
    lang: Annotated[str, typer.Option(help="zh or en.")] = "zh",
    method: Annotated[str, typer.Option(help="Assessment method.")] = "open-sdg",
    db: DbOption = None,
) -> None:
    """Write a region's targets and progress as HTML, or as PDF (printed by Chromium)."""
    html = report_html(store(db), region, lang if lang in ("zh", "en") else "zh", method)
    if out.suffix.lower() == ".pdf":
        print_pdf(html, out)
    else:
        out.write_text(html, encoding="utf-8")
    note(f"report written to {out}")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
