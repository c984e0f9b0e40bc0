"""A creator's history across campaigns: what was agreed, what went live, on time, and the notes.

Facts only, from the campaign tables: one row per campaign the creator was booked on, and
totals. ``on_time_share`` is the share of their due posts that went live by the due date; it is
None (unknown) while nothing was due, never 0.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from covey.errors import InputError
from covey.store import Store


def creator_history(store: Store, who: str, *, today: date | None = None) -> dict[str, Any]:
    """Every campaign of a creator (by handle or account id) with deliverables, fees and notes."""
    today = today or datetime.now().date()
    key = who.lstrip("@")
    found = store.query(
        "SELECT DISTINCT account_id, handle FROM campaign_creators WHERE account_id = ? OR "
        "lower(handle) = lower(?)",
        [key, key],
    )
    if not found:
        raise InputError(f"@{key} has not been booked on any campaign", field="creator")
    account, handle = str(found[0][0]), str(found[0][1])
    rows = store.query(
        """SELECT c.campaign_id, k.name, k.brand, k.starts, k.ends, c.stage, c.posts, c.fee, c.removed,
                  (SELECT count(*) FROM campaign_matches m WHERE m.campaign_id = c.campaign_id
                   AND m.account_id = c.account_id AND m.deliverable IS NOT NULL),
                  (SELECT count(*) FROM campaign_matches m WHERE m.campaign_id = c.campaign_id
                   AND m.account_id = c.account_id AND m.deliverable IS NOT NULL AND m.late),
                  (SELECT count(*) FROM campaign_deliverables d WHERE d.campaign_id = c.campaign_id
                   AND d.account_id = c.account_id AND d.due < ?),
                  (SELECT count(*) FROM campaign_matches m WHERE m.campaign_id = c.campaign_id
                   AND m.account_id = c.account_id AND NOT m.compliant),
                  (SELECT count(*) FROM campaign_matches m JOIN campaign_deliverables d
                   ON d.campaign_id = m.campaign_id AND d.account_id = m.account_id
                   AND d.deliverable = m.deliverable
                   WHERE m.campaign_id = c.campaign_id AND m.account_id = c.account_id AND d.due < ?
                       AND NOT m.late)
           FROM campaign_creators c JOIN campaign_campaigns k USING (campaign_id)
           WHERE c.account_id = ? ORDER BY k.starts, c.campaign_id""",
        [today, today, account],
    )
    keys = (
        "campaign_id",
        "name",
        "brand",
        "starts",
        "ends",
        "stage",
        "posts",
        "fee",
        "removed",
        "delivered",
        "late",
        "due",
        "non_compliant",
        "on_time",
    )
    campaigns = [dict(zip(keys, r, strict=True)) for r in rows]
    notes = store.query(
        "SELECT campaign_id, happened_at, actor, detail FROM campaign_events WHERE account_id = ? "
        "AND kind = 'note' "
        "ORDER BY event_id",
        [account],
    )
    due = sum(int(c["due"]) for c in campaigns)
    on_time = sum(int(c["on_time"]) for c in campaigns)
    return {
        "account_id": account,
        "handle": handle,
        "campaigns": campaigns,
        "notes": [{"campaign_id": n[0], "at": str(n[1]), "actor": n[2], "text": n[3]} for n in notes],
        "total": {
            "campaigns": len(campaigns),
            "posts_agreed": sum(int(c["posts"]) for c in campaigns),
            "posts_delivered": sum(int(c["delivered"]) for c in campaigns),
            "fees": sum(float(c["fee"]) for c in campaigns if c["fee"] is not None),
            "on_time_share": on_time / due if due else None,
        },
        "definition": "on_time_share: posts live by their due date / posts due before today, "
        "over every campaign",
    }
