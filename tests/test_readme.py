"""The README's tour runs as written: every `covey` line of its shell block, in order."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
COVEY = Path(sys.executable).parent / "covey"


def tour_commands() -> list[str]:
    """The lines of the shell block under '## A tour of the command line'."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## A tour of the command line", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "README tour has no ```sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_exactly_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start\n\n```sh\n(.*?)```", text, re.S)
    assert block and block.group(1).split("\n")[:2] == ["make demo", "make test"]


@pytest.mark.slow
def test_readme_tour_runs(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = {**os.environ, "COLUMNS": "160"}
    commands = tour_commands()
    assert commands[0].startswith("covey world generate")
    for line in commands:
        argv = shlex.split(line)
        assert argv[0] == "covey", line
        if "HANDLE" in argv:
            con = duckdb.connect(str(tmp_path / "covey.duckdb"), read_only=True)
            handle = con.execute("SELECT handle FROM accounts ORDER BY account_id LIMIT 1").fetchone()
            con.close()
            assert handle
            argv[argv.index("HANDLE")] = handle[0]
        proc = subprocess.run(
            [str(COVEY), *argv[1:]], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )
        assert proc.returncode == 0, f"{line}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    assert (tmp_path / "scored.csv").read_text().startswith('"username"')
