"""Mapping, field by field, from recorded API responses (../shared/data/api-fixtures) to rows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from covey.sources.base import FetchOptions, strip_html, utc_iso
from covey.sources.bluesky import mapping as bsky
from covey.sources.instagram import mapping as ig
from covey.sources.mastodon import mapping as masto
from covey.sources.tiktok import mapping as tt
from covey.sources.youtube import mapping as yt
from sources_fake import bluesky_thread, load

T = datetime(2026, 12, 1, 9, 30)
pytestmark = pytest.mark.realdata


@pytest.fixture(autouse=True)
def _needs_data(shared_data: Path) -> None:
    """Every test here reads recorded responses."""


def test_youtube_channel() -> None:
    channel = load("youtube/channel_info_single.json")["items"][0]
    assert yt.account_row(channel) == {
        "account_id": "youtube:UC_x5XG1OV2P6uZZ5FSM9Ttw",
        "platform": "youtube",
        "handle": "googledevelopers",
        "display_name": "Google Developers",
        "bio": channel["snippet"]["description"],
        "country": "US",
        "language": None,
        "created_at": "2007-08-23",
        "external_url": None,
        "is_verified": None,
    }
    assert yt.snapshot_row(channel, T) == {
        "account_id": "youtube:UC_x5XG1OV2P6uZZ5FSM9Ttw",
        "taken_at": "2026-12-01T09:30:00",
        "followers": 1927873,  # "1927873" as a string in the API
        "following": None,
        "posts": 5026,
    }
    assert yt.uploads_playlist(channel) == "UU_x5XG1OV2P6uZZ5FSM9Ttw"
    hidden = {**channel, "statistics": {**channel["statistics"], "hiddenSubscriberCount": True}}
    assert yt.snapshot_row(hidden, T)["followers"] is None  # hidden is unknown, never 0


def test_youtube_uploads_playlist_from_content_details() -> None:
    channel = load("youtube/info_multiple.json")["items"][0]
    assert yt.uploads_playlist(channel) == "UUK8sQmJBp8GCxrOtXWBpyEA"


def test_youtube_video() -> None:
    video = load("youtube/videos_info_single.json")["items"][0]
    row = yt.post_row(video)
    assert row["post_id"] == "youtube:D-lhorsDlUQ"
    assert row["account_id"] == "youtube:UC_x5XG1OV2P6uZZ5FSM9Ttw"
    assert row["platform_id"] == "D-lhorsDlUQ"
    assert row["kind"] == "video"
    assert row["title"] == "What are Actions on Google (Assistant on Air)"
    assert row["caption"].startswith("In the first episode of Assistant on Air")
    assert row["posted_at"] == "2019-03-21T20:37:49"
    assert row["url"] == "https://www.youtube.com/watch?v=D-lhorsDlUQ"
    # The recorded response asked no statistics part: every count is unknown, not 0.
    assert (row["likes"], row["comments"], row["views"], row["shares"], row["saves"]) == (None,) * 5
    stats = {**video, "statistics": {"viewCount": "1200", "likeCount": "34", "commentCount": "5"}}
    assert (yt.post_row(stats)["views"], yt.post_row(stats)["likes"], yt.post_row(stats)["comments"]) == (
        1200,
        34,
        5,
    )


def test_youtube_comment_thread_and_reply() -> None:
    thread = load("youtube/comment_threads_by_video_paged_1.json")["items"][1]
    rows = yt.thread_rows(thread, "UC_x5XG1OV2P6uZZ5FSM9Ttw")
    assert rows == [
        {
            "comment_id": "youtube:Ugy4OzAuz5uJuFt3FH54AaABAg",
            "post_id": "youtube:F1UP7wRCPH8",
            "author_id": "UCGBUkig1Ala-Z2gF73WSTdw",
            "author_handle": "el bojo loco",
            "text": "Please use CLS on your own search results page..",
            "posted_at": "2019-11-21T19:18:39",
            "reply_to": None,
            "by_creator": False,
            "likes": 1,
        }
    ]
    reply = load("youtube/comments_by_parent_paged_2.json")["items"][0]
    row = yt.comment_row(reply, "F1UP7wRCPH8", "UCNvMBmCASzTNNX8lW3JRMbw")
    assert row["reply_to"] == "youtube:Ugw5zYU6n9pmIgAZWvN4AaABAg"
    assert row["text"] == "hey, this is the replay" and row["by_creator"] is True
    assert row["posted_at"] == "2019-12-01T04:46:00"


def test_instagram_business_discovery() -> None:
    user = load("instagram/discovery_user_fields.json")["business_discovery"]
    assert ig.account_row(user) == {
        "account_id": "instagram:17841407673135339",
        "platform": "instagram",
        "handle": "facebookfordevelopers",
        "display_name": "Facebook for Developers",
        "bio": user["biography"],
        "external_url": None,
        "is_verified": None,
    }
    assert ig.snapshot_row(user, T) == {
        "account_id": "instagram:17841407673135339",
        "taken_at": "2026-12-01T09:30:00",
        "followers": 64976,
        "following": None,  # not asked in the recording: unknown
        "posts": 436,
    }
    media = load("instagram/discovery_medias_p1.json")["business_discovery"]["media"]["data"][0]
    row = ig.post_row(media, user["id"])
    assert row == {
        "post_id": "instagram:17885103395504675",
        "account_id": "instagram:17841407673135339",
        "platform_id": "CSr71Gzlqo4",
        "kind": "image",
        "caption": media["caption"],
        "posted_at": "2021-08-17T19:00:42",  # "+0000" read as UTC
        "likes": 87,
        "comments": 11,
        "views": None,
        "url": "https://www.instagram.com/p/CSr71Gzlqo4/",
    }
    video = load("instagram/discovery_medias_5_p1.json")["business_discovery"]["media"]["data"][0]
    assert ig.post_row(video, user["id"])["kind"] == "video"


def test_instagram_own_comments_and_insights() -> None:
    owner = load("instagram/user_fields.json")
    comment = load("instagram/comments_fields.json")["17892250648466172"]
    row = ig.comment_row(comment, "17846368219941692", owner, None)
    assert row == {
        "comment_id": "instagram:17892250648466172",
        "post_id": "instagram:17846368219941692",
        "author_id": "ikroskun",
        "author_handle": "ikroskun",
        "text": "@ikroskun  Hey, guys",
        "posted_at": "2020-02-24T09:15:16",
        "reply_to": None,
        "by_creator": False,
        "likes": 1,
    }
    reply = load("instagram/comment_replies.json")["data"][0]
    assert ig.comment_row(reply, "1", owner, "17858154961981086")["reply_to"] == "instagram:17858154961981086"
    new = ig.insights(load("instagram/user_insights_new.json"))
    assert new["reach"] == 14516883
    old = ig.insights(load("instagram/user_insights.json"))
    assert old and all(isinstance(v, int) for v in old.values())


def test_bluesky_profile() -> None:
    profile = load("bluesky/app.bsky.actor.getProfiles.json")["profiles"][0]
    assert bsky.account_row(profile) == {
        "account_id": "bluesky:did:plc:wpe35pganb6d4pg4ekmfy6u5",
        "platform": "bluesky",
        "handle": "chriskenny.bsky.social",
        "display_name": "Chris Kenny",
        "bio": profile["description"],
        "created_at": "2023-09-19",
        "is_verified": None,
    }
    assert bsky.snapshot_row(profile, T) == {
        "account_id": "bluesky:did:plc:wpe35pganb6d4pg4ekmfy6u5",
        "taken_at": "2026-12-01T09:30:00",
        "followers": 554,
        "following": 296,
        "posts": 65,
    }


def test_bluesky_posts_skip_reposts() -> None:
    feed = load("bluesky/app.bsky.feed.getAuthorFeed.json")["feed"]
    did = "did:plc:wpe35pganb6d4pg4ekmfy6u5"
    own = [i for i in feed if bsky.is_own_post(i, did)]
    assert len(own) == 11 and len(feed) == 12  # one repost of someone else
    row = bsky.post_row(own[0]["post"])
    post = own[0]["post"]
    assert row["post_id"] == "bluesky:did:plc:wpe35pganb6d4pg4ekmfy6u5/app.bsky.feed.post/3lof7sovfok2h"
    assert row["account_id"] == "bluesky:" + did
    assert row["platform_id"] == post["uri"]
    assert row["kind"] == "text"
    assert row["caption"] == post["record"]["text"]
    assert row["posted_at"] == "2025-05-05T01:30:17.912000"
    assert (row["likes"], row["comments"], row["shares"], row["views"]) == (0, 1, 0, None)
    assert row["url"] == "https://bsky.app/profile/chriskenny.bsky.social/post/3lof7sovfok2h"


def test_bluesky_image_post_and_tags() -> None:
    thread = load("bluesky/app.bsky.feed.getPostThread.json")["thread"]
    row = bsky.post_row(thread["post"])
    assert row["kind"] == "image"
    assert row["hashtags"] is None or all(t == t.lower() for t in row["hashtags"])


def test_bluesky_thread_replies_become_comments() -> None:
    own = [i["post"] for i in load("bluesky/app.bsky.feed.getAuthorFeed.json")["feed"] if "reason" not in i]
    thread = bluesky_thread(own[0]["uri"])
    rows = bsky.thread_comments(thread, "did:plc:wpe35pganb6d4pg4ekmfy6u5", 10)
    first, nested = thread["replies"][0]["post"], thread["replies"][0]["replies"][0]["post"]
    assert [r["comment_id"] for r in rows] == [bsky.post_id(first["uri"]), bsky.post_id(nested["uri"])]
    assert rows[0]["reply_to"] is None and rows[1]["reply_to"] == bsky.post_id(first["uri"])
    assert rows[0]["post_id"] == bsky.post_id(own[0]["uri"])
    assert rows[0]["author_id"] == first["author"]["did"] and rows[0]["text"] == first["record"]["text"]
    assert bsky.thread_comments(thread, "x", 1) == rows[:1]


def test_bluesky_follower_sample() -> None:
    follower = load("bluesky/app.bsky.graph.getFollowers.json")["followers"][0]
    row = bsky.audience_row("did:plc:wpe35pganb6d4pg4ekmfy6u5", follower, None, T)
    assert row == {
        "account_id": "bluesky:did:plc:wpe35pganb6d4pg4ekmfy6u5",
        "member_id": "did:plc:bv65fgjvl2xbzcpwbomsqahm",
        "relation": "follower",
        "username": "kiarahernandezm.bsky.social",
        "full_name": "Kiara Hernandez",
        "followers": None,  # the list view has no counts: unknown until hydrated
        "following": None,
        "posts": None,
        "has_profile_pic": True,
        "is_private": False,
        "bio": follower["description"],
        "external_url": None,
        "created_at": "2024-11-20",
        "sampled_at": "2026-12-01T09:30:00",
    }


def test_mastodon_account_and_status() -> None:
    account = load("mastodon/account_lookup.json")
    assert masto.account_row(account, "localhost:3000") == {
        "account_id": "mastodon:localhost:3000:117020565966271181",
        "platform": "mastodon",
        "handle": "mastodonpy_test@localhost:3000",
        "display_name": "John Lennon",
        "bio": "I walk funny",
        "created_at": "2026-08-01",
        "external_url": None,
        "is_verified": None,
    }
    assert masto.snapshot_row(account, "localhost:3000", T)["posts"] == 0
    status = load("mastodon/account_statuses_limit5.json")[0]
    row = masto.post_row(status, "localhost:3000")
    assert row == {
        "post_id": "mastodon:localhost:3000:117020581915050941",
        "account_id": "mastodon:localhost:3000:117020565966271181",
        "platform_id": "117020581915050941",
        "kind": "text",
        "caption": "Toot number 9!",
        "hashtags": None,
        "mentions": None,
        "posted_at": "2026-08-01T13:52:55.413000",
        "likes": 0,
        "comments": 0,
        "views": None,
        "shares": 0,
        "saves": None,
        "url": "http://localhost:3000/@mastodonpy_test/117020581915050941",
    }


def test_mastodon_follower_is_a_full_account() -> None:
    member = load("mastodon/status_favourited_by.json")[0]
    row = masto.audience_row("mastodon:x:1", member, "localhost:3000", T)
    assert row["member_id"] == masto.handle(member, "localhost:3000")
    assert row["followers"] == member["followers_count"] and row["posts"] == member["statuses_count"]
    assert row["is_private"] is member["locked"]


def test_tiktok_synthetic_user_and_video() -> None:
    user = load("tiktok/user_info.json")["data"]["user"]
    assert tt.account_row(user)["handle"] == "synthetic.baker"
    assert tt.snapshot_row(user, T)["followers"] == 8421
    video = load("tiktok/video_list_p1.json")["data"]["videos"][0]
    row = tt.post_row(video, user)
    assert row["posted_at"] == "2023-12-01T08:40:00"  # unix 1701420000
    assert (row["likes"], row["comments"], row["shares"], row["views"]) == (1203, 41, 17, 20412)


def test_value_helpers() -> None:
    assert utc_iso("2021-08-17T19:00:42+0000") == "2021-08-17T19:00:42"
    assert utc_iso("2021-08-17T21:00:42+02:00") == "2021-08-17T19:00:42"
    assert utc_iso("not a time") is None and utc_iso(None) is None
    assert strip_html("<p>a &amp; b</p><p>c<br>d</p>") == "a & b\nc\nd"
    opts = FetchOptions(since=datetime(2021, 1, 1))
    assert opts.too_old("2020-12-31T23:59:59") and not opts.too_old("2021-01-01T00:00:00")
    assert FetchOptions.from_dict(opts.to_dict()) == opts
