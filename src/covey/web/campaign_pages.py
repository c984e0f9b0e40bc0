"""Campaign pages under /w/<workspace>/campaigns (each with a `.json` twin), forms and downloads.

The logic is :mod:`covey.campaigns`; :mod:`covey.web.campaign_services` shapes its answers for
the pages. These routes read the form, call a service and redirect (post/redirect/get). Access,
CSRF and roles are checked by :func:`covey.web.deps.workspace` as on every workspace route;
an id this workspace does not hold answers 404.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from covey.web import campaign_services as cs
from covey.web import campaign_uploads as cu
from covey.web.deps import WorkspaceAccess, workspace

router = APIRouter(prefix="/w/{ws}", include_in_schema=False)
Access = Annotated[WorkspaceAccess, Depends(workspace)]
Text = Annotated[str, Form(max_length=2000)]
Short = Annotated[str, Form(max_length=200)]
CampaignId = Annotated[int, Query(ge=1, le=2**62)]


def _render(
    request: Request, w: WorkspaceAccess, template: str, model: BaseModel | None, **extra: Any
) -> Response:
    from covey.web.pages import render

    return render(request, w, template, model, **extra)


def _back(w: WorkspaceAccess, cid: int, page: str = "") -> RedirectResponse:
    return RedirectResponse(f"/w/{w.name}/campaigns/{cid}{page}", status_code=303)


@router.get("/campaigns")
@router.get("/campaigns.json")
def campaigns_page(request: Request, w: Access) -> Response:
    """Every campaign, and a form to start one from a saved plan."""
    return _render(request, w, "campaigns.html", cs.campaigns(w), error=None, form={})


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
        return _render(request, w, "campaigns.html", cs.campaigns(w), error=str(exc), form=form)
    return RedirectResponse(f"/w/{w.name}/campaigns/{cid}", status_code=303)


@router.get("/campaigns/{cid}")
@router.get("/campaigns/{cid}.json")
def campaign_page(request: Request, w: Access, cid: int) -> Response:
    """The campaign and its outreach pipeline: stage per creator, changes, notes, fees, deadlines."""
    return _show_campaign(request, w, cid, None)


def _show_campaign(request: Request, w: WorkspaceAccess, cid: int, error: str | None) -> Response:
    return _render(
        request, w, "campaign.html", cs.campaign(w, cid), error=error, tab="pipeline", campaign_id=cid
    )


def _attempt(request: Request, w: WorkspaceAccess, cid: int, page: str, action: Any) -> Response:
    """Run a change and go back to the page; a refused one (bad input) shows the page again with
    its message (422), so nothing a link carries is shown as a message."""
    from covey.errors import InputError

    cs.require_campaign(w, cid)
    try:
        action()
    except InputError as exc:
        shown = {"": _show_campaign, "/approval": _show_approval, "/tracking": _show_tracking}[page]
        response = shown(request, w, cid, str(exc))
        response.status_code = 422
        return response
    return _back(w, cid, page)


@router.post("/campaigns/{cid}/stage")
def campaign_stage(
    request: Request, w: Access, cid: int, account_id: Short, stage: Short, detail: Short = ""
) -> Response:
    """Move a creator to another stage (only the workflow's allowed changes)."""
    from covey.campaigns.pipeline import move

    return _attempt(
        request,
        w,
        cid,
        "",
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

    return _attempt(request, w, cid, "", act)


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

    return _attempt(request, w, cid, "", act)


@router.post("/campaigns/{cid}/contact")
def campaign_contact(request: Request, w: Access, cid: int, account_id: Short, contact: Short) -> Response:
    """Record how to reach a creator."""
    from covey.campaigns.pipeline import set_contact

    return _attempt(
        request,
        w,
        cid,
        "",
        lambda: set_contact(w.store, cid, account_id, contact, actor=w.principal.user.email),
    )


@router.post("/campaigns/{cid}/task")
def campaign_task(
    request: Request, w: Access, cid: int, title: Short, due: Annotated[date, Form()], account_id: Short = ""
) -> Response:
    """A task due on a date, about a creator or the whole campaign."""
    from covey.campaigns.pipeline import add_task

    return _attempt(
        request,
        w,
        cid,
        "",
        lambda: add_task(w.store, cid, account_id or None, title, due, actor=w.principal.user.email),
    )


@router.get("/campaigns/{cid}/outreach")
@router.get("/campaigns/{cid}/outreach.json")
def outreach_page(request: Request, w: Access, cid: int) -> Response:
    """First-contact messages drafted for creators still at the first stage."""
    view = cs.outreach(w, cid, w.principal.user.email)
    return _render(request, w, "campaign_outreach.html", view, tab="outreach", campaign_id=cid)


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


@router.get("/campaigns/{cid}/briefs")
@router.get("/campaigns/{cid}/briefs.json")
def briefs_page(request: Request, w: Access, cid: int) -> Response:
    """Every brief version; write a new version of all of them."""
    return _render(request, w, "campaign_briefs.html", cs.briefs(w, cid), tab="briefs", campaign_id=cid)


@router.post("/campaigns/{cid}/briefs")
def briefs_write(w: Access, cid: int) -> Response:
    """A new version of the campaign brief and each creator's brief."""
    cs.write_briefs(w, cid)
    return _back(w, cid, "/briefs")


@router.get("/campaigns/{cid}/brief")
@router.get("/campaigns/{cid}/brief.json")
def brief_page(
    request: Request,
    w: Access,
    cid: int,
    creator: Annotated[str, Query(max_length=200)] = "",
    version: Annotated[int | None, Query(ge=1, le=100_000)] = None,
) -> Response:
    """One brief version, rendered (the campaign's when no creator is given)."""
    return _render(
        request, w, "campaign_brief.html", cs.brief(w, cid, creator, version), tab="briefs", campaign_id=cid
    )


BriefKind = Literal["md", "html", "pdf"]
MEDIA = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@router.get("/campaigns/{cid}/brief.{kind}")
def brief_download(
    w: Access,
    cid: int,
    kind: BriefKind,
    creator: Annotated[str, Query(max_length=200)] = "",
    version: Annotated[int | None, Query(ge=1, le=100_000)] = None,
) -> Response:
    """A brief as a file to send: Markdown, a standalone HTML page (prints well), or PDF."""
    body = cs.brief_file(w, cid, creator, version, kind)
    return Response(
        body,
        media_type=MEDIA[kind],
        headers={"Content-Disposition": f'attachment; filename="campaign-{cid}-brief.{kind}"'},
    )


@router.get("/campaigns/{cid}/approval")
@router.get("/campaigns/{cid}/approval.json")
def approval_page(request: Request, w: Access, cid: int) -> Response:
    """Drafts per deliverable: versions, compliance flags, decisions, and the audit trail."""
    return _show_approval(request, w, cid, None)


def _show_approval(request: Request, w: WorkspaceAccess, cid: int, error: str | None) -> Response:
    return _render(
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

    return _attempt(
        request,
        w,
        cid,
        "/approval",
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

    return _attempt(
        request,
        w,
        cid,
        "/approval",
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


@router.get("/campaigns/{cid}/tracking")
@router.get("/campaigns/{cid}/tracking.json")
def tracking_page(request: Request, w: Access, cid: int) -> Response:
    """Matched posts and every flag: late, missing, non-compliant, not approved ..."""
    return _show_tracking(request, w, cid, None)


def _show_tracking(request: Request, w: WorkspaceAccess, cid: int, error: str | None) -> Response:
    return _render(
        request,
        w,
        "campaign_tracking.html",
        cs.tracking(w, cid),
        error=error,
        tab="tracking",
        campaign_id=cid,
    )


@router.post("/campaigns/{cid}/track")
def track_submit(
    request: Request, w: Access, cid: int, today: Annotated[str, Form(max_length=10)] = ""
) -> Response:
    """Match newly imported posts and refresh the flags (``today`` decides what is missing)."""
    from covey.campaigns.tracking import track
    from covey.errors import InputError

    def act() -> None:
        try:
            when = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise InputError(f"today {today!r} is not a date (YYYY-MM-DD)", field="today") from exc
        track(w.store, cid, actor=w.principal.user.email, today=when)

    return _attempt(request, w, cid, "/tracking", act)


@router.post("/campaigns/{cid}/conversions")
def conversions_submit(
    request: Request, w: Access, cid: int, file: Annotated[UploadFile, File()]
) -> Response:
    """Import clicks and conversions by code or utm_content (the whole file checked first)."""
    return _attempt(
        request, w, cid, "/tracking", lambda: cu.import_conversions(w, cid, file.filename or "", file.file)
    )


@router.post("/campaigns/{cid}/insights")
def insights_submit(request: Request, w: Access, cid: int, file: Annotated[UploadFile, File()]) -> Response:
    """Import creators' post insights (reach, impressions, views per post; the whole file checked first)."""
    return _attempt(
        request, w, cid, "/tracking", lambda: cu.import_insights(w, cid, file.filename or "", file.file)
    )


@router.get("/campaigns/{cid}/report")
@router.get("/campaigns/{cid}/report.json")
def report_page(request: Request, w: Access, cid: int) -> Response:
    """Plan against actual per creator and in total, with charts, EMV and its CPM table."""
    view = cs.report(w, cid)
    return _render(
        request,
        w,
        "campaign_report.html",
        view,
        tab="report",
        campaign_id=cid,
        charts=cs.report_charts(view.report),
    )


@router.get("/campaigns/{cid}/report.csv")
def report_csv(w: Access, cid: int) -> Response:
    """The report as CSV: one row per creator and a TOTAL row."""
    return Response(
        cs.report_csv(w, cid),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="campaign-{cid}-report.csv"'},
    )


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
    return _render(request, w, "creator_campaigns.html", History(history=h))
