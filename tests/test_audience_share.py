"""The fake-share estimators: unbiased at known prevalence, intervals that cover."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from covey.audience import estimate_share, load_model
from covey.audience.calibration import fit_platt, logit, shift_prior, sigmoid
from covey.audience.model import AudienceModel, ShareCalibration
from covey.audience.share import CHI2_95, MIN_PROFILES, transfer_quantile, wilson_interval
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


def test_transfer_quantile_is_a_t_prediction_quantile() -> None:
    assert transfer_quantile(0) == pytest.approx(1.959964, abs=1e-6)  # not recorded: the normal's
    assert transfer_quantile(3) == pytest.approx(3.182 * math.sqrt(4 / 3), abs=1e-3)
    assert transfer_quantile(2) == pytest.approx(4.303 * math.sqrt(1.5), abs=1e-3)
    values = [transfer_quantile(k) for k in range(1, 40)]
    assert all(a > b for a, b in itertools.pairwise(values))  # more sets, surer spread
    assert 1.96 < values[-1] < 2.15


def test_t_interval_covers_a_new_population_that_the_normal_one_misses() -> None:
    """Three labelled sets held out in turn had genuine profiles shifted by +0.1, -0.15 and +0.2;
    a new audience's are shifted by +0.3 (1.5 times the largest seen). Its EM share is biased
    by about +5 points at 10 % fakes; 2,000 profiles leave little sampling width to hide it."""
    rng = np.random.default_rng(31)
    model = _synthetic_model()
    errors = []
    for shift in (0.1, -0.15, 0.2):
        labels = np.r_[np.ones(4000), np.zeros(4000)]
        scores = np.r_[rng.normal(SEPARATION / 2, 1, 4000), rng.normal(-SEPARATION / 2 + shift, 1, 4000)]
        errors.append(em_transfer_errors(SEPARATION * scores, labels, np.zeros(8000), 0.5)[0])
    rms = np.sqrt(np.mean(np.square(errors), axis=0))
    measured = replace(model.share, em_genuine_spread=float(rms[0]), em_fake_spread=float(rms[1]))
    normal = replace(model, share=measured)  # a file that does not say on how many sets
    three = replace(model, share=replace(measured, transfer_sets=3))
    plain, wide = [], []
    for _ in range(150):
        k = rng.binomial(2000, 0.1)
        scores = np.r_[rng.normal(SEPARATION / 2, 1, k), rng.normal(-SEPARATION / 2 + 0.3, 1, 2000 - k)]
        p = sigmoid(shift_prior(SEPARATION * scores, 0.5, model.prevalence))
        plain.append((estimate_share(p, normal), k / 2000))
        wide.append((estimate_share(p, three), k / 2000))
    assert np.mean([e.share - t for e, t in plain]) > 0.03  # the shift biases the estimate
    assert np.mean([e.low <= t <= e.high for e, t in plain]) < 0.5
    assert np.mean([e.low <= t <= e.high for e, t in wide]) >= 0.9
    assert np.mean([e.high - e.low for e, _ in wide]) < 0.16  # wider, still readable


def test_too_few_profiles_give_an_unknown_share() -> None:
    model = load_model()
    p = np.full(MIN_PROFILES - 1, 0.9)
    for method in ("mle", "acc"):
        few = estimate_share(p, model, method)  # type: ignore[arg-type]
        assert math.isnan(few.share) and (few.low, few.high) == (0.0, 1.0) and few.n == MIN_PROFILES - 1
    enough = estimate_share(np.full(MIN_PROFILES, 0.9), model)
    assert enough.share > 0.5 and enough.n == MIN_PROFILES


def _reference_mle(p: np.ndarray, prevalence: float) -> tuple[float, float, float]:
    """Plain bisection (the earlier implementation) for the share and its profile-likelihood interval."""
    r = np.exp(logit(p) - float(logit(prevalence)))

    def ll(pi: float) -> float:
        return float(np.sum(np.log(pi * r + 1 - pi)))

    def bisect(fn: Callable[[float], float], lo: float, hi: float) -> float:
        for _ in range(80):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if fn(mid) > 0 else (lo, mid)
        return (lo + hi) / 2

    eps = 1e-9
    score = lambda pi: float(np.sum((r - 1) / (pi * r + 1 - pi)))  # noqa: E731
    share = 0.0 if score(eps) <= 0 else 1.0 if score(1 - eps) >= 0 else bisect(score, eps, 1 - eps)
    best = ll(min(max(share, eps), 1 - eps))
    inside = lambda pi: CHI2_95 / 2 - (best - ll(pi))  # noqa: E731
    low = 0.0 if inside(eps) >= 0 else bisect(lambda q: -inside(q), eps, max(share, eps))
    high = 1.0 if inside(1 - eps) >= 0 else bisect(inside, min(share, 1 - eps), 1 - eps)
    return share, low, high


def test_fast_solver_matches_bisection() -> None:
    """The Newton solver (per-account cost) gives the bisection's share and interval, edges included."""
    rng = np.random.default_rng(41)
    model = _synthetic_model()  # no transfer error: the interval is the profile likelihood's
    for n, prevalence in [(20, 0.1), (200, 0.0), (200, 0.05), (500, 0.3), (3000, 0.2), (200, 0.95)]:
        for _ in range(10):
            p = _audience(rng, model, n, prevalence)
            got = estimate_share(p, model)
            want = _reference_mle(p, model.prevalence)
            np.testing.assert_allclose((got.share, got.low, got.high), want, atol=2e-6)


def test_without_transfer_the_interval_is_the_sampling_part() -> None:
    rng = np.random.default_rng(2)
    model = _synthetic_model()
    wide = replace(
        model, share=replace(model.share, em_genuine_spread=0.02, em_fake_spread=0.06, transfer_sets=3)
    )
    p = _audience(rng, model, 1000, 0.2)
    full, sampling, plain = (
        estimate_share(p, wide),
        estimate_share(p, wide, transfer=False),
        estimate_share(p, model),
    )
    assert full.share == sampling.share == plain.share
    assert (sampling.low, sampling.high) == (plain.low, plain.high)
    assert full.high - full.low > sampling.high - sampling.low + 0.05


def test_precision_is_said_in_plain_words() -> None:
    from covey.audience.share import ShareEstimate, describe_precision

    unknown = describe_precision(ShareEstimate(float("nan"), 0.0, 1.0, 12, "mle"))
    assert unknown.startswith("Unknown") and "12 profiles" in unknown
    # 200 profiles, sampling +-4 points, transfer part sqrt(9^2 - 4^2) ~ 8: no sample size reaches 2 points
    small = describe_precision(ShareEstimate(0.20, 0.11, 0.29, 200, "mle", 0.16, 0.24))
    assert "About 20 % give or take 9 points" in small and "between 11 % and 29 %" in small
    assert "about 4 points" in small and "about 800 profiles would bring it to 2" in small
    assert "about 8 points" in small and "no sample size" in small
    # a large sample, sampling part within 2 points and no transfer part worth a point
    large = describe_precision(ShareEstimate(0.10, 0.085, 0.115, 20_000, "mle", 0.085, 0.115))
    assert "would bring it" not in large and "no sample size" not in large and "the rest" not in large
    # without the sampling part (an older caller), only the range
    bare = describe_precision(ShareEstimate(0.10, 0.05, 0.15, 500, "mle"))
    assert bare.endswith("not as an exact count.")


def test_estimates_carry_their_sampling_interval() -> None:
    rng = np.random.default_rng(9)
    model = _synthetic_model()
    p = _audience(rng, model, 1000, 0.2)
    for method in ("mle", "acc"):
        e = estimate_share(p, model, method)  # type: ignore[arg-type]
        assert e.low <= e.sampling_low <= e.share <= e.sampling_high <= e.high
    narrow = estimate_share(p, model, transfer=False)
    assert (narrow.low, narrow.high) == pytest.approx((narrow.sampling_low, narrow.sampling_high))
