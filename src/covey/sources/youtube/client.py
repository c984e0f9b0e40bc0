"""Fetch a YouTube channel: channel -> uploads -> videos with statistics -> comment threads.

Each playlist page is one step: its videos (one ``videos.list`` call for up to 50 ids),
their comments, then the page's rows are imported and the next page token saved.
``search.list`` (100 units) runs only through :func:`search_channels`, when asked.
"""

from __future__ import annotations

import logging
from typing import Any

from covey.sources.base import FetchOptions, Progress, as_int
from covey.sources.errors import NotFoundError
from covey.sources.http import HttpClient
from covey.sources.paging import LoopGuard
from covey.sources.session import FetchSession
from covey.sources.youtube import config, mapping
from covey.sources.youtube.errors import CommentsDisabledError, classify
from covey.sources.youtube.errors import quota_day as quota_day  # the runner counts quota by this day

log = logging.getLogger("covey.sources.youtube")


def make_client(opts: FetchOptions, **http: Any) -> tuple[HttpClient, str]:
    """An HTTP client carrying the user's API key, and the key's fingerprint."""
    key = config.api_key()
    client = HttpClient(
        config.PLATFORM,
        opts.base_url or config.BASE_URL,
        classify,
        auth_params=lambda: {"key": key.reveal()},
        limiter_key=key.fingerprint,
        rate=config.RATE_PER_SECOND,
        **http,
    )
    return client, key.fingerprint


def find_channel(http: HttpClient, target: str) -> dict[str, Any]:
    """``@handle``, a channel id (``UC...``) or a legacy username -> the channel resource."""
    params: dict[str, Any] = {"part": "snippet,statistics,contentDetails"}
    if target.startswith("UC") and len(target) == 24:
        params["id"] = target
    elif target.startswith("@"):
        params["forHandle"] = target
    else:
        params["forHandle"] = "@" + target
    body = http.get("channels", params, cost=config.COSTS["channels"])
    items = body.get("items") or []
    if not items:
        raise NotFoundError(f"youtube: no channel {target}. Check the handle (it starts with @).")
    return dict(items[0])


def fetch(
    session: FetchSession, http: HttpClient, target: str, opts: FetchOptions, progress: Progress
) -> None:
    """Fetch ``target`` into the session: profile, snapshot, videos, comments."""
    channel = find_channel(http, target)
    channel_id = str(channel["id"])
    session.set_account(mapping.account_id(channel_id))
    session.add("accounts", mapping.account_row(channel))
    session.add("account_snapshots", mapping.snapshot_row(channel, session.taken_at))
    session.advance("profile", None)
    if session.is_done("posts"):
        return
    playlist = mapping.uploads_playlist(channel)
    token = session.cursor("posts")
    read = session.counter("posts")
    guard = LoopGuard("youtube uploads", token)
    total = as_int(channel.get("statistics", {}).get("videoCount"))
    while opts.wants_more(read):
        size = config.PAGE_SIZE if opts.max_posts is None else min(config.PAGE_SIZE, opts.max_posts - read)
        page = http.get(
            "playlistItems",
            {"part": "snippet", "playlistId": playlist, "maxResults": size, "pageToken": token},
            cost=config.COSTS["playlistItems"],
        )
        ids = [i["snippet"]["resourceId"]["videoId"] for i in page.get("items", [])][:size]
        old = False
        if ids:
            videos = http.get(
                "videos",
                {"part": "snippet,statistics,contentDetails", "id": ",".join(ids), "maxResults": len(ids)},
                cost=config.COSTS["videos"],
            )
            for video in videos.get("items", []):
                row = mapping.post_row(video)
                if opts.too_old(row["posted_at"]):
                    old = True  # uploads come newest first: the rest are older still
                    continue
                session.add("posts", row)
                read += 1
                if opts.comments:
                    _comments(session, http, video["id"], channel_id, opts.comments)
                progress("videos", read, total if opts.max_posts is None else opts.max_posts)
        token = page.get("nextPageToken")
        if not ids or old or guard.seen(token):
            token = None
        session.advance("posts", token, counts={"posts": read})
        if token is None:
            break


def _comments(session: FetchSession, http: HttpClient, video_id: str, channel_id: str, limit: int) -> None:
    """Up to ``limit`` comments of one video (threads with their replies)."""
    token: str | None = None
    got = 0
    guard = LoopGuard(f"youtube comments {video_id}")
    while got < limit:
        try:
            page = http.get(
                "commentThreads",
                {
                    "part": "snippet,replies",
                    "videoId": video_id,
                    "maxResults": min(config.COMMENT_PAGE_SIZE, limit - got),
                    "order": "time",
                    "textFormat": "plainText",
                    "pageToken": token,
                },
                cost=config.COSTS["commentThreads"],
            )
        except CommentsDisabledError:
            log.info("youtube %s: comments are turned off", video_id)
            return
        for thread in page.get("items", []):
            rows = mapping.thread_rows(thread, channel_id)
            top = thread["snippet"]["topLevelComment"]
            total = as_int(thread["snippet"].get("totalReplyCount")) or 0
            if total > len(rows) - 1 and got + len(rows) < limit:
                # The thread carries only its first replies: read them all (comments.list).
                rows = rows[:1] + replies(http, top["id"], video_id, channel_id, limit - got - 1)
            for row in rows[: limit - got]:
                session.add("comments", row)
            got += len(rows[: limit - got])
        token = page.get("nextPageToken")
        if not token or not page.get("items") or guard.seen(token):
            return


def replies(
    http: HttpClient, parent_id: str, video_id: str, channel_id: str, limit: int
) -> list[dict[str, Any]]:
    """Every reply of one comment (``comments.list``), when a thread carries only the first few."""
    rows: list[dict[str, Any]] = []
    token: str | None = None
    guard = LoopGuard(f"youtube replies {parent_id}")
    while len(rows) < limit:
        page = http.get(
            "comments",
            {"part": "snippet", "parentId": parent_id, "maxResults": 100, "pageToken": token},
            cost=config.COSTS["comments"],
        )
        rows += [mapping.comment_row(c, video_id, channel_id) for c in page.get("items", [])]
        token = page.get("nextPageToken")
        if not token or guard.seen(token):
            break
    return rows[:limit]


def search_channels(http: HttpClient, query: str, limit: int = 10) -> list[dict[str, Any]]:
    """Channels matching ``query`` (``search.list``: 100 quota units a page; only when asked)."""
    body = http.get(
        "search",
        {"part": "snippet", "type": "channel", "q": query, "maxResults": min(50, limit)},
        cost=config.COSTS["search"],
    )
    found = []
    for item in body.get("items", [])[:limit]:
        snippet = item.get("snippet", {})
        found.append(
            {
                "channel_id": snippet.get("channelId") or item.get("id", {}).get("channelId"),
                "title": snippet.get("channelTitle") or snippet.get("title"),
                "description": snippet.get("description"),
            }
        )
    return found
