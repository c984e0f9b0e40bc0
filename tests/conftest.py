"""Shared test fixtures: real DuckDB files in temporary folders, real shared data, the fake APIs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from covey.store import DuckDBStore
from fetch_support import SECRETS
from sources_fake import FakeApi, FakeClock

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


@pytest.fixture
def source_keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shared_data: Path) -> None:
    """The user's keys in the environment (``fetch_support.SECRETS``); no settings file."""
    monkeypatch.setenv("COVEY_SETTINGS", str(tmp_path / "no-settings.toml"))
    monkeypatch.setenv("COVEY_INSTAGRAM_USER_ID", "17841406338772941")
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def fake(httpserver: HTTPServer) -> FakeApi:
    """The fake platform APIs (``sources_fake.FakeApi``) on pytest-httpserver's 127.0.0.1 port."""
    return FakeApi(httpserver)


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock (``sources_fake.FakeClock``): sleeping advances it, nothing waits."""
    return FakeClock()
