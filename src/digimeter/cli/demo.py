"""``digimeter demo``: the bundled corpus and data, end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from digimeter.cli.problems import Problems, note
from digimeter.demo import run, summary
from digimeter.store import open_store


def demo(
    out: Annotated[Path, typer.Option(help="Folder for the demo store and report.")]
    = Path("build/demo"),
    serve: Annotated[bool, typer.Option(help="Serve the store on the web afterwards.")] = True,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
) -> None:
    """Run the main job on the bundled corpus and data, and write a summary."""
    result = run(out)
    text = summary(open_store(result.db_url), result)
    (out / "summary.md").write_text(text, encoding="utf-8")
    typer.echo(text)
    problems = Problems()
    for error in result.errors:
        problems.report(error)
    note(f"summary written to {out / 'summary.md'}")
    if serve:
        from digimeter.cli.serve import serve as serve_api

        note(f"serving on http://{host}:{port}/ (pages in zh/en; JSON API at /api/docs); "
             "Ctrl-C to stop")
        serve_api(db=result.db_url, host=host, port=port)
    raise typer.Exit(problems.exit_code)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
