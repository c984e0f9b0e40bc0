"""The approval tab: deliverables with their draft versions, flags and decisions; the audit trail."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from covey.web.campaign_services._lookup import require_campaign
from covey.web.deps import WorkspaceAccess


class ApprovalView(BaseModel):
    """Deliverables with their draft versions, flags and decisions; the audit trail."""

    campaign_id: int
    deliverables: list[dict[str, Any]]
    decisions: list[dict[str, Any]]


def approval(w: WorkspaceAccess, campaign_id: int) -> ApprovalView:
    """Each deliverable with its versions (newest first), their flags and decisions."""
    from covey.campaigns.approval import decisions, deliverables, drafts

    require_campaign(w, campaign_id)
    versions: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for d in drafts(w.store, campaign_id):
        versions.setdefault((d["account_id"], d["deliverable"]), []).insert(0, d)
    rows = []
    for d in deliverables(w.store, campaign_id):
        vs = versions.get((d["account_id"], d["deliverable"]), [])
        rows.append({**d, "drafts": vs, "latest": vs[0] if vs else None})
    trail = decisions(w.store, campaign_id)
    for t in trail:
        t["decided_at"] = str(t["decided_at"])
    return ApprovalView(campaign_id=campaign_id, deliverables=rows, decisions=trail)
