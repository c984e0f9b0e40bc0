"""Content approval: drafts per deliverable, each version immutable and checked before a decision.

A draft version is never changed: a fix is a new version. Each version is checked by the
compliance checker (``covey.compliance.check``) for the creator's audience country and
language, plus the campaign's own must-say / must-not-say and hashtag. A version with flags
cannot be approved; it is sent back with comments. Decisions are rows of their own (who, when,
what, why), so the audit trail is complete.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from covey.campaigns.campaign import Spec, load_spec, log_event
from covey.campaigns.pipeline import _account, unapproved_deliverables, workspace_workflow
from covey.compliance import Draft, check
from covey.errors import InputError
from covey.store import Store

log = logging.getLogger("covey.campaigns.approval")

DECISIONS = ("approved", "changes_requested")


def campaign_flags(spec: Spec, caption: str) -> list[dict[str, Any]]:
    """The campaign's own checks: hashtag present, must-say present, must-not-say absent."""
    low = caption.lower()
    out: list[dict[str, Any]] = []
    if spec.hashtag and f"#{spec.hashtag}" not in low:
        out.append(
            {
                "category": "campaign_hashtag_missing",
                "rule": "campaign.hashtag",
                "severity": "medium",
                "message": f"the campaign hashtag #{spec.hashtag} is missing",
                "fix": f"add #{spec.hashtag}",
            }
        )
    for m in spec.must_say:
        if m.lower() not in low:
            out.append(
                {
                    "category": "must_say_missing",
                    "rule": "campaign.must_say",
                    "severity": "medium",
                    "message": f"must say: {m!r}",
                    "fix": f"include {m!r}",
                }
            )
    for m in spec.must_not_say:
        if m.lower() in low:
            out.append(
                {
                    "category": "must_not_say",
                    "rule": "campaign.must_not_say",
                    "span": {"text": caption[low.index(m.lower()) : low.index(m.lower()) + len(m)]},
                    "severity": "high",
                    "message": f"must not say: {m!r}",
                    "fix": f"remove {m!r}",
                }
            )
    return out


def check_caption(
    spec: Spec,
    caption: str,
    *,
    country: str | None,
    language: str | None,
    platform: str,
    paid: bool | None = True,
) -> list[dict[str, Any]]:
    """Every flag on a caption: the compliance checker's and the campaign's own."""
    where = country or (spec.jurisdictions[0] if spec.jurisdictions else "GB")
    res = check(
        Draft(
            caption,
            country=where,
            platform=platform,
            language=language,
            paid=paid,
            brand=spec.brand,
            product_kind=spec.product_kind,
        )
    )
    return [f.to_json() for f in res.flags] + campaign_flags(spec, caption)


def submit(
    store: Store,
    campaign_id: int,
    who: str,
    deliverable: int,
    caption: str,
    *,
    actor: str,
    media_ref: str = "",
) -> dict[str, Any]:
    """Store a new draft version for a deliverable, checked; returns version, flags, compliant."""
    spec = load_spec(store, campaign_id)
    if not caption.strip():
        raise InputError("the draft's caption is empty", field="caption")
    with store.transaction() as cur:
        account, handle, stage = _account(cur, campaign_id, who)
        c = cur.execute(
            "SELECT country, language, platform FROM campaign_creators WHERE campaign_id = ? AND "
            "account_id = ? "
            "AND NOT removed",
            [campaign_id, account],
        ).fetchone()
        known = cur.execute(
            "SELECT count(*) FROM campaign_deliverables WHERE campaign_id = ? AND account_id = ? AND "
            "deliverable = ?",
            [campaign_id, account, deliverable],
        ).fetchone()
        if not known or not known[0]:
            raise InputError(
                f"@{handle} has no deliverable {deliverable} on campaign {campaign_id}", field="deliverable"
            )
        assert c is not None  # _account found the row
        flags = check_caption(spec, caption, country=c[0], language=c[1], platform=c[2])
        row = cur.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM campaign_drafts WHERE campaign_id = ? AND "
            "account_id = ? "
            "AND deliverable = ?",
            [campaign_id, account, deliverable],
        ).fetchone()
        version = int(row[0]) if row else 1
        cur.execute(
            "INSERT INTO campaign_drafts VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?)",
            [
                campaign_id,
                account,
                deliverable,
                version,
                actor,
                caption,
                media_ref,
                json.dumps(flags),
                not flags,
            ],
        )
        log_event(
            cur,
            campaign_id,
            account,
            actor,
            "draft",
            f"post {deliverable} version {version}: {len(flags)} flag(s)",
        )
        wf = workspace_workflow(store)
        if stage == "contracted" and "content_submitted" in wf.allowed(stage):
            cur.execute(
                "UPDATE campaign_creators SET stage = 'content_submitted' WHERE campaign_id = ? "
                "AND account_id = ? AND NOT removed",
                [campaign_id, account],
            )
            log_event(
                cur, campaign_id, account, actor, "stage", "draft submitted", stage, "content_submitted"
            )
    return {
        "handle": handle,
        "deliverable": deliverable,
        "version": version,
        "flags": flags,
        "compliant": not flags,
    }


def decide(
    store: Store,
    campaign_id: int,
    who: str,
    deliverable: int,
    version: int,
    decision: str,
    *,
    actor: str,
    comment: str = "",
) -> dict[str, Any]:
    """Approve a version or send it back with comments; a flagged version cannot be approved."""
    if decision not in DECISIONS:
        raise InputError(f"decision must be one of {', '.join(DECISIONS)}", field="decision")
    if decision == "changes_requested" and not comment.strip():
        raise InputError(
            "say what to change: a comment is required when sending a draft back", field="comment"
        )
    with store.transaction() as cur:
        account, handle, stage = _account(cur, campaign_id, who)
        row = cur.execute(
            "SELECT flags, compliant FROM campaign_drafts WHERE campaign_id = ? AND account_id = ? "
            "AND deliverable = ? AND version = ?",
            [campaign_id, account, deliverable, version],
        ).fetchone()
        if row is None:
            raise InputError(f"@{handle} post {deliverable} has no version {version}", field="version")
        if decision == "approved" and not row[1]:
            cats = ", ".join(sorted({f["category"] for f in json.loads(row[0])}))
            raise InputError(
                f"@{handle} post {deliverable} version {version} has flags ({cats}): send it back "
                "with comments "
                "and approve a fixed version",
                field="decision",
            )
        cur.execute(
            "INSERT INTO campaign_decisions VALUES (?, ?, ?, ?, ?, ?, now()::TIMESTAMP, ?)",
            [campaign_id, account, deliverable, version, decision, actor, comment],
        )
        log_event(
            cur,
            campaign_id,
            account,
            actor,
            "decision",
            f"post {deliverable} v{version} {decision}: {comment}",
        )
        # Every deliverable approved: the creator moves to 'approved' where the workflow allows it.
        wf = workspace_workflow(store)
        if not unapproved_deliverables(cur, campaign_id, account) and "approved" in wf.allowed(stage):
            cur.execute(
                "UPDATE campaign_creators SET stage = 'approved' WHERE campaign_id = ? AND account_id = ? "
                "AND NOT removed",
                [campaign_id, account],
            )
            log_event(cur, campaign_id, account, actor, "stage", "every post approved", stage, "approved")
    return {"handle": handle, "deliverable": deliverable, "version": version, "decision": decision}


def drafts(store: Store, campaign_id: int) -> list[dict[str, Any]]:
    """Every draft version with its flags and the decisions on it, oldest first."""
    rows = store.query(
        """SELECT d.account_id, c.handle, d.deliverable, d.version, d.submitted_at, d.actor, d.caption,
            d.media_ref,
                  d.flags, d.compliant,
                  (SELECT string_agg(x.decision || ' by ' || x.actor, '; ') FROM campaign_decisions x
                   WHERE x.campaign_id = d.campaign_id AND x.account_id = d.account_id
                   AND x.deliverable = d.deliverable AND x.version = d.version)
           FROM campaign_drafts d JOIN campaign_creators c ON c.campaign_id = d.campaign_id
                AND c.account_id = d.account_id AND NOT c.removed
           WHERE d.campaign_id = ? ORDER BY c.handle, d.deliverable, d.version""",
        [campaign_id],
    )
    keys = (
        "account_id",
        "handle",
        "deliverable",
        "version",
        "submitted_at",
        "actor",
        "caption",
        "media_ref",
        "flags",
        "compliant",
        "decisions",
    )
    out = []
    for r in rows:
        d = dict(zip(keys, r, strict=True))
        d["flags"] = json.loads(d["flags"])
        d["submitted_at"] = str(d["submitted_at"])
        out.append(d)
    return out


def deliverables(store: Store, campaign_id: int) -> list[dict[str, Any]]:
    """Every deliverable of the campaign's creators: due date, latest version, approved version."""
    load_spec(store, campaign_id)
    cols = ("account_id", "handle", "stage", "deliverable", "due", "post_id", "versions", "approved_version")
    rows = store.query(
        """SELECT d.account_id, c.handle, c.stage, d.deliverable, d.due, d.post_id,
                  (SELECT count(*) FROM campaign_drafts x WHERE x.campaign_id = d.campaign_id
                   AND x.account_id = d.account_id AND x.deliverable = d.deliverable),
                  (SELECT max(x.version) FROM campaign_decisions x WHERE x.campaign_id = d.campaign_id
                   AND x.account_id = d.account_id AND x.deliverable = d.deliverable
                   AND x.decision = 'approved')
           FROM campaign_deliverables d JOIN campaign_creators c ON c.campaign_id = d.campaign_id
                AND c.account_id = d.account_id AND NOT c.removed
           WHERE d.campaign_id = ? ORDER BY c.handle, d.deliverable""",
        [campaign_id],
    )
    return [dict(zip(cols, r, strict=True)) for r in rows]


def decisions(store: Store, campaign_id: int) -> list[dict[str, Any]]:
    """Every decision on a draft (who, when, which version, why), oldest first."""
    cols = ("handle", "deliverable", "version", "decision", "actor", "decided_at", "comment")
    rows = store.query(
        """SELECT coalesce(c.handle, x.account_id), x.deliverable, x.version, x.decision, x.actor,
                  x.decided_at, x.comment
           FROM campaign_decisions x LEFT JOIN campaign_creators c ON c.campaign_id = x.campaign_id
                AND c.account_id = x.account_id AND NOT c.removed
           WHERE x.campaign_id = ? ORDER BY x.decided_at, x.deliverable, x.version""",
        [campaign_id],
    )
    return [dict(zip(cols, r, strict=True)) for r in rows]
