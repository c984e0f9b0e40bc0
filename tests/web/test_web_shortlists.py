"""Shortlists: add from the creators, discover and creator pages, view, remove, export CSV;
viewers cannot change them and another workspace's lists do not exist for a member."""

from __future__ import annotations

import csv
import io
import re
import uuid
from urllib.parse import quote

from fastapi.testclient import TestClient
from web_support import XSS, WebWorld, sign_in


def _name() -> str:
    return f"list {uuid.uuid4().hex[:8]}"  # the world is shared by the session's tests


def test_shortlist_from_the_pages_to_csv(app_client: TestClient, web_world: WebWorld) -> None:
    csrf = sign_in(app_client, "editor@example.org")
    page = app_client.get("/w/main/creators?sort=followers&per_page=6")
    assert 'form="shortlist-add"' in page.text and 'id="shortlist-add"' in page.text
    boxes = re.findall(r'name="account_id" value="([^"]+)" form="shortlist-add"', page.text)
    checked = [a for a in boxes if a != web_world.xss_account][:3]
    assert len(checked) == 3
    name = _name()
    # The creators page: three checked creators onto a new list.
    r = app_client.post(
        "/w/main/shortlists/add",
        data={"csrf_token": csrf, "shortlist_id": "new", "name": name, "account_id": checked},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    url = r.headers["location"].split("?")[0]
    sid = int(url.rsplit("/", 1)[1])
    shown = app_client.get(r.headers["location"])
    assert "3 creators added" in shown.text and name in shown.text
    # The creator page (the XSS account) and twice the same creator: kept once.
    creator = app_client.get(f"/w/main/creators/{quote(web_world.xss_account, safe='')}")
    assert f'<option value="{sid}">' in creator.text
    for _ in range(2):
        r = app_client.post(
            "/w/main/shortlists/add",
            data={"csrf_token": csrf, "shortlist_id": str(sid), "account_id": web_world.xss_account},
            follow_redirects=False,
        )
        assert r.status_code == 303
    assert r.headers["location"].endswith("added=0")
    # Discover offers the same form beside its ranking.
    found = app_client.get("/w/main/discover?brief=crohn%27s+and+colitis+diet")
    assert found.status_code == 200 and 'form="shortlist-add"' in found.text
    data = app_client.get(f"/w/main/shortlists/{sid}.json").json()
    ids = [i["account_id"] for i in data["items"]]
    # In the order they were added (creators added together: by id).
    assert ids[:3] == sorted(checked) and ids[3:] == [web_world.xss_account]
    assert all(i["followers"] is None or i["followers"] >= 0 for i in data["items"])
    assert name in [s["name"] for s in app_client.get("/w/main/shortlists.json").json()["lists"]]
    # CSV export: a header and one row per creator; a hostile handle never starts a formula.
    out = app_client.get(f"/w/main/shortlists/{sid}.csv")
    assert out.status_code == 200 and out.headers["content-type"].startswith("text/csv")
    assert "attachment" in out.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(out.text)))
    assert [r["account_id"] for r in rows] == ids
    assert all(not r["handle"].startswith(("=", "+", "-", "@")) for r in rows)
    assert any(XSS in r["handle"] for r in rows)
    # The page escapes that handle.
    page = app_client.get(f"/w/main/shortlists/{sid}")
    assert XSS not in page.text and "&lt;script&gt;" in page.text
    # Remove one.
    r = app_client.post(
        f"/w/main/shortlists/{sid}/remove",
        data={"csrf_token": csrf, "account_id": checked[0]},
        follow_redirects=False,
    )
    assert r.status_code == 303
    left = [i["account_id"] for i in app_client.get(f"/w/main/shortlists/{sid}.json").json()["items"]]
    assert left == [*sorted(checked[1:]), web_world.xss_account]


def test_bad_input_viewers_and_other_workspaces(app_client: TestClient, web_world: WebWorld) -> None:
    csrf = sign_in(app_client, "owner@example.org")
    name = _name()
    r = app_client.post("/w/main/shortlists", data={"csrf_token": csrf, "name": name}, follow_redirects=False)
    assert r.status_code == 303
    sid = int(r.headers["location"].rsplit("/", 1)[1])
    # The same name again, an unknown creator, another workspace's creator: clear 422s.
    again = app_client.post("/w/main/shortlists", data={"csrf_token": csrf, "name": name.upper()})
    assert again.status_code == 422 and "exists already" in again.text
    bad = app_client.post(
        "/w/main/shortlists/add",
        data={"csrf_token": csrf, "shortlist_id": str(sid), "account_id": web_world.other_account},
    )
    assert bad.status_code == 422 and "no creator" in bad.text
    # Without the CSRF token: refused.
    no_csrf = app_client.post(f"/w/main/shortlists/{sid}/delete", follow_redirects=False)
    assert no_csrf.status_code == 403
    # Another workspace's list number does not exist here, nor this one there.
    assert app_client.get("/w/main/shortlists/999999").status_code == 404
    assert app_client.get(f"/w/other/shortlists/{sid}").status_code == 404
    # A viewer reads but sees no form and cannot change anything.
    app_client.post("/logout", data={"csrf_token": csrf})
    viewer_csrf = sign_in(app_client, "viewer@example.org")
    assert app_client.get(f"/w/main/shortlists/{sid}").status_code == 200
    assert 'id="shortlist-add"' not in app_client.get("/w/main/creators").text
    denied = app_client.post(
        f"/w/main/shortlists/{sid}/delete", data={"csrf_token": viewer_csrf}, follow_redirects=False
    )
    assert denied.status_code == 403
