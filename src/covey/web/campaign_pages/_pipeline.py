"""The campaign page and its pipeline's changes: a creator's stage, notes, fee, contact, tasks."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from covey.web import campaign_services as cs
from covey.web.campaign_pages._common import Access, Short, Text, attempt, render
from covey.web.deps import WorkspaceAccess

router = APIRouter()


@router.get("/campaigns/{cid}")
@router.get("/campaigns/{cid}.json")
def campaign_page(request: Request, w: Access, cid: int) -> Response:
    """The campaign and its outreach pipeline: stage per creator, changes, notes, fees, deadlines."""
    return show_campaign(request, w, cid, None)


def show_campaign(request: Request, w: WorkspaceAccess, cid: int, error: str | None) -> Response:
    """The campaign page, with a refused change's message when there is one (see ``attempt``)."""
    return render(
        request, w, "campaign.html", cs.campaign(w, cid), error=error, tab="pipeline", campaign_id=cid
    )


@router.post("/campaigns/{cid}/stage")
def campaign_stage(
    request: Request, w: Access, cid: int, account_id: Short, stage: Short, detail: Short = ""
) -> Response:
    """Move a creator to another stage (only the workflow's allowed changes)."""
    from covey.campaigns.pipeline import move

    return attempt(
        request,
        w,
        cid,
        "",
        show_campaign,
        lambda: move(w.store, cid, account_id, stage, actor=w.principal.user.email, detail=detail),
    )


@router.post("/campaigns/{cid}/note")
def campaign_note(request: Request, w: Access, cid: int, account_id: Short, text: Text) -> Response:
    """Add a note about a creator."""
    from covey.campaigns.pipeline import note
    from covey.errors import InputError

    def act() -> None:
        if not text.strip():
            raise InputError("the note is empty", field="text")
        note(w.store, cid, account_id, text, actor=w.principal.user.email)

    return attempt(request, w, cid, "", show_campaign, act)


@router.post("/campaigns/{cid}/terms")
def campaign_terms(
    request: Request, w: Access, cid: int, account_id: Short, fee: Annotated[str, Form(max_length=20)]
) -> Response:
    """Record the negotiated fee."""
    from covey.campaigns.pipeline import set_terms
    from covey.errors import InputError

    def act() -> None:
        try:
            value = float(fee)
        except ValueError as exc:
            raise InputError(f"fee {fee!r} is not a number", field="fee") from exc
        set_terms(w.store, cid, account_id, actor=w.principal.user.email, fee=value)

    return attempt(request, w, cid, "", show_campaign, act)


@router.post("/campaigns/{cid}/contact")
def campaign_contact(request: Request, w: Access, cid: int, account_id: Short, contact: Short) -> Response:
    """Record how to reach a creator."""
    from covey.campaigns.pipeline import set_contact

    return attempt(
        request,
        w,
        cid,
        "",
        show_campaign,
        lambda: set_contact(w.store, cid, account_id, contact, actor=w.principal.user.email),
    )


@router.post("/campaigns/{cid}/task")
def campaign_task(
    request: Request, w: Access, cid: int, title: Short, due: Annotated[date, Form()], account_id: Short = ""
) -> Response:
    """A task due on a date, about a creator or the whole campaign."""
    from covey.campaigns.pipeline import add_task

    return attempt(
        request,
        w,
        cid,
        "",
        show_campaign,
        lambda: add_task(w.store, cid, account_id or None, title, due, actor=w.principal.user.email),
    )
