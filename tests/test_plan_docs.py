"""Every `covey plan` example in docs/planning.md runs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from covey.cli.app import app
from covey.store import DuckDBStore
from test_plan_cli import fill_store

DOC = Path(__file__).resolve().parents[1] / "docs" / "planning.md"


def examples() -> list[list[str]]:
    """The commands of the first code block, continuation lines joined."""
    block = re.search(r"```\n(.*?)```", DOC.read_text(), re.S)
    assert block, "docs/planning.md lost its example block"
    text = block.group(1).replace("\\\n", " ")
    return [shlex.split(line)[1:] for line in text.splitlines() if line.startswith("covey plan")]


def test_docs_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "covey.duckdb"
    with DuckDBStore(db) as store:
        fill_store(store, n_micro=40)
        with store.transaction() as cur:  # the handles the example names
            cur.execute("UPDATE accounts SET handle = 'gutfeelings' WHERE account_id = 'instagram:2'")
            cur.execute("UPDATE accounts SET handle = 'rival' WHERE account_id = 'instagram:4'")
    (tmp_path / "shortlist.csv").write_text(
        "handle,niche\n" + "".join(f"user{i},ibd\n" for i in range(6, 40)) + "gutfeelings,ibd\nrival,ibd\n"
    )
    monkeypatch.chdir(tmp_path)
    commands = examples()
    assert len(commands) == 4
    runner = CliRunner()
    for args in commands:
        res = runner.invoke(app, [*args, "--db", str(db)] if args[1] != "size" else args)
        assert res.exit_code == 0, f"{args}: {res.output}"
