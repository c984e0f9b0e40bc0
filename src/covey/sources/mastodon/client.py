"""Fetch a Mastodon account: lookup, statuses (paged by the ``Link`` header), threads, followers."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from covey.errors import InputError
from covey.sources.base import FetchOptions, Progress, as_int
from covey.sources.http import HttpClient
from covey.sources.mastodon import config, mapping
from covey.sources.mastodon.errors import classify
from covey.sources.paging import LoopGuard
from covey.sources.session import FetchSession

log = logging.getLogger("covey.sources.mastodon")


def parse_target(target: str) -> tuple[str, str]:
    """``@user@instance`` -> (user, instance), or a clear error."""
    try:
        return config.split_target(target)
    except ValueError as exc:
        raise InputError(str(exc), field="account") from None


def make_client(opts: FetchOptions, *, target: str = "", **http: Any) -> tuple[HttpClient, str]:
    """A client for the target's instance (or ``--base-url``), with the token when set."""
    secret = config.token()
    base = opts.base_url or f"https://{parse_target(target)[1]}"
    client = HttpClient(
        config.PLATFORM,
        base,
        classify,
        auth_headers=(lambda: {"Authorization": f"Bearer {secret.reveal()}"}) if secret else None,
        limiter_key=secret.fingerprint if secret else None,
        rate=config.RATE_PER_SECOND,
        burst=config.BURST,
        **http,
    )
    return client, secret.fingerprint if secret else "anonymous"


def next_max_id(response: httpx.Response) -> str | None:
    """The ``max_id`` of the ``Link: <...>; rel="next"`` page, or None on the last page."""
    url = response.links.get("next", {}).get("url")
    if not url:
        return None
    value = httpx.URL(url).params.get("max_id")
    return str(value) if value else None


def fetch(
    session: FetchSession, http: HttpClient, target: str, opts: FetchOptions, progress: Progress
) -> None:
    """Fetch ``target`` (``@user@instance``) into the session."""
    user, instance = parse_target(target)
    account = http.get("api/v1/accounts/lookup", {"acct": user})
    creator = mapping.account_id(instance, account["id"])
    session.set_account(creator)
    session.add("accounts", mapping.account_row(account, instance))
    session.add("account_snapshots", mapping.snapshot_row(account, instance, session.taken_at))
    session.advance("profile", None)
    if not session.is_done("posts"):
        _statuses(session, http, account, instance, opts, progress)
    if opts.followers and not session.is_done("followers"):
        _followers(session, http, account, instance, opts.followers, progress)


def _statuses(
    session: FetchSession,
    http: HttpClient,
    account: dict[str, Any],
    instance: str,
    opts: FetchOptions,
    progress: Progress,
) -> None:
    max_id = session.cursor("posts")
    read = session.counter("posts")
    guard = LoopGuard("mastodon statuses", max_id)
    while opts.wants_more(read):
        page, response = http.get(
            f"api/v1/accounts/{account['id']}/statuses",
            {"limit": config.STATUSES_PAGE, "max_id": max_id, "exclude_reblogs": "true"},
            with_response=True,
        )
        old = False
        for status in page:
            if status.get("reblog") or not opts.wants_more(read):
                continue
            row = mapping.post_row(status, instance)
            if opts.too_old(row["posted_at"]):
                old = True
                continue
            session.add("posts", row)
            read += 1
            if opts.comments and (as_int(status.get("replies_count")) or 0) > 0:
                context = http.get(f"api/v1/statuses/{status['id']}/context")
                for comment in mapping.context_comments(
                    context, status["id"], account["id"], instance, opts.comments
                ):
                    session.add("comments", comment)
            progress("statuses", read, opts.max_posts or as_int(account.get("statuses_count")))
        max_id = next_max_id(response)
        if not page or old or guard.seen(max_id):
            max_id = None
        session.advance("posts", max_id, counts={"posts": read})
        if max_id is None:
            break


def _followers(
    session: FetchSession,
    http: HttpClient,
    account: dict[str, Any],
    instance: str,
    limit: int,
    progress: Progress,
) -> None:
    creator = mapping.account_id(instance, account["id"])
    max_id = session.cursor("followers")
    got = session.counter("followers")
    guard = LoopGuard("mastodon followers", max_id)
    while got < limit:
        page, response = http.get(
            f"api/v1/accounts/{account['id']}/followers",
            {"limit": min(config.FOLLOWERS_PAGE, limit - got), "max_id": max_id},
            with_response=True,
        )
        for member in page[: limit - got]:
            session.add("audience_samples", mapping.audience_row(creator, member, instance, session.taken_at))
        got += len(page[: limit - got])
        progress("followers", got, limit)
        max_id = next_max_id(response)
        if not page or guard.seen(max_id):
            max_id = None
        session.advance("followers", max_id, counts={"followers": got})
        if max_id is None:
            break
