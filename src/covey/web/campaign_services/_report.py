"""The report tab: plan against actual (``covey.campaigns.report.build_report``), its CSV and charts."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from covey.web.campaign_services._lookup import require_campaign
from covey.web.charts import BarChart, bar_chart
from covey.web.deps import WorkspaceAccess


class ReportView(BaseModel):
    """The plan-against-actual report (``covey.campaigns.report.build_report``)."""

    report: dict[str, Any]


def report(w: WorkspaceAccess, campaign_id: int) -> ReportView:
    """Plan against actual, per creator and in total."""
    from covey.campaigns.report import build_report

    require_campaign(w, campaign_id)
    return ReportView(report=build_report(w.store, campaign_id))


def report_csv(w: WorkspaceAccess, campaign_id: int) -> str:
    """The report as CSV (unknown is an empty cell)."""
    from covey.campaigns.render import to_csv

    return to_csv(report(w, campaign_id).report)


def report_charts(rep: dict[str, Any]) -> list[BarChart]:
    """The report's charts (``covey.campaigns.render.report_charts``) for the page."""
    from covey.campaigns.render import report_charts as charts

    return [bar_chart(title, labels, series) for title, labels, series in charts(rep)]
