"""The optimizer against exact optima of the true objective (people reached 3-5 times).

    .venv/bin/python benchmarks/planning_exact.py --worlds 1700:97 --seeds 0-9
    .venv/bin/python benchmarks/planning_exact.py --worlds 1900:307 --seeds 10-19 --small 0

Instances are built exactly as ``planning_unseen.exact_eval`` builds them (200 micro
candidates of two niches of a generated world, 1,000 of their followers who follow two or
more of them, true reach rates, card prices, a budget of about 20 posts, at most 3 posts and
30 creators): HiGHS solves people reached 3-5 times on 3 drawn scenarios exactly
(``milp.solve_goal_milp``), and the planner's local search runs on the same draws
(``ScenarioState``) from the same starts as there (the plan optimised in expectation, the
scenario surrogate's greedy plan, nothing). The MILP's answers are cached (``--cache``), so
the search can be re-measured without re-solving; the ratio is ours / the MILP's plan scored
on the same draws (against its proven bound where the time limit ran out: a lower bound on
the true ratio). ``--small N`` also enumerates every plan of N 7-candidate instances.
Worlds are generated under ``--root`` (truth only; no import needed).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planning_eval import truth_panel
from planning_unseen import _instance

from covey.planning.greedy import plan_greedy
from covey.planning.local import search
from covey.planning.milp import solve_goal_milp
from covey.planning.objective import ScenarioCoverage
from covey.planning.optimize import optimize
from covey.planning.scenario_state import ScenarioState
from covey.planning.window import Goal, window_value
from covey.world import WorldConfig, generate

GOAL = Goal("window", 3, 5)


def _world(root: Path, spec: str) -> Path:
    creators, seed = (int(x) for x in spec.split(":"))
    world = root / f"world-{creators}-{seed}"
    if not (world / "truth" / "world.json").exists():
        generate(WorldConfig(creators=creators, seed=seed), world)
    return world


def _seeds(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        out += list(range(int(lo), int(hi or lo) + 1))
    return out


def _milp(
    cache: Path, key: str, panel: Any, rates: Any, cons: Any, seed: int, limit: float
) -> dict[str, Any]:
    """The MILP's plan, value, bound and status on this instance (cached by key)."""
    path = cache / f"{key}.json"
    if path.exists():
        return dict(json.loads(path.read_text()))
    got = solve_goal_milp(panel, rates, GOAL, cons, n_scenarios=3, seed=seed, time_limit=limit)
    out = {
        "posts": got.posts.tolist(),
        "value": got.value,
        "bound": got.bound,
        "status": got.status,
        "seconds": got.seconds,
    }
    path.write_text(json.dumps(out))
    return out


def _score(sc: ScenarioCoverage, posts: np.ndarray) -> float:
    """People reached 3-5 times, averaged over the drawn scenarios."""
    count = np.zeros((sc.panel.n_people, sc.n_scenarios), dtype=np.int64)
    for c in np.flatnonzero(posts).tolist():
        m, sl = sc.panel.members(c), slice(int(sc.panel.indptr[c]), int(sc.panel.indptr[c + 1]))
        count[m] += sc.hits[sl, : int(posts[c]), :].sum(axis=1)
    ok = (count >= GOAL.k) & (count <= GOAL.high)
    return float((ok.sum(axis=1) * sc.tw).sum()) / sc.n_scenarios


def big_instance(world: Path, seed: int, cache: Path, limit: float, n: int, people: int) -> dict[str, Any]:
    """One 200-candidate instance: the MILP's optimum against the search on the same draws."""
    panel, rates, cons = _instance(world, truth_panel, seed, n, people)
    exact = _milp(cache, f"{world.name}-{seed}-{n}-{people}", panel, rates, cons, seed, limit)
    sc = ScenarioCoverage(panel, rates, 1, 3, 3, seed)  # the MILP's draws (same seed and shape)
    started = time.process_time()
    start = optimize(panel, rates, GOAL, cons, []).posts
    mid = time.process_time()
    sur = plan_greedy(ScenarioCoverage(panel, rates, 3, 3, 3, seed), cons).posts
    got = search(
        panel, rates, GOAL, cons,
        [("expectation plan", start), ("scenario surrogate", sur), ("nothing", np.zeros_like(start))],
        state=ScenarioState(sc, GOAL, 3),
    )  # fmt: skip
    done = time.process_time()
    ours = _score(sc, got.posts)
    theirs = _score(sc, np.asarray(exact["posts"]))
    optimal = exact["status"] == "Optimal"
    ref = max(theirs, ours) if optimal else max(float(exact["bound"]), ours)
    return {
        "world": world.name,
        "seed": seed,
        "ours": ours,
        "milp": theirs,
        "milp_bound": float(exact["bound"]),
        "status": exact["status"],
        "milp_seconds": float(exact["seconds"]),
        "ratio": ours / ref if ref > 0 else 1.0,
        "ratio_to_incumbent": ours / theirs if theirs > 0 else 1.0,
        "cpu_expectation_plan": mid - started,
        "cpu_scenario_search": done - mid,
        "start": got.start,
        "moves": got.moves,
    }


def small_instance(world: Path, seed: int) -> float:
    """Ours / the enumerated optimum on 7 candidates, exact expectation."""
    panel, rates, cons = _instance(world, truth_panel, seed, 7, 400)
    best = 0.0
    for p in product(range(4), repeat=len(panel.creators)):
        posts = np.array(p)
        if (posts * cons.cost).sum() <= cons.budget:
            best = max(best, window_value(panel, rates, GOAL, posts))
    ours = optimize(panel, rates, GOAL, cons, [])
    return ours.value / best if best > 0 else 1.0


def main() -> None:
    """Run the instances and print one line each and a JSON summary."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--worlds", default="1700:97", help="creators:seed,...")
    ap.add_argument("--seeds", default="0-9", help="instance seeds, e.g. 0-9 or 0,3,7")
    ap.add_argument("--small", type=int, default=0, help="also enumerate this many 7-candidate instances")
    ap.add_argument("--root", type=Path, default=Path("/tmp/covey-planning-exact"))
    ap.add_argument("--cache", type=Path, default=None, help="MILP answers (default ROOT/milp)")
    ap.add_argument("--time-limit", type=float, default=120.0, help="HiGHS seconds per instance")
    ap.add_argument("--candidates", type=int, default=200)
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=None, help="write the rows and summary as JSON")
    args = ap.parse_args()
    cache = args.cache or args.root / "milp"
    cache.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    small: list[float] = []
    for spec in args.worlds.split(","):
        world = _world(args.root, spec)
        for seed in _seeds(args.seeds):
            row = big_instance(world, seed, cache, args.time_limit, args.candidates, args.people)
            rows.append(row)
            print(
                f"{row['world']} seed {seed}: ours {row['ours']:.2f} MILP {row['milp']:.2f} "
                f"bound {row['milp_bound']:.2f} ({row['status']}) ratio {row['ratio']:.4f} "
                f"cpu {row['cpu_expectation_plan']:.2f}+{row['cpu_scenario_search']:.2f}s "
                f"from {row['start']}",
                flush=True,
            )
        for seed in range(args.small):
            small.append(small_instance(world, seed))
    ratios = np.array([r["ratio"] for r in rows])
    proven = np.array([r["ratio"] for r in rows if r["status"] == "Optimal"])
    summary = {
        "instances": len(rows),
        "proven_optimal": int(proven.size),
        "ratio_median": float(np.median(ratios)),
        "ratio_worst": float(ratios.min()),
        "ratio_proven_median": float(np.median(proven)) if proven.size else None,
        "ratio_proven_worst": float(proven.min()) if proven.size else None,
        "optimum_found": int((ratios >= 1 - 1e-9).sum()),
        "cpu_per_plan_median": float(np.median([r["cpu_expectation_plan"] for r in rows])),
        "cpu_scenario_search_median": float(np.median([r["cpu_scenario_search"] for r in rows])),
        "small_ratio_median": float(np.median(small)) if small else None,
        "small_ratio_worst": float(np.min(small)) if small else None,
    }
    print(json.dumps(summary, indent=2))
    if args.out:
        args.out.write_text(json.dumps({"summary": summary, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
