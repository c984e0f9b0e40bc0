"""Shared test fixtures: real DuckDB files in temporary folders, real shared data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from covey.store import DuckDBStore

# pytest-xdist's workers inherit COLUMNS=80, which Rich reads once when a console is made and
# then ignores the width a test asks for; drop it so each test sees the terminal it sets up.
if "PYTEST_XDIST_WORKER" in os.environ:
    os.environ.pop("COLUMNS", None)

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DuckDBStore]:
    """A fresh Covey database file in a temporary folder."""
    s = DuckDBStore(tmp_path / "covey.duckdb")
    yield s
    s.close()


@pytest.fixture
def shared_data() -> Path:
    """The real, public data in ../shared/data; skips where the folder is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (it always exists in CI)")
    return SHARED_DATA
