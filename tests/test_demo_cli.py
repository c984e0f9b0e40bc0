"""`covey demo`: an interrupted step stops the demo; the demo login; serving the demo world."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import typer

from covey.cli.demo import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    INTERRUPTED,
    in_ci,
    prepare_demo_login,
    run_steps,
)
from covey.web.accounts import AppDB, secret_key
from net_support import free_port


def _root(calls: list[str]) -> object:
    """A real Typer command group standing in for `covey`: steps that succeed, fail, are interrupted."""
    app = typer.Typer()

    @app.command()
    def world() -> None:
        calls.append("world")

    @app.command()
    def fails() -> None:
        calls.append("fails")
        raise typer.Exit(1)

    @app.command()
    def interrupted() -> None:
        calls.append("interrupted")
        raise KeyboardInterrupt

    @app.command()
    def after() -> None:
        calls.append("after")

    return typer.main.get_command(app)


def test_a_failed_step_is_reported_and_the_demo_goes_on() -> None:
    calls: list[str] = []
    failed = run_steps(_root(calls), [("one", ["world"]), ("two", ["fails"]), ("three", ["after"])])
    assert failed == ["fails"] and calls == ["world", "fails", "after"]


def test_ctrl_c_in_a_step_stops_the_demo_with_exit_130() -> None:
    calls: list[str] = []
    with pytest.raises(typer.Exit) as stop:
        run_steps(_root(calls), [("one", ["world"]), ("two", ["interrupted"]), ("three", ["after"])])
    assert stop.value.exit_code == INTERRUPTED == 130
    assert calls == ["world", "interrupted"]  # never went on to "after"


def test_ci_is_read_from_the_environment() -> None:
    assert in_ci({"CI": "true"}) and in_ci({"CI": "1"}) and in_ci({"CI": "TRUE "})
    assert not in_ci({}) and not in_ci({"CI": "false"}) and not in_ci({"CI": ""})


def test_demo_login_is_idempotent_and_always_works(tmp_path: Path) -> None:
    db = tmp_path / "demo" / "covey.duckdb"
    assert prepare_demo_login(db) == (DEMO_EMAIL, DEMO_PASSWORD)
    app_db = tmp_path / "demo" / "covey-app.sqlite3"
    appdb = AppDB(app_db, secret_key(tmp_path / "demo" / "covey-secret.key"))
    try:
        user = appdb.authenticate(DEMO_EMAIL, DEMO_PASSWORD, "k")
        assert user is not None and appdb.role(user, "demo") == "owner"
        ws = appdb.workspace("demo")
        assert ws is not None and ws.db_path == db.resolve()
        # Someone changed the password and signed in; the next demo resets it and ends that session.
        appdb.set_password(DEMO_EMAIL, "someone else's password")
        token, _ = appdb.new_session(user)
        assert appdb.session(token, 3600) is not None
    finally:
        appdb.close()
    prepare_demo_login(db)
    appdb = AppDB(app_db, secret_key(tmp_path / "demo" / "covey-secret.key"))
    try:
        assert appdb.authenticate(DEMO_EMAIL, DEMO_PASSWORD, "k") is not None
        assert appdb.session(token, 3600) is None
        assert appdb.user_count() == 1 and [w.name for w in appdb.workspaces()] == ["demo"]
    finally:
        appdb.close()


def test_the_demo_serves_its_world_with_the_printed_login(tmp_path: Path) -> None:
    """The demo's last step in a real server process: the printed login signs in to the demo workspace."""
    db = tmp_path / "demo" / "covey.duckdb"
    port = free_port()
    code = (
        "from pathlib import Path; from covey.cli.demo import _serve; "
        f"_serve(Path({str(db)!r}), {port}, now=True)"
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base}/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the demo's server did not answer")
        with httpx.Client(base_url=base, timeout=10) as client:
            page = client.get("/login")
            token = re.search(r'name="login_token" value="([^"]+)"', page.text)
            assert token, page.text
            signed = client.post(
                "/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "login_token": token.group(1)}
            )
            assert signed.status_code == 303, signed.text
            home = client.get("/w/demo.json")
            assert home.status_code == 200, home.text
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
    assert f"Sign in as  {DEMO_EMAIL}  with the password  {DEMO_PASSWORD}" in output
    assert f"http://127.0.0.1:{port}/" in output
