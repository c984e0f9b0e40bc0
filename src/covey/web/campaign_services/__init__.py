"""What the campaign pages show: the library's answers (:mod:`covey.campaigns`) shaped for a page.

No decision is made here: each function calls the library and collects its results into one
view model per page (each page's `.json`). :func:`require_campaign` answers 404 for an id the
workspace does not hold (each workspace is its own database, so another workspace's ids are
simply absent).

One private module per stage of the job, as the pages are (:mod:`covey.web.campaign_pages`):
``_campaign`` (the list, a new campaign, a creator's record), ``_pipeline`` (the campaign page),
``_outreach``, ``_briefs``, ``_approval``, ``_tracking``, ``_report``; ``_lookup`` holds the
check they all make first. Import from this package, not from those modules.
"""

from covey.web.campaign_services._approval import ApprovalView, approval
from covey.web.campaign_services._briefs import BriefsView, BriefView, brief, brief_file, briefs, write_briefs
from covey.web.campaign_services._campaign import (
    CampaignList,
    campaigns,
    create_from_plan,
    history,
    rebook_sentence,
)
from covey.web.campaign_services._lookup import require_campaign
from covey.web.campaign_services._outreach import OutreachView, outreach, outreach_csv, outreach_eml
from covey.web.campaign_services._pipeline import CampaignView, CreatorRow, campaign
from covey.web.campaign_services._report import ReportView, report, report_charts, report_csv
from covey.web.campaign_services._tracking import FLAG_MEANINGS, TrackingView, tracking

__all__ = [
    "FLAG_MEANINGS",
    "ApprovalView",
    "BriefView",
    "BriefsView",
    "CampaignList",
    "CampaignView",
    "CreatorRow",
    "OutreachView",
    "ReportView",
    "TrackingView",
    "approval",
    "brief",
    "brief_file",
    "briefs",
    "campaign",
    "campaigns",
    "create_from_plan",
    "history",
    "outreach",
    "outreach_csv",
    "outreach_eml",
    "rebook_sentence",
    "report",
    "report_charts",
    "report_csv",
    "require_campaign",
    "tracking",
    "write_briefs",
]
