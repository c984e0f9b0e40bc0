"""Creator-reported post insights: reach, impressions and views from the creators' own statistics.

Platforms publish no reach for someone else's post, and Instagram publishes no views either;
agencies ask the creators for their post insights (screenshots or exports of Instagram or
TikTok insights) and type or export them into a CSV, one row per post:

- which post: ``post`` (its URL, Covey post id ``platform:id``, or the platform's id; also
  accepted as ``post_id``, ``post_url`` or ``url``), or ``handle`` and ``post_number`` (the
  creator's agreed post 1, 2, ...); with both, they must agree;
- ``reach`` (unique accounts the post reached), ``impressions`` (times it was shown),
  ``views``: whole numbers as the insights show them, each optional but at least one per row.

The file is read and checked as a whole before anything is stored: a bad row stops the import
with its file, line and field, and what was imported before stays as it was. Importing the same
file again replaces its own earlier rows (idempotent); another file about the same post is kept
too, and the report uses the newest import of each post. Every import is an event in the audit
trail.
"""

from __future__ import annotations

import csv
import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from covey.campaigns.campaign import load_spec, log_event
from covey.errors import InputError
from covey.ingest.numbers import NumberError, parse_count
from covey.store import Store

log = logging.getLogger("covey.campaigns.insights")

POST_COLUMNS = ("post", "post_id", "post_url", "url")
FIGURES = ("reach", "impressions", "views")
_SHARE_PARAMS = ("igsh", "igshid", "si")
_ROUNDED = re.compile(r"^\d+(\.\d+)?\s*[kKmM]$")


def _whole(raw: str | None, path: Path, line: int, field: str) -> int | None:
    """A whole number as insights show it (thousands separators allowed); empty or n/a is None."""
    text = (raw or "").strip()
    if text == "":
        return None
    if _ROUNDED.match(text):
        raise InputError(
            f"{text!r} is rounded; give the exact number from the insights export or the full screenshot",
            path=path,
            line=line,
            field=field,
        )
    try:
        value = parse_count(text)  # thousands separators as people write them (covey.ingest.numbers)
    except NumberError:
        raise InputError(f"{text!r} is not a whole number", path=path, line=line, field=field) from None
    if value is None:
        return None
    if value < 0:
        raise InputError(f"{text} is negative", path=path, line=line, field=field)
    return value


def _delivered(store: Store, campaign_id: int) -> list[tuple[str, str, str, int, str | None, str | None]]:
    """(post_id, account_id, handle, deliverable, url, platform_id) of each delivered post."""
    rows = store.query(
        """SELECT m.post_id, m.account_id, coalesce(c.handle, m.account_id), m.deliverable, p.url,
                  p.platform_id
           FROM campaign_matches m
           LEFT JOIN campaign_creators c ON c.campaign_id = m.campaign_id AND c.account_id = m.account_id
           LEFT JOIN posts p ON p.post_id = m.post_id
           WHERE m.campaign_id = ? AND m.deliverable IS NOT NULL""",
        [campaign_id],
    )
    return [(str(a), str(b), str(h), int(d), u, p) for a, b, h, d, u, p in rows]


def _norm_url(url: str) -> str:
    """A post URL without scheme, 'www.', fragment, trailing slash and share-tracking parameters
    (utm_*, igsh, igshid, si), so a link copied from the app finds the imported post."""
    parts = urlsplit(url.strip().lower())
    query = [(k, v) for k, v in parse_qsl(parts.query) if not k.startswith("utm_") and k not in _SHARE_PARAMS]
    host = parts.netloc.removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" + (f"?{urlencode(query)}" if query else "")


def read_insights(store: Store, campaign_id: int, path: Path) -> list[dict[str, Any]]:
    """Parse and check the file against the campaign's delivered posts; nothing is stored."""
    load_spec(store, campaign_id)
    posts = _delivered(store, campaign_id)
    by_ref: dict[str, tuple[str, str, int]] = {}
    by_number: dict[tuple[str, int], str] = {}
    for pid, account, handle, deliverable, url, platform_id in posts:
        for ref in (pid.lower(), _norm_url(url) if url else "", (platform_id or "").lower()):
            if ref:
                by_ref[ref] = (pid, account, deliverable)
        by_number[(handle.lower().lstrip("@"), deliverable)] = pid
    info = {pid: (account, handle, deliverable) for pid, account, handle, deliverable, _, _ in posts}
    if not path.exists():
        raise InputError("no such file", path=path)
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = [h.strip().lower() for h in reader.fieldnames or []]
            post_col = next((k for k in POST_COLUMNS if k in header), None)
            by_hand = "handle" in header and "post_number" in header
            if post_col is None and not by_hand:
                raise InputError(
                    "needs a 'post' column (URL or post id), or 'handle' and 'post_number'",
                    path=path,
                    line=1,
                    field="header",
                )
            if not any(k in header for k in FIGURES):
                raise InputError(
                    "needs at least one of the columns 'reach', 'impressions', 'views'",
                    path=path,
                    line=1,
                    field="header",
                )
            for i, raw in enumerate(reader, start=2):
                if None in raw:
                    raise InputError("more fields than the header has", path=path, line=i, field="row")
                row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
                if not any(row.values()):
                    continue  # a blank line between rows
                pid = _which_post(row, post_col, by_hand, by_ref, by_number, campaign_id, path, i)
                if pid in seen:
                    raise InputError(
                        f"post {pid} is already given on line {seen[pid]}", path=path, line=i, field=post_col
                    )
                seen[pid] = i
                given = row.get("handle", "").lower().lstrip("@")
                if given and given != info[pid][1].lower():
                    raise InputError(
                        f"post {pid} is @{info[pid][1]}'s, not @{given}'s", path=path, line=i, field="handle"
                    )
                got = {k: _whole(row.get(k), path, i, k) for k in FIGURES}
                if all(v is None for v in got.values()):
                    raise InputError(
                        "no figure: give reach, impressions or views", path=path, line=i, field="reach"
                    )
                if (
                    got["reach"] is not None
                    and got["impressions"] is not None
                    and got["reach"] > got["impressions"]
                ):
                    raise InputError(
                        f"reach {got['reach']:,} is more than impressions {got['impressions']:,} "
                        "(reach counts accounts once, impressions every showing)",
                        path=path,
                        line=i,
                        field="reach",
                    )
                account, handle, deliverable = info[pid]
                out.append(
                    {"line": i, "post_id": pid, "account_id": account, "handle": handle,
                     "deliverable": deliverable, **got}
                )  # fmt: skip
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=path) from exc
    if not out:
        raise InputError("no rows: nothing to import", path=path, line=2)
    return out


def _which_post(
    row: dict[str, str],
    post_col: str | None,
    by_hand: bool,
    by_ref: dict[str, tuple[str, str, int]],
    by_number: dict[tuple[str, int], str],
    campaign_id: int,
    path: Path,
    line: int,
) -> str:
    """The delivered post a row is about, by its reference or by handle and post number."""
    pid: str | None = None
    ref = row.get(post_col or "", "") if post_col else ""
    if ref:
        hit = by_ref.get(ref.lower()) or by_ref.get(_norm_url(ref))
        if hit is None:
            raise InputError(
                f"{ref!r} is not a delivered post of campaign {campaign_id} (import the posts and run "
                "'covey campaign track' first, or match it with 'covey campaign match')",
                path=path,
                line=line,
                field=post_col,
            )
        pid = hit[0]
    if by_hand and row.get("post_number"):
        handle = row.get("handle", "").lower().lstrip("@")
        try:
            number = int(row.get("post_number", ""))
        except ValueError:
            raise InputError(
                f"{row.get('post_number')!r} is not a post number (1, 2, ...)", path=path, line=line,
                field="post_number",
            ) from None  # fmt: skip
        other = by_number.get((handle, number))
        if other is None:
            raise InputError(
                f"@{handle} has no delivered post {number} on campaign {campaign_id}",
                path=path,
                line=line,
                field="post_number",
            )
        if pid is not None and other != pid:
            raise InputError(
                f"{ref!r} is not @{handle}'s post {number} ({other})",
                path=path,
                line=line,
                field="post_number",
            )
        pid = other
    if pid is None:
        raise InputError("which post? give the post or handle and post_number", path=path, line=line,
                         field=post_col or "post_number")  # fmt: skip
    return pid


def import_insights(store: Store, campaign_id: int, path: Path, *, actor: str) -> dict[str, Any]:
    """Store the file's rows (replacing an earlier import of the same file); all or nothing."""
    rows = read_insights(store, campaign_id, path)
    with store.transaction() as cur:
        cur.execute(
            "DELETE FROM campaign_insights WHERE campaign_id = ? AND source = ?", [campaign_id, str(path)]
        )
        cur.executemany(
            "INSERT INTO campaign_insights VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, ?)",
            [
                [campaign_id, str(path), r["line"], r["post_id"], r["account_id"], r["deliverable"],
                 r["reach"], r["impressions"], r["views"], actor]
                for r in rows
            ],
        )  # fmt: skip
        with_reach = sum(1 for r in rows if r["reach"] is not None)
        log_event(
            cur,
            campaign_id,
            None,
            actor,
            "insights",
            f"{len(rows)} post(s) from {path.name}, {with_reach} with reach, of "
            f"{len({r['account_id'] for r in rows})} creator(s)",
        )
    return {
        "rows": len(rows),
        "with_reach": sum(1 for r in rows if r["reach"] is not None),
        "creators": len({r["account_id"] for r in rows}),
    }


def latest_insights(store: Store, campaign_id: int) -> dict[str, dict[str, Any]]:
    """Per delivered post, its newest imported insights (reach, impressions, views, source)."""
    rows = store.query(
        """SELECT post_id, account_id, reach, impressions, views, source, imported_at FROM campaign_insights
           WHERE campaign_id = ? ORDER BY imported_at, source, line""",
        [campaign_id],
    )
    out: dict[str, dict[str, Any]] = {}
    for pid, account, reach, impressions, views, source, _ in rows:  # later rows win
        out[str(pid)] = {
            "account_id": str(account),
            "reach": None if reach is None else int(reach),
            "impressions": None if impressions is None else int(impressions),
            "views": None if views is None else int(views),
            "source": str(source),
        }
    return out
