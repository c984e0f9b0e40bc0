"""The local search's moves on a plan (posts per creator, kept in a ``WindowState``).

Single moves: fill (the bundle of 1..cap posts of one creator with the best gain per money,
while any gains), take one post or all of a creator's posts away, alone or with the best
bundle the freed money buys (a swap). Compound moves, tried when no single move improves:
ejection (drop a creator, refill without it), make room (add a bundle the plan cannot take,
alone or with the bundle of the creator that gains most beside it, then give up the posts
that cost least value per money until it fits, and fill), and the perturbation the search
uses to leave a local optimum (drop a random creator and its closest neighbour, put in a
random bundle among the best, fill). Every trial is evaluated exactly and undone from the
state's journal; the numbers of trials are counts and the perturbation's generator has a
fixed seed, so the same inputs give the same plan on any machine.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from covey.planning.greedy import Constraints
from covey.planning.reach import FloatArray, IntArray
from covey.planning.window import WindowState

EJECT_TRIALS = 8  # creators an ejection tries, cheapest value per money first
ROOM_TRIALS = 6  # bundles a make-room move tries, largest gain first (each alone and with a partner)
KICK_DROP = 2  # creators a perturbation drops: a random one and the one sharing most people with it
KICK_TOP = 8  # the perturbation's bundle is drawn among this many of the largest gains


class SearchPlan:
    """The search's bookkeeping beside the state: spend, creators and per-group counts."""

    def __init__(self, state: WindowState, cons: Constraints) -> None:
        self.s, self.cons = state, cons
        self.n_groups = int(cons.group.max()) + 1 if cons.group is not None and cons.group.size else 0
        # (creator, posts taken) -> (its stamp, value change, change of every bundle's gain): a
        # removal's effect depends only on the creator's people, so it stays valid until one of
        # them changes (``WindowState.stamp``); most creators are untouched by a move.
        self.cache: dict[tuple[int, int], tuple[int, float, FloatArray]] = {}
        self.changes: dict[tuple[int, int], tuple[int, float]] = {}  # the value change alone

    def copy(self) -> SearchPlan:
        """An independent plan (the cache is not shared: stamps are per state)."""
        return SearchPlan(self.s.copy(), self.cons)

    def removal(self, a: int, r: int) -> tuple[float, FloatArray]:
        """Value change of taking r posts from creator a, and the change of every bundle's gain."""
        stamp = int(self.s.stamp[a])
        hit = self.cache.get((a, r))
        if hit is not None and hit[0] == stamp:
            return hit[1], hit[2]
        people, d = self.s.dist_without(a, r)
        change, entries, deltas = self.s.change_if(people, d)
        adj = self.s.gains_if(entries, deltas) - self.s.gain
        self.cache[(a, r)] = (stamp, change, adj)
        self.changes[(a, r)] = (stamp, change)
        return change, adj

    def prefetch(self, pairs: list[tuple[int, int]]) -> None:
        """Evaluate every removal not cached yet in one batch (``WindowState.removals``)."""
        stamps = self.s.stamp
        missing = [(a, r) for a, r in pairs if self.cache.get((a, r), (-1,))[0] != int(stamps[a])]
        for (a, r), (change, adj) in zip(missing, self.s.removals(missing), strict=True):
            self.cache[(a, r)] = (int(stamps[a]), change, adj)
            self.changes[(a, r)] = (int(stamps[a]), change)

    def prefetch_changes(self, pairs: list[tuple[int, int]]) -> None:
        """Evaluate the value change of every removal not cached yet, in one batch."""
        stamps = self.s.stamp
        missing = [(a, r) for a, r in pairs if self.changes.get((a, r), (-1,))[0] != int(stamps[a])]
        for (a, r), change in zip(missing, self.s.removal_changes(missing).tolist(), strict=True):
            self.changes[(a, r)] = (int(stamps[a]), change)

    def change(self, a: int, r: int) -> float:
        """Value change of taking r posts from creator a (no gains: cheaper, for shedding)."""
        stamp = int(self.s.stamp[a])
        hit = self.changes.get((a, r))
        if hit is not None and hit[0] == stamp:
            return hit[1]
        people, d = self.s.dist_without(a, r)
        change = self.s.value_change(people, d)
        self.changes[(a, r)] = (stamp, change)
        return change

    @property
    def spent(self) -> float:
        return float((self.s.posts * self.cons.cost).sum())

    @property
    def creators(self) -> int:
        return int((self.s.posts > 0).sum())

    def feasible(self, posts: IntArray, banned: tuple[int, ...] = (), new_only: bool = False) -> np.ndarray:
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
        if banned:
            ok[:, list(banned)] = False
        return ok


def _best(values: FloatArray, ok: np.ndarray) -> tuple[float, int, int]:
    """Largest allowed value and its (bundle index, creator); -inf when nothing is allowed."""
    masked = np.where(ok, values, -np.inf)
    flat = int(np.argmax(masked))
    t, c = divmod(flat, values.shape[1])
    return float(masked[t, c]), t, c


def fill(plan: SearchPlan, banned: tuple[int, ...] = ()) -> int:
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


def _move(plan: SearchPlan, min_creators: int) -> bool:
    """Apply the best improving removal or swap; False when none improves."""
    s, cons = plan.s, plan.cons
    g = s.gains()
    eps = 1e-9 * max(s.value, 1.0)
    best_gain, best_move = eps, None
    chosen = np.flatnonzero(s.posts).tolist()
    plan.prefetch([(a, r) for a in chosen for r in sorted({1, int(s.posts[a])})])
    for a in chosen:
        for r in sorted({1, int(s.posts[a])}):  # one post, or all of them
            drops = r == s.posts[a]
            if drops and a in cons.must:
                continue
            change, adj = plan.removal(a, r)
            short = drops and plan.creators - 1 < min_creators
            if change > best_gain and not short:
                best_gain, best_move = change, (a, r, -1, 0)
            posts = s.posts.copy()
            posts[a] -= r
            ok = plan.feasible(posts, banned=(a,), new_only=short)
            if not ok.any():
                continue
            add, t_, c = _best(g + adj, ok)
            if change + add > best_gain:
                best_gain, best_move = change + add, (a, r, c, t_ + 1)
    if best_move is None:
        return False
    a, r, c, n = best_move
    s.remove(a, r)
    if c >= 0:
        s.add(c, n)
    return True


def _eject(plan: SearchPlan, min_creators: int) -> bool:
    """Drop all posts of one creator and refill without it (several bundles may come in); applies
    the best such plan when it beats the current one. Tried when no single move improves."""
    s, cost = plan.s, plan.cons.cost
    options = [
        a
        for a in np.flatnonzero(s.posts).tolist()
        if a not in plan.cons.must and plan.creators - 1 >= min_creators
    ]
    # Only the creators whose posts buy the least value per money (a count, not a clock).
    plan.prefetch_changes([(a, int(s.posts[a])) for a in options])
    loss = [-plan.change(a, int(s.posts[a])) / max(cost[a] * s.posts[a], 1e-9) for a in options]
    tried = [options[i] for i in np.argsort(loss, kind="stable")[:EJECT_TRIALS]]
    return _try(plan, min_creators, [partial(_drop_refill, plan, (a,)) for a in tried])


def _drop_refill(plan: SearchPlan, drop: tuple[int, ...]) -> None:
    """All posts of ``drop`` away, then fill without them."""
    for a in drop:
        plan.s.remove(a, int(plan.s.posts[a]))
    fill(plan, banned=drop)


def _try(plan: SearchPlan, min_creators: int, trials: list[Callable[[], None]]) -> bool:
    """Run each trial from the current plan and undo it; apply the best that improves (first on ties)."""
    s = plan.s
    keep = min(min_creators, plan.creators)
    target, best = s.value * (1 + 1e-9) + 1e-9, -1
    for i, trial in enumerate(trials):
        s.checkpoint()
        trial()
        fits = plan.spent <= plan.cons.budget + 1e-9 and plan.creators <= plan.cons.max_creators
        if fits and plan.creators >= keep and s.value > target:
            target, best = s.value * (1 + 1e-9) + 1e-9, i
        s.rollback()
    if best < 0:
        return False
    trials[best]()  # deterministic: the same steps give the same plan
    return True


def _make_room(plan: SearchPlan, min_creators: int) -> bool:
    """Add a bundle, alone when the budget cannot take it or with the bundle of another creator
    that gains most beside it (two creators whose shared people reach the window only together),
    then give up the posts that cost least value per money until the plan fits again, and fill:
    several creators change at once. The best that improves is applied."""
    s, cons = plan.s, plan.cons
    g = s.gains()
    ok = _open(plan, g)
    flat = np.flatnonzero(ok.ravel())
    order = flat[np.argsort(-g.ravel()[flat], kind="stable")][:ROOM_TRIALS].tolist()
    t = np.arange(1, s.bundle + 1)[:, None]
    over = (plan.spent + t * cons.cost[None, :] > cons.budget + 1e-9) | (
        (s.posts == 0)[None, :] & (plan.creators >= cons.max_creators)
    )
    trials: list[Callable[[], None]] = []
    for f in order:
        n, c = f // s.n_c + 1, f % s.n_c
        if over[n - 1, c]:  # what fits alone, the fill and the swaps have tried
            trials.append(partial(_add_shed, plan, ((n, c),), min_creators))
        trials.append(partial(_add_shed, plan, ((n, c), (0, -1)), min_creators))
    return _try(plan, min_creators, trials)


def _open(plan: SearchPlan, g: FloatArray) -> np.ndarray:
    """Bundles with a positive gain that caps and per-group limits allow (budget and count aside)."""
    s, cons = plan.s, plan.cons
    t = np.arange(1, s.bundle + 1)[:, None]
    ok = (s.posts[None, :] + t <= cons.max_posts[None, :]) & (g > 1e-9 * max(s.value, 1.0))
    if cons.group is not None and cons.max_per_group is not None:
        count = np.bincount(cons.group[s.posts > 0], minlength=plan.n_groups)
        ok[:, (s.posts == 0) & (count[cons.group] >= cons.max_per_group)] = False
    return ok


def _add_shed(plan: SearchPlan, adds: tuple[tuple[int, int], ...], min_creators: int) -> None:
    """Add bundles ((n, c); c = -1: the best bundle of a creator not yet added), then single posts
    of the others away (least value per money first) until the budget and the creator limit
    hold, then fill; left infeasible when nothing can go."""
    s, cons = plan.s, plan.cons
    added: list[int] = []
    for n, c in adds:
        if c < 0:
            ok = _open(plan, s.gain)
            ok[:, added] = False
            if not ok.any():
                continue
            _, t, c = _best(s.gain, ok)
            n = t + 1
        s.add(c, n)
        added.append(c)
    while plan.spent > cons.budget + 1e-9 or plan.creators > cons.max_creators:
        whole = plan.creators > cons.max_creators  # then a creator must go entirely
        options = []
        for a in np.flatnonzero(s.posts).tolist():
            r = int(s.posts[a]) if whole else 1
            if a in added or (r == s.posts[a] and (a in cons.must or plan.creators - 1 < min_creators)):
                continue
            options.append((a, r))
        plan.prefetch_changes(options)
        best, pick = np.inf, (-1, 0)
        for a, r in options:
            key = -plan.change(a, r) / max(cons.cost[a] * r, 1e-9)
            if key < best:
                best, pick = key, (a, r)
        if pick[0] < 0:
            return
        s.remove(*pick)
    fill(plan)


def kick(plan: SearchPlan, rng: np.random.Generator) -> None:
    """Perturb: drop a random creator and the chosen one sharing most people with it, put in a
    random bundle among the KICK_TOP best, fill without the dropped ones (the climb follows)."""
    s, panel = plan.s, plan.s.panel
    chosen = [a for a in np.flatnonzero(s.posts).tolist() if a not in plan.cons.must]
    if not chosen:
        return
    a = chosen[int(rng.integers(len(chosen)))]
    mark = np.zeros(panel.n_people, dtype=bool)
    mark[panel.members(a)] = True
    shared = [(-int(mark[panel.members(o)].sum()), o) for o in chosen if o != a]
    drop = (a, *[o for _, o in sorted(shared)[: KICK_DROP - 1]])
    for o in drop:
        s.remove(o, int(s.posts[o]))
    g = s.gains()
    ok = plan.feasible(s.posts) & (g > 1e-9 * max(s.value, 1.0))
    ok[:, list(drop)] = False
    flat = np.flatnonzero(ok.ravel())
    if flat.size:
        top = flat[np.argsort(-g.ravel()[flat], kind="stable")][:KICK_TOP]
        f = int(top[int(rng.integers(top.size))])
        s.add(f % s.n_c, f // s.n_c + 1)
    fill(plan, banned=drop)


def climb(plan: SearchPlan, min_creators: int, max_moves: int, room: bool = True) -> int:
    """Improving moves until none improves or ``max_moves`` were made; returns the moves made."""
    moves = 0
    while moves < max_moves:
        if _move(plan, min_creators):
            fill(plan)
        elif not (_eject(plan, min_creators) or (room and _make_room(plan, min_creators))):
            break
        moves += 1
    return moves
