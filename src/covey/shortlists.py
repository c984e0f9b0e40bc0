"""Shortlists: a workspace's named lists of creators, kept in its Covey database.

A marketer gathers candidates while browsing (creators, discover, a creator's page), looks at
the list, removes some and exports it as CSV for a colleague or a spreadsheet. Lists hold
accounts of this workspace only; the same account is on a list at most once.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from datetime import datetime

from covey.errors import InputError
from covey.scores.read import component_scores
from covey.store import Store
from covey.tiers import DEFAULT_TIERS

log = logging.getLogger("covey.shortlists")

MAX_NAME = 80


@dataclass(frozen=True)
class Shortlist:
    """One list and how many creators it holds."""

    shortlist_id: int
    name: str
    created_at: datetime | None
    created_by: str | None
    size: int


@dataclass(frozen=True)
class ShortlistItem:
    """A creator on a list, with what the list's reader needs to judge them; None is unknown."""

    account_id: str
    handle: str
    platform: str
    country: str | None
    followers: int | None
    tier: str | None
    overall: float | None
    added_at: datetime | None
    added_by: str | None


EXPORT_COLUMNS = ("account_id", "handle", "platform", "country", "followers", "tier", "overall", "added_at")


def create(store: Store, name: str, by: str | None = None) -> Shortlist:
    """A new empty list called ``name`` (unique in the workspace, ignoring case)."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise InputError(f"a shortlist needs a name of 1 to {MAX_NAME} characters", field="name")
    with store.transaction() as cur:
        taken = cur.execute("SELECT 1 FROM shortlists WHERE lower(name) = lower(?)", [name]).fetchone()
        if taken:
            raise InputError(f"a shortlist called {name!r} exists already", field="name")
        row = cur.execute("SELECT coalesce(max(shortlist_id), 0) + 1 FROM shortlists").fetchone()
        sid = int(row[0]) if row else 1
        cur.execute(
            "INSERT INTO shortlists VALUES (?, ?, now()::TIMESTAMP, ?)",
            [sid, name, by],
        )
    log.info("shortlist %d %r created", sid, name)
    return get(store, sid)  # type: ignore[return-value]


def all_lists(store: Store) -> list[Shortlist]:
    """Every list of the workspace, newest first."""
    rows = store.query(
        "SELECT s.shortlist_id, s.name, s.created_at, s.created_by, count(i.account_id) "
        "FROM shortlists s LEFT JOIN shortlist_items i USING (shortlist_id) "
        "GROUP BY ALL ORDER BY s.shortlist_id DESC"
    )
    return [Shortlist(int(r[0]), str(r[1]), r[2], r[3], int(r[4])) for r in rows]


def get(store: Store, shortlist_id: int) -> Shortlist | None:
    """The list ``shortlist_id``, None when this workspace has none such."""
    return next((s for s in all_lists(store) if s.shortlist_id == shortlist_id), None)


def _require(store: Store, shortlist_id: int) -> Shortlist:
    found = get(store, shortlist_id)
    if found is None:
        raise InputError(f"no shortlist {shortlist_id} in this workspace", field="shortlist")
    return found


def add(store: Store, shortlist_id: int, account_ids: list[str], by: str | None = None) -> int:
    """Put accounts of this workspace on the list; returns how many were new to it.

    An id this workspace does not hold is refused (naming it); one already listed is kept once.
    """
    _require(store, shortlist_id)
    wanted = list(dict.fromkeys(a.strip() for a in account_ids if a.strip()))
    if not wanted:
        raise InputError("no creator to add", field="account_id")
    with store.transaction() as cur:
        known = {
            str(r[0])
            for r in cur.execute(
                "SELECT account_id FROM accounts WHERE account_id IN (SELECT unnest(?::VARCHAR[]))", [wanted]
            ).fetchall()
        }
        missing = [a for a in wanted if a not in known]
        if missing:
            raise InputError(f"no creator {missing[0]!r} in this workspace", field="account_id")
        listed = {
            str(r[0])
            for r in cur.execute(
                "SELECT account_id FROM shortlist_items WHERE shortlist_id = ?", [shortlist_id]
            ).fetchall()
        }
        new = [a for a in wanted if a not in listed]
        if new:
            cur.executemany(
                "INSERT INTO shortlist_items VALUES (?, ?, now()::TIMESTAMP, ?)",
                [[shortlist_id, a, by] for a in new],
            )
    return len(new)


def remove(store: Store, shortlist_id: int, account_id: str) -> bool:
    """Take an account off the list; False when it was not on it."""
    _require(store, shortlist_id)
    with store.transaction() as cur:
        hit = cur.execute(
            "SELECT count(*) FROM shortlist_items WHERE shortlist_id = ? AND account_id = ?",
            [shortlist_id, account_id],
        ).fetchone()
        cur.execute(
            "DELETE FROM shortlist_items WHERE shortlist_id = ? AND account_id = ?",
            [shortlist_id, account_id],
        )
    return bool(hit and hit[0])


def delete(store: Store, shortlist_id: int) -> None:
    """Delete the list and its items (the creators themselves stay)."""
    _require(store, shortlist_id)
    with store.transaction() as cur:
        cur.execute("DELETE FROM shortlist_items WHERE shortlist_id = ?", [shortlist_id])
        cur.execute("DELETE FROM shortlists WHERE shortlist_id = ?", [shortlist_id])


def items(store: Store, shortlist_id: int) -> list[ShortlistItem]:
    """The list's creators in the order they were added (those added together by id), with
    followers and overall score (latest snapshot and latest scoring run; None when unknown)."""
    _require(store, shortlist_id)
    ids = [
        r[0]
        for r in store.query("SELECT account_id FROM shortlist_items WHERE shortlist_id = ?", [shortlist_id])
    ]
    overall = component_scores(store, ["overall"], account_ids=ids)  # the latest run's
    found = store.sql(
        """WITH snap AS (SELECT account_id, arg_max(followers, taken_at) AS followers
                         FROM account_snapshots
                         WHERE account_id IN (SELECT account_id FROM shortlist_items WHERE shortlist_id = ?)
                         GROUP BY account_id)
           SELECT i.account_id, a.handle, a.platform, a.country, s.followers, sc.overall,
                  i.added_at, i.added_by
           FROM shortlist_items i JOIN accounts a USING (account_id)
           LEFT JOIN snap s USING (account_id)
           LEFT JOIN overall sc ON sc.account_id = i.account_id
           WHERE i.shortlist_id = ?
           ORDER BY i.added_at, i.account_id""",
        [shortlist_id, shortlist_id],
        overall=overall,
    )
    rows = [tuple(r.values()) for r in found.to_pylist()]
    return [
        ShortlistItem(
            account_id=r[0],
            handle=r[1],
            platform=r[2],
            country=r[3],
            followers=r[4],
            tier=DEFAULT_TIERS.of(r[4]),
            overall=r[5] if r[5] is None or r[5] == r[5] else None,  # NaN is unknown
            added_at=r[6],
            added_by=r[7],
        )
        for r in rows
    ]


def export_csv(store: Store, shortlist_id: int) -> str:
    """The list as CSV (a header, one creator per row; an unknown value is an empty cell).

    Cells that a spreadsheet would run as a formula (=, +, -, @ first) are quoted with a
    leading apostrophe: handles are written by creators, who may be hostile.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for it in items(store, shortlist_id):
        writer.writerow([_cell(getattr(it, c)) for c in EXPORT_COLUMNS])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat(sep=" ") if isinstance(value, datetime) else str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
