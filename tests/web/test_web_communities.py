"""The communities page: found by a background job, kept for the workspace's current data."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_support import sign_in

from covey.discovery.communities import find_communities


def test_communities_found_in_the_background_and_kept(app_client: TestClient) -> None:
    csrf = sign_in(app_client, "editor@example.org")
    before = app_client.get("/w/main/communities.json").json()
    assert before == {"computed": False, "communities": []}
    assert "Find communities" in app_client.get("/w/main/communities").text
    r = app_client.post("/w/main/communities", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and "/jobs/" in r.headers["location"]
    jobs = app_client.app.state.covey.jobs  # type: ignore[attr-defined]
    done = jobs.wait("main", r.headers["location"].rsplit("/", 1)[1], timeout=120)
    assert done is not None and done.state == "done", done and done.error
    after = app_client.get("/w/main/communities.json").json()
    assert after["computed"] is True
    # The same groups the library finds on the same database (what `covey communities` prints).
    store = app_client.app.state.covey.stores["main"]  # type: ignore[attr-defined]
    expected = find_communities(store, min_size=2)
    assert [c["account_ids"] for c in after["communities"]] == [c.account_ids for c in expected]
    assert done.result["communities"] == len(expected)
    page = app_client.get("/w/main/communities")
    assert page.status_code == 200 and 'id="communities"' in page.text
    for c in after["communities"][:3]:
        assert c["size"] == len(c["account_ids"]) >= 2 and 0 <= c["internal_overlap"] <= 1


def test_a_viewer_reads_communities_but_cannot_start_the_job(app_client: TestClient) -> None:
    csrf = sign_in(app_client, "viewer@example.org")
    page = app_client.get("/w/main/communities")
    assert page.status_code == 200 and "ask an owner or editor" in page.text
    denied = app_client.post("/w/main/communities", data={"csrf_token": csrf}, follow_redirects=False)
    assert denied.status_code == 403
