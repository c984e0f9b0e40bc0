"""`covey campaign` on the command line: the flow by hand, bad input as one clear line (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from covey.cli.app import app
from covey.store import DuckDBStore
from test_campaign_pipeline import _seed

runner = CliRunner()


def _run(db: Path, *args: str) -> tuple[int, str]:
    res = runner.invoke(app, [*args, "--db", str(db)], env={"COLUMNS": "250"})
    return res.exit_code, res.output


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "covey.duckdb"
    with DuckDBStore(db) as s:
        _seed(s)
    return db


def test_by_hand_then_bad_input(tmp_path: Path) -> None:
    db = _db(tmp_path)
    code, out = _run(
        db,
        "campaign",
        "create",
        "--name",
        "Gut week",
        "--brand",
        "Acme",
        "--starts",
        "2026-07-01",
        "--ends",
        "2026-07-28",
        "--budget",
        "3000",
        "--hashtag",
        "acmegut",
        "--code-pattern",
        "ACME-{handle}",
        "--jurisdiction",
        "UK",
        "--json",
    )
    assert code == 0, out
    cid = str(json.loads(out)["campaign_id"])
    assert _run(db, "campaign", "add", cid, "@anna_ibd", "--posts", "2", "--fee", "500")[0] == 0
    for stage in ("contacted", "replied", "negotiating", "contracted"):
        assert _run(db, "campaign", "stage", cid, "anna_ibd", stage, "--actor", "maria")[0] == 0
    code, out = _run(db, "campaign", "show", cid, "--json")
    anna = json.loads(out)["creators"][0]
    assert code == 0 and (anna["stage"], anna["fee"], anna["posts"]) == ("contracted", 500.0, 2)
    # impossible stage change: one line, exit 2, no traceback
    code, out = _run(db, "campaign", "stage", cid, "anna_ibd", "paid")
    assert code == 2 and "cannot move from contracted to paid" in out and "Traceback" not in out
    code, out = _run(db, "campaign", "remove", cid, "anna_ibd")
    assert code == 2 and "cannot be removed; move them to 'dropped' first" in out
    code, out = _run(
        db,
        "campaign",
        "create",
        "--name",
        "x",
        "--brand",
        "y",
        "--starts",
        "2026-07-01",
        "--ends",
        "2026-06-01",
        "--budget",
        "10",
    )
    assert code == 2 and "[ends]" in out
    code, out = _run(
        db,
        "campaign",
        "create",
        "--from-plan",
        "7",
        "--brand",
        "y",
        "--starts",
        "2026-07-01",
        "--ends",
        "2026-07-02",
    )
    assert code == 2 and "no plan 7" in out
    bad = tmp_path / "conv.csv"
    bad.write_text("code,clicks,conversions\nACME-ANNAIBD,10,oops\n")
    code, out = _run(db, "campaign", "conversions", cid, str(bad))
    assert code == 2 and "conv.csv:2 [conversions]" in out
    # the trail holds every accepted change and none of the refused ones
    code, out = _run(db, "campaign", "events", cid, "--json")
    kinds = [(e["kind"], e["to_stage"]) for e in json.loads(out)]
    assert kinds == [
        ("created", None),
        ("added", "prospect"),
        ("stage", "contacted"),
        ("stage", "replied"),
        ("stage", "negotiating"),
        ("stage", "contracted"),
    ]
    assert _run(db, "campaign", "due", cid, "--by", "2026-08-01", "--json")[0] == 0
    code, out = _run(db, "campaign", "report", cid, "--json")
    rep = json.loads(out)
    assert code == 0 and rep["reach"] is None and "no plan" in rep["reach_note"]
    # nothing delivered yet: 0 impressions, and a cost per thousand that cannot be known
    assert rep["total"]["impressions"] == 0 and rep["total"]["cpm"] is None and rep["total"]["cpe"] is None


def test_world_campaign_needs_a_world(tmp_path: Path) -> None:
    db = _db(tmp_path)
    code, out = _run(
        db, "world", "campaign", "--world", str(tmp_path), "--out", str(tmp_path / "o"), "--plan", "1"
    )
    assert code == 2 and "no plan 1" in out


def test_every_campaign_command_on_an_empty_database(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    DuckDBStore(db).close()
    assert _run(db, "campaign", "list", "--json") == (0, "[]\n")
    for args in (
        ["show", "1"],
        ["report", "1"],
        ["track", "1"],
        ["brief", "1"],
        ["events", "1"],
        ["outreach", "1", "--sender", "a@b.example"],
        ["stage", "1", "x", "contacted"],
        ["insights", "1", str(tmp_path / "insights.csv")],
    ):
        code, out = _run(db, "campaign", *args)
        assert code == 2 and "no campaign 1; no campaign yet" in out and "Traceback" not in out, (args, out)
