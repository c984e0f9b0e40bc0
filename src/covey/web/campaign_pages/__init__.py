"""Campaign pages under /w/<workspace>/campaigns (each with a `.json` twin), forms and downloads.

The logic is :mod:`covey.campaigns`; :mod:`covey.web.campaign_services` shapes its answers for
the pages. These routes read the form, call a service and redirect (post/redirect/get). Access,
CSRF and roles are checked by :func:`covey.web.deps.workspace` as on every workspace route;
an id this workspace does not hold answers 404.

One private module per stage of the job, each with its own router: ``_campaign`` (the list, a
new campaign, a creator's history), ``_pipeline`` (the campaign page and its changes),
``_outreach``, ``_briefs``, ``_approval``, ``_tracking``, ``_report``; ``_common`` holds what
they share. :data:`router` includes them in that order, which is the order routes are matched
in (``brief.json`` is matched before ``brief.{kind}``, both in ``_briefs``).
"""

from fastapi import APIRouter

from covey.web.campaign_pages import _approval, _briefs, _campaign, _outreach, _pipeline, _report, _tracking

router = APIRouter(prefix="/w/{ws}", include_in_schema=False)
for _stage in (_campaign, _pipeline, _outreach, _briefs, _approval, _tracking, _report):
    router.include_router(_stage.router)

__all__ = ["router"]
