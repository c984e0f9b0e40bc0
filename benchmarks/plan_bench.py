"""Planner speed: 30 creators chosen from 10,000 candidates; sketch overlaps for 1,000 creators.

    .venv/bin/python benchmarks/plan_bench.py --candidates 10000 --repeat 3

Synthetic candidates (40 segments, log-normal followers around 15k, instagram/tiktok/youtube)
drawn into the segment model's virtual panel (4,000 people per segment), priced with the
default rate card, then planned with a budget of 30 creators x 3 posts: lazy greedy (both
runs, best single, online certificate; on instances this big the planner skips the greedy's
swap refills); then what `covey plan` runs, that greedy followed by the local search on the
3-5 window (over a shortlist of 400 creators) from it and from the naive choice. Times are
wall-clock on this machine (and CPU time), the best of ``--repeat`` runs.

``--niches N`` groups the 40 segments into N niches of several countries whose creators share
people across countries (a cross rate of a quarter of a segment's own), as a world-wide list
does: the panel then holds every niche's cross draws (session 20's cost).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np
import pyarrow as pa

from covey.planning.baselines import naive_choice
from covey.planning.candidates import Candidates
from covey.planning.greedy import Constraints, plan_greedy
from covey.planning.objective import ExpectedCoverage
from covey.planning.optimize import optimize
from covey.planning.overlap import pairwise_overlaps
from covey.planning.ratecard import load_rate_card
from covey.planning.reach import load_priors
from covey.planning.segments import Segments, virtual_panel
from covey.planning.sketches import build_sketches
from covey.planning.window import Goal
from covey.tiers import DEFAULT_TIERS


def synthetic(n: int, seed: int, niches: int = 0) -> tuple[Candidates, Segments]:
    rng = np.random.default_rng(seed)
    priors = load_priors()
    followers = np.clip(10 ** rng.normal(4.2, 0.35, n), 1_000, 99_999).round()
    platforms = rng.choice(["instagram", "tiktok", "youtube"], n, p=[0.55, 0.28, 0.17]).tolist()
    tiers = [DEFAULT_TIERS.of(int(f)) for f in followers]
    seg = rng.integers(0, 40, n)
    cands = Candidates(
        account_id=[f"acct:{i}" for i in range(n)],
        handle=[f"h{i}" for i in range(n)],
        platform=platforms,
        country=[None] * n,
        language=[None] * n,
        niche=[f"n{s}" for s in seg],
        tier=tiers,
        followers=followers,
        real_share=np.full(n, priors.real_share),
        rate=np.array([priors.reach_rate(p, t) for p, t in zip(platforms, tiers, strict=True)]),
        engagement_rate=rng.uniform(0.01, 0.08, n),
        engagements_per_post=followers * 0.03,
        fee=np.full(n, np.nan),
        source="synthetic",
    )
    a = cands.real_audience
    size = np.bincount(seg, weights=a, minlength=40) / 3.0  # people follow ~3 of a segment's creators
    segs = Segments(
        [f"n{g}" for g in range(40)], seg.astype(np.int64), size, np.zeros(40, np.int64), np.ones(40, bool)
    )
    if niches > 0:
        group = (np.arange(40) * niches // 40).astype(np.int64)
        segs = replace(segs, group_of=group, cross_rate=np.full(niches, 0.25 / float(size.mean())))
    return cands, segs


def bench_plan(n: int, seed: int, niches: int = 0) -> dict[str, float]:
    cands, segs = synthetic(n, seed, niches)
    t0 = time.perf_counter()
    panel = virtual_panel(cands, segs, np.ones(40, bool), seed=seed)
    t1 = time.perf_counter()
    card = load_rate_card()
    cost, _ = card.prices(cands.account_id, cands.handle, cands.platform, cands.tier, cands.engagement_rate)
    budget = float(np.median(cost) * 90)
    cons = Constraints(budget, cost, np.full(n, 3), max_creators=30, min_creators=15)
    res = plan_greedy(ExpectedCoverage(panel, cands.rate, 3), cons, improve_trials=0)
    t2 = time.perf_counter()
    c2 = time.process_time()
    # What `covey plan` runs: the surrogate greedy, then the local search on the 3-5 window.
    naive = naive_choice(cands.engagement_rate, cost, cons.max_posts, budget, 30)
    full = optimize(panel, cands.rate, Goal("window", 3, 5), cons, [("naive choice", naive)])
    t3 = time.perf_counter()
    c3 = time.process_time()
    return {
        "panel_seconds": t1 - t0,
        "plan_seconds": t2 - t1,
        "full_seconds": t3 - t2,
        "full_cpu_seconds": c3 - c2,
        "creators": float((res.posts > 0).sum()),
        "posts": float(res.posts.sum()),
        "full_creators": float((full.posts > 0).sum()),
        "full_posts": float(full.posts.sum()),
        "ratio": res.certificate.ratio,
        "memberships": float(panel.indices.size),
    }


def bench_overlaps(n_sets: int, size: int, seed: int) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    sets = np.repeat(np.arange(n_sets), size)
    members = rng.integers(0, n_sets * size // 4, sets.size)
    t = pa.table(
        {"set_id": pa.array([f"s{x}" for x in sets]), "member_id": pa.array([f"m{x}" for x in members])}
    )
    t0 = time.perf_counter()
    ov = pairwise_overlaps(build_sketches(t))
    return {"seconds": time.perf_counter() - t0, "pairs": float(len(ov))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--candidates", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--niches", type=int, default=0, help="segments grouped into niches across countries")
    args = ap.parse_args()
    runs = [bench_plan(args.candidates, s, args.niches) for s in range(args.repeat)]
    best = min(runs, key=lambda r: r["plan_seconds"])
    print(
        f"plan: {args.candidates:,} candidates -> {best['creators']:.0f} creators, "
        f"{best['posts']:.0f} posts in {best['plan_seconds']:.2f}s "
        f"(worst {max(r['plan_seconds'] for r in runs):.2f}s; panel {best['panel_seconds']:.2f}s, "
        f"{best['memberships']:,.0f} memberships); certificate ratio {best['ratio']:.3f}"
    )
    full = min(runs, key=lambda r: r["full_seconds"])
    print(
        f"plan with local search on the 3-5 window: {full['full_creators']:.0f} creators, "
        f"{full['full_posts']:.0f} posts in {full['full_seconds']:.2f}s "
        f"(worst {max(r['full_seconds'] for r in runs):.2f}s; CPU {full['full_cpu_seconds']:.2f}s)"
    )
    ov = bench_overlaps(1_000, 1_000, 0)
    print(f"overlaps: 1,000 creators x 1,000 ids -> {ov['pairs']:,.0f} pairs in {ov['seconds']:.2f}s")


if __name__ == "__main__":
    main()
