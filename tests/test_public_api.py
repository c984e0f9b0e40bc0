"""The public surface: every name in `covey.__all__` resolves (ruff's RUF022 keeps it sorted)."""

from __future__ import annotations

import subprocess
import sys

import covey


def test_every_public_name_resolves() -> None:
    for name in covey.__all__:
        assert getattr(covey, name) is not None, name


def test_unknown_attribute_is_an_attribute_error() -> None:
    try:
        covey.no_such_thing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_import_covey_does_not_load_heavy_capabilities() -> None:
    heavy = "('ibis', 'covey.scores', 'covey.discovery')"
    code = f"import sys, covey; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
