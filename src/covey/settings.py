"""Covey's settings: one typed object from a TOML file and the environment, with defaults.

Precedence, lowest first: the defaults below, the TOML file (``covey.toml`` in the current
folder, or the file ``$COVEY_CONFIG`` names), then environment variables
``COVEY_<NAME>`` for top-level settings and ``COVEY_WEB_<NAME>`` for the web app's, e.g.
``COVEY_DB=/data/covey.duckdb`` or ``COVEY_WEB_PORT=8080``. Nothing is read at import
time: callers ask for :func:`load_settings` when they start.

Example ``covey.toml``::

    db = "data/covey.duckdb"

    [web]
    port = 8080
    max_upload_mb = 100
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from covey.errors import InputError

CONFIG_ENV = "COVEY_CONFIG"
CONFIG_FILE = Path("covey.toml")


def _help(text: str) -> dict[str, str]:
    return {"help": text}


@dataclass(frozen=True)
class WebSettings:
    """The web app's settings (``[web]`` in the TOML file, ``COVEY_WEB_*`` in the environment)."""

    host: str = field(default="127.0.0.1", metadata=_help("Address the server listens on."))
    port: int = field(default=8000, metadata=_help("Port the server listens on."))
    app_db: Path | None = field(
        default=None,
        metadata=_help("The app's own database (users, sessions, workspaces); default beside --db."),
    )
    workspaces_dir: Path | None = field(
        default=None,
        metadata=_help("Folder of the workspaces' Covey databases; default 'workspaces' beside app_db."),
    )
    secret_key_file: Path | None = field(
        default=None,
        metadata=_help("File holding the key that hashes session and API tokens; created if missing."),
    )
    max_upload_mb: int = field(default=200, metadata=_help("Largest file an import may upload, in MB."))
    max_unpacked_mb: int = field(
        default=2000, metadata=_help("Largest total size a zip upload may unpack to, in MB.")
    )
    max_zip_entries: int = field(default=20000, metadata=_help("Most files a zip upload may hold."))
    session_hours: int = field(default=12, metadata=_help("Hours a sign-in lasts without activity."))
    login_attempts: int = field(
        default=5, metadata=_help("Failed sign-ins allowed per account and address in the window.")
    )
    login_window_seconds: int = field(default=300, metadata=_help("The throttling window, in seconds."))
    secure_cookies: bool | None = field(
        default=None,
        metadata=_help("Mark cookies Secure; default: when the request arrived over https."),
    )


@dataclass(frozen=True)
class Settings:
    """Everything Covey reads from its configuration."""

    db: Path = field(default=Path("covey.duckdb"), metadata=_help("The Covey database file."))
    import_memory_limit: str = field(
        default="5GB", metadata=_help("DuckDB memory cap during an import (spills to disk beyond it).")
    )
    score_memory_limit: str = field(
        default="4GB", metadata=_help("DuckDB memory cap during scoring (spills to disk beyond it).")
    )
    web: WebSettings = field(default_factory=WebSettings, metadata=_help("The web app."))

    def app_db(self) -> Path:
        """The app database's path (users, sessions, workspaces)."""
        return self.web.app_db or self.db.parent / "covey-app.sqlite3"

    def workspaces_dir(self) -> Path:
        """Where workspaces' Covey databases go."""
        return self.web.workspaces_dir or self.app_db().parent / "workspaces"

    def secret_key_file(self) -> Path:
        """The secret key's file."""
        return self.web.secret_key_file or self.app_db().parent / "covey-secret.key"


def _convert(name: str, typ: Any, value: Any, where: str) -> Any:
    """``value`` (from TOML or a string from the environment) as the field's type."""
    t = str(typ)
    try:
        if t in ("Path", "Path | None"):
            return Path(str(value)).expanduser()
        if t == "int":
            if isinstance(value, bool):
                raise ValueError("a number, not true/false")
            return int(value)
        if t == "bool | None":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off"):
                return False
            if text in ("", "auto"):
                return None
            raise ValueError("true, false or auto")
        if t == "str":
            return str(value)
    except ValueError as exc:
        raise InputError(f"{where}: {name}: {exc}", field=name) from exc
    raise InputError(f"{where}: {name}: unsupported setting type {t}", field=name)


def _apply(obj: Any, values: Mapping[str, Any], where: str, prefix: str = "") -> Any:
    known = {f.name: f for f in fields(obj)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise InputError(
                f"{where}: unknown setting {prefix + key!r}; known: {', '.join(sorted(known))}",
                field=prefix + key,
            )
        f = known[key]
        if f.name == "web":
            if not isinstance(value, Mapping):
                raise InputError(f"{where}: [web] must be a table", field="web")
            changes["web"] = _apply(obj.web, value, where, "web.")
        else:
            changes[key] = _convert(prefix + key, f.type, value, where)
    return replace(obj, **changes)


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name != "web" and f"COVEY_{f.name.upper()}" in env:
            out[f.name] = env[f"COVEY_{f.name.upper()}"]
    web = {
        f.name: env[f"COVEY_WEB_{f.name.upper()}"]
        for f in fields(WebSettings)
        if f"COVEY_WEB_{f.name.upper()}" in env
    }
    if web:
        out["web"] = web
    return out


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Defaults, then the TOML file, then the environment.

    ``path`` (or ``$COVEY_CONFIG``) must exist when given; ``covey.toml`` in the current
    folder is read when present.
    """
    env = os.environ if env is None else env
    settings = Settings()
    named = path or (Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else None)
    file = named or (CONFIG_FILE if CONFIG_FILE.is_file() else None)
    if file is not None:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise InputError(f"{file}: no such settings file", field=CONFIG_ENV) from exc
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{file}: not valid TOML: {exc}") from exc
        settings = _apply(settings, data, str(file))
    return _apply(settings, _from_env(env), "environment")  # type: ignore[no-any-return]


def describe() -> list[tuple[str, str, str]]:
    """Every setting as (name, default, help), for ``--help`` texts and the docs."""
    rows: list[tuple[str, str, str]] = []
    for f in fields(Settings):
        if f.name == "web":
            continue
        rows.append((f.name, str(f.default), f.metadata["help"]))
    for f in fields(WebSettings):
        rows.append((f"web.{f.name}", str(f.default), f.metadata["help"]))
    return rows
