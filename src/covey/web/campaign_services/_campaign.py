"""The campaigns list, a new campaign from a saved plan, and a creator's record across campaigns."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from pydantic import BaseModel

from covey.planning.result import SavedPlanRow
from covey.web.deps import WorkspaceAccess


class CampaignList(BaseModel):
    """The campaigns of the workspace, and the saved plans a new one can start from."""

    campaigns: list[dict[str, Any]]
    plans: list[SavedPlanRow]


def campaigns(w: WorkspaceAccess) -> CampaignList:
    """Every campaign, newest first, and the saved plans."""
    from covey.campaigns.campaign import list_campaigns
    from covey.planning.plans import list_plans

    return CampaignList(campaigns=list_campaigns(w.store), plans=list_plans(w.store))


def create_from_plan(w: WorkspaceAccess, plan_id: int, fields: dict[str, Any]) -> int:
    """A campaign booking a saved plan's creators; returns its id."""
    from covey.campaigns.campaign import Spec, bookings_from_plan, create_campaign

    if not w.store.query("SELECT 1 FROM plans WHERE plan_id = ?", [plan_id]):
        raise HTTPException(404, "no such plan in this workspace")
    books, inputs = bookings_from_plan(w.store, plan_id)
    spec = Spec(
        name=fields["name"],
        brand=fields["brand"],
        starts=fields["starts"],
        ends=fields["ends"],
        budget=float(fields["budget"] or inputs.get("budget") or 0),
        currency=str(inputs.get("currency") or "EUR"),
        jurisdictions=tuple(_lines(fields["jurisdictions"], ",")),
        hashtag=fields["hashtag"],
        visual_identifier=fields["visual_identifier"],
        key_messages=tuple(_lines(fields["key_messages"])),
        must_say=tuple(_lines(fields["must_say"])),
        must_not_say=tuple(_lines(fields["must_not_say"])),
        utm_base=fields["utm_base"],
        code_pattern=fields["code_pattern"],
        extra={"brief": str(inputs.get("text") or "")},
    )
    return create_campaign(w.store, spec, books, actor=w.principal.user.email, plan_id=plan_id)


def _lines(text: str, sep: str = "\n") -> list[str]:
    return [x.strip() for x in text.replace("\r", "").split(sep) if x.strip()]


def history(w: WorkspaceAccess, account_id: str) -> dict[str, Any] | None:
    """A creator's campaigns and re-book score; None when never booked."""
    from covey.campaigns.history import creator_history

    if not w.store.query("SELECT 1 FROM campaign_creators WHERE account_id = ?", [account_id]):
        return None
    return creator_history(w.store, account_id)


def rebook_sentence(w: WorkspaceAccess, account_id: str) -> dict[str, Any]:
    """The creator's re-book score for their page (unknown when never booked)."""
    from covey.campaigns.history import rebook

    return rebook(w.store, [account_id])[account_id].to_json()
