"""The outreach tab: first-contact messages drafted for creators at the first stage, as a page,
one CSV, or one .eml per creator (nothing is sent from the web)."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from pydantic import BaseModel

from covey.web.campaign_services._lookup import require_campaign
from covey.web.deps import WorkspaceAccess


class OutreachView(BaseModel):
    """First-contact messages for the creators still at the first stage."""

    campaign_id: int
    sender: str
    messages: list[dict[str, Any]]


def outreach(w: WorkspaceAccess, campaign_id: int, sender: str) -> OutreachView:
    """Drafted first-contact messages (nothing is sent from the web)."""
    from covey.campaigns.outreach import draft_messages

    require_campaign(w, campaign_id)
    msgs = draft_messages(w.store, campaign_id, sender=sender)
    return OutreachView(
        campaign_id=campaign_id,
        sender=sender,
        messages=[
            {"account_id": m.account_id, "handle": m.handle, "to": m.to, "subject": m.subject, "body": m.body}
            for m in msgs
        ],
    )


def outreach_csv(w: WorkspaceAccess, campaign_id: int, sender: str) -> str:
    """The drafted messages as one CSV (a formula-like cell is quoted for spreadsheets)."""
    import csv
    import io

    view = outreach(w, campaign_id, sender)
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["account_id", "handle", "to", "subject", "body"])
    for m in view.messages:
        out.writerow([_cell(m[k]) for k in ("account_id", "handle", "to", "subject", "body")])
    return buf.getvalue()


def _cell(v: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet: prefix a quote.
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


def outreach_eml(w: WorkspaceAccess, campaign_id: int, sender: str, account_id: str) -> bytes:
    """One creator's drafted message as an .eml file."""
    from covey.campaigns.outreach import draft_messages, to_email

    require_campaign(w, campaign_id)
    for m in draft_messages(w.store, campaign_id, sender=sender):
        if m.account_id == account_id:
            return bytes(to_email(m, sender))
    raise HTTPException(404, "no drafted message for this creator (only creators at the first stage get one)")
