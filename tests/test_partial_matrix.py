"""Every command on every partial world and on empty tables: no traceback, a clear message.

One tiny world per partial profile (30 creators), built once per module through the CLI itself
(`world generate --profile`, `import`, `score`, `index`); each command then runs on it in
process. A command may refuse (exit 1 or 2) when nothing can be done, but only with a one-line
message, never a traceback.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from click.testing import Result
from typer.testing import CliRunner

from covey.cli.app import app
from covey.store import DuckDBStore
from covey.world.partial import PROFILES

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Built:
    """A database built through the CLI, and one handle in it."""

    db: Path
    handle: str
    steps: dict[str, Result]


def _run(args: list[str]) -> Result:
    return runner.invoke(app, args, env={"COLUMNS": "100"})


def _no_traceback(res: Result, what: str) -> None:
    """Exit 0, or a refusal with a message; never an exception escaping the command."""
    exc = res.exception
    if exc is not None and not isinstance(exc, SystemExit):
        tb = "".join(traceback.format_exception(exc))
        pytest.fail(f"{what}: {type(exc).__name__} escaped\n{tb}")
    assert "Traceback" not in res.output, f"{what}\n{res.output}"
    if res.exit_code != 0:
        assert res.exit_code in (1, 2), f"{what}: exit {res.exit_code}\n{res.output}"
        assert res.output.strip(), f"{what}: exit {res.exit_code} without a word"


def _first_handle(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT handle FROM accounts ORDER BY account_id LIMIT 1").fetchone()
    finally:
        con.close()
    return str(row[0]) if row else "nobody"


def _build(folder: Path, profile: str) -> Built:
    world, db = folder / "world", folder / "covey.duckdb"
    steps = {
        "world generate": _run(
            [
                "world",
                "generate",
                "--creators",
                "30",
                "--seed",
                "5",
                "--audience-sample",
                "40",
                "--profile",
                profile,
                "--out",
                str(world),
                "--json",
            ]
        ),
        "import": _run(["import", str(world), "--db", str(db), "--json"]),
    }
    steps["score"] = _run(["score", "--db", str(db), "--json"])
    steps["index"] = _run(["index", "--db", str(db)])
    return Built(db, _first_handle(db), steps)


# The full world runs the same commands in the README tour (tests/test_readme.py).
PARTIAL = [p for p in PROFILES if p != "full"]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=PARTIAL)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp(f"matrix-{request.param}"), request.param)


COMMANDS: dict[str, list[str]] = {
    "stats": ["stats"],
    "vet": ["vet", "HANDLE"],
    "vet --details": ["vet", "HANDLE", "--details"],
    "vet --json": ["vet", "HANDLE", "--json"],
    "discover": ["discover", "creators who love fitness and running", "--tier", "any"],
    "discover --min-authenticity": [
        "discover",
        "food and recipes",
        "--tier",
        "any",
        "--min-authenticity",
        "50",
    ],
    "communities": ["communities"],
    "plan": [
        "plan",
        "creators living with Crohn's or colitis",
        "--budget",
        "20000",
        "--currency",
        "EUR",
        "--creators",
        "3-10",
    ],
    "plan list": ["plan", "list"],
    "plan show": ["plan", "show", "1"],
}


def test_the_pipeline_runs_on_every_profile(built: Built) -> None:
    for name, res in built.steps.items():
        _no_traceback(res, name)
        assert res.exit_code == 0, f"{name}\n{res.output}"
    scored = json.loads(built.steps["score"].stdout)
    assert scored["accounts"] > 0
    # Coverage is stated for every account; JSON never holds NaN.
    assert all(0 <= r["coverage"] <= 100 for r in scored["overall"])
    assert "NaN" not in built.steps["score"].stdout


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_on_every_profile(built: Built, command: str) -> None:
    args = [built.handle if a == "HANDLE" else a for a in COMMANDS[command]]
    res = _run([*args, "--db", str(built.db)])
    _no_traceback(res, command)
    if command.startswith("vet") or command in ("stats", "plan list"):
        assert res.exit_code == 0, res.output
    if command == "vet --json":
        (vet,) = json.loads(res.stdout)
        assert vet["summary"] and "NaN" not in res.stdout


def test_plan_size_and_audience_score_need_no_database(tmp_path: Path) -> None:
    for args in (
        ["plan", "size", "--audience", "50000", "--frequency", "3", "--share", "0.3"],
        ["audience", "score", str(ROOT / "examples" / "followers.csv"), "--out", str(tmp_path / "s.csv")],
    ):
        res = _run(args)
        _no_traceback(res, " ".join(args[:2]))
        assert res.exit_code == 0, res.output


EMPTY_COMMANDS = [
    ["stats"],
    ["score"],
    ["vet", "HANDLE"],
    ["index"],
    ["discover", "fitness", "--tier", "any"],
    ["communities"],
    ["plan", "fitness", "--budget", "5000", "--currency", "EUR"],
    ["plan", "list"],
    ["plan", "show", "1"],
]


@pytest.fixture(scope="module")
def sparse(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Databases with empty tables: none at all, accounts only, and posts without follower counts."""
    folder = tmp_path_factory.mktemp("sparse")
    world = folder / "world"
    res = _run(["world", "generate", "--creators", "20", "--seed", "5", "--audience-sample", "20",
                "--out", str(world)])  # fmt: skip
    assert res.exit_code == 0, res.output
    dbs = {"empty": folder / "empty.duckdb"}
    DuckDBStore(dbs["empty"]).close()  # every table, no row
    for name, files in (
        ("accounts only", ["creators", "accounts"]),
        ("posts, no follower counts", ["creators", "accounts", "posts"]),
    ):
        dbs[name] = folder / f"{name.replace(' ', '_').replace(',', '')}.duckdb"
        for f in files:
            res = _run(["import", str(world / f"{f}.parquet"), "--db", str(dbs[name])])
            assert res.exit_code == 0, res.output
        assert _first_handle(dbs[name]) != "nobody"
    return dbs


@pytest.mark.parametrize("kind", ["empty", "accounts only", "posts, no follower counts"])
def test_every_command_on_empty_tables(sparse: dict[str, Path], kind: str) -> None:
    db = sparse[kind]
    handle = _first_handle(db)
    for args in EMPTY_COMMANDS:
        argv = [handle if a == "HANDLE" else a for a in args]
        res = _run([*argv, "--db", str(db)])
        _no_traceback(res, f"{kind}: {' '.join(args)}")
    res = _run(["score", "--db", str(db)])
    if kind == "posts, no follower counts":
        # Captions alone: every component needing followers is unknown, and so is the overall.
        assert res.exit_code == 0, res.output
        assert "have no overall score" in res.output
    else:
        assert res.exit_code == 1 and "nothing to score" in res.output
