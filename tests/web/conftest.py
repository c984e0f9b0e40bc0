"""The web app's fixtures: the world (once per session), a fresh app per test, the campaign workspace."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from browser_support import ARGS, CHROMIUM
from campaign_support import CampaignWorld, campaign_world
from fastapi.testclient import TestClient
from web_support import WebWorld, build_world

from covey.web.app import create_app


@pytest.fixture(scope="session")
def web_world(tmp_path_factory: pytest.TempPathFactory) -> WebWorld:
    """The world, built once per test session."""
    return build_world(tmp_path_factory.mktemp("web"))


@pytest.fixture
def app_client(web_world: WebWorld, tmp_path: Path) -> Iterator[TestClient]:
    """A fresh app (its own app database copy, so throttling and sessions start clean)."""
    app_db = tmp_path / "app.sqlite3"
    shutil.copy(web_world.settings.app_db(), app_db)
    shutil.copy(web_world.settings.secret_key_file(), tmp_path / "covey-secret.key")
    settings = replace(web_world.settings, web=replace(web_world.settings.web, app_db=app_db))
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="module")
def camp(web_world: WebWorld, tmp_path_factory: pytest.TempPathFactory) -> CampaignWorld:
    """The campaign workspace 'camp', copied once per test module."""
    return campaign_world(web_world, tmp_path_factory.mktemp("camp"))


@pytest.fixture
def camp_client(camp: CampaignWorld) -> Iterator[TestClient]:
    """A fresh app serving the campaign workspace."""
    with TestClient(create_app(camp.settings), base_url="http://testserver") as c:
        yield c


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Chromium from Debian, launched headless."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (make test installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()
