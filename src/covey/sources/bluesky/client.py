"""Fetch a Bluesky account from the public AppView: profile, own posts, replies, followers.

Needs no key. Post search (:func:`search_posts`) alone needs a session, opened with the
user's handle and app password; the session token lives in memory for the run only.
"""

from __future__ import annotations

import logging
from typing import Any

from covey.sources.base import FetchOptions, Progress, as_int
from covey.sources.bluesky import config, mapping
from covey.sources.bluesky.errors import classify
from covey.sources.errors import AuthError, NotFoundError
from covey.sources.http import HttpClient
from covey.sources.paging import LoopGuard
from covey.sources.session import FetchSession

log = logging.getLogger("covey.sources.bluesky")


def make_client(opts: FetchOptions, **http: Any) -> tuple[HttpClient, str]:
    """A client for the public AppView (no credential: the limiter is per host)."""
    client = HttpClient(
        config.PLATFORM, opts.base_url or config.BASE_URL, classify, rate=config.RATE_PER_SECOND, **http
    )
    return client, "anonymous"


def normalise(target: str) -> str:
    """``@name.bsky.social`` or ``name`` -> the handle the API takes."""
    handle = target.strip().lstrip("@")
    if "." not in handle and not handle.startswith("did:"):
        handle += ".bsky.social"
    return handle


def profile(http: HttpClient, actor: str) -> dict[str, Any]:
    """The detailed profile of one actor (``getProfiles``, which also serves batches)."""
    body = http.get("app.bsky.actor.getProfiles", {"actors": [actor]})
    found = body.get("profiles") or []
    if not found:
        raise NotFoundError(f"bluesky: no account {actor}. Check the handle (e.g. name.bsky.social).")
    return dict(found[0])


def fetch(
    session: FetchSession, http: HttpClient, target: str, opts: FetchOptions, progress: Progress
) -> None:
    """Fetch ``target`` into the session: profile, snapshot, posts, replies, followers."""
    me = profile(http, normalise(target))
    did = str(me["did"])
    session.set_account(mapping.account_id(did))
    session.add("accounts", mapping.account_row(me))
    session.add("account_snapshots", mapping.snapshot_row(me, session.taken_at))
    session.advance("profile", None)
    if not session.is_done("posts"):
        _posts(session, http, me, opts, progress)
    if opts.followers and not session.is_done("followers"):
        _followers(session, http, did, opts.followers, progress)


def _posts(
    session: FetchSession, http: HttpClient, me: dict[str, Any], opts: FetchOptions, progress: Progress
) -> None:
    did = str(me["did"])
    cursor = session.cursor("posts")
    read = session.counter("posts")
    guard = LoopGuard("bluesky author feed", cursor)
    while opts.wants_more(read):
        page = http.get(
            "app.bsky.feed.getAuthorFeed",
            {"actor": did, "limit": config.FEED_PAGE, "cursor": cursor, "filter": "posts_and_author_threads"},
        )
        old = False
        for item in page.get("feed", []):
            if not mapping.is_own_post(item, did) or not opts.wants_more(read):
                continue
            row = mapping.post_row(item["post"])
            if opts.too_old(row["posted_at"]):
                old = True
                continue
            session.add("posts", row)
            read += 1
            if opts.comments and (as_int(item["post"].get("replyCount")) or 0) > 0:
                thread = http.get(
                    "app.bsky.feed.getPostThread",
                    {"uri": item["post"]["uri"], "depth": config.THREAD_DEPTH, "parentHeight": 0},
                ).get("thread", {})
                if thread.get("post"):
                    for comment in mapping.thread_comments(thread, did, opts.comments):
                        session.add("comments", comment)
            progress("posts", read, opts.max_posts or as_int(me.get("postsCount")))
        cursor = page.get("cursor")
        if not page.get("feed") or old or guard.seen(cursor):
            cursor = None
        session.advance("posts", cursor, counts={"posts": read})
        if cursor is None:
            break


def _followers(session: FetchSession, http: HttpClient, did: str, limit: int, progress: Progress) -> None:
    cursor = session.cursor("followers")
    got = session.counter("followers")
    guard = LoopGuard("bluesky followers", cursor)
    while got < limit:
        page = http.get(
            "app.bsky.graph.getFollowers",
            {"actor": did, "limit": min(config.FOLLOWERS_PAGE, limit - got), "cursor": cursor},
        )
        members = page.get("followers", [])[: limit - got]
        detailed = _hydrate(http, [m["did"] for m in members])
        for member in members:
            session.add(
                "audience_samples",
                mapping.audience_row(did, member, detailed.get(member["did"]), session.taken_at),
            )
        got += len(members)
        progress("followers", got, limit)
        cursor = page.get("cursor")
        if not members or guard.seen(cursor):
            cursor = None
        session.advance("followers", cursor, counts={"followers": got})
        if cursor is None:
            break


def _hydrate(http: HttpClient, dids: list[str]) -> dict[str, dict[str, Any]]:
    """Followers' own counts (getProfiles, 25 at a time): the list view has none."""
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(dids), config.PROFILES_BATCH):
        body = http.get("app.bsky.actor.getProfiles", {"actors": dids[start : start + config.PROFILES_BATCH]})
        for p in body.get("profiles", []):
            out[str(p["did"])] = p
    return out


def search_posts(http: HttpClient, query: str, limit: int = 25) -> list[dict[str, Any]]:
    """Posts matching ``query`` (``searchPosts``; needs an app password, see config)."""
    creds = config.app_password()
    if creds is None:
        raise AuthError(
            "bluesky: post search needs a login. Set COVEY_BLUESKY_HANDLE and "
            f"COVEY_BLUESKY_APP_PASSWORD. {config.HOW_TO_GET}"
        )
    handle, secret = creds
    auth_base = config.AUTH_BASE_URL if http.base_url == config.BASE_URL else http.base_url
    created = http.request(
        "POST",
        f"{auth_base}/com.atproto.server.createSession",
        json_body={"identifier": handle, "password": secret.reveal()},
    )
    token = str(created.get("accessJwt", ""))
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    guard = LoopGuard("bluesky search")
    with HttpClient(
        config.PLATFORM, auth_base, classify, auth_headers=lambda: {"Authorization": f"Bearer {token}"}
    ) as authed:
        while len(found) < limit:
            page = authed.get(
                "app.bsky.feed.searchPosts",
                {"q": query, "limit": min(100, limit - len(found)), "cursor": cursor},
            )
            found += [mapping.post_row(p) for p in page.get("posts", [])]
            cursor = page.get("cursor")
            if not cursor or not page.get("posts") or guard.seen(cursor):
                break
    return found[:limit]
