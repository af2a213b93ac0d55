"""The demo job on the bundled corpus and data: what `make demo SERVE=0` runs."""

from __future__ import annotations

from sqlalchemy import func, select

from digimeter.demo import HERE as DEMO
from digimeter.demo import run, summary
from digimeter.store import open_store
from digimeter.store.indexes import index_scores, index_uncertainty
from digimeter.store.schema import documents, observations
from tests.conftest import run_cli


def counts(url: str) -> tuple[int, int]:
    engine = open_store(url)
    with engine.connect() as conn:
        n_docs = conn.execute(select(func.count()).select_from(documents)).scalar()
        n_obs = conn.execute(select(func.count()).select_from(observations)).scalar()
    engine.dispose()
    return n_docs, n_obs


def test_demo_loads_every_bundled_file_without_a_problem(tmp_path):
    first = run(tmp_path)
    assert first.errors == []
    n_docs, n_obs = counts(first.db_url)
    bundled = [p for folder in ("seeds", "news")
               for p in (DEMO / "corpus" / folder).iterdir() if p.suffix == ".txt"]
    assert n_docs == len(bundled) >= 40
    assert n_obs == sum(r.stored for r in first.imports) > 200
    assert all(r.stored + r.skipped == r.rows for r in first.imports)
    assert [(i.units, i.replicates, i.new) for i in first.indexes] == [(28, 200, True),
                                                                       (7, 200, True)]
    again = run(tmp_path)
    assert counts(again.db_url) == (n_docs, n_obs)
    assert sum(r.stored for r in again.imports) == 0
    assert [i.run_id for i in again.indexes] == [i.run_id for i in first.indexes]
    assert not any(i.new for i in again.indexes)
    engine = open_store(first.db_url)
    regions = index_scores(engine, first.indexes[1].run_id, level=3)
    assert {s.unit_code for s in regions} == {"CN", "CN-E", "CN-C", "CN-W", "CN-NE", "CN-JJJ",
                                              "CN-YRD"}
    # September 2023: the east leads on users (43.3 %) and is close on stations (29.6 % to
    # Jing-Jin-Ji's 31.0 %); the northeast is last on both but stations ahead of the west
    ranked = [s.unit_code for s in sorted(regions, key=lambda s: s.rank)]
    assert ranked[0] == "CN-E" and ranked[-1] == "CN-NE"
    assert len(index_uncertainty(engine, first.indexes[1].run_id)) == 3 * 7
    text = summary(open_store(first.db_url), first)
    assert f"## Documents: {n_docs} stored" in text and "fiveg_base_stations" in text
    assert "## Tracking:" in text


def test_demo_command_writes_the_summary_and_exits(tmp_path):
    proc = run_cli("demo", "--out", str(tmp_path / "out"), "--no-serve", check=True)
    assert "# digimeter demo" in proc.stdout
    assert (tmp_path / "out" / "summary.md").read_text(encoding="utf-8") == proc.stdout.rstrip(
        "\n") + "\n"
