"""The fake-share estimators: unbiased at known prevalence, intervals that cover."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from covey.audience import estimate_share, load_model
from covey.audience.calibration import fit_platt, logit, shift_prior, sigmoid
from covey.audience.model import AudienceModel, ShareCalibration
from covey.audience.share import wilson_interval
from covey.audience.transfer import em_transfer_errors

SEPARATION = 2.5  # fakes' scores ~ N(+d/2, 1), genuine ~ N(-d/2, 1)


def _phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _synthetic_model(threshold: float = 1.0) -> AudienceModel:
    """The shipped model's structure with share rates that match the synthetic scores exactly."""
    base = load_model()
    d = SEPARATION
    # With equal-variance normals the calibrated log-odds at 50 % is d * score.
    tpr = 1 - _phi(threshold / d - d / 2)
    fpr = 1 - _phi(threshold / d + d / 2)
    share = ShareCalibration(threshold, tpr, fpr, 100_000, 100_000)
    return replace(base, train_prevalence=0.5, prevalence=0.15, share=share)


def _audience(rng: np.random.Generator, model: AudienceModel, n: int, prevalence: float) -> np.ndarray:
    """Calibrated probabilities (at the model's prevalence) of an audience with ``prevalence`` fakes."""
    k = rng.binomial(n, prevalence)
    scores = np.r_[rng.normal(SEPARATION / 2, 1, k), rng.normal(-SEPARATION / 2, 1, n - k)]
    return sigmoid(shift_prior(SEPARATION * scores, 0.5, model.prevalence))


@pytest.mark.parametrize("method", ["acc", "mle"])
@pytest.mark.parametrize("prevalence", [0.05, 0.15, 0.30])
def test_unbiased_and_covering(method: str, prevalence: float) -> None:
    rng = np.random.default_rng(11)
    model = _synthetic_model()
    estimates = [estimate_share(_audience(rng, model, 500, prevalence), model, method) for _ in range(300)]  # type: ignore[arg-type]
    shares = np.array([e.share for e in estimates])
    covered = np.mean([e.low <= prevalence <= e.high for e in estimates])
    assert abs(shares.mean() - prevalence) < 0.006
    assert covered >= 0.92
    assert all(e.n == 500 and e.method == method for e in estimates)


def test_naive_count_is_biased_but_acc_is_not() -> None:
    rng = np.random.default_rng(3)
    model = _synthetic_model()
    p = _audience(rng, model, 200_000, 0.05)
    naive = float(np.mean(p >= model.share_threshold_probability()))
    assert naive - 0.05 > 0.01  # false positives among 95 % genuine inflate a raw count
    assert abs(estimate_share(p, model).share - 0.05) < 0.005


def test_interval_narrows_with_sample_size() -> None:
    rng = np.random.default_rng(5)
    model = _synthetic_model()
    small = estimate_share(_audience(rng, model, 100, 0.2), model)
    large = estimate_share(_audience(rng, model, 10_000, 0.2), model)
    assert (large.high - large.low) < (small.high - small.low) / 3


def test_wilson_interval_known_values() -> None:
    low, high = wilson_interval(10, 100)
    assert low == pytest.approx(0.0552, abs=1e-4) and high == pytest.approx(0.1744, abs=1e-4)
    assert wilson_interval(0, 50)[0] == pytest.approx(0.0, abs=1e-12)


def test_empty_and_bad_method() -> None:
    model = load_model()
    empty = estimate_share(np.array([]), model)
    assert empty.n == 0 and math.isnan(empty.share)
    with pytest.raises(ValueError, match="unknown share method"):
        estimate_share(np.array([0.2]), model, "vote")  # type: ignore[arg-type]


def test_platt_recovers_a_known_calibration() -> None:
    rng = np.random.default_rng(0)
    scores = rng.normal(0, 2, 50_000)
    labels = rng.random(50_000) < sigmoid(0.5 * scores - 1.0)
    a, b = fit_platt(scores, labels.astype(float))
    assert a == pytest.approx(0.5, abs=0.03) and b == pytest.approx(-1.0, abs=0.05)


def test_prior_shift_moves_probabilities_by_bayes_rule() -> None:
    p = np.array([0.5, 0.9])
    shifted = sigmoid(shift_prior(logit(p), 0.5, 0.1))
    odds = p / (1 - p) * (0.1 / 0.9)
    np.testing.assert_allclose(shifted, odds / (1 + odds))
    with pytest.raises(ValueError):
        shift_prior(logit(p), 0.5, 1.0)


def test_probabilities_at_another_prevalence_give_the_same_estimate() -> None:
    rng = np.random.default_rng(9)
    model = _synthetic_model()
    p = _audience(rng, model, 2000, 0.2)
    p_30 = sigmoid(shift_prior(logit(p), model.prevalence, 0.30))
    for method in ("acc", "mle"):
        default = estimate_share(p, model, method)  # type: ignore[arg-type]
        shifted = estimate_share(p_30, model, method, prevalence=0.30)  # type: ignore[arg-type]
        assert shifted.share == pytest.approx(default.share, abs=1e-6)


def test_interval_covers_a_shift_of_the_rates_as_large_as_between_training_sets() -> None:
    """An audience whose true-positive rate sits one spread below the model's is covered only
    when the interval carries the between-set spread of the rates."""
    rng = np.random.default_rng(17)
    model = _synthetic_model()
    t = model.share.tpr
    # The audience's fakes score lower: its TPR at the threshold is about t - 0.1.
    shift = 0.35
    shifted_tpr = 1 - _phi(1.0 / SEPARATION - SEPARATION / 2 + shift)
    assert 0.05 < t - shifted_tpr < 0.15

    def audience() -> np.ndarray:
        k = rng.binomial(400, 0.3)
        scores = np.r_[rng.normal(SEPARATION / 2 - shift, 1, k), rng.normal(-SEPARATION / 2, 1, 400 - k)]
        return sigmoid(shift_prior(SEPARATION * scores, 0.5, model.prevalence))

    spread = replace(model, share=replace(model.share, tpr_spread=t - shifted_tpr, fpr_spread=0.0))
    plain, wide = [], []
    for _ in range(300):
        p = audience()
        plain.append(estimate_share(p, model, "acc"))
        wide.append(estimate_share(p, spread, "acc"))
    cover_plain = np.mean([e.low <= 0.3 <= e.high for e in plain])
    cover_wide = np.mean([e.low <= 0.3 <= e.high for e in wide])
    assert cover_plain < 0.8  # sampling error alone does not cover the shift
    assert cover_wide >= 0.93
    assert all(w.share == pl.share for w, pl in zip(wide, plain, strict=True))  # only the interval moves


def test_em_interval_carries_the_error_seen_on_held_out_sets() -> None:
    """An audience of lurkers (real people who look a little fake) fools the EM estimate; its
    interval covers the truth only when it carries the held-out error (em spreads)."""
    rng = np.random.default_rng(23)
    model = _synthetic_model()

    def audience() -> np.ndarray:
        k = rng.binomial(1000, 0.1)
        scores = np.r_[rng.normal(SEPARATION / 2, 1, k), rng.normal(-SEPARATION / 2 + 0.3, 1, 1000 - k)]
        return sigmoid(shift_prior(SEPARATION * scores, 0.5, model.prevalence))

    # The error such a population brings, as leave-one-set-out measures it on a labelled
    # set of the same kind (another draw): one held-out set, so its errors are the RMS.
    labels = np.r_[np.ones(3000), np.zeros(3000)]
    held = SEPARATION * np.r_[rng.normal(SEPARATION / 2, 1, 3000), rng.normal(-SEPARATION / 2 + 0.3, 1, 3000)]
    genuine_part, fake_part = np.abs(em_transfer_errors(held, labels, np.zeros(6000), 0.5)[0])
    share = replace(model.share, em_genuine_spread=float(genuine_part), em_fake_spread=float(fake_part))
    spread = replace(model, share=share)
    plain, wide = [], []
    for _ in range(200):
        p = audience()
        plain.append(estimate_share(p, model, "mle"))
        wide.append(estimate_share(p, spread, "mle"))
    assert np.mean([e.share for e in plain]) - 0.1 > 0.02  # biased upwards by the lurkers
    assert np.mean([e.low <= 0.1 <= e.high for e in plain]) < 0.6
    assert np.mean([e.low <= 0.1 <= e.high for e in wide]) >= 0.9
    assert all(w.share == pl.share for w, pl in zip(wide, plain, strict=True))  # only the interval moves
    # Not absurdly wide: about 1.96 times the held-out error each side (0.164 measured).
    assert np.mean([e.high - e.low for e in wide]) < 0.2
    assert estimate_share(audience(), spread).method == "mle"  # the default
