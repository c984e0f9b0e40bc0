"""`covey user`, `covey workspace` and `covey serve` on real files, with a real server process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from covey.cli.app import app
from net_support import free_port

runner = CliRunner()


def _covey(*args: str, stdin: str | None = None) -> tuple[int, str]:
    r = runner.invoke(app, list(args), input=stdin)
    return r.exit_code, r.output


def test_users_workspaces_and_tokens(tmp_path: Path) -> None:
    db = str(tmp_path / "covey.duckdb")
    code, out = _covey("workspace", "add", "acme", "--db", db)
    assert code == 0 and "acme" in out
    assert (tmp_path / "covey-app.sqlite3").exists()
    code, out = _covey("user", "add", "a@example.org", "--workspace", "acme", "--role", "owner",
                       "--password-stdin", "--db", db, stdin="long enough password\n")  # fmt: skip
    assert code == 0, out
    code, out = _covey("user", "add", "b@example.org", "--password-stdin", "--db", db, stdin="short\n")
    assert code == 2 and "at least 10 characters" in out
    code, out = _covey("user", "grant", "a@example.org", "acme", "boss", "--db", db)
    assert code == 2 and "owner, editor, viewer" in out
    code, out = _covey("workspace", "add", "Bad Name", "--db", db)
    assert code == 2 and "lower-case" in out
    code, out = _covey("user", "token", "a@example.org", "--db", db)
    assert code == 0 and out.strip().startswith("covey_")
    code, out = _covey("workspace", "list", "--db", db, "--json")
    assert code == 0 and '"acme"' in out and str(tmp_path / "workspaces" / "acme.duckdb") in out


def test_covey_serve_answers_and_holds_the_database(tmp_path: Path) -> None:
    db = tmp_path / "covey.duckdb"
    port = free_port()
    env = {**os.environ, "COVEY_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from covey.cli.app import main; main()", "serve", "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        for _ in range(200):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("covey serve did not answer")
        assert r.status_code == 200 and "Sign in" in r.text
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert httpx.get(f"http://127.0.0.1:{port}/api/w/default", timeout=5).status_code == 401
        # The CLI pointed at the database the server holds says so, in one line.
        out = subprocess.run(
            [sys.executable, "-c", "from covey.cli.app import main; main()", "stats", "--db", str(db)],
            capture_output=True, text=True, cwd=tmp_path,
        )  # fmt: skip
        assert out.returncode == 1 and "covey serve" in out.stderr and "Traceback" not in out.stderr
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0]
    assert re.search(r"workspace .default. serves\s+\S*covey\.duckdb", output)
    assert "covey user add" in output
