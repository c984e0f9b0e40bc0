"""The local search's compound moves: each finds what the single moves miss; all stay deterministic."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest

from covey.planning import local, moves
from covey.planning.greedy import Constraints
from covey.planning.local import search
from covey.planning.reach import panel_from_pairs
from covey.planning.window import Goal, WindowState, window_value
from test_plan_engine import random_panel


def _room_instance() -> tuple[object, np.ndarray, Constraints]:
    """Three cheap creators A, B, C (3 people of their own each) and a dear one Q (10 of its own).

    Every post reaches every follower (rate 1). Per money A, B and C are better (3 people for
    3 posts at 1), so filling from nothing books them (9 people, 9 of the 12 money); the best
    plan is Q's three posts alone (10 people, all 12). From A + B + C no single move gets there:
    taking one creator away frees 3, and Q's posts count only three at a time (4 each).
    """
    owners, people = [], []
    for c, (first, n) in enumerate([(0, 3), (3, 3), (6, 3), (9, 10)]):
        owners += [c] * n
        people += list(range(first, first + n))
    panel = panel_from_pairs(["a", "b", "c", "q"], np.array(owners), np.array(people), np.ones(19))
    cons = Constraints(
        budget=12.0, cost=np.array([1.0, 1.0, 1.0, 4.0]), max_posts=np.full(4, 3), max_creators=4
    )
    return panel, np.ones(4), cons


def test_new_moves_find_the_optimum_the_old_search_missed(monkeypatch: pytest.MonkeyPatch) -> None:
    panel, rates, cons = _room_instance()
    goal = Goal("window", 3, 5)
    best = max(
        window_value(panel, rates, goal, np.array(p))
        for p in product(range(4), repeat=4)
        if (np.array(p) * cons.cost).sum() <= cons.budget
    )
    assert best == pytest.approx(10.0)
    empty = [("nothing", np.zeros(4, np.int64))]
    for kicks in (0, local.KICKS):  # the make-room move alone finds it, and with perturbations
        found = search(panel, rates, goal, cons, empty, kicks=kicks)
        assert found.value == pytest.approx(best)
        assert found.posts.tolist() == [0, 0, 0, 3]
    # The search before these moves (swaps and ejections only) stops at A + B + C ...
    monkeypatch.setattr(moves, "_make_room", lambda plan, min_creators: False)
    old = search(panel, rates, goal, cons, empty, kicks=0)
    assert old.value == pytest.approx(9.0)
    assert old.posts.tolist() == [3, 3, 3, 0]
    # ... and the perturbations alone get out of it: dropping two of the three leaves room to
    # swap the third for Q.
    kicked = search(panel, rates, goal, cons, empty)
    assert kicked.value == pytest.approx(best)
    assert "perturbation" in kicked.start


def test_checkpoint_rollback_restores_the_state_exactly() -> None:
    panel = random_panel(12, 300, seed=3, q=(0.1, 0.4))
    rates = np.random.default_rng(3).uniform(0.2, 0.7, 12)
    state = WindowState(panel, rates, Goal("window", 3, 5), 3)
    for c, n in [(0, 3), (4, 2), (7, 1)]:
        state.add(c, n)
    before = (state.value, state.dist.copy(), state.delta.copy(), state.gains(), state.posts.copy())
    state.checkpoint()
    state.remove(0, 2)
    state.add(9, 3)
    state.add(4, 1)
    assert state.value != pytest.approx(before[0])
    state.rollback()
    assert state.value == before[0]
    np.testing.assert_array_equal(state.dist, before[1])
    np.testing.assert_array_equal(state.delta, before[2])
    np.testing.assert_array_equal(state.gains(), before[3])
    np.testing.assert_array_equal(state.posts, before[4])
    # The gains kept up to date move by move equal the gains recomputed from scratch.
    state.add(2, 2)
    state.remove(4, 1)
    fresh = WindowState(panel, rates, Goal("window", 3, 5), 3)
    for c in np.flatnonzero(state.posts).tolist():
        fresh.add(c, int(state.posts[c]))
    np.testing.assert_allclose(state.gains(), fresh.gains(), atol=1e-9)
    assert state.value == pytest.approx(fresh.value)


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_search_with_every_move_is_deterministic_and_feasible(seed: int) -> None:
    n_c = 30
    panel = random_panel(n_c, 400, seed=seed, q=(0.05, 0.3))
    rng = np.random.default_rng(seed)
    rates = rng.uniform(0.15, 0.6, n_c)
    cost = rng.uniform(100, 600, n_c).round()
    cons = Constraints(budget=4000, cost=cost, max_posts=np.full(n_c, 3), max_creators=8, must=(2,))
    goal = Goal("window", 3, 5)
    starts = [("nothing", np.zeros(n_c, np.int64))]
    a = search(panel, rates, goal, cons, starts)
    b = search(panel, rates, goal, cons, starts)
    assert a.posts.tolist() == b.posts.tolist() and a.value == b.value
    assert (a.posts * cost).sum() <= 4000 + 1e-6 and (a.posts > 0).sum() <= 8 and a.posts[2] > 0
    assert a.value == pytest.approx(window_value(panel, rates, goal, a.posts))
    plain = search(panel, rates, goal, cons, starts, kicks=0)
    assert a.value >= plain.value - 1e-9  # perturbations only keep what improves
