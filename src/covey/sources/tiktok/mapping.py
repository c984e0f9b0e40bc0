"""TikTok Display API objects (User, Video) -> canonical rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from covey.sources.base import as_int


def account_id(user: dict[str, Any]) -> str:
    """Canonical id: the app-scoped ``open_id`` (TikTok gives no global id to apps)."""
    return f"tiktok:{user['open_id']}"


def account_row(user: dict[str, Any]) -> dict[str, Any]:
    """User -> ``accounts`` row."""
    return {
        "account_id": account_id(user),
        "platform": "tiktok",
        "handle": user.get("username") or user["open_id"],
        "display_name": user.get("display_name") or None,
        "bio": user.get("bio_description") or None,
        "external_url": user.get("profile_deep_link") or None,
        "is_verified": user.get("is_verified") if isinstance(user.get("is_verified"), bool) else None,
    }


def snapshot_row(user: dict[str, Any], taken_at: datetime) -> dict[str, Any]:
    """User counts -> ``account_snapshots`` row."""
    return {
        "account_id": account_id(user),
        "taken_at": taken_at.isoformat(),
        "followers": as_int(user.get("follower_count")),
        "following": as_int(user.get("following_count")),
        "posts": as_int(user.get("video_count")),
    }


def post_row(video: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    """Video -> ``posts`` row (``create_time`` is unix seconds)."""
    created = as_int(video.get("create_time"))
    return {
        "post_id": f"tiktok:{video['id']}",
        "account_id": account_id(user),
        "platform_id": str(video["id"]),
        "kind": "video",
        "title": video.get("title") or None,
        "caption": video.get("video_description") or None,
        "posted_at": datetime.fromtimestamp(created, UTC).replace(tzinfo=None).isoformat()
        if created
        else None,
        "likes": as_int(video.get("like_count")),
        "comments": as_int(video.get("comment_count")),
        "views": as_int(video.get("view_count")),
        "shares": as_int(video.get("share_count")),
        "url": video.get("share_url") or None,
    }
