"""Fetch Instagram accounts through the Graph API.

* Another professional account: ``business_discovery`` on the user's own account id, one
  call for the profile and each page of media (``media.after(<cursor>)``). The API gives
  no comments, followers or audience for other accounts.
* The user's own account (``--own``): profile, media, comments with replies, and account
  insights (kept in the fetch summary: there is no canonical table for them).

Cursors saved are the ``after`` values, never ``paging.next``: that URL holds the token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from covey.errors import SourceError
from covey.sources.base import FetchOptions, Progress, as_int
from covey.sources.http import HttpClient
from covey.sources.instagram import config, mapping
from covey.sources.instagram.errors import classify, pace
from covey.sources.paging import LoopGuard
from covey.sources.session import FetchSession

log = logging.getLogger("covey.sources.instagram")

OWN = "me"


def make_client(opts: FetchOptions, **http: Any) -> tuple[HttpClient, str]:
    """A client carrying the user's token, and the token's fingerprint."""
    secret = config.token()
    client = HttpClient(
        config.PLATFORM,
        opts.base_url or config.BASE_URL,
        classify,
        auth_params=lambda: {"access_token": secret.reveal()},
        limiter_key=secret.fingerprint,
        rate=config.RATE_PER_SECOND,
        burst=config.BURST,
        pace=pace,
        **http,
    )
    return client, secret.fingerprint


def _discovery(http: HttpClient, me: str, username: str, after: str | None, limit: int) -> dict[str, Any]:
    media = f"media.limit({limit})" + (f".after({after})" if after else "")
    fields = (
        f"business_discovery.username({username}){{{config.PROFILE_FIELDS},{media}{{{config.MEDIA_FIELDS}}}}}"
    )
    body = http.get(me, {"fields": fields})
    return dict(body.get("business_discovery") or {})


def fetch(
    session: FetchSession, http: HttpClient, target: str, opts: FetchOptions, progress: Progress
) -> None:
    """Fetch ``target`` (a username, or ``me`` for the user's own account) into the session."""
    if target == OWN:
        _own(session, http, opts, progress)
        return
    me = config.user_id()
    username = target.lstrip("@")
    after = session.cursor("posts")
    read = session.counter("posts")
    guard = LoopGuard("instagram business_discovery", after)
    first = True
    while True:
        size = (
            config.MEDIA_PAGE
            if opts.max_posts is None
            else max(1, min(config.MEDIA_PAGE, opts.max_posts - read))
        )
        user = _discovery(http, me, username, after, size)
        if first:
            session.set_account(mapping.account_id(user["id"]))
            session.add("accounts", mapping.account_row(user))
            session.add("account_snapshots", mapping.snapshot_row(user, session.taken_at))
            session.advance("profile", None)
            first = False
            if session.is_done("posts") or not opts.wants_more(read):
                return
        read, after = _add_media(session, user.get("media") or {}, user, opts, read, progress)
        if guard.seen(after):
            after = None
        session.advance("posts", after, counts={"posts": read})
        if after is None:
            return


def _own(session: FetchSession, http: HttpClient, opts: FetchOptions, progress: Progress) -> None:
    me = config.user_id()
    user = http.get(me, {"fields": config.PROFILE_FIELDS})
    session.set_account(mapping.account_id(user["id"]))
    session.add("accounts", mapping.account_row(user))
    session.add("account_snapshots", mapping.snapshot_row(user, session.taken_at))
    session.advance("profile", None)
    try:
        found = http.get(
            f"{me}/insights",
            {"metric": config.INSIGHT_METRICS, "period": "day", "metric_type": "total_value"},
        )
        session.summary.insights = mapping.insights(found)
    except SourceError as exc:  # insights need more permissions; the rest still works
        session.summary.notes.append(f"insights not read: {exc}")
    if session.is_done("posts"):
        return
    after = session.cursor("posts")
    read = session.counter("posts")
    guard = LoopGuard("instagram media", after)
    while opts.wants_more(read):
        page = http.get(
            f"{me}/media", {"fields": config.MEDIA_FIELDS, "limit": config.MEDIA_PAGE, "after": after}
        )

        def comments(item: dict[str, Any]) -> None:
            if opts.comments and (as_int(item.get("comments_count")) or 0) > 0:
                _comments(session, http, item["id"], user, opts.comments)

        read, after = _add_media(session, page, user, opts, read, progress, comments)
        if not (page.get("paging") or {}).get("next") or guard.seen(after):
            after = None
        session.advance("posts", after, counts={"posts": read})
        if after is None:
            return


def _add_media(
    session: FetchSession,
    page: dict[str, Any],
    user: dict[str, Any],
    opts: FetchOptions,
    read: int,
    progress: Progress,
    each: Callable[[dict[str, Any]], None] | None = None,
) -> tuple[int, str | None]:
    """Queue one page of ``user``'s media as posts (``each`` is called on every one kept).

    Returns the posts read so far and the next page's cursor, None when the listing should
    stop: an empty page, a post older than ``--since``, or ``--max-posts`` reached.
    """
    old = False
    for item in page.get("data", []):
        if not opts.wants_more(read):
            break
        row = mapping.post_row(item, user["id"])
        if opts.too_old(row["posted_at"]):
            old = True
            continue
        session.add("posts", row)
        read += 1
        if each is not None:
            each(item)
        progress("media", read, opts.max_posts or as_int(user.get("media_count")))
    after = ((page.get("paging") or {}).get("cursors") or {}).get("after")
    if not page.get("data") or old or not opts.wants_more(read):
        return read, None
    return read, after


def _comments(
    session: FetchSession, http: HttpClient, media_id: str, owner: dict[str, Any], limit: int
) -> None:
    fields = f"{config.COMMENT_FIELDS},replies{{{config.COMMENT_FIELDS}}}"
    after: str | None = None
    got = 0
    guard = LoopGuard(f"instagram comments {media_id}")
    while got < limit:
        page = http.get(
            f"{media_id}/comments", {"fields": fields, "limit": min(50, limit - got), "after": after}
        )
        for comment in page.get("data", []):
            rows = [mapping.comment_row(comment, media_id, owner, None)]
            rows += [
                mapping.comment_row(r, media_id, owner, comment["id"])
                for r in (comment.get("replies") or {}).get("data", [])
            ]
            for row in rows[: limit - got]:
                session.add("comments", row)
            got += len(rows[: limit - got])
        paging = page.get("paging") or {}
        after = paging.get("cursors", {}).get("after")
        if not page.get("data") or not paging.get("next") or guard.seen(after):
            return
