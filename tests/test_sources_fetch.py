"""Whole fetches of each platform against the fake APIs on 127.0.0.1: what lands, once; a refetch
adds a snapshot and duplicates nothing; a bad row goes to the rejects file. Faults, stops and
resumes are in test_sources_resume.py; keys, logins and usage in test_sources_keys.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from covey.sources import known_fetches
from covey.store import DuckDBStore
from fetch_support import BSKY, MASTO, count, fetch, ids, no_rejects
from sources_fake import FakeApi, FakeClock, Fault, bluesky_own_posts, load, youtube_video_ids

pytestmark = [pytest.mark.realdata, pytest.mark.usefixtures("source_keys")]


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


def test_refresh_knows_every_fetched_account(store: DuckDBStore, fake: FakeApi, clock: FakeClock) -> None:
    fetch(store, fake, clock, "bluesky", BSKY, max_posts=3)
    fetch(store, fake, clock, "mastodon", MASTO)
    known = known_fetches(store)
    assert [(k.platform, k.target) for k in known] == [("bluesky", BSKY), ("mastodon", MASTO)]
    assert known[0].options.max_posts == 3 and known[0].options.base_url == fake.base("bluesky")


def test_comments_turned_off_keep_the_video(store: DuckDBStore, fake: FakeApi, clock: FakeClock) -> None:
    off = {"error": {"code": 403, "message": "disabled", "errors": [{"reason": "commentsDisabled"}]}}
    fake.inject("commentThreads", Fault("status", 403, body=off))
    fetch(store, fake, clock, "youtube", "@googledevelopers", comments=5, max_posts=1)
    assert count(store, "posts") == 1 and count(store, "comments") == 0
    assert store.query("SELECT status FROM source_fetches")[0][0] == "done"


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
