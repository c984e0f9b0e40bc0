"""Reach-rate spread: the model averages over each creator's unknown rate instead of using the mean."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from covey.errors import InputError
from covey.planning.greedy import Constraints
from covey.planning.local import search
from covey.planning.objective import ExpectedCoverage
from covey.planning.reach import exposure_distribution, load_priors, panel_from_pairs
from covey.planning.segments import FACTOR_LEVELS, estimate_segments, rate_factors, virtual_panel
from covey.planning.window import Goal, WindowState, window_value
from test_plan_engine import random_panel
from test_plan_segments import world


def test_factors_average_one_per_creator_and_spread_as_asked() -> None:
    indptr = np.array([0, 500, 2500, 2503, 2503, 6503])
    f = rate_factors(indptr, 0.25, np.random.default_rng(0))
    assert f.shape == (6503,)
    for a, b in pairwise(indptr):
        if b - a >= FACTOR_LEVELS:
            assert f[a:b].mean() == pytest.approx(1.0, abs=0.01)
            assert np.log(f[a:b]).std() == pytest.approx(0.25, abs=0.02)
    # Random order inside a creator: not sorted by membership position.
    assert not np.all(np.diff(f[2500 - 2000 : 2500]) >= 0)


def test_spread_raises_three_plus_of_one_creator_by_the_cube() -> None:
    n = 4000
    panel = panel_from_pairs(["c"], np.zeros(n, np.int64), np.arange(n), np.ones(n))
    rate = np.array([0.3])
    posts = np.array([3])
    flat = exposure_distribution(panel, rate, posts)
    f = rate_factors(panel.indptr, 0.25, np.random.default_rng(1))
    spread = exposure_distribution(replace(panel, factor=f), rate, posts)
    assert flat.reach_at(3) == pytest.approx(n * 0.3**3)
    # Exact: each member's P(3 of 3) is (0.3 f)^3; mean f = 1, so E f^3 is about exp(3 sd^2) = 1.21.
    assert spread.reach_at(3) == pytest.approx(n * float(np.mean((0.3 * f) ** 3)))
    assert 1.15 < spread.reach_at(3) / flat.reach_at(3) < 1.26
    # One post reaches p on average either way; 1+ of three posts falls a little (Jensen).
    assert spread.impressions == pytest.approx(flat.impressions, rel=0.01)
    assert 0.95 < spread.reach_at(1) / flat.reach_at(1) < 1.0


def test_virtual_panel_carries_the_spread_and_zero_turns_it_off() -> None:
    cands, _, _ = world(8, 30_000, seed=3)
    segs = estimate_segments(cands, None, np.full(8, 0.05))
    on = virtual_panel(cands, segs, np.array([True]), seed=0, rate_spread=0.25)
    off = virtual_panel(cands, segs, np.array([True]), seed=0, rate_spread=0.0)
    assert off.factor is None and on.factor is not None
    assert on.factor.shape == on.indices.shape
    posts = np.full(8, 3)
    hi = exposure_distribution(on, cands.rate, posts).reach_at(3)
    lo = exposure_distribution(off, cands.rate, posts).reach_at(3)
    assert hi > lo * 1.02  # many people here are reached 3+ times by several creators: a smaller rise


@pytest.mark.parametrize("kind", ["window", "atleast"])
def test_state_and_surrogate_use_the_members_rates(kind: str) -> None:
    panel = random_panel(12, 300, seed=5, q=(0.1, 0.5))
    panel = replace(panel, factor=rate_factors(panel.indptr, 0.4, np.random.default_rng(2)))
    rates = np.random.default_rng(5).uniform(0.15, 0.45, 12)
    goal = Goal(kind, 2, 3)
    state = WindowState(panel, rates, goal, 3)
    for c, n in [(0, 2), (3, 3), (0, 1), (7, 2)]:
        predicted = state.value + state.gains()[n - 1, c]
        state.add(c, n)
        assert state.value == pytest.approx(predicted)
    state.remove(3, 2)  # deconvolution with a rate per member
    state.remove(7, 1)
    assert state.value == pytest.approx(window_value(panel, rates, goal, state.posts))
    hist = exposure_distribution(panel, rates, state.posts).histogram
    want = hist[2:4].sum() if kind == "window" else hist[2:].sum()
    assert state.value == pytest.approx(want)
    # The surrogate's first-post gains are the members' rates times their weights.
    cov = ExpectedCoverage(panel, rates, 2)
    tw = panel.weight[panel.indices] * panel.target[panel.indices]
    want_gain = np.bincount(panel.owners(), weights=tw * panel.entry_rates(rates), minlength=12)
    assert np.allclose(cov.gains(), want_gain)
    cov.add(4)
    assert cov.value == pytest.approx(want_gain[4])


def test_search_on_a_spread_panel_never_loses_to_its_start() -> None:
    panel = random_panel(10, 400, seed=9, q=(0.1, 0.4))
    panel = replace(panel, factor=rate_factors(panel.indptr, 0.3, np.random.default_rng(3)))
    rates = np.full(10, 0.3)
    cost = np.linspace(1.0, 2.0, 10)
    cons = Constraints(budget=12.0, cost=cost, max_posts=np.full(10, 3), max_creators=10)
    start = np.array([3, 3, 0, 0, 0, 0, 0, 0, 0, 0])
    goal = Goal("window", 3, 5)
    got = search(panel, rates, goal, cons, [("start", start)])
    assert (got.posts * cost).sum() <= 12.0 + 1e-9
    assert got.value >= window_value(panel, rates, goal, start) - 1e-9
    assert got.value == pytest.approx(window_value(panel, rates, goal, got.posts))


def test_priors_read_and_check_the_spread(tmp_path: Path) -> None:
    assert load_priors().reach_spread == pytest.approx(0.25)
    base = (Path(__file__).parents[1] / "src/covey/planning/priors.toml").read_text()
    mine = tmp_path / "priors.toml"
    mine.write_text(base.replace("reach_spread = 0.25", "reach_spread = 0.1"))
    assert load_priors(mine).reach_spread == pytest.approx(0.1)
    mine.write_text(base.replace("reach_spread = 0.25", "reach_spread = 3"))
    with pytest.raises(InputError, match="reach_spread"):
        load_priors(mine)


def test_a_baseline_that_ties_on_the_window_and_reaches_more_at_three_plus_wins() -> None:
    from covey.planning.certificate import Certificate
    from covey.planning.optimize import Chosen
    from covey.planning.planner import prefer_more_reach

    # Person 0 follows creators 0 and 1, person 1 only creator 1; every post reaches everyone.
    panel = panel_from_pairs(["a", "b"], np.array([0, 1, 1]), np.array([0, 0, 1]), np.ones(2))
    rates = np.ones(2)
    goal = Goal("window", 3, 5)
    plan = np.array([3, 0])  # person 0 three times: 1 in the window, 1 at 3+
    naive = np.array([3, 3])  # person 0 six times (out), person 1 three times: 1 in the window, 2 at 3+
    got = Chosen(plan, window_value(panel, rates, goal, plan), Certificate(1.0, 2.0), "search")
    assert window_value(panel, rates, goal, naive) == pytest.approx(got.value)
    chosen = prefer_more_reach(panel, rates, goal, got, [("naive choice", naive)], 3)
    assert list(chosen.posts) == [3, 3] and "naive choice" in chosen.method
    # A start below the plan on the objective is never taken, whatever its reach at 3+.
    best = np.array([0, 3])  # persons 0 and 1 three times each: 2 in the window
    better = Chosen(best, 2.0, Certificate(2.0, 3.0), "search")
    assert list(prefer_more_reach(panel, rates, goal, better, [("naive choice", naive)], 3).posts) == [0, 3]
