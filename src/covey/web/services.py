"""What the routes do, calling the library: shared by the pages and the API.

No business logic here either: each function turns a request's inputs into a library call
and its answer into a typed result.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
from pydantic import BaseModel

from covey.discovery.catalog import Filters, index_dir
from covey.discovery.result import DiscoverView, discovery_view
from covey.errors import InputError
from covey.planning.planner import Brief
from covey.planning.result import PlanView, SavedPlanRow
from covey.settings import Settings
from covey.store import Store
from covey.tiers import parse_tier
from covey.web.deps import WorkspaceAccess
from covey.web.jobs import Job, Jobs
from covey.web.queries import (
    Creator,
    CreatorFilters,
    CreatorPage,
    ScoreRunInfo,
    creator_table,
    creators,
    latest_run,
)
from covey.web.results import PlanForm
from covey.web.standing import peer_bands, standing
from covey.web.uploads import safe_name, save_upload, unpack_zip


class JobView(BaseModel):
    """A background job's progress."""

    job_id: str
    kind: str
    state: str
    step: str
    percent: int
    error: str | None
    result: dict[str, Any]
    has_rejects: bool


def job_view(job: Job) -> JobView:
    """The job as the API shows it."""
    return JobView(
        job_id=job.job_id,
        kind=job.kind,
        state=job.state,
        step=job.step,
        percent=job.percent,
        error=job.error,
        result=job.result,
        has_rejects=job.rejects is not None and job.rejects.exists(),
    )


def indexed(store: Store) -> bool:
    """Whether the workspace's discovery index exists."""
    return store.path is not None and (index_dir(store.path) / "manifest.json").exists()


def work_dir(store: Store) -> Path:
    """The workspace's folder for uploads and rejects, beside its database."""
    base = store.path.parent if store.path is not None else Path(tempfile.gettempdir())
    stem = store.path.stem if store.path is not None else "memory"
    return base / f"{stem}.web"


def creator_page(w: WorkspaceAccess, f: CreatorFilters) -> CreatorPage:
    """The creators table, with the niche filter answered by the discovery index.

    Every account's latest followers and scores are aggregated once per workspace and data
    version (the workspace cache); a page filters and sorts that table.
    """

    def build() -> tuple[ScoreRunInfo | None, pa.Table]:
        run = latest_run(w.store)
        return run, creator_table(w.store, run.run_id if run else None)

    run, table = w.cache.get(("creator_table",), build)
    niche_ids = None
    if f.niche:
        if not indexed(w.store):
            page = creators(w.store, f.model_copy(update={"niche": None}), table=table, run=run)
            page.notes.append("The niche filter needs the discovery index: build it from the home page.")
            return page
        from covey.discovery.search import niche_accounts

        niche = f.niche.strip().lower()
        niche_ids = w.cache.get(("niche", niche), lambda: niche_accounts(w.store, niche))
    return creators(w.store, f, niche_ids, table=table, run=run)


def with_standing(w: WorkspaceAccess, c: Creator) -> Creator:
    """The creator with where they stand among peers (latest run; peer bands kept per run)."""
    if c.run is None:
        return c
    run_id = c.run.run_id
    bands = w.cache.get(("peer_bands", run_id), lambda: peer_bands(w.store, run_id))
    return c.model_copy(update={"standing": standing(w.store, run_id, c.account_id, bands)})


def discover(
    w: WorkspaceAccess,
    brief: str,
    *,
    tier: str = "any",
    country: str | None = None,
    language: str | None = None,
    platform: str | None = None,
    top: int = 20,
    catalog: Any = None,
    evidence: bool = True,
    like: str | None = None,
) -> DiscoverView:
    """Creators for a brief, ranked by fit and vetting quality; with ``like`` (a handle or an
    account id), lookalikes of that creator: similar posts and a shared audience."""
    from covey.discovery.search import discover as run

    tier_name = parse_tier(tier or "any", option="tier")
    filters = Filters(
        platforms=(platform.lower(),) if platform else (),
        tier=tier_name,
        countries=(country.upper(),) if country else (),
        languages=(language.lower(),) if language else (),
    )
    top = max(1, min(top, 100))
    # Kept per workspace and data version: the evidence (embedding each result's recent posts)
    # is the slow part, and the ranking page, its evidence fragment and the JSON ask alike.
    seeds = (like.strip(),) if like and like.strip() else ()
    key = ("discover", brief, filters, top, evidence, seeds)

    def compute() -> DiscoverView:
        found = run(w.store, brief, filters, like=seeds, top=top, catalog=catalog, evidence=evidence)
        return discovery_view(brief, found)

    return w.cache.get(key, compute)


def plan_brief(form: PlanForm) -> Brief:
    """The form as a checked brief; InputError (shown on the form) when it cannot be planned."""
    from covey.planning.inputs import check_brief

    if form.max_creators < max(form.min_creators, 1) or form.max_frequency < form.frequency:
        raise InputError("creators and frequency ranges must not be empty", field="max_creators")
    return check_brief(
        Brief(
            text=form.brief,
            budget=form.budget,
            currency=form.currency.upper(),
            frequency=form.frequency,
            max_frequency=form.max_frequency,
            min_creators=form.min_creators,
            max_creators=form.max_creators,
            max_posts=form.max_posts,
            niche=form.niche or None,
            country=form.country or None,
        )
    )


def plan(w: WorkspaceAccess, form: PlanForm) -> PlanView:
    """Plan a campaign and save it (the API: the answer waits for the plan)."""
    from covey.planning.session import run_plan

    return run_plan(w.store, plan_brief(form), save=True).view()


def start_plan(w: WorkspaceAccess, jobs: Jobs, form: PlanForm) -> Job:
    """Plan a campaign and save it in the background (the plan page shows its progress).

    The brief is checked first, so a bad form is answered at once, on the form."""
    brief = plan_brief(form)

    def work(job: Job) -> dict[str, Any]:
        from covey.planning.session import run_plan

        result = run_plan(w.store, brief, save=True, progress=job.progress)
        return {"plan_id": result.plan_id, "creators": result.summary.get("creators")}

    return jobs.start(w.name, "plan", work)


def saved_plans(w: WorkspaceAccess) -> list[SavedPlanRow]:
    """Saved plans, newest first."""
    from covey.planning.plans import list_plans

    return list_plans(w.store)


def saved_plan(w: WorkspaceAccess, plan_id: int) -> PlanView | None:
    """A saved plan of this workspace, None when it has no such plan."""
    from covey.planning.plans import load_plan

    if not w.store.query("SELECT 1 FROM plans WHERE plan_id = ?", [plan_id]):
        return None
    return load_plan(w.store, plan_id).view()


def start_import(w: WorkspaceAccess, jobs: Jobs, settings: Settings, filename: str, data: BinaryIO) -> Job:
    """Save an upload (size-capped, zips unpacked safely) and import it in the background."""
    name = safe_name(filename)
    folder = work_dir(w.store) / "uploads" / uuid.uuid4().hex
    target = folder / name
    save_upload(data, target, settings.web.max_upload_mb << 20)
    source: Path = target
    if name.lower().endswith(".zip"):
        try:
            source = unpack_zip(
                target,
                folder / "unpacked",
                max_total=settings.web.max_unpacked_mb << 20,
                max_entries=settings.web.max_zip_entries,
            )
        finally:
            target.unlink(missing_ok=True)
    rejects_dir = work_dir(w.store) / "rejects"

    def work(job: Job) -> dict[str, Any]:
        from covey.ingest import import_path

        try:
            summary = import_path(
                w.store,
                source,
                rejects_dir=rejects_dir,
                progress=job.progress,
                memory_limit=settings.import_memory_limit,
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        job.rejects = summary.rejects_path
        out = summary.to_dict()
        out.pop("rejects_path", None)  # a server path: the page links to the download instead
        return out

    return jobs.start(w.name, "import", work)


def start_score(w: WorkspaceAccess, jobs: Jobs, settings: Settings | None = None) -> Job:
    """Score every creator in the background (DuckDB's memory capped at the settings' limit)."""
    memory_limit = (settings or Settings()).score_memory_limit

    def work(job: Job) -> dict[str, Any]:
        from covey.scores import score_store

        run = score_store(w.store, on_step=job.progress, memory_limit=memory_limit)
        # The creator pages' peer bands, computed now rather than by the first visitor.
        job.progress("peer bands for the creator pages", 0, 1)
        w.cache.put(("peer_bands", run.run_id), peer_bands(w.store, run.run_id))
        return {"run_id": run.run_id, "accounts": run.accounts, "score_version": run.score_version}

    return jobs.start(w.name, "score", work)


COMMUNITIES_KEY = ("communities",)


class CommunityRow(BaseModel):
    """One community: creators whose audiences overlap, named by their themes."""

    community_id: int
    name: str
    themes: list[str]
    size: int
    account_ids: list[str]
    handles: list[str]
    internal_overlap: float
    audience: int


class CommunitiesView(BaseModel):
    """The workspace's communities, when they have been found for its current data."""

    computed: bool
    communities: list[CommunityRow]


def communities(w: WorkspaceAccess) -> CommunitiesView:
    """The communities the last job found, if the data have not changed since."""
    rows = w.cache.peek(COMMUNITIES_KEY)
    return CommunitiesView(computed=rows is not None, communities=rows or [])


def start_communities(w: WorkspaceAccess, jobs: Jobs) -> Job:
    """Find communities in the background; the result is kept for the workspace's current data."""

    def work(job: Job) -> dict[str, Any]:
        from covey.discovery.communities import find_communities

        job.progress("finding creators whose audiences overlap", 0, 1)
        found = find_communities(w.store, min_size=2)
        rows = [
            CommunityRow(
                community_id=c.community_id, name=c.name, themes=c.themes, size=len(c.account_ids),
                account_ids=c.account_ids, handles=c.handles, internal_overlap=c.internal_overlap,
                audience=c.audience,
            )
            for c in found
        ]  # fmt: skip
        w.cache.put(COMMUNITIES_KEY, rows)
        return {"communities": len(rows)}

    return jobs.start(w.name, "communities", work)


def start_index(w: WorkspaceAccess, jobs: Jobs) -> Job:
    """Build or update the discovery index in the background."""
    total = int(w.store.query("SELECT count(*) FROM posts")[0][0])

    def work(job: Job) -> dict[str, Any]:
        from covey.discovery.indexer import build_index

        done = [0]

        def on_posts(n: int) -> None:
            done[0] += n
            job.progress("embedding posts", done[0], total)

        report = build_index(w.store, on_posts=on_posts)
        return {"accounts": report.accounts, "new_posts": report.new_posts}

    return jobs.start(w.name, "index", work)
