"""The one lookup every campaign page makes first: is this campaign in the workspace?"""

from __future__ import annotations

from fastapi import HTTPException

from covey.web.deps import WorkspaceAccess


def require_campaign(w: WorkspaceAccess, campaign_id: int) -> None:
    """404 unless this workspace holds the campaign."""
    if not w.store.query("SELECT 1 FROM campaign_campaigns WHERE campaign_id = ?", [campaign_id]):
        raise HTTPException(404, "no such campaign in this workspace")
