"""Tracking: imported posts matched to a campaign's deliverables, checked again once live.

A post matches when its account is booked on the campaign, it was published inside the
campaign window (plus ``GRACE_DAYS`` for late posts), and it carries a campaign marker: the
hashtag, a brand mention, the tracked link or the creator's code. Matched posts fill the
creator's deliverables in publication order. A post already matched (to this campaign or
another) is never counted twice: it is flagged instead. Late and missing deliverables, posts
without an approved draft, uses of the hashtag by accounts not booked, and live posts whose
disclosure did not survive are flags in ``campaign_flags``.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta
from typing import Any

from covey.campaigns.approval import check_caption
from covey.campaigns.campaign import Spec, creators, load_spec, log_event, tracked_link, tracking_code
from covey.errors import InputError
from covey.store import Store

log = logging.getLogger("covey.campaigns.tracking")

GRACE_DAYS = 21  # posts this long after the window still count (as late)


def _markers(spec: Spec, c: dict[str, Any], caption: str, tags: list[str], mentions: list[str]) -> list[str]:
    low = caption.lower()
    brand = spec.brand.lower().replace(" ", "")
    found = []
    if spec.hashtag and (spec.hashtag in tags or f"#{spec.hashtag}" in low):
        found.append("hashtag")
    if brand and (brand in [m.lower() for m in mentions] or f"@{brand}" in low):
        found.append("brand_mention")
    link = tracked_link(spec, c["handle"])
    if link and link.split("?")[0].lower() in low and f"utm_content={c['handle'].lower()}" in low:
        found.append("tracked_link")
    code = tracking_code(spec, c["handle"])
    if code and code.lower() in low:
        found.append("code")
    return found


def _flag(cur: Any, cid: int, post_id: str | None, account: str | None, kind: str, detail: str) -> None:
    cur.execute(
        "INSERT INTO campaign_flags VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)",
        [cid, post_id, account, kind, detail],
    )


def track(store: Store, campaign_id: int, *, actor: str, today: date | None = None) -> dict[str, Any]:
    """Match newly imported posts and refresh the flags; returns counts. Safe to run again."""
    spec = load_spec(store, campaign_id)
    today = today or datetime.now().date()
    booked = {c["account_id"]: c for c in creators(store, campaign_id)}
    start = datetime.combine(spec.starts, datetime.min.time())
    stop = datetime.combine(spec.ends + timedelta(days=GRACE_DAYS + 1), datetime.min.time())
    rows = store.query(
        "SELECT post_id, account_id, coalesce(caption, '') || ' ' || coalesce(title, ''), "
        "coalesce(hashtags, []), coalesce(mentions, []), posted_at, platform_id FROM posts "
        "WHERE posted_at >= ? AND posted_at < ? ORDER BY posted_at, post_id",
        [start, stop],
    )
    taken = {str(r[0]): int(r[1]) for r in store.query("SELECT post_id, campaign_id FROM campaign_matches")}
    new, twice, strangers = 0, 0, 0
    with store.transaction() as cur:
        cur.execute("DELETE FROM campaign_flags WHERE campaign_id = ?", [campaign_id])  # recomputed below
        for post_id, account, text, tags, mentions, posted_at, _ in rows:
            c = booked.get(account)
            if c is None:
                if spec.hashtag and (spec.hashtag in tags or f"#{spec.hashtag}" in text.lower()):
                    _flag(
                        cur,
                        campaign_id,
                        post_id,
                        account,
                        "not_booked",
                        f"{account} used #{spec.hashtag} but is not booked on the campaign",
                    )
                    strangers += 1
                continue
            how = _markers(spec, c, text, list(tags), list(mentions))
            if not how:
                continue
            if post_id in taken:
                if taken[post_id] != campaign_id:
                    _flag(
                        cur,
                        campaign_id,
                        post_id,
                        account,
                        "matched_twice",
                        f"already matched to campaign {taken[post_id]}: not counted here",
                    )
                    twice += 1
                continue
            due = cur.execute(
                "SELECT deliverable, due FROM campaign_deliverables WHERE campaign_id = ? AND account_id = ? "
                "AND post_id IS NULL ORDER BY deliverable LIMIT 1",
                [campaign_id, account],
            ).fetchone()
            flags = check_caption(
                spec, text.strip(), country=c["country"], language=c["language"], platform=c["platform"]
            )
            deliverable = int(due[0]) if due else None
            late = bool(due and posted_at.date() > due[1])
            cur.execute(
                "INSERT INTO campaign_matches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
                [
                    campaign_id,
                    post_id,
                    account,
                    deliverable,
                    ",".join(how),
                    posted_at,
                    late,
                    not flags,
                    json.dumps(flags),
                ],
            )
            if deliverable is not None:
                cur.execute(
                    "UPDATE campaign_deliverables SET post_id = ? WHERE campaign_id = ? AND account_id = ? "
                    "AND deliverable = ?",
                    [post_id, campaign_id, account, deliverable],
                )
            taken[post_id] = campaign_id
            new += 1
        _refresh_flags(cur, campaign_id, spec, today)
        log_event(cur, campaign_id, None, actor, "tracking", f"{new} new post(s) matched")
    return {
        "matched_new": new,
        "matched_twice": twice,
        "not_booked": strangers,
        **flag_counts(store, campaign_id),
    }


def _refresh_flags(cur: Any, cid: int, spec: Spec, today: date) -> None:
    """Late, missing, extra, unapproved and non-compliant flags from the stored matches."""
    for post_id, account, deliverable, late, compliant, flags, approved in cur.execute(
        """SELECT m.post_id, m.account_id, m.deliverable, m.late, m.compliant, m.flags,
                  EXISTS (SELECT 1 FROM campaign_decisions x WHERE x.campaign_id = m.campaign_id
                          AND x.account_id = m.account_id AND x.deliverable = m.deliverable
                          AND x.decision = 'approved')
           FROM campaign_matches m WHERE m.campaign_id = ? ORDER BY m.posted_at""",
        [cid],
    ).fetchall():
        if deliverable is None:
            _flag(
                cur,
                cid,
                post_id,
                account,
                "extra_post",
                "more posts than agreed: shown, not counted as a deliverable",
            )
            continue
        if late:
            _flag(cur, cid, post_id, account, "late", f"post {deliverable} went live after its due date")
        if not compliant:
            cats = sorted({f["category"] for f in json.loads(flags)})
            _flag(
                cur,
                cid,
                post_id,
                account,
                "non_compliant",
                f"post {deliverable} live with: {', '.join(cats)}",
            )
        if not approved:
            _flag(
                cur,
                cid,
                post_id,
                account,
                "live_without_approval",
                f"post {deliverable} has no approved draft",
            )
    for account, deliverable, due in cur.execute(
        """SELECT d.account_id, d.deliverable, d.due FROM campaign_deliverables d JOIN campaign_creators c
           ON c.campaign_id = d.campaign_id AND c.account_id = d.account_id AND NOT c.removed
           WHERE d.campaign_id = ? AND d.post_id IS NULL AND d.due < ?""",
        [cid, today],
    ).fetchall():
        _flag(cur, cid, None, account, "missing", f"post {deliverable} was due {due} and is not live")


def flag_counts(store: Store, campaign_id: int) -> dict[str, int]:
    """Flags of the campaign by kind."""
    rows = store.query(
        "SELECT kind, count(*) FROM campaign_flags WHERE campaign_id = ? GROUP BY 1", [campaign_id]
    )
    return {str(k): int(n) for k, n in rows}


def flags(store: Store, campaign_id: int) -> list[dict[str, Any]]:
    """Every flag with the creator's handle."""
    rows = store.query(
        """SELECT f.kind, f.post_id, f.account_id, coalesce(c.handle, f.account_id), f.detail
           FROM campaign_flags f LEFT JOIN campaign_creators c ON c.campaign_id = f.campaign_id
           AND c.account_id = f.account_id AND NOT c.removed WHERE f.campaign_id = ? ORDER BY 1, 4, 2""",
        [campaign_id],
    )
    return [dict(zip(("kind", "post_id", "account_id", "handle", "detail"), r, strict=True)) for r in rows]


def match_post(store: Store, campaign_id: int, post_id: str, deliverable: int, *, actor: str) -> None:
    """Match one post by hand to a deliverable of its creator; refused if it is matched already."""
    spec = load_spec(store, campaign_id)
    with store.transaction() as cur:
        found = cur.execute(
            "SELECT campaign_id, deliverable FROM campaign_matches WHERE post_id = ?", [post_id]
        ).fetchone()
        if found:
            raise InputError(
                f"post {post_id} is already matched to campaign {found[0]} (post {found[1]}): a post "
                "counts once; "
                "nothing was changed",
                field="post_id",
            )
        post = cur.execute(
            "SELECT account_id, coalesce(caption, ''), posted_at FROM posts WHERE post_id = ?", [post_id]
        ).fetchone()
        if post is None:
            raise InputError(f"no imported post {post_id}", field="post_id")
        c = next((x for x in creators(store, campaign_id) if x["account_id"] == post[0]), None)
        if c is None:
            raise InputError(
                f"post {post_id} is by {post[0]}, who is not booked on campaign {campaign_id}",
                field="post_id",
            )
        due = cur.execute(
            "SELECT due, post_id FROM campaign_deliverables WHERE campaign_id = ? AND account_id = ? "
            "AND deliverable = ?",
            [campaign_id, post[0], deliverable],
        ).fetchone()
        if due is None or due[1] is not None:
            raise InputError(
                f"@{c['handle']} post {deliverable} does not exist or is already filled", field="deliverable"
            )
        fl = check_caption(
            spec, post[1], country=c["country"], language=c["language"], platform=c["platform"]
        )
        cur.execute(
            "INSERT INTO campaign_matches VALUES (?, ?, ?, ?, 'manual', ?, ?, ?, ?, now()::TIMESTAMP)",
            [
                campaign_id,
                post_id,
                post[0],
                deliverable,
                post[2],
                post[2].date() > due[0],
                not fl,
                json.dumps(fl),
            ],
        )
        cur.execute(
            "UPDATE campaign_deliverables SET post_id = ? WHERE campaign_id = ? AND account_id = ? "
            "AND deliverable = ?",
            [post_id, campaign_id, post[0], deliverable],
        )
        log_event(
            cur, campaign_id, post[0], actor, "match", f"{post_id} matched by hand to post {deliverable}"
        )


def matched_posts(store: Store, campaign_id: int) -> list[dict[str, Any]]:
    """Every post matched to the campaign, with how it was matched, its flags and its caption."""
    load_spec(store, campaign_id)
    cols = (
        "post_id",
        "account_id",
        "handle",
        "deliverable",
        "due",
        "matched_by",
        "posted_at",
        "late",
        "compliant",
        "flags",
        "caption",
        "likes",
        "comments",
        "views",
    )
    rows = store.query(
        """SELECT m.post_id, m.account_id, coalesce(c.handle, m.account_id), m.deliverable, d.due,
                  m.matched_by, m.posted_at, m.late, m.compliant, m.flags, p.caption, p.likes, p.comments,
                  p.views
           FROM campaign_matches m
           LEFT JOIN campaign_creators c ON c.campaign_id = m.campaign_id AND c.account_id = m.account_id
                AND NOT c.removed
           LEFT JOIN campaign_deliverables d ON d.campaign_id = m.campaign_id
                AND d.account_id = m.account_id AND d.deliverable = m.deliverable
           LEFT JOIN posts p ON p.post_id = m.post_id
           WHERE m.campaign_id = ? ORDER BY 3, m.deliverable NULLS LAST, m.posted_at""",
        [campaign_id],
    )
    out = []
    for r in rows:
        d = dict(zip(cols, r, strict=True))
        d["flags"] = json.loads(d["flags"] or "[]")
        out.append(d)
    return out
