"""The window objective and its local search, checked against enumeration of every plan."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest

from covey.planning.greedy import Constraints
from covey.planning.local import search
from covey.planning.milp import solve_goal_milp
from covey.planning.reach import exposure_distribution
from covey.planning.scenario_state import ScenarioState
from covey.planning.window import Goal, WindowState, window_value
from test_plan_engine import random_panel


@pytest.mark.parametrize("kind", ["window", "atleast", "reach1"])
def test_state_value_matches_the_exact_histogram(kind: str) -> None:
    panel = random_panel(15, 200, seed=7, q=(0.1, 0.5))
    rates = np.random.default_rng(7).uniform(0.2, 0.8, 15)  # above 1/2 too: no deconvolution
    goal = Goal(kind, 2, 3)
    state = WindowState(panel, rates, goal, 3)
    for c, n in [(0, 2), (3, 3), (0, 1), (7, 1)]:
        predicted = state.value + state.gains()[n - 1, c]
        state.add(c, n)
        assert state.value == pytest.approx(predicted)
    state.remove(3, 2)
    state.remove(0, 1)
    hist = exposure_distribution(panel, rates, state.posts, max_count=10).histogram
    want = {"window": hist[2:4].sum(), "atleast": hist[2:].sum(), "reach1": hist[1:].sum()}[kind]
    assert state.value == pytest.approx(want)
    assert window_value(panel, rates, goal, state.posts) == pytest.approx(want)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("kind", ["window", "atleast"])
def test_local_search_reaches_the_enumerated_optimum(seed: int, kind: str) -> None:
    n_c = 6
    panel = random_panel(n_c, 150, seed=seed, q=(0.2, 0.6))
    rng = np.random.default_rng(seed)
    rates = rng.uniform(0.15, 0.5, n_c)
    cost = rng.uniform(100, 400, n_c).round()
    cons = Constraints(budget=1500, cost=cost, max_posts=np.full(n_c, 3), max_creators=4)
    goal = Goal(kind, 3, 4)
    best = 0.0
    for posts in product(range(4), repeat=n_c):
        p = np.array(posts)
        if (p * cost).sum() <= 1500 and (p > 0).sum() <= 4:
            best = max(best, window_value(panel, rates, goal, p))
    found = search(panel, rates, goal, cons, [("empty", np.zeros(n_c, np.int64))])
    assert (found.posts * cost).sum() <= 1500 and (found.posts > 0).sum() <= 4
    assert found.value == pytest.approx(window_value(panel, rates, goal, found.posts))
    assert found.value >= 0.98 * best


@pytest.mark.parametrize("seed", [0, 1])
def test_milp_and_scenario_search_against_enumeration(seed: int) -> None:
    n_c = 6
    panel = random_panel(n_c, 60, seed=seed, q=(0.2, 0.6))
    rng = np.random.default_rng(seed)
    rates = rng.uniform(0.2, 0.6, n_c)
    cost = rng.uniform(100, 400, n_c).round()
    cons = Constraints(budget=1500, cost=cost, max_posts=np.full(n_c, 3), max_creators=4)
    goal = Goal("window", 3, 4)
    exact = solve_goal_milp(panel, rates, goal, cons, n_scenarios=3, seed=seed, time_limit=60)
    assert exact.optimal and exact.scenarios is not None
    best = max(
        exact.value_of(np.array(p))
        for p in product(range(4), repeat=n_c)
        if (np.array(p) * cost).sum() <= 1500 and (np.array(p) > 0).sum() <= 4
    )
    assert exact.value == pytest.approx(best) and exact.value_of(exact.posts) == pytest.approx(best)
    state = ScenarioState(exact.scenarios, goal, 3)
    ours = search(panel, rates, goal, cons, [("empty", np.zeros(n_c, np.int64))], state=state)
    # The search's own bookkeeping agrees with scoring its plan afresh on the same draws.
    assert ours.value == pytest.approx(exact.value_of(ours.posts))
    assert ours.value >= 0.9 * best
