"""The approval tab: drafts per deliverable, a new draft version, and the decision on one."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request, Response

from covey.web import campaign_services as cs
from covey.web.campaign_pages._common import Access, Short, Text, attempt, render
from covey.web.deps import WorkspaceAccess

router = APIRouter()


@router.get("/campaigns/{cid}/approval")
@router.get("/campaigns/{cid}/approval.json")
def approval_page(request: Request, w: Access, cid: int) -> Response:
    """Drafts per deliverable: versions, compliance flags, decisions, and the audit trail."""
    return show_approval(request, w, cid, None)


def show_approval(request: Request, w: WorkspaceAccess, cid: int, error: str | None) -> Response:
    """The approval page, with a refused change's message when there is one (see ``attempt``)."""
    return render(
        request,
        w,
        "campaign_approval.html",
        cs.approval(w, cid),
        error=error,
        tab="approval",
        campaign_id=cid,
    )


@router.post("/campaigns/{cid}/drafts")
def draft_submit(
    request: Request,
    w: Access,
    cid: int,
    account_id: Short,
    deliverable: Annotated[int, Form(ge=1, le=1000)],
    caption: Annotated[str, Form(max_length=5000)],
    media_ref: Short = "",
) -> Response:
    """A new, immutable draft version, checked by the compliance checker."""
    from covey.campaigns.approval import submit

    return attempt(
        request,
        w,
        cid,
        "/approval",
        show_approval,
        lambda: submit(
            w.store, cid, account_id, deliverable, caption, actor=w.principal.user.email, media_ref=media_ref
        ),
    )


@router.post("/campaigns/{cid}/decisions")
def draft_decide(
    request: Request,
    w: Access,
    cid: int,
    account_id: Short,
    deliverable: Annotated[int, Form(ge=1, le=1000)],
    version: Annotated[int, Form(ge=1, le=100_000)],
    decision: Annotated[Literal["approved", "changes_requested"], Form()],
    comment: Text = "",
) -> Response:
    """Approve a version, or send it back with a comment (a flagged version cannot be approved)."""
    from covey.campaigns.approval import decide

    return attempt(
        request,
        w,
        cid,
        "/approval",
        show_approval,
        lambda: decide(
            w.store,
            cid,
            account_id,
            deliverable,
            version,
            decision,
            actor=w.principal.user.email,
            comment=comment,
        ),
    )
