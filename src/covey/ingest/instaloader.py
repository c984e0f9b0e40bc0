"""Instaloader export folders → canonical rows.

Instaloader saves, per profile folder, ``{username}_{id}.json[.xz]`` (a Profile),
``{date}_UTC.json[.xz]`` (a Post) and ``{date}_UTC_comments.json`` (a list of comments,
each with its ``answers``). Structures are ``{"node": {...}, "instaloader": {"version",
"node_type"}}``. The mapping (also in docs/data-format.md):

* account ``instagram:<owner id>``; a snapshot per profile file, taken at the file's
  modification time (when Instaloader read the counts): followers from
  ``edge_followed_by.count``, following from ``edge_follow.count``, posts from
  ``edge_owner_to_timeline_media.count`` (often missing: stays unknown);
* post ``instagram:<shortcode>``: likes ``edge_media_preview_like.count``, comments
  ``edge_media_to_comment.count``, views ``video_view_count`` (else ``video_play_count``),
  kind from ``__typename``/``product_type``; hashtags and mentions from the caption;
* comment ``instagram:<comment id>``, author ``instagram:<owner id>``; answers are replies
  (``reply_to``); ``by_creator`` when the author is the post's owner.

A file that cannot be decoded is set aside in the rejects (the rest of the folder loads).
"""

from __future__ import annotations

import json
import logging
import lzma
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from covey.ingest.rejects import Rejects
from covey.ingest.rows import Location, RawRow

log = logging.getLogger("covey.ingest.instaloader")

POST_FILE = re.compile(r"^(?P<stem>.+_UTC(?:_\d+)?)\.json(?:\.xz)?$")
COMMENTS_FILE = re.compile(r"^(?P<stem>.+_UTC(?:_\d+)?)_comments\.json$")
PROFILE_FILE = re.compile(r"^(?P<username>.+)_(?P<id>\d+)\.json(?:\.xz)?$")
_KINDS = {"GraphImage": "image", "GraphVideo": "video", "GraphSidecar": "carousel"}


def is_instaloader_file(path: Path) -> bool:
    """Whether a file name follows Instaloader's naming of metadata files."""
    name = path.name
    return bool(POST_FILE.match(name) or COMMENTS_FILE.match(name) or PROFILE_FILE.match(name))


def _load(path: Path) -> Any:
    if path.name.endswith(".xz"):
        with lzma.open(path, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _count(node: dict[str, Any], *keys: str) -> Any:
    """``node[edge]["count"]`` for the first edge present, else None."""
    for key in keys:
        edge = node.get(key)
        if isinstance(edge, dict) and "count" in edge:
            return edge["count"]
    return None


def _ig(value: Any) -> str | None:
    return f"instagram:{value}" if value is not None and value != "" else None


def _caption(node: dict[str, Any]) -> str | None:
    edges = (node.get("edge_media_to_caption") or {}).get("edges") or []
    if edges:
        text = edges[0].get("node", {}).get("text")
        return str(text) if text is not None else None
    caption = node.get("caption")
    return str(caption) if isinstance(caption, str) else None


def _kind(node: dict[str, Any]) -> str:
    if node.get("product_type") == "clips":
        return "reel"
    return _KINDS.get(str(node.get("__typename")), "video" if node.get("is_video") else "other")


def post_row(node: dict[str, Any], where: Location, owner_id: Any) -> RawRow:
    """Canonical ``posts`` row of an Instaloader Post node."""
    shortcode = node.get("shortcode") or node.get("code")
    sponsor = node.get("edge_media_to_sponsor_user")
    views = node.get("video_view_count")
    values = {
        "post_id": _ig(shortcode),
        "account_id": _ig((node.get("owner") or {}).get("id", owner_id)),
        "platform_id": shortcode,
        "kind": _kind(node),
        "title": node.get("title"),
        "caption": _caption(node),
        "posted_at": node.get("date", node.get("taken_at_timestamp")),
        "likes": _count(node, "edge_media_preview_like", "edge_liked_by"),
        "comments": _count(node, "edge_media_to_comment", "edge_media_to_parent_comment"),
        "views": views if views is not None else node.get("video_play_count"),
        "sponsored": bool(sponsor.get("edges")) if isinstance(sponsor, dict) else None,
        "url": f"https://www.instagram.com/p/{shortcode}/" if shortcode else None,
    }
    return RawRow("posts", values, where)


def profile_rows(node: dict[str, Any], where: Location, taken_at: datetime) -> list[RawRow]:
    """Canonical ``accounts`` and ``account_snapshots`` rows of an Instaloader Profile node."""
    account_id = _ig(node.get("id"))
    account = {
        "account_id": account_id,
        "platform": "instagram",
        "handle": (node.get("username") or "").lower() or None,
        "display_name": node.get("full_name"),
        "bio": node.get("biography"),
        "external_url": node.get("external_url"),
        "is_verified": node.get("is_verified"),
    }
    snapshot = {
        "account_id": account_id,
        "taken_at": taken_at,
        "followers": _count(node, "edge_followed_by"),
        "following": _count(node, "edge_follow"),
        "posts": _count(node, "edge_owner_to_timeline_media"),
    }
    return [RawRow("accounts", account, where), RawRow("account_snapshots", snapshot, where)]


def comment_rows(comments: list[Any], post_id: str, post_owner: Any, where: Location) -> Iterator[RawRow]:
    """Canonical ``comments`` rows of an Instaloader comments file, answers included."""

    def one(c: dict[str, Any], reply_to: str | None) -> RawRow:
        owner = c.get("owner") or {}
        author = owner.get("id")
        values = {
            "comment_id": _ig(c.get("id")),
            "post_id": post_id,
            "author_id": _ig(author),
            "author_handle": owner.get("username"),
            "text": c.get("text"),
            "posted_at": c.get("created_at"),
            "reply_to": reply_to,
            "by_creator": None if author is None or post_owner is None else str(author) == str(post_owner),
            "likes": c.get("likes_count"),
        }
        return RawRow("comments", values, where)

    for c in comments:
        if not isinstance(c, dict):
            continue
        yield one(c, None)
        for answer in c.get("answers") or []:
            if isinstance(answer, dict):
                yield one(answer, _ig(c.get("id")))


def _structure(path: Path, rejects: Rejects, table: str) -> dict[str, Any] | None:
    """The node of an Instaloader structure file, or None (set aside) when unreadable."""
    raw = json.dumps({"file": path.name})
    try:
        doc = _load(path)
    except (OSError, EOFError, lzma.LZMAError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        rejects.add(table, str(path), None, None, f"unreadable Instaloader file: {exc}", raw)
        return None
    meta = doc.get("instaloader") if isinstance(doc, dict) else None
    if not isinstance(meta, dict) or not isinstance(doc.get("node"), dict):
        rejects.add(table, str(path), None, None, "not an Instaloader structure (no node/instaloader)", raw)
        return None
    node: dict[str, Any] = doc["node"]
    node["__covey_node_type"] = meta.get("node_type")
    return node


def read_folder(folder: Path, rejects: Rejects) -> Iterator[RawRow]:
    """Every canonical row of an Instaloader export folder (searched recursively), parents first."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and is_instaloader_file(p))
    profiles = [p for p in files if PROFILE_FILE.match(p.name) and not POST_FILE.match(p.name)]
    posts = [p for p in files if POST_FILE.match(p.name) and not COMMENTS_FILE.match(p.name)]
    comment_files = [p for p in files if COMMENTS_FILE.match(p.name)]
    owners: dict[Path, Any] = {}  # folder -> profile id, for posts without an owner
    for path in profiles:
        node = _structure(path, rejects, "accounts")
        if node is None:
            continue
        if node.pop("__covey_node_type") != "Profile":
            continue
        owners[path.parent] = node.get("id")
        taken = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None, microsecond=0)
        yield from profile_rows(node, Location(str(path)), taken)
    post_owner: dict[tuple[Path, str], tuple[str | None, Any]] = {}
    for path in posts:
        node = _structure(path, rejects, "posts")
        if node is None or node.pop("__covey_node_type") != "Post":
            continue
        row = post_row(node, Location(str(path)), owners.get(path.parent))
        stem = POST_FILE.match(path.name)
        if stem:
            owner = (node.get("owner") or {}).get("id", owners.get(path.parent))
            post_owner[(path.parent, stem["stem"])] = (row.values["post_id"], owner)
        yield row
    for path in comment_files:
        stem = COMMENTS_FILE.match(path.name)
        post_id, owner = post_owner.get((path.parent, stem["stem"] if stem else ""), (None, None))
        raw = json.dumps({"file": path.name})
        if post_id is None:
            rejects.add("comments", str(path), None, "post_id", "no post file for these comments", raw)
            continue
        try:
            comments = _load(path)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            rejects.add("comments", str(path), None, None, f"unreadable comments file: {exc}", raw)
            continue
        if not isinstance(comments, list):
            rejects.add("comments", str(path), None, None, "a comments file must hold a JSON list", raw)
            continue
        yield from comment_rows(comments, post_id, owner, Location(str(path)))
