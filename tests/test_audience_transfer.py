"""Leave-one-set-out: the EM share's error on a population the model never saw."""

from __future__ import annotations

import numpy as np
import pytest

from covey.audience.features import FEATURE_NAMES, choose_variant, parts_key, parts_mask
from covey.audience.transfer import (
    em_prevalence,
    em_transfer_errors,
    fit_variants,
    held_out_log_odds,
    score_variants,
)

D = 2.5  # fakes' scores ~ N(+D/2, 1), genuine ~ N(-D/2, 1): calibrated log-odds at 50 % = D * score


def _scores(rng: np.random.Generator, n_fake: int, n_real: int, shift_real: float = 0.0) -> np.ndarray:
    return D * np.r_[rng.normal(D / 2, 1, n_fake), rng.normal(-D / 2 + shift_real, 1, n_real)]


@pytest.mark.parametrize("pi", [0.05, 0.2, 0.4])
def test_em_prevalence_recovers_the_share_with_weights(pi: float) -> None:
    rng = np.random.default_rng(1)
    z = _scores(rng, 20_000, 20_000)
    labels = np.r_[np.ones(20_000), np.zeros(20_000)]
    # Re-weighting a balanced set to pi fakes is the same population as sampling one.
    w = np.where(labels == 1, pi, 1 - pi)
    assert em_prevalence(z, w, 0.5) == pytest.approx(pi, abs=0.01)
    # Calibrated at another training prevalence: the same log-odds mean something else.
    assert em_prevalence(z + np.log(0.25 / 0.75), w, 0.25) == pytest.approx(pi, abs=0.01)


def test_em_prevalence_clips_at_the_ends() -> None:
    assert em_prevalence(np.full(50, -8.0), np.ones(50), 0.5) == 0.0
    assert em_prevalence(np.full(50, 8.0), np.ones(50), 0.5) == 1.0


def test_transfer_errors_are_zero_where_calibration_holds_and_positive_for_lurkers() -> None:
    rng = np.random.default_rng(2)
    same = _scores(rng, 5000, 5000)
    # A population whose real people look more like fakes (lurkers): the genuine part errs upwards.
    lurkers = _scores(rng, 5000, 5000, shift_real=0.6)
    y = np.r_[np.ones(5000), np.zeros(5000)] * np.ones(2)[:, None]
    errors = em_transfer_errors(np.r_[same, lurkers], y.ravel(), np.repeat([0, 1], 10_000), 0.5)
    assert errors.shape == (2, 2)
    assert np.abs(errors[0]).max() < 0.01
    # EM is not linear in the shift, so the fake part moves too; the line still says "too high".
    assert errors[1, 0] > 0.02 and errors[1, 1] > 0.02


def test_held_out_scores_do_not_depend_on_their_own_set() -> None:
    rng = np.random.default_rng(3)
    n = 600
    groups = np.repeat([0, 1, 2], n // 3)
    y = (rng.random(n) < 0.4).astype(np.float64)
    features = ("log_followers", "log_following", "log_posts", "log_account_age_years")
    cols = [FEATURE_NAMES.index(f) for f in features]
    x = np.full((n, len(FEATURE_NAMES)), np.nan)
    x[:, cols] = rng.normal(size=(n, 4)) + y[:, None] * np.array([1.5, 0.0, -1.0, 0.5])
    x[groups == 2, cols[3]] = np.nan  # one set has no account ages: scored by the variant without them
    w = np.ones(n)

    def held(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return held_out_log_odds(x, y, w, groups, features, l2=0.1, folds=3, seed=0)

    base = held(x, y)
    assert np.isfinite(base).all()
    # Only set 2's labels change: its own held-out scores stay put, the others' move.
    y2 = y.copy()
    y2[groups == 2] = 1 - y2[groups == 2]
    flipped = held(x, y2)
    assert np.allclose(flipped[groups == 2], base[groups == 2])
    assert not np.allclose(flipped[groups != 2], base[groups != 2])
    # Set 2 lacks ages, so its scores do not depend on the others' ages either.
    x3 = x.copy()
    x3[groups != 2, cols[3]] = rng.normal(size=int(np.sum(groups != 2)))
    assert np.allclose(held(x3, y)[groups == 2], base[groups == 2])


def test_variants_drop_the_parts_a_profile_lacks() -> None:
    rng = np.random.default_rng(4)
    n = 400
    x = rng.normal(size=(n, len(FEATURE_NAMES)))
    y = (x[:, FEATURE_NAMES.index("log_account_age_years")] + rng.normal(0, 1, n) > 0).astype(np.float64)
    variants = fit_variants(
        x, y, np.ones(n), np.zeros(n), FEATURE_NAMES, [parts_mask("age")], l2=0.1, folds=3, seed=0
    )
    assert set(variants) == {0, parts_mask("age")}
    age = FEATURE_NAMES.index("log_account_age_years")
    assert age in variants[0].cols and age not in variants[parts_mask("age")].cols
    lacking = x.copy()
    lacking[:50, age] = np.nan
    scored = score_variants(variants, lacking, FEATURE_NAMES)
    np.testing.assert_allclose(scored[:50], variants[parts_mask("age")].calibrated(lacking[:50]))
    np.testing.assert_allclose(scored[50:], variants[0].calibrated(x[50:]))
    assert parts_key(parts_mask("age+bio")) == "age+bio"
    assert choose_variant(
        parts_mask("age+bio+url"), {parts_mask("age"), parts_mask("age+bio")}
    ) == parts_mask("age+bio")
