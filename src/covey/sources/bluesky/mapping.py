"""Bluesky views (ProfileViewDetailed, PostView, ThreadViewPost) -> canonical rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from covey.sources.base import as_int, sampled_at, utc_iso


def account_id(did: str) -> str:
    """Canonical id of an account: its DID, which survives handle changes."""
    return f"bluesky:{did}"


def post_id(uri: str) -> str:
    """Canonical id of a post from its ``at://`` URI."""
    return "bluesky:" + uri.removeprefix("at://")


def _date(value: str | None) -> str | None:
    iso = utc_iso(value)
    return iso[:10] if iso else None


def account_row(profile: dict[str, Any]) -> dict[str, Any]:
    """``getProfile(s)`` -> ``accounts`` row."""
    return {
        "account_id": account_id(profile["did"]),
        "platform": "bluesky",
        "handle": profile["handle"],
        "display_name": profile.get("displayName") or None,
        "bio": profile.get("description") or None,
        "created_at": _date(profile.get("createdAt")),
        "is_verified": _verified(profile),
    }


def _verified(profile: dict[str, Any]) -> bool | None:
    status = (profile.get("verification") or {}).get("verifiedStatus")
    return None if status is None else status == "valid"


def snapshot_row(profile: dict[str, Any], taken_at: datetime) -> dict[str, Any]:
    """``getProfile(s)`` counts -> ``account_snapshots`` row."""
    return {
        "account_id": account_id(profile["did"]),
        "taken_at": taken_at.isoformat(),
        "followers": as_int(profile.get("followersCount")),
        "following": as_int(profile.get("followsCount")),
        "posts": as_int(profile.get("postsCount")),
    }


def _kind(post: dict[str, Any]) -> str:
    embed = (post.get("embed") or post.get("record", {}).get("embed") or {}).get("$type", "")
    if "images" in embed:
        return "image"
    if "video" in embed:
        return "video"
    return "text"


def _facets(record: dict[str, Any], feature: str, key: str) -> list[str] | None:
    found = [
        str(f[key]).lower()
        for facet in record.get("facets") or []
        for f in facet.get("features") or []
        if f.get("$type") == feature and f.get(key)
    ]
    return found or None


def post_row(post: dict[str, Any]) -> dict[str, Any]:
    """A PostView -> ``posts`` row."""
    record = post.get("record", {})
    author = post["author"]
    rkey = post["uri"].rsplit("/", 1)[-1]
    return {
        "post_id": post_id(post["uri"]),
        "account_id": account_id(author["did"]),
        "platform_id": post["uri"],
        "kind": _kind(post),
        "caption": record.get("text") or None,
        "hashtags": _facets(record, "app.bsky.richtext.facet#tag", "tag"),
        "posted_at": utc_iso(record.get("createdAt")) or utc_iso(post.get("indexedAt")),
        "likes": as_int(post.get("likeCount")),
        "comments": as_int(post.get("replyCount")),
        "views": None,  # Bluesky does not count views
        "shares": as_int(post.get("repostCount")),
        "saves": as_int(post.get("bookmarkCount")),
        "url": f"https://bsky.app/profile/{author['handle']}/post/{rkey}",
    }


def is_own_post(item: dict[str, Any], did: str) -> bool:
    """A feed item the account wrote itself (not a repost of someone else's post)."""
    return "reason" not in item and item.get("post", {}).get("author", {}).get("did") == did


def thread_comments(thread: dict[str, Any], creator_did: str, limit: int) -> list[dict[str, Any]]:
    """Replies under a ThreadViewPost, breadth first, as ``comments`` rows (at most ``limit``)."""
    root = thread["post"]
    root_id = post_id(root["uri"])
    rows: list[dict[str, Any]] = []
    queue = [(reply, root["uri"]) for reply in thread.get("replies") or []]
    while queue and len(rows) < limit:
        node, parent_uri = queue.pop(0)
        post = node.get("post") if isinstance(node, dict) else None
        if not post:  # blocked or deleted replies come as notFoundPost / blockedPost
            continue
        author = post["author"]
        rows.append(
            {
                "comment_id": post_id(post["uri"]),
                "post_id": root_id,
                "author_id": author["did"],
                "author_handle": author.get("handle"),
                "text": post.get("record", {}).get("text"),
                "posted_at": utc_iso(post.get("record", {}).get("createdAt")),
                "reply_to": None if parent_uri == root["uri"] else post_id(parent_uri),
                "by_creator": author["did"] == creator_did,
                "likes": as_int(post.get("likeCount")),
            }
        )
        queue += [(reply, post["uri"]) for reply in node.get("replies") or []]
    return rows


def audience_row(
    creator_did: str, member: dict[str, Any], detailed: dict[str, Any] | None, taken_at: datetime
) -> dict[str, Any]:
    """A follower (ProfileView; counts from a ProfileViewDetailed when read) -> ``audience_samples``."""
    full = detailed or {}
    return {
        "account_id": account_id(creator_did),
        "member_id": member["did"],
        "relation": "follower",
        "username": member.get("handle"),
        "full_name": member.get("displayName") or None,
        "followers": as_int(full.get("followersCount")),
        "following": as_int(full.get("followsCount")),
        "posts": as_int(full.get("postsCount")),
        "has_profile_pic": bool(member.get("avatar")),
        "is_private": False,  # Bluesky profiles are all public
        "bio": member.get("description") or None,
        "external_url": None,
        "created_at": _date(member.get("createdAt")),
        "sampled_at": sampled_at(taken_at),
    }
