"""``digimeter ingest`` into the store: each document once, bad input reported, rest stored."""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy import func, select

from digimeter.ingest.run import ingest
from digimeter.store.documents import list_documents
from digimeter.store.schema import documents
from tests.conftest import SEEDS, run_cli


def count_documents(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(documents)).scalar()


def test_seeds_twice_store_five_documents(engine):
    first = ingest(engine, [str(SEEDS)])
    second = ingest(engine, [str(SEEDS)])
    assert [o.error for o in first + second] == [None] * 10
    assert sum(o.added.created for o in first) == 5
    assert sum(o.added.created for o in second) == 0
    assert count_documents(engine) == 5


def test_gbk_copy_is_the_same_document(engine, tmp_path):
    seed = sorted(SEEDS.glob("*.txt"))[3]
    text = seed.read_text(encoding="utf-8")
    gbk = tmp_path / "copy-gbk.txt"
    gbk.write_bytes(text.encode("gb18030"))
    ingest(engine, [str(seed)])
    again = ingest(engine, [str(gbk)])
    assert again[0].error is None and again[0].added.created is False
    stored = list_documents(engine)
    assert len(stored) == 1 and stored[0]["file_name"] == seed.name


def test_text_is_stored_exactly_and_normalised_only_in_the_copy(engine, tmp_path):
    path = tmp_path / "fw.txt"
    path.write_text("到２０２５年，数字经济增加值占比达到５０％。\n", encoding="utf-8")
    ingest(engine, [str(path)])
    with engine.connect() as conn:
        text, normalized = conn.execute(select(documents.c.text,
                                               documents.c.text_normalized)).one()
    assert "２０２５" in text and "2025" in normalized and len(text) == len(normalized)


def make_bad_inputs(folder: Path) -> dict[str, str]:
    """Each bad file with a word its error line must contain."""
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.bin").write_bytes(os.urandom(4096))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    (folder / "nothing.html").write_text("<html><head><title>x</title></head><body>"
                                         "<nav><a href='/'>Home</a></nav></body></html>",
                                         encoding="utf-8")
    (folder / "latin.txt").write_bytes(bytes(range(0x80, 0x100)) * 8)
    big = folder / "huge.txt"
    with big.open("wb") as f:
        f.truncate(600 * 2**20)
    return {"empty.txt": "empty", "junk.bin": "text", "broken.pdf": "PDF",
            "nothing.html": "article", "huge.txt": "MB", "latin.txt": "decode"}


def test_bad_files_one_line_each_and_the_rest_stored(store_url, tmp_path):
    expected = make_bad_inputs(tmp_path / "in")
    proc = run_cli("ingest", str(tmp_path / "in"), str(SEEDS), str(tmp_path / "missing.txt"),
                   "--db", store_url, "--max-mb", "500")
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == len(expected) + 1
    for name, word in expected.items():
        line = next(e for e in errors if name in e)
        assert word.lower() in line.lower(), line
    assert any("missing.txt" in e and "no such file" in e for e in errors)
    listed = run_cli("documents", "--db", store_url, "--format", "jsonl", check=True)
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 5
    for row in rows:
        assert {"id", "sha256", "title", "source", "language", "published"} <= set(row)
        assert len(row["sha256"]) == 64


def test_db_chosen_by_environment_variable(tmp_path):
    url = f"sqlite:///{tmp_path / 'env.db'}"
    run_cli("ingest", str(SEEDS), env={"DIGIMETER_DB": url}, check=True)
    listed = run_cli("documents", "--format", "csv", env={"DIGIMETER_DB": url}, check=True)
    assert len(listed.stdout.strip().splitlines()) == 6
    assert (tmp_path / "env.db").exists()


def test_default_store_is_digimeter_db_in_the_working_folder(tmp_path):
    run_cli("ingest", str(SEEDS), cwd=tmp_path, check=True)
    assert (tmp_path / "digimeter.db").exists()
