"""The tracking tab: matched posts (with the insights creators sent) and every flag, with its meaning."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from covey.web.campaign_services._lookup import require_campaign
from covey.web.deps import WorkspaceAccess


class TrackingView(BaseModel):
    """Matched posts and every flag (late, missing, non-compliant ...)."""

    campaign_id: int
    matched: list[dict[str, Any]]
    flags: list[dict[str, Any]]
    flag_counts: dict[str, int]
    definitions: dict[str, str]


FLAG_MEANINGS = {
    "late": "published after the deliverable's due date",
    "missing": "due before today and not found",
    "non_compliant": "live post checked again: the disclosure (or a must-say) did not survive",
    "live_without_approval": "live, but no approved draft for that deliverable",
    "matched_twice": "the post is already counted by another campaign: flagged here, not counted twice",
    "extra_post": "more posts than agreed: shown, not counted as a deliverable",
    "not_booked": "an account not booked on the campaign used its hashtag",
}


def tracking(w: WorkspaceAccess, campaign_id: int) -> TrackingView:
    """Matched posts and the campaign's flags."""
    from covey.campaigns.insights import latest_insights
    from covey.campaigns.tracking import flag_counts, flags, matched_posts

    require_campaign(w, campaign_id)
    told = latest_insights(w.store, campaign_id)
    matched = matched_posts(w.store, campaign_id)
    for m in matched:
        m["insights"] = told.get(m["post_id"])
    return TrackingView(
        campaign_id=campaign_id,
        matched=matched,
        flags=flags(w.store, campaign_id),
        flag_counts=flag_counts(w.store, campaign_id),
        definitions=FLAG_MEANINGS,
    )
