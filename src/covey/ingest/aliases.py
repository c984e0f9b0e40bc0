"""Column names as people's files have them: "Followers", "followers_count", "Likes".

A header is first *normalised*: trimmed, lower-cased, every run of other characters than
letters and digits turned into one ``_`` ("Followers Count" → ``followers_count``, "# of
likes" → ``of_likes``). A normalised name that is a canonical column is that column;
otherwise :data:`ALIASES` says which column it stands for, per table. A canonical name in
the same file wins over an alias (a file with both ``likes`` and ``like_count`` keeps
``likes``), and of two aliases of one column the first (leftmost) wins; the others are
ignored like any unknown column. docs/data-format.md lists the same table (a test keeps
them in step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from covey.model import TABLES_BY_NAME

_OTHER = re.compile(r"[^0-9a-z]+")

_COUNTS = {
    "followers": ("follower_count", "followers_count", "subscribers", "subscriber_count", "fans"),
    "following": ("following_count", "follows", "follows_count", "followings", "followed", "friends_count"),
    "posts": (
        "post_count",
        "posts_count",
        "media_count",
        "number_of_posts",
        "videos",
        "video_count",
        "statuses_count",
    ),
}

# table -> canonical column -> other names (normalised) read as that column.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "creators": {
        "creator_id": ("creator",),
        "name": ("creator_name", "full_name"),
        "languages": ("language", "langs"),
    },
    "accounts": {
        "account_id": ("account", "id"),
        "creator_id": ("creator",),
        "platform": ("network", "channel", "social_network"),
        "handle": ("username", "user_name", "user", "screen_name"),
        "display_name": ("name", "full_name"),
        "bio": ("biography", "description"),
        "created_at": ("joined", "join_date", "joined_at"),
        "external_url": ("website", "link", "url"),
        "is_verified": ("verified",),
    },
    "account_snapshots": {
        "account_id": ("account", "id"),
        "taken_at": ("date", "timestamp", "snapshot_date", "as_of", "collected_at", "scraped_at"),
        **_COUNTS,
    },
    "posts": {
        "post_id": ("id", "post"),
        "account_id": ("account",),
        "platform_id": ("shortcode", "video_id", "media_id"),
        "kind": ("type", "media_type", "post_type", "format"),
        "caption": ("description", "text", "body"),
        "posted_at": (
            "date",
            "timestamp",
            "published_at",
            "publish_date",
            "post_date",
            "created_time",
            "created_at",
            "upload_date",
        ),
        "likes": ("like_count", "likes_count", "reactions", "hearts", "digg_count"),
        "comments": ("comment_count", "comments_count", "replies"),
        "views": ("view_count", "views_count", "plays", "play_count", "video_views", "impressions"),
        "shares": ("share_count", "shares_count", "reposts", "repost_count", "retweets"),
        "saves": ("save_count", "saves_count", "saved", "bookmarks"),
        "sponsored": ("is_sponsored", "paid_partnership", "ad", "is_ad"),
        "url": ("link", "permalink", "post_url"),
    },
    "comments": {
        "comment_id": ("id", "comment"),
        "post_id": ("post",),
        "author_id": ("user_id", "owner_id"),
        "author_handle": ("username", "author", "user"),
        "text": ("comment_text", "body", "message"),
        "posted_at": ("date", "timestamp", "created_at", "created_time"),
        "reply_to": ("parent_id", "in_reply_to"),
        "likes": ("like_count", "likes_count"),
    },
    "audience_samples": {
        "account_id": ("account",),
        "member_id": ("user_id", "profile_id", "follower_id"),
        "relation": ("relationship", "kind", "type"),
        "username": ("handle", "user_name", "user", "screen_name"),
        "full_name": ("name", "display_name"),
        **_COUNTS,
        "has_profile_pic": ("has_profile_picture", "profile_pic", "profile_picture", "has_avatar", "avatar"),
        "is_private": ("private", "protected"),
        "bio": ("biography", "description"),
        "external_url": ("website", "link", "url"),
        "created_at": ("joined", "join_date", "joined_at", "account_created"),
        "sampled_at": ("date", "timestamp", "collected_at", "scraped_at"),
    },
}


def normalise(name: str) -> str:
    """A header cell as Covey compares it: lower case, runs of other characters as one ``_``."""
    return _OTHER.sub("_", name.strip().lstrip("\ufeff").lower()).strip("_")


@dataclass
class HeaderMap:
    """What each header cell of a file is read as (None: a column Covey ignores)."""

    columns: list[str | None]
    renamed: dict[str, str] = field(default_factory=dict)  # header as written -> canonical
    ignored: list[str] = field(default_factory=list)  # not a column of the table
    # A second cell for a column already given (e.g. "Name" beside "name"): as written -> column.
    duplicates: dict[str, str] = field(default_factory=dict)

    def duplicates_note(self) -> str | None:
        """Says which cells were ignored because another cell gives the same column."""
        if not self.duplicates:
            return None
        cells = ", ".join(f"{k!r} (another column gives {v})" for k, v in self.duplicates.items())
        return f"columns ignored as duplicates: {cells}"

    @property
    def present(self) -> set[str]:
        """Canonical columns the file has."""
        return {c for c in self.columns if c is not None}


def map_header(table: str, header: list[str]) -> HeaderMap:
    """Map the header cells of a ``table`` file onto canonical column names."""
    canonical = TABLES_BY_NAME[table].column_names
    lookup = {alias: col for col, names in ALIASES.get(table, {}).items() for alias in names}
    normal = [normalise(h) for h in header]
    taken = {n for n in normal if n in canonical}
    columns: list[str | None] = []
    out = HeaderMap(columns)
    for written, name in zip(header, normal, strict=True):
        target = name if name in canonical else lookup.get(name)
        if target is None:
            columns.append(None)
            out.ignored.append(written)
            continue
        if (target in taken and name != target) or target in columns:
            columns.append(None)
            out.duplicates[written] = target
            continue
        columns.append(target)
        if written != target:
            out.renamed[written] = target
    return out


def rename_keys(table: str, keys: list[str]) -> dict[str, str]:
    """For JSON objects: key as written -> canonical column, for the keys that are not canonical."""
    mapped = map_header(table, keys)
    return {k: c for k, c in zip(keys, mapped.columns, strict=True) if c is not None and k != c}
