"""The briefs tab: every brief version, a new version of all, one shown, or as a file to send."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from covey.web import campaign_services as cs
from covey.web.campaign_pages._common import Access, back, render

router = APIRouter()


@router.get("/campaigns/{cid}/briefs")
@router.get("/campaigns/{cid}/briefs.json")
def briefs_page(request: Request, w: Access, cid: int) -> Response:
    """Every brief version; write a new version of all of them."""
    return render(request, w, "campaign_briefs.html", cs.briefs(w, cid), tab="briefs", campaign_id=cid)


@router.post("/campaigns/{cid}/briefs")
def briefs_write(w: Access, cid: int) -> Response:
    """A new version of the campaign brief and each creator's brief."""
    cs.write_briefs(w, cid)
    return back(w, cid, "/briefs")


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
    return render(
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
