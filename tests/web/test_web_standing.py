"""The creator page's charts: engagement against the peer band, fake share with its interval."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import numpy as np
from fastapi.testclient import TestClient
from web_support import WebWorld, sign_in


def test_engagement_band_and_fake_share_match_the_signals(app_client: TestClient) -> None:
    sign_in(app_client, "viewer@example.org")
    store = app_client.app.state.covey.stores["main"]  # type: ignore[attr-defined]  # the server's own
    run = store.query("SELECT max(run_id) FROM score_runs")[0][0]
    signals = [
        json.loads(s) for (s,) in store.query("SELECT signals FROM account_signals WHERE run_id = ?", [run])
    ]
    me = next(s for s in signals if s.get("er_followers_median90") is not None and s.get("fake_share"))
    peers = [
        s["er_followers_median90"]
        for s in signals
        if s.get("platform") == me["platform"]
        and s.get("decade") == me["decade"]
        and s.get("er_followers_median90") is not None
    ]
    url = f"/w/main/creators/{quote(me['account_id'], safe='')}"
    st = app_client.get(url + ".json").json()["standing"]
    # The same numbers as computed here from the run's signals, independently of the app's SQL.
    assert st["engagement"] == me["er_followers_median90"]
    band = st["band"]
    assert band["peers"] == len(peers)
    for key, q in (("p10", 10), ("p25", 25), ("p50", 50), ("p75", 75), ("p90", 90)):
        assert abs(band[key] - float(np.percentile(peers, q))) < 1e-9
    assert st["fake_low"] <= st["fake_share"] <= st["fake_high"]
    assert st["fake_share"] == me["fake_share"]
    # The API says the same; the page draws both charts, labelled for screen readers.
    api = app_client.get(f"/api/w/main/creators/{quote(me['account_id'], safe='')}").json()
    assert api["standing"] == st
    page = app_client.get(url).text
    for chart_id in ("engagement-chart", "fake-chart"):
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in page
        desc = re.search(rf'<desc id="{chart_id}-desc">([^<]+)</desc>', page)
        assert desc and "%" in desc.group(1)
    assert f"{band['peers']} peers" in page
    assert 'class="band"' in page and 'class="mark"' in page


def test_an_account_without_signals_shows_unknown(app_client: TestClient, web_world: WebWorld) -> None:
    sign_in(app_client, "stranger@example.org")  # the 'other' workspace: one account, never scored
    r = app_client.get(f"/w/other/creators/{quote(web_world.other_account, safe='')}")
    assert r.status_code == 200
    assert (
        app_client.get(f"/w/other/creators/{quote(web_world.other_account, safe='')}.json").json()["standing"]
        is None
    )


def test_more_like_this_creator_finds_lookalikes(app_client: TestClient) -> None:
    sign_in(app_client, "viewer@example.org")
    top = app_client.get("/w/main/creators.json?sort=followers&per_page=1").json()["rows"][0]
    page = app_client.get(f"/w/main/creators/{quote(top['account_id'], safe='')}").text
    link = re.search(r'id="more-like" href="([^"]+)"', page)
    assert link and "like=" in link.group(1)
    found = app_client.get(link.group(1).replace("/discover?", "/discover.json?")).json()
    ids = [r["account_id"] for r in found["results"]]
    assert ids and top["account_id"] not in ids  # lookalikes, not the creator itself
    shown = app_client.get(link.group(1))
    assert shown.status_code == 200 and 'id="results"' in shown.text
    bad = app_client.get("/w/main/discover.json?like=nobody-here-at-all")
    assert bad.status_code == 422 and "unknown handle" in bad.json()["detail"]
