"""The JSON API under /api (described by /api/openapi.json): what every page shows, for scripts."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse

from covey.discovery.result import DiscoverView
from covey.planning.result import PlanView, SavedPlanRow
from covey.web import services
from covey.web.deps import Access, state
from covey.web.queries import Creator, CreatorFilters, CreatorPage, Home, creator, home
from covey.web.results import PlanForm
from covey.web.services import JobView, job_view

router = APIRouter(prefix="/api/w/{ws}", tags=["workspace"])
# A score bound as a form sends it: empty (no filter) or a number from 0 to 100.
SCORE_PATTERN = r"^$|^(100(\.0+)?|\d{1,2}(\.\d+)?)$"
ScoreBound = Annotated[
    str | None, Query(pattern=SCORE_PATTERN, description="Lowest score, 0-100; empty: none.")
]


@router.get("", response_model=Home)
def api_home(w: Access) -> Home:
    """Row counts, the last scoring run and import, and what to do next."""
    return home(w.store, w.name, w.role, services.indexed(w.store))


def creator_filters(
    platform: Annotated[str | None, Query(max_length=40)] = None,
    tier: Annotated[Literal["", "nano", "micro", "mid", "macro", "mega"] | None, Query()] = None,
    country: Annotated[str | None, Query(max_length=60)] = None,
    language: Annotated[str | None, Query(max_length=20)] = None,
    niche: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    min_overall: ScoreBound = None,
    min_authenticity: ScoreBound = None,
    min_audience: ScoreBound = None,
    min_engagement: ScoreBound = None,
    min_safety: ScoreBound = None,
    sort: Annotated[
        Literal[
            "overall",
            "handle",
            "followers",
            "country",
            "engagement",
            "audience",
            "authenticity",
            "community",
            "consistency",
            "credibility",
            "safety",
        ],
        Query(),
    ] = "overall",
    order: Annotated[Literal["asc", "desc"], Query()] = "desc",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 25,
) -> CreatorFilters:
    """The creators table's query parameters (shared by the page and the API)."""
    mins = {
        "overall": min_overall,
        "authenticity": min_authenticity,
        "audience": min_audience,
        "engagement": min_engagement,
        "safety": min_safety,
    }
    return CreatorFilters(
        platform=platform or None,
        tier=tier or None,
        country=country or None,
        language=language or None,
        niche=niche or None,
        q=q or None,
        min_scores={k: float(v) for k, v in mins.items() if v},
        sort=sort,
        order=order,
        page=page,
        per_page=per_page,
    )


Filters = Annotated[CreatorFilters, Depends(creator_filters)]


@router.get("/creators", response_model=CreatorPage)
def api_creators(w: Access, f: Filters) -> CreatorPage:
    """Creators with their latest scores: filtered, sorted, paged."""
    return services.creator_page(w, f)


@router.get("/creators/{account_id}", response_model=Creator)
def api_creator(w: Access, account_id: str) -> Creator:
    """One creator: every component with its percentile, sentence and evidence; followers over time."""
    c = creator(w.store, account_id)
    if c is None:
        raise HTTPException(404, "no such creator in this workspace")
    return services.with_standing(w, c)


@router.get("/discover", response_model=DiscoverView)
def api_discover(
    w: Access,
    request: Request,
    brief: Annotated[str, Query(min_length=1, max_length=500)],
    tier: Annotated[Literal["any", "nano", "micro", "mid", "macro", "mega"], Query()] = "any",
    country: Annotated[str | None, Query(max_length=60)] = None,
    language: Annotated[str | None, Query(max_length=20)] = None,
    top: Annotated[int, Query(ge=1, le=100)] = 20,
) -> DiscoverView:
    """Creators whose posts fit the brief, ranked by fit x vetting quality."""
    catalog = state(request).catalog(w.name, w.store)
    return services.discover(
        w, brief, tier=tier, country=country, language=language, top=top, catalog=catalog
    )


@router.post("/plans", response_model=PlanView)
def api_plan(w: Access, form: PlanForm) -> PlanView:
    """Plan a campaign for a brief and budget; the plan is saved."""
    return services.plan(w, form)


@router.get("/plans", response_model=list[SavedPlanRow])
def api_plans(w: Access) -> list[SavedPlanRow]:
    """Saved plans, newest first."""
    return services.saved_plans(w)


@router.get("/plans/{plan_id}", response_model=PlanView)
def api_saved_plan(w: Access, plan_id: Annotated[int, Path(ge=1, le=2**62)]) -> PlanView:
    """A saved plan."""
    p = services.saved_plan(w, plan_id)
    if p is None:
        raise HTTPException(404, "no such plan in this workspace")
    return p


@router.post("/imports", response_model=JobView)
def api_import(w: Access, request: Request, file: Annotated[UploadFile, File()]) -> JobView:
    """Upload a CSV, JSONL or Parquet file (or a zip of them) and import it in the background."""
    st = state(request)
    return job_view(services.start_import(w, st.jobs, st.settings, file.filename or "", file.file))


@router.post("/jobs/score", response_model=JobView)
def api_score(w: Access, request: Request) -> JobView:
    """Score every creator in the background."""
    return job_view(services.start_score(w, state(request).jobs, state(request).settings))


@router.post("/jobs/index", response_model=JobView)
def api_index(w: Access, request: Request) -> JobView:
    """Build or update the discovery index in the background."""
    return job_view(services.start_index(w, state(request).jobs))


@router.get("/jobs/{job_id}", response_model=JobView)
def api_job(w: Access, request: Request, job_id: str) -> JobView:
    """A job's progress."""
    job = state(request).jobs.get(w.name, job_id)
    if job is None:
        raise HTTPException(404, "no such job in this workspace")
    return job_view(job)


@router.get("/jobs/{job_id}/rejects", response_class=FileResponse)
def api_rejects(w: Access, request: Request, job_id: str) -> FileResponse:
    """The rejected rows of an import, as a file."""
    job = state(request).jobs.get(w.name, job_id)
    if job is None or job.rejects is None or not job.rejects.exists():
        raise HTTPException(404, "no rejects for this job")
    return FileResponse(job.rejects, filename=job.rejects.name)
