"""Editable planning settings (the rate card, the priors): TOML shipped with Covey or the user's copy."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from covey.errors import InputError


def read_settings(path: Path | None, shipped: str, what: str) -> dict[str, Any]:
    """The TOML at ``path``, or the ``shipped`` file of covey.planning; InputError if unreadable."""
    try:
        if path is None:
            text = resources.files("covey.planning").joinpath(shipped).read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        return tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read the {what}: {exc}", path=path) from exc
