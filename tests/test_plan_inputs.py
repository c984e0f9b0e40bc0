"""`covey plan` as a newcomer uses it: inputs checked at the door, plain words first, strict JSON."""

from __future__ import annotations

import json
import math
from itertools import pairwise
from pathlib import Path

import pytest

from covey.cli.app import app
from covey.store import DuckDBStore
from test_plan_cli import fill_store, plan_json, runner


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan") / "covey.duckdb"
    with DuckDBStore(path) as store:
        fill_store(store)
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--budget", "nan"], "--budget must be a positive amount"),
        (["x", "--budget", "inf"], "--budget must be a positive amount"),
        (["x", "--budget", "0"], "--budget must be a positive amount"),
        (["x", "--budget", "-5"], "--budget must be a positive amount"),
        (["x", "--budget", "5000", "--currency", "XYZ"], "unknown currency 'XYZ'"),
        (["x", "--budget", "5000", "--currency", "BRL"], "no exchange rate for BRL"),
        (["x", "--budget", "5000", "--frequency", "4", "--max-frequency", "3"], "window 4-3 is empty"),
        (["x", "--budget", "5000", "--frequency", "0"], "--frequency must be at least 1"),
        (["x", "--budget", "5000", "--max-frequency", "12"], "at most 9"),
        (["", "--budget", "5000"], "the brief is empty"),
        (["  ", "--budget", "5000"], "the brief is empty"),
        (["x", "--budget", "5000", "--country", "Untied Kingdom"], "did you mean"),
        (["x", "--budget", "5000", "--objective", "most"], "--objective takes window, atleast, reach1"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(db: Path, args: list[str], message: str) -> None:
    res = runner.invoke(app, ["plan", *args, "--db", str(db)])
    assert res.exit_code == 2, res.output
    assert message in " ".join(res.stderr.split())
    assert "Traceback" not in res.output


def test_country_as_people_write_it(db: Path) -> None:
    out = plan_json(db, "--budget", "6000", "--country", "UK", "--no-save", "--creators", "2-10")
    assert out["inputs"]["country"] == "GB"
    assert {it["account_id"] for it in out["items"]} <= {f"instagram:{i}" for i in range(0, 62, 2)}


def test_currency_is_used_with_a_dated_rate(db: Path) -> None:
    eur = plan_json(db, "--budget", "8000", "--no-save", "--creators", "2-10")["summary"]
    usd = plan_json(db, "--budget", "8000", "--currency", "usd", "--no-save", "--creators", "2-10")
    s = usd["summary"]
    assert s["currency"] == "USD" and usd["inputs"]["currency"] == "USD"
    note = next(n for n in s["notes"] if "converted" in n)
    assert "1 EUR = 1.03 USD" in note and "2025-01-02" in note
    # The same posts cost 1.03 times as many dollars, so 8,000 USD buy less than 8,000 EUR.
    assert all(it["cost_per_post"] > 0 for it in usd["items"])
    assert s["spent"] <= 8000 and s["options"][0]["spent"] <= 8000
    assert s["reach"]["reach"]["3+"] <= eur["reach"]["reach"]["3+"] * 1.001


def test_json_is_strict_and_the_summary_is_plain(db: Path) -> None:
    res = runner.invoke(app, ["plan", "IBD awareness", "--budget", "9000", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output

    def no_constants(name: str) -> None:
        raise AssertionError(f"JSON holds {name}")

    out = json.loads(res.stdout, parse_constant=no_constants)
    s = out["summary"]
    assert s["headline"].startswith("This plan reaches about ") and "3 to 5 times" in s["headline"]
    assert "top engagement (naive)" in s["headline"]
    assert s["unspent"].startswith("It spends ")
    assert all(math.isfinite(p["reach_3plus"]) for p in s["budget_curve"])
    assert all("warning" in it for it in out["items"])


def test_text_output_plain_first_details_behind_a_flag(db: Path) -> None:
    res = runner.invoke(
        app, ["plan", "IBD awareness", "--budget", "9000", "--db", str(db)], env={"COLUMNS": "80"}
    )
    assert res.exit_code == 0, res.output
    first = res.stdout.lstrip().splitlines()[0]
    assert first.startswith(("This plan reaches about", "warning:"))
    body = res.stdout.split("(--details shows")[0]
    assert "optimum <=" not in body and "segments" not in body and "x clamp" not in body
    assert "…" not in res.stdout  # names and figures are not cut at 80 columns
    detailed = runner.invoke(
        app, ["plan", "IBD awareness", "--budget", "9000", "--db", str(db), "--details", "--no-save"]
    )
    assert "Objective: expected target people reached 3 to 5 times" in detailed.stdout
    assert "no tight bound exists" in detailed.stdout


def test_help_shows_the_plan_options() -> None:
    res = runner.invoke(app, ["plan", "--help"], env={"COLUMNS": "120"})
    assert res.exit_code == 0
    for option in ("--budget", "--currency", "--frequency", "--objective", "--creators", "--details"):
        assert option in res.stdout
    assert "plan show ID" in res.stdout


def test_saved_plan_shows_its_number_and_the_budget_curve(db: Path) -> None:
    out = plan_json(db, "--budget", "9000")
    pid = out["summary"]["plan_id"]
    res = runner.invoke(app, ["plan", "show", str(pid), "--db", str(db)], env={"COLUMNS": "120"})
    assert res.exit_code == 0, res.output
    assert f"Plan {pid}:" in res.stdout and "not saved" not in res.stdout
    assert "Budget -> people reached 3+ times" in res.stdout
    again = json.loads(runner.invoke(app, ["plan", "show", str(pid), "--db", str(db), "--json"]).stdout)
    curve = again["summary"]["budget_curve"]
    assert len(curve) >= 5 and [p["budget"] for p in curve] == sorted(p["budget"] for p in curve)
    # Above the budget each point starts from the plan one step below: its objective never falls.
    above = [p["in_window"] for p in curve if p["budget"] >= 9000]
    assert len(above) >= 3 and all(b >= a * (1 - 1e-9) for a, b in pairwise(above))
    assert again["summary"]["plan_id"] == pid
