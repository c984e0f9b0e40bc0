"""Security: hostile text is escaped, state changes need CSRF and a role, workspaces are sealed,
sign-ins are throttled, sessions are revocable, uploads are bounded and unpacked safely."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from web_support import WebWorld, sign_in

from covey.errors import InputError
from covey.web.uploads import save_upload, unpack_zip


def test_hostile_text_is_escaped_on_every_page(app_client: TestClient, web_world: WebWorld) -> None:
    sign_in(app_client, "viewer@example.org")
    aid = quote(web_world.xss_account, safe="")
    pages = [
        app_client.get(f"/w/main/creators/{aid}").text,
        app_client.get("/w/main/creators?per_page=100&sort=handle&order=asc").text,
        app_client.get("/w/main/creators?q=script&per_page=100").text,
    ]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
    creator = pages[0]
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in creator  # bio and captions shown, inert
    assert "h&lt;script&gt;" in pages[2]  # the handle too


def test_every_response_has_a_strict_csp(app_client: TestClient) -> None:
    for path in ("/login", "/w/main", "/static/covey.css"):
        csp = app_client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
    html = app_client.get("/login").text
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "an inline script"
    assert " style=" not in html and "<style" not in html


def test_a_post_without_the_csrf_token_is_refused(app_client: TestClient) -> None:
    csrf = sign_in(app_client, "owner@example.org")
    before = app_client.get("/w/main/plans.json").json()["plans"]
    form = {"brief": "x", "budget": "1000", "min_creators": "1", "max_creators": "3"}
    assert app_client.post("/w/main/plan", data=form).status_code == 403
    assert app_client.post("/w/main/plan", data={**form, "csrf_token": "forged"}).status_code == 403
    assert app_client.post("/w/main/score", headers={"X-CSRF-Token": csrf + "x"}).status_code == 403
    assert app_client.post("/logout").status_code == 403
    assert app_client.get("/w/main/plans.json").json()["plans"] == before


def test_a_viewer_cannot_change_anything(app_client: TestClient) -> None:
    csrf = sign_in(app_client, "viewer@example.org")
    h = {"X-CSRF-Token": csrf}
    for path in ("/w/main/score", "/w/main/index", "/api/w/main/jobs/score", "/api/w/main/jobs/index"):
        assert app_client.post(path, headers=h).status_code == 403, path
    form = {"csrf_token": csrf, "brief": "x", "budget": "1000", "min_creators": "1", "max_creators": "3"}
    assert app_client.post("/w/main/plan", data=form).status_code == 403
    assert (
        app_client.post(
            "/api/w/main/imports",
            headers=h,
            files={"file": ("accounts.csv", b"account_id,platform,handle\n")},
        ).status_code
        == 403
    )
    page = app_client.get("/w/main").text
    assert "Score now" not in page and "/import" not in page
    assert app_client.app.state.covey.jobs.of("main") == []  # type: ignore[attr-defined]


def test_another_workspace_and_its_ids_are_404(app_client: TestClient, web_world: WebWorld) -> None:
    sign_in(app_client, "owner@example.org")
    hidden = quote(web_world.other_account, safe="")
    for path in (
        "/w/other",
        "/w/other/creators",
        f"/w/other/creators/{hidden}",
        "/w/other/plans/1",
        "/api/w/other/creators",
        f"/api/w/other/creators/{hidden}",
        "/w/nope/creators",
        f"/w/main/creators/{hidden}",
        f"/api/w/main/creators/{hidden}",
    ):
        assert app_client.get(path).status_code == 404, path
    # The stranger owns 'other' and cannot see 'main', nor a job of 'main' through 'other'.
    app_client.cookies.clear()
    sign_in(app_client, "stranger@example.org")
    assert app_client.get("/w/main/creators").status_code == 404
    assert app_client.get(f"/w/other/creators/{hidden}.json").json()["handle"] == "hidden"


def test_jobs_of_one_workspace_are_404_in_another(app_client: TestClient) -> None:
    csrf = sign_in(app_client, "owner@example.org")
    r = app_client.post("/api/w/main/jobs/index", headers={"X-CSRF-Token": csrf})
    job_id = r.json()["job_id"]
    app_client.app.state.covey.jobs.wait("main", job_id)  # type: ignore[attr-defined]
    assert app_client.get(f"/w/main/jobs/{job_id}.json").status_code == 200
    app_client.cookies.clear()
    sign_in(app_client, "stranger@example.org")
    assert app_client.get(f"/w/other/jobs/{job_id}").status_code == 404
    assert app_client.get(f"/api/w/other/jobs/{job_id}/rejects").status_code == 404


def _login_attempt(client: TestClient, email: str, password: str) -> int:
    page = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert token
    return client.post(
        "/login",
        data={"email": email, "password": password, "login_token": token.group(1)},
        follow_redirects=False,
    ).status_code


def test_sign_in_is_throttled(app_client: TestClient) -> None:
    # login_attempts = 3 in the test settings
    assert [_login_attempt(app_client, "owner@example.org", "wrong password!") for _ in range(3)] == [401] * 3
    assert _login_attempt(app_client, "owner@example.org", "correct horse battery") == 429
    assert _login_attempt(app_client, "editor@example.org", "correct horse battery") == 303


def test_sign_in_needs_the_form_token(app_client: TestClient) -> None:
    r = app_client.post("/login", data={"email": "owner@example.org", "password": "correct horse battery"})
    assert r.status_code == 403


def test_sign_out_revokes_the_session_on_the_server(app_client: TestClient) -> None:
    csrf = sign_in(app_client, "owner@example.org")
    cookie = app_client.cookies.get("covey_session")
    assert cookie
    r = app_client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    app_client.cookies.set("covey_session", cookie)  # a stolen copy of the cookie
    assert app_client.get("/api/w/main").status_code == 401


def test_session_cookie_flags(app_client: TestClient) -> None:
    page = app_client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert token
    r = app_client.post(
        "/login",
        data={
            "email": "owner@example.org",
            "password": "correct horse battery",
            "login_token": token.group(1),
        },
        follow_redirects=False,
    )
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie  # plain http here


def test_upload_size_is_capped(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="upload limit"):
        save_upload(io.BytesIO(b"x" * 3_000_000), tmp_path / "big.csv", 2 << 20)
    assert not (tmp_path / "big.csv").exists()


def _zip(entries: dict[str, bytes]) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf  # type: ignore[return-value]


@pytest.mark.parametrize("name", ["../evil.csv", "/etc/evil.csv", "a/../../evil.csv", "..\\evil.csv"])
def test_zip_path_traversal_is_refused(tmp_path: Path, name: str) -> None:
    archive = tmp_path / "up.zip"
    archive.write_bytes(_zip({"ok.csv": b"a\n", name: b"b\n"}).getvalue())  # type: ignore[attr-defined]
    with pytest.raises(InputError, match="unsafe path"):
        unpack_zip(archive, tmp_path / "out", max_total=1 << 20, max_entries=10)
    assert not (tmp_path / "evil.csv").exists() and not (tmp_path / "out").exists()


def test_zip_bombs_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(_zip({"accounts.csv": b"0" * (20 << 20)}).getvalue())  # type: ignore[attr-defined]
    assert archive.stat().st_size < 100_000
    with pytest.raises(InputError, match=r"suspiciously|more than"):
        unpack_zip(archive, tmp_path / "out", max_total=1 << 30, max_entries=10)
    many = tmp_path / "many.zip"
    many.write_bytes(_zip({f"f{i}.csv": b"a\n" for i in range(20)}).getvalue())  # type: ignore[attr-defined]
    with pytest.raises(InputError, match="more than 10 files"):
        unpack_zip(many, tmp_path / "out2", max_total=1 << 20, max_entries=10)
    big = tmp_path / "big.zip"
    big.write_bytes(_zip({"a.csv": os.urandom(2 << 20)}).getvalue())  # type: ignore[attr-defined]
    with pytest.raises(InputError, match="more than"):
        unpack_zip(big, tmp_path / "out3", max_total=1 << 20, max_entries=10)


def test_a_request_body_over_the_limit_is_refused_while_it_arrives() -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from covey.web.limits import BodyLimit

    async def echo(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(len(await request.body())))

    app = BodyLimit(Starlette(routes=[Route("/", echo, methods=["POST"])]), max_bytes=1000)
    client = TestClient(app)  # type: ignore[arg-type]
    assert client.post("/", content=b"x" * 1000).text == "1000"
    assert client.post("/", content=b"x" * 1001).status_code == 413

    def chunks() -> object:  # no Content-Length: counted as it streams
        for _ in range(5):
            yield b"x" * 400

    assert client.post("/", content=chunks()).status_code == 413  # type: ignore[arg-type]


def test_cookies_are_secure_behind_https(web_world: WebWorld, tmp_path: Path) -> None:
    import shutil
    from dataclasses import replace

    from covey.web.app import create_app

    shutil.copy(web_world.settings.app_db(), tmp_path / "app.sqlite3")
    settings = replace(
        web_world.settings, web=replace(web_world.settings.web, app_db=tmp_path / "app.sqlite3")
    )
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        page = client.get("/login")
        assert "secure" in page.headers["set-cookie"].lower()
        token = re.search(r'name="login_token" value="([^"]+)"', page.text)
        assert token
        r = client.post(
            "/login",
            data={
                "email": "viewer@example.org",
                "password": "correct horse battery",
                "login_token": token[1],
            },
            follow_redirects=False,
        )
        assert r.status_code == 303 and "secure" in r.headers["set-cookie"].lower()


def test_an_idle_session_expires_on_the_server(web_world: WebWorld, tmp_path: Path) -> None:
    import shutil
    import time

    from covey.web.accounts import AppDB, secret_key

    shutil.copy(web_world.settings.app_db(), tmp_path / "app.sqlite3")
    shutil.copy(web_world.settings.secret_key_file(), tmp_path / "covey-secret.key")
    db = AppDB(tmp_path / "app.sqlite3", secret_key(tmp_path / "covey-secret.key"))
    user = db.user("viewer@example.org")
    assert user is not None
    token, _ = db.new_session(user)
    assert db.session(token, max_idle=60) is not None
    time.sleep(0.05)
    assert db.session(token, max_idle=0.01) is None  # idle too long: deleted
    assert db.session(token, max_idle=60) is None  # and gone for good
    db.close()
