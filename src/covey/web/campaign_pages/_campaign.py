"""The campaigns list, a new campaign from a saved plan, and a creator's history across campaigns."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from covey.web import campaign_services as cs
from covey.web.campaign_pages._common import Access, Short, Text, render

router = APIRouter()


@router.get("/campaigns")
@router.get("/campaigns.json")
def campaigns_page(request: Request, w: Access) -> Response:
    """Every campaign, and a form to start one from a saved plan."""
    return render(request, w, "campaigns.html", cs.campaigns(w), error=None, form={})


@router.post("/campaigns")
def campaign_create(
    request: Request,
    w: Access,
    plan_id: Annotated[int, Form(ge=1, le=2**62)],
    name: Short,
    brand: Short,
    starts: Annotated[date, Form()],
    ends: Annotated[date, Form()],
    hashtag: Short = "",
    budget: Annotated[str, Form(max_length=20)] = "",
    jurisdictions: Short = "",
    visual_identifier: Short = "",
    key_messages: Text = "",
    must_say: Text = "",
    must_not_say: Text = "",
    utm_base: Short = "",
    code_pattern: Short = "",
) -> Response:
    """Book a saved plan's creators on a new campaign and show it."""
    from covey.errors import CoveyError, InputError

    form = {k: v for k, v in locals().items() if k not in ("request", "w", "CoveyError", "InputError")}
    try:
        if budget.strip():
            try:
                float(budget)
            except ValueError as exc:
                raise InputError(f"budget {budget!r} is not a number", field="budget") from exc
        cid = cs.create_from_plan(w, plan_id, form)
    except CoveyError as exc:
        return render(request, w, "campaigns.html", cs.campaigns(w), error=str(exc), form=form)
    return RedirectResponse(f"/w/{w.name}/campaigns/{cid}", status_code=303)


class History(BaseModel):
    """A creator's campaigns and re-book score."""

    history: dict[str, Any]


@router.get("/creators/{account_id}/campaigns")
@router.get("/creators/{account_id}/campaigns.json")
def creator_campaigns(request: Request, w: Access, account_id: str) -> Response:
    """A creator's history across campaigns and their re-book score."""
    h = cs.history(w, account_id)
    if h is None:
        raise HTTPException(404, "this creator has not been booked on a campaign in this workspace")
    return render(request, w, "creator_campaigns.html", History(history=h))
