"""Whole fetches against the fake APIs on 127.0.0.1: rows land once, faults lose nothing, resumes."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

from covey.sources import FetchOptions, FetchRequest, known_fetches, run_fetch
from covey.sources import errors as E
from covey.sources.http import RetryPolicy
from covey.sources.session import FetchSummary
from covey.store import DuckDBStore
from sources_fake import FakeApi, FakeClock, Fault, bluesky_own_posts, load, youtube_video_ids

pytestmark = pytest.mark.realdata

SECRETS = {
    "COVEY_YOUTUBE_API_KEY": "yt-SECRET-key-0001",
    "COVEY_INSTAGRAM_TOKEN": "ig-SECRET-token-0002",
    "COVEY_TIKTOK_TOKEN": "tt-SECRET-token-0003",
    "COVEY_MASTODON_TOKEN": "masto-SECRET-token-0004",
}
BSKY = "chriskenny.bsky.social"
MASTO = "@mastodonpy_test@localhost:3000"


@pytest.fixture(autouse=True)
def keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shared_data: Path) -> None:
    """The user's keys in the environment; no settings file."""
    monkeypatch.setenv("COVEY_SETTINGS", str(tmp_path / "no-settings.toml"))
    monkeypatch.setenv("COVEY_INSTAGRAM_USER_ID", "17841406338772941")
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def fake(httpserver: HTTPServer) -> FakeApi:
    return FakeApi(httpserver)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def fetch(
    store: DuckDBStore, fake: FakeApi, clock: FakeClock, platform: str, target: str, **opts: Any
) -> FetchSummary:
    options = FetchOptions(base_url=fake.base(platform), **{"max_posts": None, **opts})
    http = {
        "clock": clock,
        "sleep": clock.sleep,
        "rng": random.Random(7),
        "timeout": httpx.Timeout(0.3),
        "policy": RetryPolicy(attempts=8),
    }
    return run_fetch(store, FetchRequest(platform, target, options), http_options=http)


def ids(store: DuckDBStore, table: str, column: str) -> list[str]:
    return [r[0] for r in store.query(f"SELECT {column} FROM {table} ORDER BY {column}")]


def count(store: DuckDBStore, table: str) -> int:
    return int(store.query(f"SELECT count(*) FROM {table}")[0][0])


def no_rejects(summary: FetchSummary) -> None:
    assert all(c.rejected == 0 for c in summary.tables.values()), summary.to_dict()


def test_youtube_channel_videos_and_comments(store: DuckDBStore, fake: FakeApi, clock: FakeClock) -> None:
    s = fetch(store, fake, clock, "youtube", "@googledevelopers", comments=20)
    no_rejects(s)
    assert ids(store, "posts", "platform_id") == sorted(youtube_video_ids())
    assert count(store, "accounts") == 1 and count(store, "account_snapshots") == 1
    threads = {i["id"] for i in load("youtube/comment_threads_by_video_paged_1.json")["items"]}
    replies = {i["id"] for n in (1, 2) for i in load(f"youtube/comments_by_parent_paged_{n}.json")["items"]}
    assert set(ids(store, "comments", "comment_id")) == {f"youtube:{i}" for i in threads | replies}
    # Every call costs 1 unit; the summary counts them (quota shown to the user).
    assert s.http.quota_units == s.http.requests == sum(fake.requests.values())
    views = store.query("SELECT views FROM posts WHERE platform_id = ?", [youtube_video_ids()[0]])[0][0]
    assert views == sum(map(ord, youtube_video_ids()[0])) * 10


def test_a_refetch_duplicates_nothing_and_adds_a_snapshot(
    store: DuckDBStore, fake: FakeApi, clock: FakeClock
) -> None:
    first = fetch(store, fake, clock, "bluesky", BSKY, comments=5, followers=30)
    before = {t: count(store, t) for t in ("accounts", "posts", "comments", "audience_samples")}
    second = fetch(store, fake, clock, "bluesky", BSKY, comments=5, followers=30)
    no_rejects(first)
    no_rejects(second)
    assert {t: count(store, t) for t in before} == before
    assert second.tables["posts"].inserted == 0 and second.tables["posts"].read == before["posts"]
    assert count(store, "account_snapshots") == 2  # one per fetch: growth over time


def test_bluesky_posts_threads_and_followers(store: DuckDBStore, fake: FakeApi, clock: FakeClock) -> None:
    s = fetch(store, fake, clock, "bluesky", BSKY, comments=5, followers=30)
    own = bluesky_own_posts()
    assert count(store, "posts") == len(own) == 11  # 12 feed items, one a repost
    with_replies = [p for p in own if p["post"]["replyCount"] > 0]
    assert count(store, "comments") == 2 * len(with_replies)  # each thread: a reply and a nested one
    assert count(store, "audience_samples") == 30
    assert fake.requests["/xrpc/app.bsky.feed.getAuthorFeed"] == 3  # 4 + 4 + 3
    assert s.tables["audience_samples"].inserted == 30


def test_mastodon_link_header_paging(store: DuckDBStore, fake: FakeApi, clock: FakeClock) -> None:
    fetch(store, fake, clock, "mastodon", MASTO, comments=3, followers=10)
    statuses = load("mastodon/account_statuses_limit5.json")
    assert ids(store, "posts", "platform_id") == sorted(s["id"] for s in statuses)
    assert fake.requests["/masto/api/v1/accounts/117020565966271181/statuses"] == 3  # 2 + 2 + 1
    assert count(store, "audience_samples") == 1
    assert store.query("SELECT handle FROM accounts")[0][0] == "mastodonpy_test@localhost:3000"


def test_instagram_business_discovery_stops_on_its_looping_cursor(
    store: DuckDBStore, fake: FakeApi, clock: FakeClock
) -> None:
    fetch(store, fake, clock, "instagram", "facebookfordevelopers")
    # The recorded pages both say after="after": page 2 would come back forever.
    p1 = load("instagram/discovery_medias_p1.json")["business_discovery"]["media"]["data"]
    p2 = load("instagram/discovery_medias_p2.json")["business_discovery"]["media"]["data"]
    assert ids(store, "posts", "post_id") == sorted(f"instagram:{m['id']}" for m in p1 + p2)
    assert sum(fake.requests.values()) == 2


def test_instagram_own_account_comments_and_insights(
    store: DuckDBStore, fake: FakeApi, clock: FakeClock
) -> None:
    s = fetch(store, fake, clock, "instagram", "me", comments=10)
    assert count(store, "posts") == 4
    assert count(store, "comments") == 4  # two recorded pages of two, on the first media
    assert s.insights["reach"] == 14516883


def test_tiktok_synthetic_video_list(store: DuckDBStore, fake: FakeApi, clock: FakeClock) -> None:
    fetch(store, fake, clock, "tiktok", "me")
    assert count(store, "posts") == 3
    assert store.query("SELECT followers FROM account_snapshots")[0][0] == 8421


def test_faults_during_a_fetch_lose_nothing(store: DuckDBStore, fake: FakeApi, clock: FakeClock) -> None:
    fake.inject("getAuthorFeed", Fault("status", 429, headers={"Retry-After": "3"}))
    fake.inject("getAuthorFeed", Fault("status", 500), times=2)
    fake.inject("getAuthorFeed", Fault("status", 503), times=2)
    fake.inject("getFollowers", Fault("truncate"))
    fake.inject("getProfiles", Fault("stall", seconds=0.5))
    s = fetch(store, fake, clock, "bluesky", BSKY, followers=48)
    assert fake.pending() == 0 and sum(fake.injected.values()) == 7
    assert count(store, "posts") == 11 and count(store, "audience_samples") == 48
    assert s.http.retries == 7
    assert any(w >= 3.0 for w in clock.slept)


def test_expired_token_stops_then_the_rerun_resumes(
    store: DuckDBStore, fake: FakeApi, clock: FakeClock
) -> None:
    expired = {
        "error": {
            "message": "Error validating access token: Session has expired",
            "type": "OAuthException",
            "code": 190,
            "error_subcode": 463,
        }
    }
    fake.inject(r"/media$", Fault("status", 400, body=expired))
    with pytest.raises(E.AuthError, match=r"has expired.*long-lived token"):
        fetch(store, fake, clock, "instagram", "me")
    assert count(store, "accounts") == 1  # the profile page was kept
    status = store.query("SELECT status FROM source_fetches")[0][0]
    assert status == "stopped"
    s = fetch(store, fake, clock, "instagram", "me")
    assert s.resumed and count(store, "posts") == 4 and count(store, "account_snapshots") == 1


def test_quota_exceeded_mid_fetch_then_resume(store: DuckDBStore, fake: FakeApi, clock: FakeClock) -> None:
    quota = {
        "error": {
            "code": 403,
            "message": "quota",
            "errors": [{"reason": "quotaExceeded", "domain": "youtube.quota"}],
        }
    }
    fake.inject("playlistItems", Fault("status", 200))  # the first page goes through
    fake._faults.clear()
    calls = {"n": 0}
    original = fake.route

    def second_page_over_quota(request: Any) -> Any:
        if request.path.endswith("playlistItems") and request.args.get("pageToken"):
            calls["n"] += 1
            if calls["n"] == 1:
                return quota, 403, {}
        return original(request)

    fake.route = second_page_over_quota  # type: ignore[method-assign]
    with pytest.raises(E.QuotaExceededError):
        fetch(store, fake, clock, "youtube", "@googledevelopers")
    assert count(store, "posts") == 10  # page 1 kept
    s = fetch(store, fake, clock, "youtube", "@googledevelopers")
    assert s.resumed and count(store, "posts") == 13 and count(store, "account_snapshots") == 1
    assert fake.requests["/youtube/v3/playlistItems"] == 3  # page 1 once, page 2 twice: not page 1 again


def test_a_looping_cursor_ends_the_stream(store: DuckDBStore, fake: FakeApi, clock: FakeClock) -> None:
    fake.loop_cursor = True
    fetch(store, fake, clock, "bluesky", BSKY)
    feed = load("bluesky/app.bsky.feed.getAuthorFeed.json")["feed"][:8]  # pages 1 and 2
    assert count(store, "posts") == len([i for i in feed if "reason" not in i]) == 7
    assert fake.requests["/xrpc/app.bsky.feed.getAuthorFeed"] == 2  # never a third time


CRASH = """
import os, sys
from covey.store import DuckDBStore
from covey.sources import FetchOptions, FetchRequest, run_fetch

def progress(what, done, total):
    if what == "posts" and done == 6:
        os._exit(3)  # a crash: no cleanup, no status update

store = DuckDBStore(sys.argv[1])
options = FetchOptions(max_posts=None, comments=5, base_url=sys.argv[2])
run_fetch(store, FetchRequest("bluesky", sys.argv[3], options), progress=progress)
"""


def test_a_crash_mid_fetch_resumes_without_duplicates(
    tmp_path: Path, fake: FakeApi, clock: FakeClock
) -> None:
    db = tmp_path / "crash.duckdb"
    done = subprocess.run(
        [sys.executable, "-c", CRASH, str(db), fake.base("bluesky"), BSKY], env=os.environ.copy(), timeout=120
    )
    assert done.returncode == 3
    with DuckDBStore(db) as store:
        assert count(store, "posts") == 4  # page 1 was imported before the crash; page 2 was not
        assert store.query("SELECT status FROM source_fetches")[0][0] == "running"
        s = fetch(store, fake, clock, "bluesky", BSKY, comments=5)
        no_rejects(s)
        assert s.resumed
        assert count(store, "posts") == 11 == len(set(ids(store, "posts", "post_id")))
        assert count(store, "account_snapshots") == 1  # the resumed fetch completes the same snapshot
        assert count(store, "comments") == len(set(ids(store, "comments", "comment_id")))


def test_refresh_knows_every_fetched_account(store: DuckDBStore, fake: FakeApi, clock: FakeClock) -> None:
    fetch(store, fake, clock, "bluesky", BSKY, max_posts=3)
    fetch(store, fake, clock, "mastodon", MASTO)
    known = known_fetches(store)
    assert [(k.platform, k.target) for k in known] == [("bluesky", BSKY), ("mastodon", MASTO)]
    assert known[0].options.max_posts == 3 and known[0].options.base_url == fake.base("bluesky")


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


def test_comments_turned_off_keep_the_video(store: DuckDBStore, fake: FakeApi, clock: FakeClock) -> None:
    off = {"error": {"code": 403, "message": "disabled", "errors": [{"reason": "commentsDisabled"}]}}
    fake.inject("commentThreads", Fault("status", 403, body=off))
    fetch(store, fake, clock, "youtube", "@googledevelopers", comments=5, max_posts=1)
    assert count(store, "posts") == 1 and count(store, "comments") == 0
    assert store.query("SELECT status FROM source_fetches")[0][0] == "done"


def test_an_account_never_found_is_not_refreshed(store: DuckDBStore, fake: FakeApi, clock: FakeClock) -> None:
    fake.inject(
        "getProfiles", Fault("status", 400, body={"error": "InvalidRequest", "message": "Profile not found"})
    )
    with pytest.raises(E.NotFoundError, match="Check the handle"):
        fetch(store, fake, clock, "bluesky", "nobody.bsky.social")
    assert known_fetches(store) == []


def test_a_day_old_interrupted_fetch_starts_over(store: DuckDBStore, fake: FakeApi, clock: FakeClock) -> None:
    fake.inject("getAuthorFeed", Fault("status", 400, body={"error": "InvalidRequest", "message": "boom"}))
    with pytest.raises(E.BadRequestError):
        fetch(store, fake, clock, "bluesky", BSKY)
    with store.transaction() as cur:
        cur.execute("UPDATE source_fetches SET taken_at = taken_at - INTERVAL 2 DAY")
    s = fetch(store, fake, clock, "bluesky", BSKY)
    assert not s.resumed and s.fetch_id == 2
    assert [r[0] for r in store.query("SELECT status FROM source_fetches ORDER BY fetch_id")] == [
        "abandoned",
        "done",
    ]
    assert count(store, "account_snapshots") == 2


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


def test_a_bad_row_from_an_api_goes_to_the_rejects_file(
    store: DuckDBStore, fake: FakeApi, clock: FakeClock
) -> None:
    original = fake.route

    def negative_likes(request: Any) -> Any:
        body, status, headers = original(request)
        if request.path.endswith("/statuses") and isinstance(body, list) and body:
            body[0] = {**body[0], "favourites_count": -5}  # a count the import refuses
        return body, status, headers

    fake.route = negative_likes  # type: ignore[method-assign]
    s = fetch(store, fake, clock, "mastodon", MASTO)
    assert s.tables["posts"].rejected == 3  # the first status of each of the 3 pages
    assert count(store, "posts") == 2
    assert len(s.rejects) == 3 and all(Path(p).is_file() for p in s.rejects)
    first = json.loads(Path(s.rejects[0]).read_text(encoding="utf-8").splitlines()[0])
    assert first["field"] == "likes" and "covey-fetch-1-mastodon-" in first["file"]


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
