"""One campaign on a sample world, end to end, as a user would run it; shared by the benchmarks.

Plan (``run_plan`` on a candidate list), create the campaign from the plan, move every creator
to contracted, submit and approve every post, simulate the delivery (``covey.world.campaign``:
a drop-out, late posts, a forgotten disclosure, exposures drawn from the true audiences),
import the posts, track, and import the insights of the creators who shared them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from covey.campaigns.approval import decide, submit
from covey.campaigns.campaign import Spec, bookings_from_plan, create_campaign, creators
from covey.campaigns.insights import import_insights
from covey.campaigns.pipeline import move
from covey.campaigns.tracking import track
from covey.ingest import import_path
from covey.planning.planner import Brief
from covey.planning.session import run_plan
from covey.store import DuckDBStore, Store
from covey.world.campaign import LABELS, orders_from_store, simulate

STARTS, ENDS, TRACKED = date(2026, 7, 1), date(2026, 7, 28), date(2026, 9, 1)
ACTOR = "eval"


@dataclass(frozen=True)
class Campaign:
    """A simulated campaign: its ids in the store, the creators booked and the simulation's truth."""

    campaign_id: int
    plan_id: int
    booked: int
    truth: dict[str, Any]


def _create(store: Store, brief: Brief, cands: Path, name: str, hashtag: str) -> tuple[int, int]:
    """Plan over the candidate list and create the campaign from the plan: (campaign id, plan id)."""
    res = run_plan(store, brief, candidates=cands)
    pid = int(res.summary["plan_id"])
    books, _ = bookings_from_plan(store, pid)
    spec = Spec(
        name=name,
        brand="Acme",
        starts=STARTS,
        ends=ENDS,
        budget=brief.budget,
        hashtag=hashtag,
        code_pattern="ACME-{handle}",
    )
    return create_campaign(store, spec, books, actor=ACTOR, plan_id=pid), pid


def _contract_and_approve(store: Store, cid: int, hashtag: str) -> None:
    """Every creator to contracted; every post drafted (disclosed, with the hashtag) and approved."""
    for c in creators(store, cid):
        for s in ("contacted", "replied", "negotiating", "contracted"):
            move(store, cid, c["handle"], s, actor=ACTOR)
        for k in range(1, c["posts"] + 1):
            text = f"{LABELS.get(c['language'] or 'en', '#ad')} | with @acme #{hashtag}"
            r = submit(store, cid, c["handle"], k, text, actor=ACTOR)
            decide(store, cid, c["handle"], k, r["version"], "approved", actor=ACTOR)


def run_campaign(
    db: Path,
    world: Path,
    cands: Path,
    brief: Brief,
    seed: int,
    out: Path,
    *,
    insights: bool = True,
    name: str = "Eval",
    hashtag: str = "acmeeval",
) -> Campaign:
    """Plan ``brief`` (its budget) over ``cands`` in the store ``db`` of ``world``, run the campaign.

    ``seed`` draws the delivery; ``out`` receives the simulation's files; ``insights`` imports
    the insights the sharing creators reported. Campaigns sharing one store need their own
    ``hashtag`` and ``seed`` (the seed names the posts).
    """
    with DuckDBStore(db) as store:
        cid, pid = _create(store, brief, cands, name, hashtag)
        _contract_and_approve(store, cid, hashtag)
    orders, info = orders_from_store(db, campaign_id=cid, plan_id=None)
    truth = simulate(
        world, orders, out, hashtag=info["hashtag"], brand=info["brand"], seed=seed, starts=info["starts"]
    )
    with DuckDBStore(db) as store:
        import_path(store, out / "posts.parquet")
        track(store, cid, actor=ACTOR, today=TRACKED)
        if insights:
            import_insights(store, cid, out / "insights.csv", actor=ACTOR)
    return Campaign(cid, pid, len(orders), truth)
