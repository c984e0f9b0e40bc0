"""The web tests' world: one small scored and indexed world, users and two workspaces.

Everything is real: the world is generated and imported into a DuckDB file, scored and
indexed by the library; the app runs on it through FastAPI's TestClient or a real uvicorn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from covey.settings import Settings, WebSettings
from covey.store import DuckDBStore
from covey.web.accounts import AppDB, secret_key

PASSWORD = "correct horse battery"
XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


@dataclass(frozen=True)
class WebWorld:
    """Where the test world lives and who may sign in."""

    root: Path
    settings: Settings
    main_db: Path
    other_db: Path
    xss_account: str  # an account whose bio, handle and captions carry XSS payloads
    other_account: str  # an account that exists only in the 'other' workspace


def build_world(root: Path) -> WebWorld:
    from covey.discovery.indexer import build_index
    from covey.ingest import import_path
    from covey.scores import score_store
    from covey.world import WorldConfig, generate

    generate(WorldConfig(creators=40, seed=101, audience_sample_size=40, months=3), root / "world")
    main_db = root / "main.duckdb"
    with DuckDBStore(main_db) as store:
        import_path(store, root / "world", rejects_dir=root / "rejects")
        xss_account = str(store.query("SELECT min(account_id) FROM accounts")[0][0])
        with store.transaction() as cur:
            cur.execute(
                "UPDATE accounts SET bio = ?, display_name = ?, handle = ? WHERE account_id = ?",
                [XSS, XSS, "h" + XSS, xss_account],
            )
            cur.execute("UPDATE posts SET caption = ? WHERE account_id = ?", [XSS, xss_account])
        score_store(store)
        build_index(store)
    other_db = root / "other.duckdb"
    with DuckDBStore(other_db) as store, store.transaction() as cur:
        cur.execute(
            "INSERT INTO accounts (account_id, platform, handle) VALUES ('secret:1', 'instagram', 'hidden')"
        )
    settings = Settings(db=main_db, web=WebSettings(app_db=root / "app.sqlite3", login_attempts=3))
    app = AppDB(settings.app_db(), secret_key(settings.secret_key_file()))
    app.add_workspace("main", main_db)
    app.add_workspace("other", other_db)
    for email, role in (
        ("owner@example.org", "owner"),
        ("editor@example.org", "editor"),
        ("viewer@example.org", "viewer"),
    ):
        app.add_user(email, PASSWORD)
        app.grant(email, "main", role)
    app.add_user("stranger@example.org", PASSWORD)
    app.grant("stranger@example.org", "other", "owner")
    app.close()
    return WebWorld(root, settings, main_db, other_db, xss_account, "secret:1")


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    page = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert token, page.text
    r = client.post(
        "/login",
        data={"email": email, "password": password, "login_token": token.group(1)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    home = client.get("/w/main" if "stranger" not in email else "/w/other")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    assert csrf, home.text
    return csrf.group(1)
