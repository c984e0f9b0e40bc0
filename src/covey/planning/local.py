"""Local search on the objective the user asked for (people reached within the frequency window).

From each start (the surrogate greedy's plan, the naive choice, the macro option, nothing),
first fill: add the bundle of posts (1..cap more posts of one creator) with the best gain per
money while any gain is positive and the budget allows. Then move: take a bundle away from a
chosen creator, alone (worth it when people are pushed over the window's top) or together
with the best bundle of another creator that the freed budget buys (a swap), apply the best
improving move and fill again; when no such move improves, drop all posts of one creator and
refill without it (an ejection: several bundles may come in), keeping the best that improves.
Every candidate move is evaluated exactly on the panel.

Deterministic: the number of moves is bounded by a count (``max_moves``), ties go to the
lower creator index, and the best start wins with ties to the earlier start, so the same
inputs give the same plan on any machine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from covey.planning.greedy import Constraints
from covey.planning.reach import FloatArray, IntArray, Panel
from covey.planning.window import Goal, WindowState, window_value

log = logging.getLogger("covey.planning.local")

MAX_MOVES = 40  # improving moves per start; a count, not a clock
EJECT_TRIALS = 8  # creators an ejection tries, cheapest value per money first


@dataclass(frozen=True)
class SearchResult:
    """The best plan found, its objective value, the start it came from and the moves made."""

    posts: IntArray
    value: float
    start: str
    moves: int


class _Plan:
    """The search's bookkeeping beside the state: spend, creators and per-group counts."""

    def __init__(self, state: WindowState, cons: Constraints) -> None:
        self.s, self.cons = state, cons
        self.n_groups = int(cons.group.max()) + 1 if cons.group is not None and cons.group.size else 0

    @property
    def spent(self) -> float:
        return float((self.s.posts * self.cons.cost).sum())

    @property
    def creators(self) -> int:
        return int((self.s.posts > 0).sum())

    def feasible(self, posts: IntArray, banned: int = -1, new_only: bool = False) -> np.ndarray:
        """feasible[t, c]: may creator c get t + 1 more posts on top of ``posts``."""
        cons = self.cons
        t = np.arange(1, self.s.bundle + 1)[:, None]
        spent = float((posts * cons.cost).sum())
        ok = (posts[None, :] + t <= cons.max_posts[None, :]) & (
            spent + t * cons.cost[None, :] <= cons.budget + 1e-9
        )
        new = posts == 0
        if int((posts > 0).sum()) >= cons.max_creators:
            ok[:, new] = False
        if cons.group is not None and cons.max_per_group is not None:
            count = np.bincount(cons.group[posts > 0], minlength=self.n_groups)
            ok[:, new & (count[cons.group] >= cons.max_per_group)] = False
        if new_only:
            ok[:, ~new] = False
        if banned >= 0:
            ok[:, banned] = False
        return ok


def _best(values: FloatArray, ok: np.ndarray) -> tuple[float, int, int]:
    """Largest allowed value and its (bundle index, creator); -inf when nothing is allowed."""
    masked = np.where(ok, values, -np.inf)
    flat = int(np.argmax(masked))
    t, c = divmod(flat, values.shape[1])
    return float(masked[t, c]), t, c


def _fill(plan: _Plan, banned: int = -1) -> int:
    """Add the bundle with the best gain per money while one gains anything; returns bundles added."""
    s, cons = plan.s, plan.cons
    per = np.arange(1, s.bundle + 1)[:, None] * np.maximum(cons.cost, cons.budget * 1e-6)[None, :]
    added = 0
    while True:
        g = s.gains()
        ok = plan.feasible(s.posts, banned=banned) & (g > 1e-9 * max(s.value, 1.0))
        if not ok.any():
            return added
        _, t, c = _best(g / per, ok)
        s.add(c, t + 1)
        added += 1


def _move(plan: _Plan, min_creators: int) -> bool:
    """Apply the best improving removal or swap; False when none improves."""
    s, cons = plan.s, plan.cons
    g = s.gains()
    eps = 1e-9 * max(s.value, 1.0)
    best_gain, best_move = eps, None
    for a in np.flatnonzero(s.posts).tolist():
        for r in sorted({1, int(s.posts[a])}):  # one post, or all of them
            drops = r == s.posts[a]
            if drops and a in cons.must:
                continue
            people, d = s.dist_without(a, r)
            change, entries, deltas = s.change_if(people, d)
            short = drops and plan.creators - 1 < min_creators
            if change > best_gain and not short:
                best_gain, best_move = change, (a, r, -1, 0)
            posts = s.posts.copy()
            posts[a] -= r
            ok = plan.feasible(posts, banned=a, new_only=short)
            if not ok.any():
                continue
            g2 = g.copy()
            for t in range(s.bundle):
                g2[t] += np.bincount(
                    s.owner[entries], weights=deltas[:, t] - s.delta[entries, t], minlength=s.n_c
                )
            add, t_, c = _best(g2, ok)
            if change + add > best_gain:
                best_gain, best_move = change + add, (a, r, c, t_ + 1)
    if best_move is None:
        return False
    a, r, c, n = best_move
    s.remove(a, r)
    if c >= 0:
        s.add(c, n)
    return True


def _eject(plan: _Plan, min_creators: int) -> _Plan | None:
    """Drop all posts of one creator and refill without it (several bundles may come in); the best
    such plan when it beats the current one, else None. Tried when no single move improves."""
    best: _Plan | None = None
    target = plan.s.value * (1 + 1e-9) + 1e-9
    s, cost = plan.s, plan.cons.cost
    options = [
        a
        for a in np.flatnonzero(s.posts).tolist()
        if a not in plan.cons.must and plan.creators - 1 >= min_creators
    ]
    # Only the creators whose posts buy the least value per money (a count, not a clock).
    loss = [
        -s.change_if(*s.dist_without(a, int(s.posts[a])))[0] / max(cost[a] * s.posts[a], 1e-9)
        for a in options
    ]
    for a in [options[i] for i in np.argsort(loss, kind="stable")[:EJECT_TRIALS]]:
        trial = _Plan(plan.s.copy(), plan.cons)
        trial.s.remove(a, int(trial.s.posts[a]))
        _fill(trial, banned=a)
        if trial.creators >= min(min_creators, plan.creators) and trial.s.value > target:
            best, target = trial, trial.s.value * (1 + 1e-9) + 1e-9
    return best


def _at_least(panel: Panel, rates: FloatArray, goal: Goal, posts: IntArray) -> float:
    """Expected people reached k+ times: the tie-break between plans of equal value."""
    return window_value(panel, rates, Goal("atleast", max(goal.k, 1), goal.high), posts)


def search(
    panel: Panel,
    rates: FloatArray,
    goal: Goal,
    cons: Constraints,
    starts: list[tuple[str, IntArray]],
    *,
    min_creators: int = 0,
    max_moves: int = MAX_MOVES,
    state: WindowState | None = None,
) -> SearchResult:
    """Best plan for ``goal`` under ``cons`` found from each start; starts must respect ``cons``.

    ``state`` replaces the exact-expectation state (e.g. a ``ScenarioState`` for comparison
    with the MILP on drawn scenarios); it must be empty.
    """
    bundle = int(cons.max_posts.max()) if cons.max_posts.size else 1
    base = state if state is not None else WindowState(panel, rates, goal, bundle)
    best: SearchResult | None = None
    best_key = (0, 0.0)
    for name, start in starts:
        plan = _Plan(base.copy(), cons)
        for c in cons.must:
            if start[c] == 0 and plan.feasible(plan.s.posts)[0, c]:
                plan.s.add(c, 1)
        for c in np.flatnonzero(start).tolist():
            n = int(min(start[c], cons.max_posts[c])) - int(plan.s.posts[c])
            if n > 0 and plan.feasible(plan.s.posts)[n - 1, c]:
                plan.s.add(c, n)
        _fill(plan)
        moves = 0
        while moves < max_moves:
            if _move(plan, min_creators):
                _fill(plan)
            else:
                ejected = _eject(plan, min_creators)
                if ejected is None:
                    break
                plan = ejected
            moves += 1
        value = plan.s.value
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
