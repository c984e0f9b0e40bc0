"""The pages under /w/<workspace>/; each also answers as JSON with a `.json` suffix.

A `.json` route is registered before its page (decorators apply bottom-up), so that
``/creators/ID.json`` is not read as a creator whose id ends in ".json".
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from covey.errors import CoveyError
from covey.planning.result import PlanView, SavedPlanRow
from covey.web import services
from covey.web.api import Filters, api_rejects
from covey.web.campaign_services import rebook_sentence
from covey.web.charts import band_chart, interval_chart, line_chart
from covey.web.deps import Access, state
from covey.web.queries import SCORE_COLUMNS, creator, home
from covey.web.render import render
from covey.web.results import PlanForm
from covey.web.services import job_view
from covey.web.shortlist_pages import lists_for_forms

router = APIRouter(prefix="/w/{ws}", include_in_schema=False)


@router.get("")
@router.get(".json")
def home_page(request: Request, w: Access) -> Response:
    """Workspace home: what it holds, the last runs, next steps."""
    data = home(w.store, w.name, w.role, services.indexed(w.store))
    return render(
        request, w, "home.html", data, jobs=[job_view(j) for j in state(request).jobs.of(w.name)[:5]]
    )


@router.get("/creators")
@router.get("/creators.json")
def creators_page(request: Request, w: Access, f: Filters) -> Response:
    """The creators table with filters, sorting and pages."""
    page = services.creator_page(w, f)
    params = {k: v for k, v in request.query_params.items() if k != "page"}

    def link(**change: Any) -> str:
        return "?" + urlencode({**params, **{k: str(v) for k, v in change.items()}})

    lists = lists_for_forms(w)
    return render(request, w, "creators.html", page, link=link, score_columns=SCORE_COLUMNS, shortlists=lists)


@router.get("/creators/{account_id}")
@router.get("/creators/{account_id}.json")
def creator_page(request: Request, w: Access, account_id: str) -> Response:
    """One creator: components, evidence, followers over time."""
    c = creator(w.store, account_id)
    if c is None:
        raise HTTPException(404, "no such creator in this workspace")
    c = services.with_standing(w, c)
    chart = line_chart("Followers over time", [(p.taken_at, p.followers) for p in c.followers])
    st = c.standing
    engagement = band_chart(
        "Engagement rate against peers (same platform and follower decade)",
        st.engagement if st else None,
        st.band if st else None,
    )
    fake = interval_chart(
        "Share of followers that look fake, with its 95 % interval",
        *((st.fake_share, st.fake_low, st.fake_high, st.fake_n) if st else (None, None, None, None)),
        unknown=st.fake_precision if st else None,
    )
    return render(
        request, w, "creator.html", c, chart=chart, engagement_chart=engagement, fake_chart=fake,
        shortlists=lists_for_forms(w), rebook=rebook_sentence(w, account_id),
    )  # fmt: skip


@router.get("/discover")
@router.get("/discover.json")
@router.get("/discover/evidence")
def discover_page(
    request: Request,
    w: Access,
    brief: Annotated[str, Query(max_length=500)] = "",
    tier: Annotated[Literal["any", "nano", "micro", "mid", "macro", "mega"], Query()] = "any",
    country: Annotated[str, Query(max_length=60)] = "",
    top: Annotated[int, Query(ge=1, le=100)] = 20,
    like: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Brief -> ranked creators; the page shows the ranking at once and fetches the posts that
    match (the slow part: embedding each creator's recent posts) from /discover/evidence.
    ``like`` (a creator's handle or id; "More like this" on a creator's page) finds lookalikes."""
    path = request.url.path
    fragment, as_json = path.endswith("/evidence"), path.endswith(".json")
    data, error = None, None
    if brief.strip() or like.strip():
        try:
            catalog = state(request).catalog(w.name, w.store)
            data = services.discover(w, brief, tier=tier, country=country or None, top=top,
                                     catalog=catalog, evidence=fragment or as_json, like=like)  # fmt: skip
        except CoveyError as exc:
            if as_json:
                raise
            error = str(exc)
    form = {"brief": brief, "tier": tier, "country": country, "top": top, "like": like}
    query = urlencode(form)
    template = "discover_evidence.html" if fragment else "discover.html"
    lists = lists_for_forms(w) if data is not None and not fragment and not as_json else []
    return render(request, w, template, data, form=form, error=error, query=query, shortlists=lists)


@router.get("/plan")
def plan_form(request: Request, w: Access) -> Response:
    """The plan form."""
    return render(
        request, w, "plan_form.html", None, form=PlanForm(brief="campaign", budget=20000), error=None
    )


@router.post("/plan")
def plan_submit(request: Request, w: Access, form: Annotated[PlanForm, Form()]) -> Response:
    """Plan and save in the background; the job's page shows the progress, then the plan."""
    try:
        job = services.start_plan(w, state(request).jobs, form)
    except CoveyError as exc:
        return render(request, w, "plan_form.html", None, form=form, error=str(exc))
    return RedirectResponse(f"/w/{w.name}/jobs/{job.job_id}", status_code=303)


class PlanList(BaseModel):
    """Saved plans (the `.json` form of the plans page)."""

    plans: list[SavedPlanRow]


@router.get("/plans")
@router.get("/plans.json")
def plans_page(request: Request, w: Access) -> Response:
    """Saved plans, newest first."""
    return render(request, w, "plans.html", PlanList(plans=services.saved_plans(w)))


class PlanComparison(BaseModel):
    """Saved plans side by side (each plan's own option, then the creators they share)."""

    plans: list[PlanView]
    shared_creators: list[str]


@router.get("/plans/compare")
@router.get("/plans/compare.json")
def compare_page(
    request: Request,
    w: Access,
    a: Annotated[int, Query(ge=1, le=2**62)],
    b: Annotated[int, Query(ge=1, le=2**62)],
) -> Response:
    """Two saved plans side by side."""
    views = [services.saved_plan(w, a), services.saved_plan(w, b)]
    found = [v for v in views if v is not None]
    if len(found) < 2:
        raise HTTPException(404, "no such plan in this workspace")
    shared = sorted({i.handle for i in found[0].items} & {i.handle for i in found[1].items})
    return render(request, w, "compare.html", PlanComparison(plans=found, shared_creators=shared))


@router.get("/plans/{plan_id}")
@router.get("/plans/{plan_id}.json")
def saved_plan_page(request: Request, w: Access, plan_id: int) -> Response:
    """A saved plan with the naive and macro choices side by side."""
    view = services.saved_plan(w, plan_id)
    if view is None:
        raise HTTPException(404, "no such plan in this workspace")
    return render(request, w, "plan.html", view)


@router.get("/import")
def import_form(request: Request, w: Access) -> Response:
    """The upload form."""
    return render(
        request, w, "import.html", None, max_mb=state(request).settings.web.max_upload_mb, error=None
    )


@router.post("/import")
def import_submit(request: Request, w: Access, file: Annotated[UploadFile, File()]) -> Response:
    """Save the upload and start the import; then watch its progress."""
    st = state(request)
    try:
        job = services.start_import(w, st.jobs, st.settings, file.filename or "", file.file)
    except CoveyError as exc:
        return render(request, w, "import.html", None, max_mb=st.settings.web.max_upload_mb, error=str(exc))
    return RedirectResponse(f"/w/{w.name}/jobs/{job.job_id}", status_code=303)


@router.get("/communities")
@router.get("/communities.json")
def communities_page(request: Request, w: Access) -> Response:
    """Communities of creators whose audiences overlap (found by a background job, kept while
    the workspace's data stay the same)."""
    return render(request, w, "communities.html", services.communities(w))


@router.post("/communities")
def communities_submit(request: Request, w: Access) -> Response:
    """Find the communities in the background."""
    job = services.start_communities(w, state(request).jobs)
    return RedirectResponse(f"/w/{w.name}/jobs/{job.job_id}", status_code=303)


@router.post("/score")
def score_submit(request: Request, w: Access) -> Response:
    """Score every creator in the background."""
    job = services.start_score(w, state(request).jobs, state(request).settings)
    return RedirectResponse(f"/w/{w.name}/jobs/{job.job_id}", status_code=303)


@router.post("/index")
def index_submit(request: Request, w: Access) -> Response:
    """Build the discovery index in the background."""
    job = services.start_index(w, state(request).jobs)
    return RedirectResponse(f"/w/{w.name}/jobs/{job.job_id}", status_code=303)


@router.get("/jobs/{job_id}")
@router.get("/jobs/{job_id}.json")
def job_page(request: Request, w: Access, job_id: str, partial: bool = False) -> Response:
    """A job's progress; htmx re-fetches the progress part every second until it ends."""
    job = state(request).jobs.get(w.name, job_id)
    if job is None:
        raise HTTPException(404, "no such job in this workspace")
    if job.kind == "plan" and job.state == "done" and job.result.get("plan_id"):
        # A finished plan job opens the plan: htmx follows HX-Redirect, a browser the 303.
        target = f"/w/{w.name}/plans/{int(job.result['plan_id'])}"
        if partial:
            return Response(status_code=200, headers={"HX-Redirect": target})
        if not request.url.path.endswith(".json"):
            return RedirectResponse(target, status_code=303)
    return render(request, w, "job_progress.html" if partial else "job.html", job_view(job))


@router.get("/jobs/{job_id}/rejects")
def job_rejects(request: Request, w: Access, job_id: str) -> Response:
    """Download an import's rejected rows."""
    return api_rejects(w, request, job_id)
