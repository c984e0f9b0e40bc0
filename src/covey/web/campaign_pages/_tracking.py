"""The tracking tab: matched posts and flags, matching new posts, and the two CSV uploads."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile

from covey.web import campaign_services as cs
from covey.web import campaign_uploads as cu
from covey.web.campaign_pages._common import Access, attempt, render
from covey.web.deps import WorkspaceAccess

router = APIRouter()


@router.get("/campaigns/{cid}/tracking")
@router.get("/campaigns/{cid}/tracking.json")
def tracking_page(request: Request, w: Access, cid: int) -> Response:
    """Matched posts and every flag: late, missing, non-compliant, not approved ..."""
    return show_tracking(request, w, cid, None)


def show_tracking(request: Request, w: WorkspaceAccess, cid: int, error: str | None) -> Response:
    """The tracking page, with a refused change's message when there is one (see ``attempt``)."""
    return render(
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

    return attempt(request, w, cid, "/tracking", show_tracking, act)


@router.post("/campaigns/{cid}/conversions")
def conversions_submit(
    request: Request, w: Access, cid: int, file: Annotated[UploadFile, File()]
) -> Response:
    """Import clicks and conversions by code or utm_content (the whole file checked first)."""
    return attempt(
        request,
        w,
        cid,
        "/tracking",
        show_tracking,
        lambda: cu.import_conversions(w, cid, file.filename or "", file.file),
    )


@router.post("/campaigns/{cid}/insights")
def insights_submit(request: Request, w: Access, cid: int, file: Annotated[UploadFile, File()]) -> Response:
    """Import creators' post insights (reach, impressions, views per post; the whole file checked first)."""
    return attempt(
        request,
        w,
        cid,
        "/tracking",
        show_tracking,
        lambda: cu.import_insights(w, cid, file.filename or "", file.file),
    )
