"""Settings: defaults, then covey.toml, then the environment; bad values name the setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from covey.errors import InputError
from covey.settings import Settings, describe, load_settings


def test_defaults_without_file_or_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = load_settings(env={})
    assert s == Settings()
    assert s.db == Path("covey.duckdb") and s.web.port == 8000 and s.web.host == "127.0.0.1"
    assert s.app_db() == Path("covey-app.sqlite3")
    assert s.workspaces_dir() == Path("workspaces")


def test_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "covey.toml").write_text(
        'db = "data/c.duckdb"\nimport_memory_limit = "2GB"\n[web]\nport = 9000\nmax_upload_mb = 5\n'
        "secure_cookies = true\n"
    )
    s = load_settings(env={"COVEY_WEB_PORT": "9100", "COVEY_WEB_SECURE_COOKIES": "auto"})
    assert s.db == Path("data/c.duckdb") and s.import_memory_limit == "2GB"
    assert s.web.port == 9100 and s.web.max_upload_mb == 5 and s.web.secure_cookies is None
    assert s.app_db() == Path("data/covey-app.sqlite3")


def test_config_named_by_the_environment(tmp_path: Path) -> None:
    f = tmp_path / "other.toml"
    f.write_text('[web]\nhost = "0.0.0.0"\n')
    assert load_settings(env={"COVEY_CONFIG": str(f)}).web.host == "0.0.0.0"
    with pytest.raises(InputError, match="no such settings file"):
        load_settings(env={"COVEY_CONFIG": str(tmp_path / "missing.toml")})


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        ("[web]\nport = 'eighty'\n", {}, "web.port"),
        ("colour = 'blue'\n", {}, "unknown setting 'colour'"),
        ("[web]\nprot = 1\n", {}, "unknown setting 'web.prot'"),
        ("db = \n", {}, "not valid TOML"),
        ("", {"COVEY_WEB_SECURE_COOKIES": "maybe"}, "web.secure_cookies"),
    ],
)
def test_bad_settings_are_clear_errors(tmp_path: Path, text: str, env: dict[str, str], message: str) -> None:
    f = tmp_path / "covey.toml"
    f.write_text(text)
    with pytest.raises(InputError, match=message):
        load_settings(f, env=env)


def test_every_setting_has_help() -> None:
    rows = describe()
    assert {r[0] for r in rows} >= {"db", "web.port", "web.max_upload_mb", "web.secret_key_file"}
    assert all(r[2] for r in rows)


def test_the_cli_default_db_comes_from_covey_toml(tmp_path: Path) -> None:
    (tmp_path / "covey.toml").write_text('db = "from-toml.duckdb"\n')
    code = "from covey.cli.common import DEFAULT_DB; print(DEFAULT_DB)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "from-toml.duckdb"


def test_a_broken_covey_toml_is_one_line_for_the_cli(tmp_path: Path) -> None:
    (tmp_path / "covey.toml").write_text("[web]\nport = 'x'\n")
    out = subprocess.run(
        [sys.executable, "-m", "covey.cli.app", "--help"], cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 2
    assert "web.port" in out.stderr and "Traceback" not in out.stderr


def test_covey_settings_shows_values_from_the_file_and_environment(tmp_path: Path) -> None:
    import json

    (tmp_path / "covey.toml").write_text("[web]\nport = 9001\n")
    env = {**os.environ, "COVEY_WEB_MAX_UPLOAD_MB": "7"}
    out = subprocess.run(
        [sys.executable, "-c", "from covey.cli.app import main; main()", "settings", "--json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    rows = {r["name"]: r for r in json.loads(out.stdout)}
    assert rows["web.port"]["value"] == 9001 and rows["web.port"]["default"] == "8000"
    assert rows["web.max_upload_mb"]["value"] == 7 and rows["db"]["value"] == "covey.duckdb"
