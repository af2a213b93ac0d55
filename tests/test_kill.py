"""A SIGKILL in the middle of an ingest leaves only whole documents; a re-run completes."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time

from sqlalchemy import create_engine, func, select

from digimeter.store.engine import resolve_url
from digimeter.store.schema import documents

N_DOCS = 400


def stored(url: str) -> list[tuple[str, str, int]]:
    engine = create_engine(resolve_url(url))
    try:
        with engine.connect() as conn:
            return conn.execute(select(documents.c.sha256, documents.c.text,
                                       documents.c.size_bytes)).all()
    finally:
        engine.dispose()


def test_sigkill_mid_batch_leaves_whole_documents(store_url, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(N_DOCS):
        body = f"第{i}号文件。到2025年，数字经济核心产业增加值达到{i}亿元。\n" * 2000
        (corpus / f"doc{i:04d}.txt").write_text(body, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DIGIMETER_DB"}
    proc = subprocess.Popen([sys.executable, "-m", "digimeter", "ingest", str(corpus),
                             "--db", store_url], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            try:
                if len(stored(store_url)) >= 5:
                    break
            except Exception:  # the store may not exist yet  # noqa: BLE001
                pass
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    partial = stored(store_url)
    assert 5 <= len(partial) < N_DOCS, "the kill must land mid-batch"
    for sha, text, _size in partial:
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == sha
        assert text.count("\n") == 2000
    rerun = subprocess.run([sys.executable, "-m", "digimeter", "ingest", str(corpus),
                            "--db", store_url], env=env, capture_output=True, text=True,
                           timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    final = stored(store_url)
    assert len(final) == N_DOCS
    assert len({sha for sha, _, _ in final}) == N_DOCS
    engine = create_engine(resolve_url(store_url))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(documents)).scalar() == N_DOCS
    engine.dispose()
