"""YouTube resources -> canonical rows (accounts, account_snapshots, posts, comments).

Statistics arrive as strings ("160361638"); a hidden subscriber count is unknown, not 0.
Ids are prefixed with the platform so they never collide with another platform's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from covey.sources.base import as_int, utc_iso


def account_id(channel_id: str) -> str:
    """Canonical id of a channel."""
    return f"youtube:{channel_id}"


def account_row(channel: dict[str, Any]) -> dict[str, Any]:
    """``channels.list`` item -> ``accounts`` row."""
    snippet = channel.get("snippet", {})
    handle = str(snippet.get("customUrl") or channel["id"]).lstrip("@")
    published = utc_iso(snippet.get("publishedAt"))
    return {
        "account_id": account_id(channel["id"]),
        "platform": "youtube",
        "handle": handle,
        "display_name": snippet.get("title"),
        "bio": snippet.get("description") or None,
        "country": snippet.get("country"),
        "language": (snippet.get("defaultLanguage") or "")[:2] or None,
        "created_at": published[:10] if published else None,
        "external_url": None,
        "is_verified": None,  # the API does not say
    }


def snapshot_row(channel: dict[str, Any], taken_at: datetime) -> dict[str, Any]:
    """``channels.list`` statistics -> ``account_snapshots`` row at ``taken_at``."""
    stats = channel.get("statistics", {})
    hidden = bool(stats.get("hiddenSubscriberCount"))
    return {
        "account_id": account_id(channel["id"]),
        "taken_at": taken_at.isoformat(),
        "followers": None if hidden else as_int(stats.get("subscriberCount")),
        "following": None,  # YouTube has no public "following" count
        "posts": as_int(stats.get("videoCount")),
    }


def uploads_playlist(channel: dict[str, Any]) -> str:
    """The channel's uploads playlist: from contentDetails, else by YouTube's UC -> UU rule."""
    related = channel.get("contentDetails", {}).get("relatedPlaylists", {})
    uploads = related.get("uploads")
    if uploads:
        return str(uploads)
    cid = str(channel["id"])
    return "UU" + cid[2:] if cid.startswith("UC") else cid


def post_row(video: dict[str, Any]) -> dict[str, Any]:
    """``videos.list`` item (snippet, statistics) -> ``posts`` row."""
    snippet = video.get("snippet", {})
    stats = video.get("statistics", {})
    paid = video.get("paidProductPlacementDetails", {}).get("hasPaidProductPlacement")
    return {
        "post_id": f"youtube:{video['id']}",
        "account_id": account_id(snippet["channelId"]),
        "platform_id": video["id"],
        "kind": "video",
        "title": snippet.get("title"),
        "caption": snippet.get("description") or None,
        "posted_at": utc_iso(snippet.get("publishedAt")),
        "likes": as_int(stats.get("likeCount")),
        "comments": as_int(stats.get("commentCount")),
        "views": as_int(stats.get("viewCount")),
        "shares": None,
        "saves": None,
        "sponsored": paid if isinstance(paid, bool) else None,
        "url": f"https://www.youtube.com/watch?v={video['id']}",
    }


def comment_row(comment: dict[str, Any], video_id: str, channel_id: str) -> dict[str, Any]:
    """A ``comment`` resource (top-level or reply) -> ``comments`` row."""
    snippet = comment.get("snippet", {})
    author = (snippet.get("authorChannelId") or {}).get("value")
    parent = snippet.get("parentId")
    return {
        "comment_id": f"youtube:{comment['id']}",
        "post_id": f"youtube:{video_id}",
        "author_id": author or snippet.get("authorDisplayName") or "unknown",
        "author_handle": (snippet.get("authorDisplayName") or "").lstrip("@") or None,
        "text": snippet.get("textOriginal") or snippet.get("textDisplay"),
        "posted_at": utc_iso(snippet.get("publishedAt")),
        "reply_to": f"youtube:{parent}" if parent else None,
        "by_creator": author == channel_id if author else None,
        "likes": as_int(snippet.get("likeCount")),
    }


def thread_rows(thread: dict[str, Any], channel_id: str) -> list[dict[str, Any]]:
    """A ``commentThread`` -> its top-level comment and the replies it carries."""
    snippet = thread.get("snippet", {})
    video_id = snippet.get("videoId") or snippet["topLevelComment"]["snippet"]["videoId"]
    rows = [comment_row(snippet["topLevelComment"], video_id, channel_id)]
    for reply in thread.get("replies", {}).get("comments", []):
        rows.append(comment_row(reply, video_id, channel_id))
    return rows
