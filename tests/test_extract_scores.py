"""The engine scored against the hand annotations of the seed and development corpora.

The floors are what the engine reaches today: a change that lowers a score fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from digimeter.extract import extract_paths

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORER = SHARED / "eval" / "score_targets.py"
CASES = {
    "seeds": (SHARED / "corpus" / "seeds.gold.jsonl", SHARED / "corpus" / "seeds", 0.90, 0.95),
    "dev": (SHARED / "corpus" / "dev" / "gold.jsonl", SHARED / "corpus" / "dev" / "docs",
            0.97, 0.97),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_scores_hold(name, tmp_path):
    gold, docs, headline_floor, measures_floor = CASES[name]
    assert SCORER.is_file() and gold.is_file(), "the shared corpus sits beside the clone"
    pred = tmp_path / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as f:
        for _path, recs in extract_paths([docs]):
            assert not isinstance(recs, str), recs
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    out = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), "--pred", str(pred),
                          "--docs", str(docs), "--json"], capture_output=True, text=True,
                         check=True)
    result = json.loads(out.stdout)
    assert result["quotes_not_in_document"] == 0
    assert result["headline"]["f1"] >= headline_floor
    assert result["measures"]["f1"] >= measures_floor
