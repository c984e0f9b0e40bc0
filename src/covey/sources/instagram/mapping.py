"""Instagram Graph objects (business_discovery, IG User, IG Media, IG Comment) -> canonical rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from covey.sources.base import as_int, utc_iso

_KINDS = {"IMAGE": "image", "VIDEO": "video", "CAROUSEL_ALBUM": "carousel"}


def account_id(ig_id: str) -> str:
    """Canonical id of an Instagram account (the Graph API's IG User id)."""
    return f"instagram:{ig_id}"


def account_row(user: dict[str, Any]) -> dict[str, Any]:
    """IG User fields (from business_discovery or the user's own) -> ``accounts`` row."""
    return {
        "account_id": account_id(user["id"]),
        "platform": "instagram",
        "handle": user["username"],
        "display_name": user.get("name") or None,
        "bio": user.get("biography") or None,
        "external_url": user.get("website") or None,
        "is_verified": None,
    }


def snapshot_row(user: dict[str, Any], taken_at: datetime) -> dict[str, Any]:
    """IG User counts -> ``account_snapshots`` row."""
    return {
        "account_id": account_id(user["id"]),
        "taken_at": taken_at.isoformat(),
        "followers": as_int(user.get("followers_count")),
        "following": as_int(user.get("follows_count")),
        "posts": as_int(user.get("media_count")),
    }


def _kind(media: dict[str, Any]) -> str:
    product = media.get("media_product_type")
    if product == "REELS":
        return "reel"
    if product == "STORY":
        return "story"
    return _KINDS.get(str(media.get("media_type")), "other")


def post_row(media: dict[str, Any], owner_id: str) -> dict[str, Any]:
    """IG Media -> ``posts`` row (owner from the request: discovery media carry none)."""
    permalink = media.get("permalink")
    shortcode = permalink.rstrip("/").rsplit("/", 1)[-1] if permalink else None
    return {
        "post_id": f"instagram:{media['id']}",
        "account_id": account_id(owner_id),
        "platform_id": shortcode or media["id"],
        "kind": _kind(media),
        "caption": media.get("caption") or None,
        "posted_at": utc_iso(media.get("timestamp")),
        "likes": as_int(media.get("like_count")),  # absent when the owner hides likes: unknown
        "comments": as_int(media.get("comments_count")),
        "views": as_int(media.get("view_count")),
        "url": permalink,
    }


def comment_row(
    comment: dict[str, Any], media_id: str, owner: dict[str, Any], reply_to: str | None
) -> dict[str, Any]:
    """IG Comment (own media only) -> ``comments`` row."""
    author = comment.get("from") or {}
    username = author.get("username") or comment.get("username")
    return {
        "comment_id": f"instagram:{comment['id']}",
        "post_id": f"instagram:{media_id}",
        "author_id": author.get("id") or username or "unknown",
        "author_handle": username,
        "text": comment.get("text"),
        "posted_at": utc_iso(comment.get("timestamp")),
        "reply_to": f"instagram:{reply_to}" if reply_to else None,
        "by_creator": username == owner.get("username") if username else None,
        "likes": as_int(comment.get("like_count")),
    }


def insights(body: dict[str, Any]) -> dict[str, Any]:
    """Account insights, old (``values[]``) and new (``total_value``) forms -> name: value."""
    out: dict[str, Any] = {}
    for metric in body.get("data", []):
        if "total_value" in metric:
            out[metric["name"]] = metric["total_value"].get("value")
        elif metric.get("values"):
            out[metric["name"]] = metric["values"][-1].get("value")
    return out
