"""Read models of the pages: what a workspace holds, the creators table, one creator.

These are read-only queries over the canonical tables, typed for the API; scores are read
through the score read API (:mod:`covey.scores.read`), never with SQL of their own.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, Literal

import pyarrow as pa
from pydantic import BaseModel, Field

from covey.scores import COMPONENTS
from covey.scores import read as score_read
from covey.scores.result import ComponentScore, EvidenceItem
from covey.store import Store
from covey.tiers import DEFAULT_TIERS
from covey.web.standing import Standing

SCORE_COLUMNS = ("overall", *COMPONENTS)
SORTS = ("handle", "followers", "country", *SCORE_COLUMNS)
MAX_PAGE = 100


def clean(x: Any) -> Any:
    """NaN and infinities become None (unknown), so JSON never holds them."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


class ScoreRunInfo(BaseModel):
    """The latest scoring run."""

    run_id: int
    score_version: str
    as_of: datetime | None
    computed_at: datetime | None
    accounts: int


class ImportInfo(BaseModel):
    """One past import."""

    import_id: int
    source: str
    finished_at: datetime | None


class Home(BaseModel):
    """What a workspace holds and what to do next."""

    workspace: str
    role: str
    tables: dict[str, int]
    last_run: ScoreRunInfo | None
    last_import: ImportInfo | None
    plans: int
    indexed: bool
    next_steps: list[str]


def latest_run(store: Store) -> ScoreRunInfo | None:
    """The newest scoring run, if any."""
    r = score_read.latest_run(store)
    if r is None:
        return None
    return ScoreRunInfo(
        run_id=r.run_id,
        score_version=r.score_version,
        as_of=r.as_of,
        computed_at=r.computed_at,
        accounts=r.accounts,
    )


def home(store: Store, workspace: str, role: str, indexed: bool) -> Home:
    """The workspace home's figures and next steps."""
    tables = store.table_counts()
    run = latest_run(store)
    imp = store.query("SELECT import_id, source, finished_at FROM imports ORDER BY import_id DESC LIMIT 1")
    plans = int(store.query("SELECT count(*) FROM plans")[0][0])
    steps: list[str] = []
    if not tables.get("accounts"):
        steps.append("Import creators, posts and comments (Import).")
    elif run is None:
        steps.append("Score every creator (Score now on this page).")
    elif not indexed:
        steps.append("Build the discovery index (Build index on this page) to search by brief.")
    else:
        steps.append("Find creators for a brief (Discover), then plan a campaign (Plan).")
    return Home(
        workspace=workspace,
        role=role,
        tables=tables,
        last_run=run,
        last_import=ImportInfo(import_id=imp[0][0], source=imp[0][1], finished_at=imp[0][2]) if imp else None,
        plans=plans,
        indexed=indexed,
        next_steps=steps,
    )


class CreatorFilters(BaseModel):
    """Filters, sort and page of the creators table; every filter is optional."""

    platform: str | None = None
    tier: str | None = None
    country: str | None = None
    language: str | None = None
    niche: str | None = None
    q: str | None = Field(default=None, description="Part of a handle or display name.")
    min_scores: dict[str, float] = Field(default_factory=dict, description="Lowest score per column, 0-100.")
    sort: str = "overall"
    order: Literal["asc", "desc"] = "desc"
    page: int = Field(default=1, ge=1)
    per_page: int = Field(default=25, ge=1, le=MAX_PAGE)


class CreatorRow(BaseModel):
    """One row of the creators table; None is unknown."""

    account_id: str
    handle: str
    display_name: str | None
    platform: str
    country: str | None
    language: str | None
    followers: int | None
    tier: str | None
    scores: dict[str, float | None]


class CreatorPage(BaseModel):
    """One page of creators."""

    filters: CreatorFilters
    total: int
    pages: int
    rows: list[CreatorRow]
    scored: bool
    notes: list[str]


def creator_table(store: Store, run_id: int | None) -> pa.Table:
    """Every account with its latest followers and its scores of run ``run_id``, one row each.

    One pass over snapshots and scores; the web app keeps it per workspace and data version
    (``covey.web.deps.WebState.cached``), so a page of creators filters and sorts this table
    instead of aggregating every snapshot and score again.
    """
    sc = score_read.component_scores(store, SCORE_COLUMNS, run_id if run_id is not None else -1)
    return store.sql(
        f"""
        WITH snap AS (SELECT account_id, arg_max(followers, taken_at) AS followers
                      FROM account_snapshots GROUP BY account_id)
        SELECT a.account_id, a.handle, a.display_name, a.platform, a.country, a.language, s.followers,
               {", ".join(f'sc."{c}"' for c in SCORE_COLUMNS)}
        FROM accounts a LEFT JOIN snap s USING (account_id) LEFT JOIN sc USING (account_id)""",
        sc=sc,
    )


def creators(
    store: Store,
    f: CreatorFilters,
    niche_ids: list[str] | None = None,
    *,
    table: pa.Table | None = None,
    run: ScoreRunInfo | None = None,
) -> CreatorPage:
    """Creators passing the filters, sorted and paged; scores from the latest run.

    ``table`` is :func:`creator_table` of the latest run when the caller keeps it (with that
    ``run``); without it the table is built for this call.
    """
    if table is None:
        run = latest_run(store)
        table = creator_table(store, run.run_id if run else None)
    where: list[str] = ["TRUE"]
    params: list[Any] = []
    notes: list[str] = []
    if f.platform:
        where.append("t.platform = ?")
        params.append(f.platform.lower())
    if f.country:
        where.append("upper(t.country) = ?")
        params.append(f.country.upper())
    if f.language:
        where.append("lower(t.language) = ?")
        params.append(f.language.lower())
    if f.q:
        where.append("(t.handle ILIKE ? OR t.display_name ILIKE ?)")
        params += [f"%{f.q}%", f"%{f.q}%"]
    if f.tier:
        low, high = DEFAULT_TIERS.range(f.tier)
        where.append("t.followers >= ?" + (" AND t.followers < ?" if high is not None else ""))
        params += [low] + ([high] if high is not None else [])
    for col, low_score in f.min_scores.items():
        if col in SCORE_COLUMNS:
            where.append(f't."{col}" >= ?')
            params.append(float(low_score))
    tables: dict[str, pa.Table] = {"creator_table": table}
    if niche_ids is not None:
        tables["niche"] = pa.table({"account_id": pa.array(niche_ids, pa.string())})
        where.append("t.account_id IN (SELECT account_id FROM niche)")
    sort = f.sort if f.sort in SORTS else "overall"
    sort_sql = f'"{sort}"'  # a column of the table, from the SORTS whitelist
    base = f"SELECT t.* FROM creator_table t WHERE {' AND '.join(where)}"
    direction = "ASC" if f.order == "asc" else "DESC"
    # One query for the page and the total (a window count), a second only past the last page.
    page = store.sql(
        f"SELECT *, count(*) OVER () AS _total FROM ({base}) "
        f"ORDER BY {sort_sql} {direction} NULLS LAST, account_id "
        "LIMIT ? OFFSET ?",
        [*params, f.per_page, (f.page - 1) * f.per_page],
        **tables,
    )
    if page.num_rows:
        total = int(page.column("_total")[0].as_py())
    else:
        total = int(store.sql(f"SELECT count(*) FROM ({base})", params, **tables).column(0)[0].as_py())
    rows = [
        CreatorRow(
            account_id=r["account_id"],
            handle=r["handle"],
            display_name=r["display_name"],
            platform=r["platform"],
            country=r["country"],
            language=r["language"],
            followers=r["followers"],
            tier=DEFAULT_TIERS.of(r["followers"]),
            scores={c: clean(r[c]) for c in SCORE_COLUMNS},
        )
        for r in page.to_pylist()
    ]
    if run is None:
        notes.append("No scores yet: score the workspace to see and filter by scores.")
    return CreatorPage(
        filters=f,
        total=total,
        pages=max(1, math.ceil(total / f.per_page)),
        rows=rows,
        scored=run is not None,
        notes=notes,
    )


# A creator's components and evidence are the library's vetting types (covey.scores.result),
# the same ones `covey vet` prints.
Component = ComponentScore


class Post(BaseModel):
    """A recent post."""

    post_id: str
    posted_at: datetime | None
    caption: str | None
    likes: int | None
    comments: int | None
    url: str | None


class Point(BaseModel):
    """Followers at one time."""

    taken_at: datetime
    followers: int | None


class Creator(BaseModel):
    """Everything the creator page shows."""

    account_id: str
    handle: str
    display_name: str | None
    platform: str
    bio: str | None
    country: str | None
    language: str | None
    run: ScoreRunInfo | None
    components: list[ComponentScore]
    evidence: list[EvidenceItem]
    followers: list[Point]
    posts: list[Post]
    standing: Standing | None = Field(
        default=None, description="Engagement against the peer band; fake share with its 95 % interval."
    )


def creator(store: Store, account_id: str) -> Creator | None:
    """One account of this workspace with its latest scores; None when it is not here."""
    acc = store.arrow(
        "SELECT account_id, handle, display_name, platform, bio, country, language FROM accounts "
        "WHERE account_id = ?",
        [account_id],
    ).to_pylist()
    if not acc:
        return None
    run = latest_run(store)
    components: list[ComponentScore] = []
    evidence: list[EvidenceItem] = []
    if run is not None:
        order = {c: i for i, c in enumerate(SCORE_COLUMNS)}
        comp = score_read.account_components(store, account_id, run.run_id)
        components = sorted(
            (ComponentScore(**{k: clean(v) for k, v in c.items()}) for c in comp),
            key=lambda c: order.get(c.component, 99),
        )
        evidence = [
            EvidenceItem(**e) for e in score_read.account_evidence(store, account_id, run.run_id, limit=60)
        ]
    points = [
        Point(**p)
        for p in store.arrow(
            "SELECT taken_at, followers FROM account_snapshots WHERE account_id = ? ORDER BY taken_at",
            [account_id],
        ).to_pylist()
    ]
    posts = [
        Post(**p)
        for p in store.arrow(
            "SELECT post_id, posted_at, caption, likes, comments, url FROM posts WHERE account_id = ? "
            "ORDER BY posted_at DESC LIMIT 12",
            [account_id],
        ).to_pylist()
    ]
    return Creator(**acc[0], run=run, components=components, evidence=evidence, followers=points, posts=posts)
