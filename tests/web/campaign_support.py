"""A workspace of its own for the campaign tests: a copy of the test world's database (and its
discovery index) registered as workspace ``camp``, so imported campaign posts and plans do not
change the world the other web tests share. Same users and roles as ``main``."""

from __future__ import annotations

import re
import shutil
import uuid
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from web_support import WebWorld

from covey.discovery.catalog import index_dir
from covey.settings import Settings
from covey.web.accounts import AppDB, secret_key

WS = "camp"
STARTS, ENDS = date(2026, 7, 1), date(2026, 7, 28)


@dataclass(frozen=True)
class CampaignWorld:
    """The copied workspace and the settings of an app that serves it."""

    settings: Settings
    db: Path
    world: Path  # the sample world's folder (with truth/), for the delivery simulation


def campaign_world(web_world: WebWorld, folder: Path) -> CampaignWorld:
    """Copy the world's database, index and app database into ``folder``; add workspace 'camp'."""
    db = folder / "camp.duckdb"
    shutil.copy(web_world.main_db, db)
    if index_dir(web_world.main_db).exists():
        shutil.copytree(index_dir(web_world.main_db), index_dir(db))
    shutil.copy(web_world.settings.app_db(), folder / "app.sqlite3")
    shutil.copy(web_world.settings.secret_key_file(), folder / "covey-secret.key")
    settings = replace(web_world.settings, web=replace(web_world.settings.web, app_db=folder / "app.sqlite3"))
    app = AppDB(settings.app_db(), secret_key(settings.secret_key_file()))
    app.add_workspace(WS, db)
    for email, role in (
        ("owner@example.org", "owner"),
        ("editor@example.org", "editor"),
        ("viewer@example.org", "viewer"),
    ):
        app.grant(email, WS, role)
    app.close()
    return CampaignWorld(settings, db, web_world.root / "world")


def csrf_of(client: TestClient, path: str = f"/w/{WS}") -> str:
    """The session's CSRF token, read from a page's form."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


def make_plan(client: TestClient, csrf: str) -> int:
    """A saved plan in the workspace, through the plan form; returns its id."""
    form = {
        "brief": "crohn's and colitis",
        "budget": "8000",
        "min_creators": "2",
        "max_creators": "6",
        "csrf_token": csrf,
    }
    r = client.post(f"/w/{WS}/plan", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    # The plan form starts a background job; once done, its page opens the saved plan.
    job_url = r.headers["location"]
    job = client.app.state.covey.jobs.wait(WS, job_url.rsplit("/", 1)[1], timeout=120)  # type: ignore[attr-defined]
    assert job is not None and job.state == "done", job
    opened = client.get(job_url, follow_redirects=False)
    assert opened.status_code == 303, opened.text
    return int(opened.headers["location"].rsplit("/", 1)[1])


def campaign_form(plan_id: int, csrf: str, hashtag: str) -> dict[str, str]:
    """The new-campaign form for a saved plan."""
    return {
        "csrf_token": csrf,
        "plan_id": str(plan_id),
        "name": "Gut feeling",
        "brand": "Acme",
        "starts": STARTS.isoformat(),
        "ends": ENDS.isoformat(),
        "hashtag": hashtag,
        "key_messages": "fibre daily",
        "must_not_say": "cure",
        "code_pattern": "ACME-{handle}",
        "jurisdictions": "GB",
    }


def fresh_hashtag() -> str:
    """A hashtag nobody used: each test's campaign gets its own, so their posts never mix."""
    return "acme" + uuid.uuid4().hex[:8]


def new_campaign(client: TestClient, csrf: str) -> int:
    """A new campaign from a new saved plan, through the forms; returns its id."""
    pid = make_plan(client, csrf)
    r = client.post(
        f"/w/{WS}/campaigns", data=campaign_form(pid, csrf, fresh_hashtag()), follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])
