"""The canonical data model: every table Covey stores, defined once.

The same definitions drive the database schema (``covey.store``), the importers'
validation (``covey.ingest``) and the documentation (``docs/data-format.md``; a test
keeps them in sync). Unknown is not zero: every count column is nullable, and a
missing count stays ``NULL`` all the way to the scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pyarrow as pa

ColumnType = Literal["text", "int", "float", "bool", "timestamp", "date", "text[]"]

SQL_TYPES: dict[ColumnType, str] = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "text[]": "VARCHAR[]",
}

# The Arrow type of each column type: what canonical Parquet files hold and what the
# importer's fast path expects (timestamps are naive UTC).
ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    "text": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("us"),
    "date": pa.date32(),
    "text[]": pa.list_(pa.string()),
}


@dataclass(frozen=True)
class Column:
    """One column of a canonical table."""

    name: str
    type: ColumnType
    doc: str
    required: bool = False
    is_count: bool = False  # parsed as a human count ("304.9K"); never negative


@dataclass(frozen=True)
class Table:
    """A canonical table: its columns, its key, and which column says "how new"."""

    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # Rows point at a parent table through this column, e.g. posts.account_id -> accounts.
    parent: tuple[str, str] | None = None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def arrow_schema(self) -> pa.Schema:
        """The table's canonical Arrow schema (what `covey world generate` writes)."""
        return pa.schema(
            [pa.field(c.name, ARROW_TYPES[c.type], nullable=not c.required) for c in self.columns]
        )

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


PLATFORMS = ("instagram", "tiktok", "youtube", "bluesky", "mastodon", "x", "other")
POST_KINDS = ("image", "video", "reel", "short", "carousel", "story", "text", "other")
AUDIENCE_RELATIONS = ("follower", "engager", "commenter", "liker")

CREATORS = Table(
    name="creators",
    doc="A person (or a small team) who may hold accounts on several platforms.",
    key=("creator_id",),
    columns=(
        Column("creator_id", "text", "Stable identifier you choose.", required=True),
        Column("name", "text", "Display name of the person."),
        Column("country", "text", "ISO 3166-1 alpha-2 country of residence, e.g. GB."),
        Column("languages", "text[]", "ISO 639-1 languages the creator publishes in."),
    ),
)

ACCOUNTS = Table(
    name="accounts",
    doc="One creator's presence on one platform.",
    key=("account_id",),
    parent=("creator_id", "creators"),
    columns=(
        Column("account_id", "text", "Stable identifier, e.g. 'instagram:1234567'.", required=True),
        Column("creator_id", "text", "The creator who holds it; defaults to the account itself."),
        Column("platform", "text", f"One of {', '.join(PLATFORMS)}.", required=True),
        Column("handle", "text", "Username on the platform, without '@'.", required=True),
        Column("display_name", "text", "Name shown on the profile."),
        Column("bio", "text", "Profile biography."),
        Column("country", "text", "ISO 3166-1 alpha-2 country the account addresses."),
        Column("language", "text", "Main ISO 639-1 language of the account."),
        Column("created_at", "date", "Date the account was opened, where known."),
        Column("external_url", "text", "Link on the profile."),
        Column("is_verified", "bool", "Platform verification badge."),
    ),
)

SNAPSHOTS = Table(
    name="account_snapshots",
    doc="Counts of an account as seen at one moment; a series over time shows growth.",
    key=("account_id", "taken_at"),
    parent=("account_id", "accounts"),
    columns=(
        Column("account_id", "text", "The account.", required=True),
        Column("taken_at", "timestamp", "When the counts were read (UTC).", required=True),
        Column("followers", "int", "Followers or subscribers.", is_count=True),
        Column("following", "int", "Accounts it follows.", is_count=True),
        Column("posts", "int", "Posts or videos published so far.", is_count=True),
    ),
)

POSTS = Table(
    name="posts",
    doc="One published post, video or reel, with its counts as last seen.",
    key=("post_id",),
    parent=("account_id", "accounts"),
    columns=(
        Column("post_id", "text", "Stable identifier, e.g. 'instagram:Cx1ab2'.", required=True),
        Column("account_id", "text", "The account that published it.", required=True),
        Column("platform_id", "text", "The platform's own id (shortcode, video id)."),
        Column("kind", "text", f"One of {', '.join(POST_KINDS)}."),
        Column("title", "text", "Title (videos)."),
        Column("caption", "text", "Caption or description text."),
        Column("hashtags", "text[]", "Hashtags without '#', lower-case; taken from the caption if absent."),
        Column("mentions", "text[]", "Mentioned handles without '@'; taken from the caption if absent."),
        Column("posted_at", "timestamp", "Publication time (UTC).", required=True),
        Column("likes", "int", "Likes or reactions.", is_count=True),
        Column("comments", "int", "Comment count as the platform reports it.", is_count=True),
        Column("views", "int", "Views or plays, where the platform counts them.", is_count=True),
        Column("shares", "int", "Shares or reposts.", is_count=True),
        Column("saves", "int", "Saves or bookmarks.", is_count=True),
        Column("sponsored", "bool", "Declared as paid partnership by the platform's own label."),
        Column("url", "text", "Permalink."),
    ),
)

COMMENTS = Table(
    name="comments",
    doc="A comment under a post; replies point at the comment they answer.",
    key=("comment_id",),
    parent=("post_id", "posts"),
    columns=(
        Column("comment_id", "text", "Stable identifier.", required=True),
        Column("post_id", "text", "The post it was written under.", required=True),
        Column("author_id", "text", "Platform id of the author.", required=True),
        Column("author_handle", "text", "Username of the author."),
        Column("text", "text", "The comment's text."),
        Column("posted_at", "timestamp", "When it was written (UTC)."),
        Column("reply_to", "text", "comment_id this one answers; empty for a top-level comment."),
        Column("by_creator", "bool", "Written by the account that published the post."),
        Column("likes", "int", "Likes on the comment.", is_count=True),
    ),
)

AUDIENCE = Table(
    name="audience_samples",
    doc="Profiles of people in an account's audience (a sample of followers, engagers...).",
    key=("account_id", "member_id", "relation"),
    parent=("account_id", "accounts"),
    columns=(
        Column("account_id", "text", "The account whose audience was sampled.", required=True),
        Column("member_id", "text", "Platform id of the audience member.", required=True),
        Column("relation", "text", f"One of {', '.join(AUDIENCE_RELATIONS)}.", required=True),
        Column("username", "text", "The member's username."),
        Column("full_name", "text", "The member's display name."),
        Column("followers", "int", "The member's own followers.", is_count=True),
        Column("following", "int", "Accounts the member follows.", is_count=True),
        Column("posts", "int", "The member's post count.", is_count=True),
        Column("has_profile_pic", "bool", "Has a profile picture (not the default)."),
        Column("is_private", "bool", "Private profile."),
        Column("bio", "text", "The member's biography."),
        Column("external_url", "text", "Link on the member's profile."),
        Column("created_at", "date", "When the member's account was opened, where known."),
        Column("sampled_at", "timestamp", "When the sample was taken (UTC)."),
    ),
)

# Parents before children: the order imports load and validate in.
TABLES: tuple[Table, ...] = (CREATORS, ACCOUNTS, SNAPSHOTS, POSTS, COMMENTS, AUDIENCE)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
