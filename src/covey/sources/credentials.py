"""Credentials: read from the environment or a settings file, never printed, never stored.

Covey does not write keys anywhere. It reads them, in this order, from:

1. the environment (``COVEY_YOUTUBE_API_KEY``, ``COVEY_INSTAGRAM_TOKEN``, ...: each
   platform's ``config.py`` names its variables);
2. the settings file ``$COVEY_SETTINGS`` or ``~/.config/covey/settings.toml``, a file the
   user writes (``[youtube] api_key = "..."``), which Covey only reads.

A :class:`Secret` hides its value from ``repr``, ``str``, f-strings and logs; only
:meth:`Secret.reveal` gives it, at the one place it goes on the wire. Anything stored in the
database that needs to know "which key" (rate limits, quota use) keeps a fingerprint: the
first 12 hex digits of a SHA-256, which cannot be turned back into the key.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from pathlib import Path
from typing import Any

from covey.errors import InputError

SETTINGS_ENV = "COVEY_SETTINGS"


class Secret:
    """A credential whose value never shows in output, logs or tracebacks."""

    __slots__ = ("_value", "source")

    def __init__(self, value: str, source: str = "") -> None:
        self._value = value
        self.source = source  # where it came from, e.g. "environment COVEY_YOUTUBE_API_KEY"

    def reveal(self) -> str:
        """The actual value: only for the request that sends it."""
        return self._value

    @property
    def fingerprint(self) -> str:
        """A short one-way digest naming this credential (for rate limits and quota use)."""
        return hashlib.sha256(self._value.encode()).hexdigest()[:12]

    def __repr__(self) -> str:
        return f"Secret(<hidden>, from {self.source or 'unknown'})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __reduce__(self) -> Any:  # never pickled into a cache or a crash dump
        raise TypeError("a Secret cannot be pickled")


def settings_path() -> Path:
    """The settings file Covey reads credentials from (it may not exist)."""
    env = os.environ.get(SETTINGS_ENV)
    return Path(env) if env else Path.home() / ".config" / "covey" / "settings.toml"


def _from_settings(section: str, key: str) -> Secret | None:
    path = settings_path()
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        # The parser's message may quote the line, and the line may hold a key: say where only.
        raise InputError(f"cannot read the settings file ({type(exc).__name__})", path=path) from None
    value = data.get(section, {}).get(key) if isinstance(data.get(section), dict) else None
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError("must be a string", path=path, field=f"{section}.{key}")
    return Secret(value, f"settings {path} [{section}] {key}")


def lookup(env_var: str, section: str, key: str) -> Secret | None:
    """The credential from the environment, else the settings file, else None."""
    value = os.environ.get(env_var)
    if value:
        return Secret(value, f"environment {env_var}")
    return _from_settings(section, key)


def require(env_var: str, section: str, key: str, what: str, how: str) -> Secret:
    """Like :func:`lookup`, but a missing credential is an error that says how to get one."""
    found = lookup(env_var, section, key)
    if found is None:
        raise InputError(
            f"{what} is needed. Set the environment variable {env_var}, or put "
            f'[{section}] {key} = "..." in {settings_path()}. {how}'
        )
    return found


__all__ = ["SETTINGS_ENV", "Secret", "lookup", "require", "settings_path"]
