"""The report's delivered reach: a measured reach rate carries no prior spread, in the point
figure and in its interval."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from covey.campaigns.intervals import delivered_intervals
from covey.campaigns.reach import measured_panel
from covey.planning.intervals import reach_intervals
from covey.planning.planner import AudienceModel, Brief, build_model
from covey.planning.reach import Panel, exposure_distribution, panel_from_pairs
from covey.planning.sample_share import SOURCE
from covey.planning.segments import rate_factors


def _panel() -> Panel:
    # Two creators, 400 people each, 100 of them in both; every person stands for 10 people.
    a = np.arange(400)
    b = np.arange(300, 700)
    panel = panel_from_pairs(
        ["x", "y"],
        np.concatenate([np.zeros(a.size), np.ones(b.size)]).astype(np.int64),
        np.concatenate([a, b]).astype(np.int64),
        np.full(700, 10.0),
    )
    return replace(panel, factor=rate_factors(panel.indptr, 0.25, np.random.default_rng(1)))


def test_measured_creators_lose_the_spread_others_keep_it() -> None:
    panel = _panel()
    out = measured_panel(panel, np.array([True, False]))
    a, b = int(panel.indptr[1]), int(panel.indptr[2])
    assert np.all(out.factor[:a] == 1.0)
    assert np.array_equal(out.factor[a:b], panel.factor[a:b])
    assert np.ptp(panel.factor[:a]) > 0  # the input is untouched
    assert measured_panel(panel, np.array([False, False])) is panel


def test_three_posts_at_a_measured_rate_reach_exactly_rate_cubed() -> None:
    panel = _panel()
    rates = np.array([0.3, 0.2])
    posts = np.array([3, 0], dtype=np.int64)
    known = exposure_distribution(measured_panel(panel, np.array([True, False])), rates, posts)
    assert known.reach_at(3) == pytest.approx(4000 * 0.3**3)
    # With the prior's spread the same rate gives more people at 3+ (E[r^3] > E[r]^3).
    spread = exposure_distribution(panel, rates, posts)
    assert spread.reach_at(3) > known.reach_at(3) * 1.1
    assert spread.reach_at(1) == pytest.approx(known.reach_at(1), rel=0.05)


def _model() -> tuple[AudienceModel, np.ndarray]:
    """A small audience model (18 creators in three countries) and 3 posts on 9 of them."""
    from test_plan_cross import niche_world

    cands, _, ids, _ = niche_world(3)
    sources = ["prior", "vetting", SOURCE] * 6  # every real-share branch of the interval's draw
    cands = replace(cands, real_share_source=sources)
    model = build_model(cands, ids, Brief(text="x", budget=1000.0))
    posts = np.array([3, 0] * 9, dtype=np.int64)
    return model, posts


def test_without_measured_rates_it_is_the_plans_interval() -> None:
    """With no rate measured, the delivered interval is the plan's with the delivered rates."""
    model, posts = _model()
    rates = model.cands.rate * 1.3  # the delivered rates need not be the plan's
    plan = reach_intervals(
        replace(model, cands=replace(model.cands, rate=rates)), posts, 3, 3, seed=5, draws=12
    )
    got = delivered_intervals(model, rates, posts, np.zeros(18, dtype=bool), seed=5, draws=12)
    assert got == {"1+": plan["1+"], "3+": plan["3+"]}
    assert got["3+"][0] < got["3+"][1]


def test_measured_rates_are_held_so_the_interval_narrows() -> None:
    model, posts = _model()
    rates = np.array(model.cands.rate, dtype=float)
    free = delivered_intervals(model, rates, posts, np.zeros(18, dtype=bool), seed=2, draws=30)
    held = delivered_intervals(model, rates, posts, posts > 0, seed=2, draws=30)
    width = {k: (v[1] - v[0], held[k][1] - held[k][0]) for k, v in free.items()}
    assert width["3+"][1] < 0.6 * width["3+"][0]  # the rates' spread was most of the 3+ interval
    assert width["1+"][1] < width["1+"][0]
    nothing = delivered_intervals(model, rates, np.zeros(18, dtype=np.int64), posts > 0)
    assert nothing == {"1+": [0.0, 0.0], "3+": [0.0, 0.0]}
