"""Campaign pages' security: hostile text inert, CSRF refused, viewers read only, another
workspace's campaign ids are 404. The journey through the pages is in test_web_campaign_journey.py."""

from __future__ import annotations

import json

import pytest
from campaign_support import WS, CampaignWorld, campaign_form, csrf_of, fresh_hashtag, new_campaign
from fastapi.testclient import TestClient
from web_support import sign_in

from covey.web.app import create_app


@pytest.fixture(scope="module")
def one_campaign(camp: CampaignWorld) -> int:
    with TestClient(create_app(camp.settings), base_url="http://testserver") as c:
        sign_in(c, "owner@example.org")
        return new_campaign(c, csrf_of(c))


def test_campaign_changes_need_the_csrf_token(camp_client: TestClient, one_campaign: int) -> None:
    sign_in(camp_client, "owner@example.org")
    csrf = csrf_of(camp_client)
    before = camp_client.get(f"/w/{WS}/campaigns/{one_campaign}.json").json()
    a = before["creators"][0]["account_id"]
    posts = [
        ("stage", {"account_id": a, "stage": "contacted"}),
        ("note", {"account_id": a, "text": "hello"}),
        ("terms", {"account_id": a, "fee": "1"}),
        ("briefs", {}),
        ("drafts", {"account_id": a, "deliverable": "1", "caption": "#ad hi"}),
        ("track", {}),
        ("insights", {}),
    ]
    for path, data in posts:
        for token in (None, "forged", csrf + "x"):
            form = data if token is None else {**data, "csrf_token": token}
            r = camp_client.post(
                f"/w/{WS}/campaigns/{one_campaign}/{path}", data=form, follow_redirects=False
            )
            assert r.status_code == 403, (path, token, r.status_code)
    r = camp_client.post(
        f"/w/{WS}/campaigns", data=campaign_form(1, "forged", fresh_hashtag()), follow_redirects=False
    )
    assert r.status_code == 403
    after = camp_client.get(f"/w/{WS}/campaigns/{one_campaign}.json").json()
    assert after["events"] == before["events"] and after["creators"] == before["creators"]


def test_a_viewer_reads_campaigns_but_cannot_change_them(camp_client: TestClient, one_campaign: int) -> None:
    sign_in(camp_client, "viewer@example.org")
    csrf = csrf_of(camp_client)
    cid = one_campaign
    for page in ("", "/outreach", "/briefs", "/approval", "/tracking", "/report"):
        r = camp_client.get(f"/w/{WS}/campaigns/{cid}{page}")
        assert r.status_code == 200, page
        assert 'method="post" action="/w/camp/campaigns' not in r.text, page  # no change forms shown
    a = camp_client.get(f"/w/{WS}/campaigns/{cid}.json").json()["creators"][0]["account_id"]
    for path, data in (
        ("stage", {"account_id": a, "stage": "contacted"}),
        ("note", {"account_id": a, "text": "x"}),
        ("briefs", {}),
        ("decisions", {"account_id": a, "deliverable": "1", "version": "1", "decision": "approved"}),
    ):
        r = camp_client.post(
            f"/w/{WS}/campaigns/{cid}/{path}", data={"csrf_token": csrf, **data}, follow_redirects=False
        )
        assert r.status_code == 403, path
    upload = {"file": ("insights.csv", b"post,reach\nx,1\n", "text/csv")}
    r = camp_client.post(
        f"/w/{WS}/campaigns/{cid}/insights", data={"csrf_token": csrf}, files=upload, follow_redirects=False
    )
    assert r.status_code == 403
    assert camp_client.get(f"/w/{WS}/campaigns/{cid}.json").json()["creators"][0]["stage"] == "prospect"


def test_another_workspaces_campaign_is_404(camp_client: TestClient, one_campaign: int) -> None:
    cid = one_campaign
    sign_in(camp_client, "stranger@example.org")  # a member of 'other' only
    csrf = csrf_of(camp_client, "/w/other")
    for path in (
        f"/w/{WS}/campaigns/{cid}",
        f"/w/{WS}/campaigns/{cid}.json",
        f"/w/other/campaigns/{cid}",
        f"/w/other/campaigns/{cid}.json",
        f"/w/other/campaigns/{cid}/report",
        f"/w/other/campaigns/{cid}/approval.json",
        f"/w/other/campaigns/{cid}/brief.pdf",
        f"/w/other/campaigns/{cid}/outreach.csv",
        f"/w/other/campaigns/{cid}/report.csv",
    ):
        assert camp_client.get(path).status_code == 404, path
    r = camp_client.post(
        f"/w/other/campaigns/{cid}/stage",
        data={"csrf_token": csrf, "account_id": "x", "stage": "contacted"},
        follow_redirects=False,
    )
    assert r.status_code == 404
    r = camp_client.post(f"/w/{WS}/campaigns/{cid}/briefs", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 404
    upload = {"file": ("insights.csv", b"post,reach\nx,1\n", "text/csv")}
    r = camp_client.post(
        f"/w/other/campaigns/{cid}/insights", data={"csrf_token": csrf}, files=upload, follow_redirects=False
    )
    assert r.status_code == 404
    detail = json.loads(camp_client.get(f"/w/other/campaigns/{cid}.json").text)["detail"]
    assert detail == "no such campaign in this workspace"
