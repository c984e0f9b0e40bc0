"""The campaign page: its outreach pipeline (stage per creator), events, notes, fees and deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from covey.web.campaign_services._lookup import require_campaign
from covey.web.deps import WorkspaceAccess


class CreatorRow(BaseModel):
    """One booked creator on the pipeline."""

    account_id: str
    handle: str
    platform: str
    country: str | None
    language: str | None
    stage: str
    allowed: list[str]
    posts: int
    fee: float | None
    card_price: float | None
    card_total: float | None
    fee_vs_card: float | None  # (fee - card price x posts) / (card price x posts)
    contact: str
    notes: list[dict[str, Any]]
    next_due: date | None
    rebook: dict[str, Any]


class CampaignView(BaseModel):
    """A campaign with its outreach pipeline, events, notes, fees and deadlines."""

    campaign: dict[str, Any]
    stages: list[str]
    stage_counts: dict[str, int]
    creators: list[CreatorRow]
    events: list[dict[str, Any]]
    due: list[dict[str, Any]]
    definitions: dict[str, str]


def campaign(w: WorkspaceAccess, campaign_id: int, *, today: date | None = None) -> CampaignView:
    """The campaign page: pipeline, allowed changes, notes, fees against the card, deadlines."""
    from covey.campaigns.campaign import campaign_row, creators
    from covey.campaigns.history import rebook
    from covey.campaigns.pipeline import events, tasks_due, workspace_workflow

    require_campaign(w, campaign_id)
    wf = workspace_workflow(w.store)
    row = campaign_row(w.store, campaign_id)
    trail = events(w.store, campaign_id)
    cs = creators(w.store, campaign_id)
    scores = rebook(w.store, [c["account_id"] for c in cs], today=today)
    due_by = date.fromisoformat(row["ends"])
    deadlines = tasks_due(w.store, campaign_id, due_by)
    rows = []
    for c in cs:
        card = c["card_price"] * c["posts"] if c["card_price"] is not None else None
        mine = [d["due"] for d in deadlines if d["handle"] == c["handle"]]
        rows.append(
            CreatorRow(
                account_id=c["account_id"],
                handle=c["handle"],
                platform=c["platform"],
                country=c["country"],
                language=c["language"],
                stage=c["stage"],
                allowed=list(wf.allowed(c["stage"])),
                posts=c["posts"],
                fee=c["fee"],
                card_price=c["card_price"],
                card_total=card,
                fee_vs_card=(c["fee"] - card) / card if c["fee"] is not None and card else None,
                contact=c["contact"] or "",
                notes=[
                    {"at": str(e["happened_at"]), "actor": e["actor"], "text": e["detail"]}
                    for e in trail
                    if e["kind"] == "note" and e["account_id"] == c["account_id"]
                ],
                next_due=min(mine) if mine else None,
                rebook=scores[c["account_id"]].to_json(),
            )
        )
    handles = {c["account_id"]: c["handle"] for c in creators(w.store, campaign_id, removed=True)}
    for e in trail:
        e["handle"] = handles.get(e["account_id"]) if e["account_id"] else None
        e["happened_at"] = str(e["happened_at"])
    counts = {s: sum(1 for r in rows if r.stage == s) for s in wf.stages}
    return CampaignView(
        campaign=row,
        stages=list(wf.stages),
        stage_counts=counts,
        creators=rows,
        events=list(reversed(trail)),
        due=deadlines,
        definitions={
            "fee against card": "(agreed fee - rate card price x posts) / (rate card price x posts); "
            "positive = above the card",
            "deadlines": "open tasks and posts without an approved version, due by the campaign's end",
            "workflow": wf.source,
        },
    )
