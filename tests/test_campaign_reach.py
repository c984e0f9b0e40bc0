"""The report's delivered reach: a reach rate measured from views carries no prior spread."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from covey.campaigns.reach import measured_panel
from covey.planning.reach import Panel, exposure_distribution, panel_from_pairs
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
