"""``digimeter extract``: stdout carries only records; errors one line on stderr."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from digimeter.cli import app


def test_jsonl_records_only(tmp_path):
    doc = tmp_path / "plan.txt"
    doc.write_text("江西数字经济行动计划\n预计到2022年,全省数字经济增加值达到1.5万亿元以上,"
                   "建成4万个5G基站。\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["doc"], r["value"], r["unit"], r["region_code"]) for r in rows] == [
        ("plan.txt", 1.5e12, "CNY", "360000"), ("plan.txt", 40000.0, "count", "360000")]
    text = doc.read_text(encoding="utf-8")
    assert all(text[r["start"]:r["end"]] == r["quote"] for r in rows)


def test_missing_file_is_an_error(tmp_path):
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "nope.txt" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_csv_format(tmp_path):
    (tmp_path / "a.txt").write_text("到2025年,建成5G基站4万个。", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", "--format", "csv", str(tmp_path)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("doc,kind,region_code") and len(lines) == 2
