"""The report tab: plan against actual with its charts, and the report as CSV."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from covey.web import campaign_services as cs
from covey.web.campaign_pages._common import Access, render

router = APIRouter()


@router.get("/campaigns/{cid}/report")
@router.get("/campaigns/{cid}/report.json")
def report_page(request: Request, w: Access, cid: int) -> Response:
    """Plan against actual per creator and in total, with charts, EMV and its CPM table."""
    view = cs.report(w, cid)
    return render(
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
