"""`covey import` through the real Typer app: exit codes, the summary, --json."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from covey.cli.app import app
from test_ingest_samples import SAMPLE, write_csv, write_parquet

runner = CliRunner()


def _flat(text: str) -> str:
    """Output with Rich's line wrapping undone."""
    return " ".join(text.split())


def test_import_prints_a_summary(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    result = runner.invoke(app, ["import", str(write_csv(tmp_path / "in")), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "posts" in result.output and "inserted" in result.output
    stats = runner.invoke(app, ["stats", "--db", str(db), "--json"])
    assert json.loads(stats.stdout)["tables"]["posts"] == 2


def test_import_json_and_rejects_folder(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    folder = write_parquet(tmp_path / "in", {"creators": SAMPLE["creators"], "accounts": SAMPLE["accounts"]})
    (folder / "posts.csv").write_text(
        "post_id,account_id,posted_at,likes\np1,instagram:1,2024-01-01,3.5k\np2,nobody,2024-01-01,1\n",
        encoding="utf-8",
    )
    args = ["import", str(folder), "--db", str(db), "--rejects", str(tmp_path / "rej"), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 3, result.output  # a row was rejected: scripts must notice
    summary = json.loads(result.stdout)
    assert summary["exit_code"] == 3 and summary["loaded"] == 5 and summary["rejected"] == 1
    assert summary["tables"]["posts"] == {
        "read": 2,
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    assert summary["format"] == "csv+parquet"
    rejects = Path(summary["rejects_path"])
    assert rejects.parent == tmp_path / "rej"
    assert json.loads(rejects.read_text().splitlines()[0])["line"] == 3
    rerun = runner.invoke(app, [*args, "--allow-rejects"])
    assert rerun.exit_code == 0, rerun.output
    again = json.loads(rerun.stdout)
    assert all(t["inserted"] == 0 for t in again["tables"].values())


def test_bad_input_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    (tmp_path / "posts.csv").write_text("post_id\nx\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(tmp_path / "posts.csv"), "--db", str(db)])
    assert result.exit_code == 2
    # every missing column at once, and what the file has instead
    assert "missing required columns 'account_id', 'posted_at'" in _flat(result.output)
    assert "(the file has: post_id)" in _flat(result.output)
    missing = runner.invoke(app, ["import", str(tmp_path / "nope"), "--db", str(db)])
    assert missing.exit_code == 2 and "no such file" in _flat(missing.output)
    fmt = runner.invoke(app, ["import", str(tmp_path), "--db", str(db), "--format", "xml"])
    assert fmt.exit_code == 2


def test_table_option(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    (tmp_path / "people.csv").write_text("creator_id,name\nz,Zed\n", encoding="utf-8")
    result = runner.invoke(
        app, ["import", str(tmp_path / "people.csv"), "--db", str(db), "--table", "creators", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tables"]["creators"]["inserted"] == 1
