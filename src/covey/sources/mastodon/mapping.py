"""Mastodon entities (Account, Status, Context) -> canonical rows.

Ids are per instance, so canonical ids carry the instance: ``mastodon:<instance>:<id>``.
Statuses arrive as HTML; the caption keeps the text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from covey.sources.base import as_int, sampled_at, strip_html, utc_iso


def account_id(instance: str, local_id: str) -> str:
    """Canonical id of an account on ``instance``."""
    return f"mastodon:{instance}:{local_id}"


def handle(account: dict[str, Any], instance: str) -> str:
    """``user@instance`` for every account (local accounts' ``acct`` lacks the instance)."""
    acct = str(account.get("acct") or account["username"])
    return acct if "@" in acct else f"{acct}@{instance}"


def _date(value: str | None) -> str | None:
    iso = utc_iso(value)
    return iso[:10] if iso else None


def _link(account: dict[str, Any]) -> str | None:
    for field in account.get("fields") or []:
        value = strip_html(field.get("value"))
        if value and value.startswith(("http://", "https://")):
            return value
    return None


def account_row(account: dict[str, Any], instance: str) -> dict[str, Any]:
    """Account -> ``accounts`` row."""
    return {
        "account_id": account_id(instance, account["id"]),
        "platform": "mastodon",
        "handle": handle(account, instance),
        "display_name": account.get("display_name") or None,
        "bio": strip_html(account.get("note")) or None,
        "created_at": _date(account.get("created_at")),
        "external_url": _link(account),
        "is_verified": None,
    }


def snapshot_row(account: dict[str, Any], instance: str, taken_at: datetime) -> dict[str, Any]:
    """Account counts -> ``account_snapshots`` row."""
    return {
        "account_id": account_id(instance, account["id"]),
        "taken_at": taken_at.isoformat(),
        "followers": as_int(account.get("followers_count")),
        "following": as_int(account.get("following_count")),
        "posts": as_int(account.get("statuses_count")),
    }


def _kind(status: dict[str, Any]) -> str:
    types = {m.get("type") for m in status.get("media_attachments") or []}
    if "video" in types or "gifv" in types:
        return "video"
    if "image" in types:
        return "image"
    return "text"


def post_row(status: dict[str, Any], instance: str) -> dict[str, Any]:
    """Status -> ``posts`` row."""
    tags = [str(t["name"]).lower() for t in status.get("tags") or [] if t.get("name")]
    mentions = [str(m["acct"]).lower() for m in status.get("mentions") or [] if m.get("acct")]
    return {
        "post_id": f"mastodon:{instance}:{status['id']}",
        "account_id": account_id(instance, status["account"]["id"]),
        "platform_id": status["id"],
        "kind": _kind(status),
        "caption": strip_html(status.get("content")) or None,
        "hashtags": tags or None,
        "mentions": mentions or None,
        "posted_at": utc_iso(status.get("created_at")),
        "likes": as_int(status.get("favourites_count")),
        "comments": as_int(status.get("replies_count")),
        "views": None,
        "shares": as_int(status.get("reblogs_count")),
        "saves": None,
        "url": status.get("url") or status.get("uri"),
    }


def context_comments(
    context: dict[str, Any], root_id: str, creator_id: str, instance: str, limit: int
) -> list[dict[str, Any]]:
    """A status's ``context`` descendants -> ``comments`` rows (at most ``limit``)."""
    rows: list[dict[str, Any]] = []
    for status in (context.get("descendants") or [])[:limit]:
        parent = status.get("in_reply_to_id")
        rows.append(
            {
                "comment_id": f"mastodon:{instance}:{status['id']}",
                "post_id": f"mastodon:{instance}:{root_id}",
                "author_id": handle(status["account"], instance),
                "author_handle": handle(status["account"], instance),
                "text": strip_html(status.get("content")),
                "posted_at": utc_iso(status.get("created_at")),
                "reply_to": None if parent in (None, root_id) else f"mastodon:{instance}:{parent}",
                "by_creator": status["account"]["id"] == creator_id,
                "likes": as_int(status.get("favourites_count")),
            }
        )
    return rows


def audience_row(creator: str, member: dict[str, Any], instance: str, taken_at: datetime) -> dict[str, Any]:
    """A follower (a full Account, with counts) -> ``audience_samples`` row."""
    avatar = str(member.get("avatar") or "")
    return {
        "account_id": creator,
        "member_id": handle(member, instance),
        "relation": "follower",
        "username": handle(member, instance),
        "full_name": member.get("display_name") or None,
        "followers": as_int(member.get("followers_count")),
        "following": as_int(member.get("following_count")),
        "posts": as_int(member.get("statuses_count")),
        "has_profile_pic": bool(avatar) and "missing" not in avatar,
        "is_private": bool(member.get("locked")) if member.get("locked") is not None else None,
        "bio": strip_html(member.get("note")) or None,
        "external_url": _link(member),
        "created_at": _date(member.get("created_at")),
        "sampled_at": sampled_at(taken_at),
    }
