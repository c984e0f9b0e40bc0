"""Fetch the creator's own TikTok account (Display API): user info, then the video list.

The Display API serves only the account that authorised the app, so the target is the
token's owner; ``video/list`` is a POST whose body carries ``cursor`` and ``max_count``.
Tested against responses built from TikTok's documented format (no recorded ones are public).
"""

from __future__ import annotations

from typing import Any

from covey.sources.base import FetchOptions, Progress, as_int
from covey.sources.http import HttpClient
from covey.sources.paging import LoopGuard
from covey.sources.session import FetchSession
from covey.sources.tiktok import config, mapping
from covey.sources.tiktok.errors import classify


def make_client(opts: FetchOptions, **http: Any) -> tuple[HttpClient, str]:
    """A client carrying the creator's token, and the token's fingerprint."""
    secret = config.token()
    client = HttpClient(
        config.PLATFORM,
        opts.base_url or config.BASE_URL,
        classify,
        auth_headers=lambda: {"Authorization": f"Bearer {secret.reveal()}"},
        limiter_key=secret.fingerprint,
        rate=config.RATE_PER_SECOND,
        **http,
    )
    return client, secret.fingerprint


def fetch(
    session: FetchSession, http: HttpClient, target: str, opts: FetchOptions, progress: Progress
) -> None:
    """Fetch the token owner's profile and videos into the session."""
    user = http.get("user/info/", {"fields": config.USER_FIELDS}).get("data", {}).get("user", {})
    session.set_account(mapping.account_id(user))
    session.add("accounts", mapping.account_row(user))
    session.add("account_snapshots", mapping.snapshot_row(user, session.taken_at))
    session.advance("profile", None)
    if session.is_done("posts"):
        return
    cursor = session.cursor("posts")
    read = session.counter("posts")
    guard = LoopGuard("tiktok videos", cursor)
    while opts.wants_more(read):
        size = (
            config.VIDEO_PAGE
            if opts.max_posts is None
            else max(1, min(config.VIDEO_PAGE, opts.max_posts - read))
        )
        body: dict[str, Any] = {"max_count": size}
        if cursor is not None:
            body["cursor"] = cursor
        data = http.request("POST", "video/list/", {"fields": config.VIDEO_FIELDS}, json_body=body).get(
            "data", {}
        )
        old = False
        for video in data.get("videos", []):
            if not opts.wants_more(read):
                break
            row = mapping.post_row(video, user)
            if opts.too_old(row["posted_at"]):
                old = True
                continue
            session.add("posts", row)
            read += 1
            progress("videos", read, opts.max_posts or as_int(user.get("video_count")))
        cursor = data.get("cursor") if data.get("has_more") else None
        if not data.get("videos") or old or guard.seen(cursor):
            cursor = None
        session.advance("posts", cursor, counts={"posts": read})
        if cursor is None:
            return
