"""The outreach tab: drafted first-contact messages as a page, one CSV, or one .eml per creator."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from covey.web import campaign_services as cs
from covey.web.campaign_pages._common import Access, render

router = APIRouter()


@router.get("/campaigns/{cid}/outreach")
@router.get("/campaigns/{cid}/outreach.json")
def outreach_page(request: Request, w: Access, cid: int) -> Response:
    """First-contact messages drafted for creators still at the first stage."""
    view = cs.outreach(w, cid, w.principal.user.email)
    return render(request, w, "campaign_outreach.html", view, tab="outreach", campaign_id=cid)


@router.get("/campaigns/{cid}/outreach.csv")
def outreach_csv(w: Access, cid: int) -> Response:
    """Every drafted message in one CSV."""
    return Response(
        cs.outreach_csv(w, cid, w.principal.user.email),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="campaign-{cid}-outreach.csv"'},
    )


@router.get("/campaigns/{cid}/outreach.eml")
def outreach_eml(w: Access, cid: int, creator: Annotated[str, Query(max_length=200)]) -> Response:
    """One creator's drafted message as an .eml file (open it in any mail program)."""
    return Response(
        cs.outreach_eml(w, cid, w.principal.user.email, creator),
        media_type="message/rfc822",
        headers={"Content-Disposition": f'attachment; filename="campaign-{cid}-message.eml"'},
    )
