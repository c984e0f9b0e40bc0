"""The user's keys on a fetch: sent but never stored or logged; Bluesky's app-password login (and
what to do without one); one rate limiter per key; the day's usage counted per key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from covey.sources import errors as E
from covey.store import DuckDBStore
from fetch_support import MASTO, SECRETS, fetch
from sources_fake import FakeApi, FakeClock, Fault, load

pytestmark = [pytest.mark.realdata, pytest.mark.usefixtures("source_keys")]


def test_keys_are_sent_but_never_stored_or_logged(
    store: DuckDBStore, fake: FakeApi, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    fake.inject("playlistItems", Fault("status", 503))  # a retry, so the retry log line runs too
    fetch(store, fake, clock, "youtube", "@googledevelopers", comments=2)
    fetch(store, fake, clock, "instagram", "me", comments=2)
    fetch(store, fake, clock, "tiktok", "me")
    fetch(store, fake, clock, "mastodon", MASTO)
    sent = " ".join(fake.seen_auth)
    # Covey's own logs and its HTTP libraries' (the fake server's access log is the platform's).
    ours = "\n".join(
        r.getMessage() for r in caplog.records if r.name.startswith(("covey", "httpx", "httpcore"))
    )
    assert "retry 1" in ours
    for secret in SECRETS.values():
        assert secret in sent  # it was used...
        assert secret not in ours  # ...and never logged
    dumped = json.dumps(store.query("SELECT * FROM source_fetches"), default=str)
    dumped += json.dumps(store.query("SELECT * FROM source_usage"), default=str)
    dumped += json.dumps(store.query("SELECT * FROM imports"), default=str)
    store.close()
    raw = (Path(store.path or "")).read_bytes()
    for secret in SECRETS.values():
        assert secret not in dumped and secret.encode() not in raw


def test_bluesky_search_logs_in_with_an_app_password(fake: FakeApi, monkeypatch: pytest.MonkeyPatch) -> None:
    from covey.sources.bluesky.client import search_posts
    from covey.sources.http import HttpClient

    monkeypatch.setenv("COVEY_BLUESKY_HANDLE", "me.bsky.social")
    monkeypatch.setenv("COVEY_BLUESKY_APP_PASSWORD", "app-pass-SECRET-5")
    from covey.sources.bluesky.errors import classify

    with HttpClient("bluesky", fake.base("bluesky"), classify) as http:
        posts = search_posts(http, "rstats", limit=5)
    recorded = load("bluesky/app.bsky.feed.searchPosts.json")["posts"][:5]
    assert [p["platform_id"] for p in posts] == [p["uri"] for p in recorded]
    assert "Bearer session-token-xyz" in " ".join(fake.seen_auth)


def test_bluesky_search_without_a_login_says_how(fake: FakeApi, monkeypatch: pytest.MonkeyPatch) -> None:
    from covey.sources.bluesky.client import search_posts
    from covey.sources.bluesky.errors import classify
    from covey.sources.http import HttpClient

    monkeypatch.delenv("COVEY_BLUESKY_APP_PASSWORD", raising=False)
    with (
        HttpClient("bluesky", fake.base("bluesky"), classify) as http,
        pytest.raises(E.AuthError, match="App passwords"),
    ):
        search_posts(http, "rstats")


def test_clients_of_one_key_share_one_rate_limiter(clock: FakeClock) -> None:
    from covey.sources.bluesky.errors import classify
    from covey.sources.http import HttpClient

    one = HttpClient(
        "bluesky", "http://127.0.0.1:9", classify, limiter_key="fp-1", clock=clock, sleep=clock.sleep
    )
    two = HttpClient(
        "bluesky", "http://127.0.0.1:9", classify, limiter_key="fp-1", clock=clock, sleep=clock.sleep
    )
    other = HttpClient(
        "bluesky", "http://127.0.0.1:9", classify, limiter_key="fp-2", clock=clock, sleep=clock.sleep
    )
    assert one.limiter is two.limiter and one.limiter is not other.limiter
    for c in (one, two, other):
        c.close()


def test_usage_counts_units_only_where_the_platform_has_them(store: DuckDBStore) -> None:
    from covey.sources.http import HttpStats
    from covey.sources.session import record_usage, usage_today

    record_usage(store, "youtube", "k1", HttpStats(requests=3, quota_units=3))
    record_usage(store, "youtube", "k1", HttpStats(requests=0))  # stopped before any request
    record_usage(store, "youtube", "k1", HttpStats(requests=1, quota_units=100))
    assert usage_today(store, "youtube", "k1") == 103
    record_usage(store, "bluesky", "k2", HttpStats(requests=5))
    record_usage(store, "bluesky", "k2", HttpStats(requests=2))
    rows = store.query("SELECT requests, quota_units FROM source_usage WHERE platform = 'bluesky'")
    assert rows == [(7, None)]
