"""Local search on the objective the user asked for (people reached within the frequency window).

From each start (the surrogate greedy's plan, the naive choice, the macro option, nothing),
first fill: add the bundle of posts (1..cap more posts of one creator) with the best gain per
money while any gain is positive and the budget allows. Then move: take a bundle away from a
chosen creator, alone (worth it when people are pushed over the window's top) or together
with the best bundle of another creator that the freed budget buys (a swap), apply the best
improving move and fill again; when no such move improves, the compound moves of
:mod:`covey.planning.moves` change several creators at once (an ejection: drop a creator and
refill; make room: add a bundle, alone or with its best partner, and give up the posts that
cost least value per money). From each start's plan, ``KICKS`` perturbations
(drop two related creators, put in a random good bundle, climb again) keep what improves.
Every candidate move is evaluated exactly on the panel.

Deterministic: the number of moves, trials and perturbations are counts, the perturbations'
generator has a fixed seed, ties go to the lower creator index, and the best start wins with
ties to the earlier start, so the same inputs give the same plan on any machine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from covey.planning.greedy import Constraints
from covey.planning.moves import SearchPlan, climb, fill, kick
from covey.planning.reach import FloatArray, IntArray, Panel
from covey.planning.window import Goal, WindowState, window_value

log = logging.getLogger("covey.planning.local")

MAX_MOVES = 40  # improving moves per start; a count, not a clock
KICKS = 12  # perturbations of each start's plan after its climb (not on shortlisted instances)
KICK_SEED = 20261202  # fixed: the same perturbations on every run and machine


@dataclass(frozen=True)
class SearchResult:
    """The best plan found, its objective value, the start it came from and the moves made."""

    posts: IntArray
    value: float
    start: str
    moves: int


def _at_least(panel: Panel, rates: FloatArray, goal: Goal, posts: IntArray) -> float:
    """Expected people reached k+ times: the tie-break between plans of equal value."""
    return window_value(panel, rates, Goal("atleast", max(goal.k, 1), goal.high), posts)


def _perturb(
    plan: SearchPlan,
    moves: int,
    rng: np.random.Generator,
    kicks: int,
    min_creators: int,
    max_moves: int,
    room: bool,
) -> tuple[SearchPlan, int, int]:
    """``kicks`` perturbations of the plan, each followed by the climb; keeps each that improves.

    Returns the plan, the moves made in all and how many perturbations were kept.
    """
    kept = 0
    keep = min(plan.creators, min_creators)
    for _ in range(kicks):
        trial = plan.copy()
        kick(trial, rng)
        made = climb(trial, min_creators, max_moves, room)
        if min(trial.creators, min_creators) >= keep and trial.s.value > plan.s.value * (1 + 1e-6) + 1e-9:
            plan, moves, kept = trial, moves + made, kept + 1
    return plan, moves, kept


def search(
    panel: Panel,
    rates: FloatArray,
    goal: Goal,
    cons: Constraints,
    starts: list[tuple[str, IntArray]],
    *,
    min_creators: int = 0,
    max_moves: int = MAX_MOVES,
    kicks: int | None = None,
    room: bool = True,
    state: WindowState | None = None,
) -> SearchResult:
    """Best plan for ``goal`` under ``cons`` found from each start; starts must respect ``cons``.

    After the climb from each start, ``kicks`` (default ``KICKS``) perturbations of its plan (a fixed-seed
    generator: the same every run), each followed by the climb, keep any that improves it.
    ``room`` allows the make-room move (off on large panels, where it costs most).
    ``state`` replaces the exact-expectation state (e.g. a ``ScenarioState`` for comparison
    with the MILP on drawn scenarios); it must be empty.
    """
    kicks = KICKS if kicks is None else kicks
    bundle = int(cons.max_posts.max()) if cons.max_posts.size else 1
    base = state if state is not None else WindowState(panel, rates, goal, bundle)
    best: SearchResult | None = None
    best_key = (0, 0.0)
    rng = np.random.default_rng(KICK_SEED)  # one generator for all starts: a fixed sequence
    for name, start in starts:
        plan = SearchPlan(base.copy(), cons)
        for c in cons.must:
            if start[c] == 0 and plan.feasible(plan.s.posts)[0, c]:
                plan.s.add(c, 1)
        for c in np.flatnonzero(start).tolist():
            n = int(min(start[c], cons.max_posts[c])) - int(plan.s.posts[c])
            if n > 0 and plan.feasible(plan.s.posts)[n - 1, c]:
                plan.s.add(c, n)
        fill(plan)
        moves = climb(plan, min_creators, max_moves, room)
        plan, moves, kept = _perturb(plan, moves, rng, kicks, min_creators, max_moves, room)
        value = plan.s.value
        if kept:
            name = f"{name}, {kept} perturbation{'s' if kept > 1 else ''} kept"
        log.info("local search from %s: value %.1f after %d moves", name, value, moves)
        # A plan short of the creator minimum only wins over another short one (more creators first);
        # between plans of equal value, the one reaching more people k+ times (a saturated window
        # often leaves a tie, and the extra posts then reach more people often enough).
        short = min(plan.creators, min_creators)
        if best is None or short > best_key[0]:
            better = True
        elif short < best_key[0]:
            better = False
        elif value > best.value * (1 + 1e-6) + 1e-9:
            better = True
        else:
            tied = value >= best.value * (1 - 1e-6) - 1e-9
            more = _at_least(panel, rates, goal, plan.s.posts)
            better = tied and more > _at_least(panel, rates, goal, best.posts) * (1 + 1e-6) + 1e-9
        if better:
            best, best_key = SearchResult(plan.s.posts.copy(), value, name, moves), (short, value)
    if best is None:
        raise ValueError("local search needs at least one start")
    return best
