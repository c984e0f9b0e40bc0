"""Whole fetches that fail part way (429s, 5xx, truncated and stalled answers, an expired token,
the quota spent, a looping cursor, a crash) lose nothing, and the rerun resumes where it stopped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from covey.sources import errors as E
from covey.sources import known_fetches
from covey.store import DuckDBStore
from fetch_support import BSKY, count, fetch, ids, no_rejects
from sources_fake import FakeApi, FakeClock, Fault, load

pytestmark = [pytest.mark.realdata, pytest.mark.usefixtures("source_keys")]


def test_faults_during_a_fetch_lose_nothing(store: DuckDBStore, fake: FakeApi, clock: FakeClock) -> None:
    fake.inject("getAuthorFeed", Fault("status", 429, headers={"Retry-After": "3"}))
    fake.inject("getAuthorFeed", Fault("status", 500), times=2)
    fake.inject("getAuthorFeed", Fault("status", 503), times=2)
    fake.inject("getFollowers", Fault("truncate"))
    # A 1.5 s stall against a 1 s timeout: the retry queues behind the stall's last 0.5 s (the
    # fake answers one request at a time), a margin a loaded machine keeps.
    fake.inject("getProfiles", Fault("stall", seconds=1.5))
    s = fetch(store, fake, clock, "bluesky", BSKY, timeout=1.0, followers=48)
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
