"""From constraints to a plan: surrogate greedy, baselines as starts, local search on the goal.

1. The surrogate F_k (``objective.ExpectedCoverage``) is planned by lazy greedy; its online
   bound B bounds every plan's F_k, and since P(X >= k) <= E[min(X, k)] / k, B / k bounds
   the people any plan can reach k+ times (and so within the window): a valid, loose
   upper bound on the objective shown (``reach1``: F_1 is the objective itself, B exactly).
2. The local search (``local.search``) optimises the objective the user asked for from the
   surrogate's plan, the naive choice and an empty plan; where the macro option scores higher
   in the model, from it too (its creators then become plannable).
3. The creator minimum: when the best plan uses fewer creators than ``--creators`` asks, the
   plan that keeps the minimum is made too (the surrogate with a lower post cap, then the
   local search holding the minimum), and the caller shows both.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import numpy as np

from covey.planning.certificate import Certificate
from covey.planning.greedy import IMPROVE_TRIALS, Constraints, plan_greedy
from covey.planning.local import MAX_MOVES, search
from covey.planning.objective import ExpectedCoverage
from covey.planning.reach import FloatArray, IntArray, Panel
from covey.planning.window import Goal, window_value

log = logging.getLogger("covey.planning.optimize")


@dataclass(frozen=True)
class Chosen:
    """One optimised plan: posts, its objective value, a certificate and how it was found."""

    posts: IntArray
    value: float
    certificate: Certificate
    method: str


def bound_for(goal: Goal, surrogate_bound: float) -> float:
    """Upper bound on the goal's optimum from the F_k bound (k = 1 for reach1)."""
    return surrogate_bound if goal.kind == "reach1" else surrogate_bound / goal.k


def optimize(
    panel: Panel,
    rates: FloatArray,
    goal: Goal,
    cons: Constraints,
    starts: list[tuple[str, IntArray]],
    *,
    min_creators: int = 0,
    quick: bool = False,
    warm: bool = False,
) -> Chosen:
    """Best plan for the goal: surrogate greedy, then local search from it and the given starts.

    ``quick`` (for the budget curve) skips the greedy's refills and the perturbations, caps
    the local search at 5 moves and starts from no empty plan: a smaller, still deterministic,
    effort. On shortlisted (big) instances and panels of more than ``KICK_ENTRIES``
    memberships the search makes no perturbations either: on the 10,000-candidate benchmark
    4 per start cost twice the CPU time for plans 0-2.5 % better. ``warm``
    searches from the given starts only (the surrogate still gives the bound): for re-plans
    that start from a neighbouring plan.
    """
    k = 1 if goal.kind == "reach1" else goal.k
    free = replace(cons, min_creators=0)
    big = len(panel.creators) > SHORTLIST
    trials = 0 if quick or big else IMPROVE_TRIALS  # on big instances the local search does the swaps
    sur = plan_greedy(ExpectedCoverage(panel, rates, k), free, improve_trials=trials)
    all_starts = [] if warm and starts else [("surrogate greedy", sur.posts)]
    if min_creators > 0 and int((sur.posts > 0).sum()) < min_creators:
        capped = _spread(panel, rates, k, free, min_creators)
        if capped is not None:
            all_starts = [("surrogate greedy with a lower post cap", capped)]
    all_starts += [(n, p) for n, p in starts if int((p > 0).sum()) >= min_creators or min_creators == 0]
    if not quick and not big and min_creators == 0:
        all_starts.append(("nothing", np.zeros(len(panel.creators), dtype=np.int64)))
    keep = _shortlist(panel, rates, k, free, [p for _, p in all_starts]) if big else None
    if keep is not None:
        sub_panel, sub_cons = _restrict(panel, free, keep)
        sub_starts = [(n, p[keep]) for n, p in all_starts]
        got = search(
            sub_panel, rates[keep], goal, sub_cons, sub_starts, min_creators=min_creators,
            max_moves=5 if quick else MAX_MOVES, kicks=0, room=sub_panel.indices.size <= KICK_ENTRIES,
        )  # fmt: skip
        posts = np.zeros(len(panel.creators), dtype=np.int64)
        posts[keep] = got.posts
        found = replace(got, posts=posts)
    else:
        found = search(
            panel,
            rates,
            goal,
            free,
            all_starts,
            min_creators=min_creators,
            max_moves=5 if quick else MAX_MOVES,
            kicks=0 if quick or panel.indices.size > KICK_ENTRIES else None,
            room=panel.indices.size <= KICK_ENTRIES,
        )
    bound = bound_for(goal, sur.certificate.upper_bound)
    method = f"local search on the {goal.kind} objective from the {found.start} ({found.moves} moves)"
    return Chosen(found.posts, found.value, Certificate(found.value, bound), method)


SHORTLIST = 400  # creators the local search considers on big instances
# Perturbations and the make-room move only on panels of at most this many memberships (a
# count): each perturbation costs a climb,
# about 0.1 s of CPU on the 200-candidate benchmark instances (2,000-3,000 memberships), and
# the climbs grow with the people a move touches.
KICK_ENTRIES = 20_000


def _shortlist(
    panel: Panel, rates: FloatArray, k: int, cons: Constraints, starts: list[IntArray]
) -> IntArray:
    """Creators in any start or must-include, then the best first posts per money, up to SHORTLIST."""
    first = ExpectedCoverage(panel, rates, k).gains() / np.maximum(cons.cost, cons.budget * 1e-6)
    first[cons.max_posts <= 0] = -np.inf
    chosen = np.zeros(len(panel.creators), dtype=bool)
    for p in starts:
        chosen |= p > 0
    chosen[list(cons.must)] = True
    order = np.argsort(-first, kind="stable")
    room = max(0, SHORTLIST - int(chosen.sum()))
    chosen[order[np.isfinite(first[order])][:room]] = True
    return np.flatnonzero(chosen).astype(np.int64)


def _restrict(panel: Panel, cons: Constraints, keep: IntArray) -> tuple[Panel, Constraints]:
    """The panel and constraints of the ``keep`` creators only (people keep their rows)."""
    starts, ends = panel.indptr[keep], panel.indptr[keep + 1]
    sizes = ends - starts
    idx = (
        np.concatenate([panel.indices[a:b] for a, b in zip(starts, ends, strict=True)]) if keep.size else None
    )
    indptr = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    factor = None
    if panel.factor is not None:
        factor = (
            np.concatenate([panel.factor[a:b] for a, b in zip(starts, ends, strict=True)])
            if keep.size
            else np.zeros(0)
        )
    sub = Panel(
        tuple(panel.creators[i] for i in keep),
        indptr,
        idx.astype(np.int64) if idx is not None else np.zeros(0, np.int64),
        panel.weight,
        panel.target,
        factor,
    )
    pos = {int(c): i for i, c in enumerate(keep)}
    return sub, replace(
        cons,
        cost=cons.cost[keep],
        max_posts=cons.max_posts[keep],
        must=tuple(pos[c] for c in cons.must if c in pos),
        group=None if cons.group is None else cons.group[keep],
    )


def _spread(panel: Panel, rates: FloatArray, k: int, cons: Constraints, minimum: int) -> IntArray | None:
    """The surrogate's plan with the highest post cap that still spreads over ``minimum`` creators."""
    top = int(cons.max_posts.max()) if cons.max_posts.size else 0
    trial = None
    for cap in range(top - 1, 0, -1):
        capped = replace(cons, max_posts=np.minimum(cons.max_posts, cap))
        trial = plan_greedy(ExpectedCoverage(panel, rates, k), capped, improve_trials=0)
        if int((trial.posts > 0).sum()) >= minimum:
            return trial.posts
    return None if trial is None else trial.posts  # one post each: as many creators as fit


def minimum_budget(cost: FloatArray, caps: IntArray, creators: int, posts: int) -> float | None:
    """Least money that buys ``posts`` posts from each of ``creators`` creators (None: too few)."""
    ok = np.flatnonzero(caps >= posts)
    if ok.size < creators:
        return None
    return float(np.sort(cost[ok])[:creators].sum() * posts)


def value_of(panel: Panel, rates: FloatArray, goal: Goal, posts: IntArray) -> float:
    """The goal's value of any plan (for baselines)."""
    return window_value(panel, rates, goal, posts)
