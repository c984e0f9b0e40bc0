"""Prevalence-shift estimators (covey.audience.quantify) on scores whose truth is known."""

from __future__ import annotations

import numpy as np
import pytest

from covey.audience.quantify import (
    ESTIMATORS,
    Templates,
    em,
    estimate,
    inner_errors,
    profile_interval,
    sampling_interval,
    transfer_quantile_from_errors,
)
from covey.audience.share import transfer_quantile

D = 2.5  # fakes' raw score ~ N(+D/2, 1), genuine ~ N(-D/2, 1); the log-odds at 50 % is D * score


def _scores(rng: np.random.Generator, n: int, pi: float, shift: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    k = round(n * pi)
    y = np.r_[np.ones(k), np.zeros(n - k)]
    raw = np.r_[rng.normal(D / 2, 1, k), rng.normal(-D / 2 + shift, 1, n - k)]
    return D * raw, y


def _fold(rng: np.random.Generator, shifts: tuple[float, ...] = (0.0, 0.0, 0.0)) -> dict[str, np.ndarray]:
    """A benchmark fold: three training sets (balanced), out-of-fold and out-of-set log-odds."""
    parts = [_scores(rng, 4000, 0.5, shift) for shift in shifts]
    s = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    groups = np.concatenate([np.full(len(p[1]), i) for i, p in enumerate(parts)])
    return {"in_set": s, "out_of_set": s, "y": y, "groups": groups}


def test_every_estimator_recovers_the_share_without_shift() -> None:
    rng = np.random.default_rng(3)
    t = Templates.from_fold(_fold(rng))
    for pi in (0.05, 0.2, 0.3):
        s, _ = _scores(rng, 40_000, pi)
        values = estimate(s, t)
        assert set(values) == set(ESTIMATORS)
        # t50 reads a threshold where the rates are steep on one side: it is the noisiest, not biased
        for name, value in values.items():
            assert value == pytest.approx(pi, abs=0.03 if name.startswith(("hdy", "dys")) else 0.015), name


def test_a_shifted_genuine_population_fools_every_estimator_the_same_way() -> None:
    # Real people who look more fake than in training: every estimator over-counts -- the
    # population bias the benchmark measures, which no choice of estimator removes.
    rng = np.random.default_rng(4)
    t = Templates.from_fold(_fold(rng))
    s, _ = _scores(rng, 40_000, 0.1, shift=0.6)
    values = estimate(s, t)
    assert all(v > 0.1 for k, v in values.items() if k in ("em", "acc_in", "pacc_in", "ms_in", "median_in"))


def test_em_and_its_profile_interval() -> None:
    rng = np.random.default_rng(5)
    covered = 0
    for _ in range(100):
        s, _ = _scores(rng, 500, 0.2)
        share = em(s)
        low, high = profile_interval(s, share)
        assert low <= share <= high
        covered += low <= 0.2 <= high
    assert covered >= 88
    assert em(np.full(50, -20.0)) == 0.0 and em(np.full(50, 20.0)) == 1.0


def test_sampling_interval_is_scaled_around_the_chosen_estimate() -> None:
    rng = np.random.default_rng(6)
    s, _ = _scores(rng, 1000, 0.2)
    t = Templates.from_fold(_fold(rng))
    values = estimate(s, t)
    low, high = profile_interval(s, values["em"])
    wide = sampling_interval(s, values, "pacc_in", 2.0)
    assert wide[0] <= values["pacc_in"] <= wide[1]
    assert wide[1] - wide[0] == pytest.approx(2 * (high - low), rel=1e-6)


def test_inner_errors_find_the_set_that_differs() -> None:
    rng = np.random.default_rng(7)
    same = inner_errors(_fold(rng), size=600, reps=5)
    shifted = inner_errors(_fold(rng, (0.0, 0.0, 0.8)), size=600, reps=5)
    assert set(same) == set(ESTIMATORS)
    assert same["em"]["errors"].shape == (3, 2) and same["em"]["inflation"] == 1.0
    assert same["em"]["mae"] < 0.02
    # one set's genuine profiles look faker: its genuine part (a) is positive and the MAE grows
    assert shifted["em"]["errors"][2, 0] > 0.02 and shifted["em"]["mae"] > same["em"]["mae"]


def test_transfer_spread_and_multiplier() -> None:
    q = transfer_quantile_from_errors(np.array([[0.03, -0.04], [-0.03, 0.04], [0.0, 0.0]]))
    assert q.spread == pytest.approx([np.sqrt(0.0006), np.sqrt(0.0032 / 3)])
    assert q.multiplier == transfer_quantile(3)
