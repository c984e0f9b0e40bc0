"""The share of fakes in an audience sample, corrected for the classifier's errors, with a 95 % interval.

Counting profiles over a threshold is biased: a classifier with false-positive rate F
calls F of the real people fake, and misses 1 - T of the fakes. Two estimators:

``mle`` (default) -- maximum-likelihood prior re-estimation from the calibrated
    probabilities (the fixed point of the EM of Saerens et al. 2002): the share of fakes
    under which the audience's probabilities are most likely. Interval: the profile-likelihood
    95 % interval (the sample-size part), widened in quadrature by the error the estimate
    had on training sets it never saw (each set held out in turn, ``em_genuine_spread`` and
    ``em_fake_spread``; see ``covey.audience.transfer``), because a user's audience is a new
    population whose calibration differs. That error is measured on only a few sets, so it
    is scaled as a Student-t prediction interval for one more population
    (:func:`transfer_quantile`), not by the normal 1.96.
``acc`` -- adjusted classify and count (Forman 2008): with q the flagged share of the n
    sampled profiles, share = (q - F) / (T - F), T and F the model's out-of-fold rates.
    Interval: the Wilson 95 % interval of q mapped through the same correction, widened in
    quadrature by the delta-method error of T and F (their sampling error and their
    out-of-fold spread between the training sets); clipped to [0, 1].

Leaving each labelled set out in turn (benchmarks/audience_loso.py and
benchmarks/audience_quantify.py, four real or synthetic sets), ``mle`` had the smallest
error of the estimators tried -- adjusted and probabilistic classify-and-count with rates
measured in or out of set, HDy distribution matching, EM after a temperature-and-bias
recalibration -- though none is within 2 points on every set: each population shifts the
calibration its own way. A wider comparison (``covey.audience.quantify``, benchmarks/
audience_prevalence.py: Forman's X, T50, MAX and median sweep, DyS, medians of several) chosen
by a rule fixed in advance also keeps ``mle``. :func:`describe_precision` says in words how
precise a figure is. Fewer than ``MIN_PROFILES`` profiles give an unknown share.
Both assume the profiles are a random sample of the audience; neither covers a population
further from the training sets than they are from each other.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from covey.audience.calibration import logit
from covey.audience.model import AudienceModel

Method = Literal["acc", "mle"]

# What each method's share and interval are, in words a user can read beside the number.
DEFINITIONS: dict[str, str] = {
    "mle": "share of fakes among the scored profiles under which their fake probabilities are most "
    "likely (maximum likelihood, Saerens et al. 2002); 95 % interval from the sample size "
    "(profile likelihood) widened by how wrong the estimate was on labelled sets the model had "
    "not seen, scaled for how few such sets there were (Student-t prediction interval)",
    "acc": "share of fakes among the scored profiles, corrected for the model's error rates "
    "(adjusted classify-and-count); 95 % interval from the sample size (Wilson) and the error of "
    "the model's rates (their sampling error and their spread between the training sets)",
}
Z95 = 1.959963984540054
CHI2_95 = Z95**2  # chi-square with one degree of freedom, 95 % quantile
# Below this many scored profiles the share is unknown: the 95 % sampling interval alone
# would span about +-20 points at 20-30 % fakes, which says nothing a user can act on.
MIN_PROFILES = 20


@dataclass(frozen=True)
class ShareEstimate:
    """Estimated share of fakes in a sample of ``n`` profiles and its 95 % interval [low, high]."""

    share: float
    low: float
    high: float
    n: int
    method: str
    # The interval from the sample size alone (what more profiles would narrow); NaN = not known.
    sampling_low: float = float("nan")
    sampling_high: float = float("nan")


def wilson_interval(successes: float, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion."""
    if n <= 0:
        return 0.0, 1.0
    q = successes / n
    denom = 1 + z * z / n
    centre = (q + z * z / (2 * n)) / denom
    half = z * np.sqrt(q * (1 - q) / n + z * z / (4 * n * n)) / denom
    return max(0.0, float(centre - half)), min(1.0, float(centre + half))


def _acc(probabilities: np.ndarray, model: AudienceModel, prevalence: float) -> ShareEstimate:
    n = len(probabilities)
    t, f = model.share.tpr, model.share.fpr
    if t - f < 0.05:
        raise ValueError(f"model rates too close to correct a count (TPR {t:.3f}, FPR {f:.3f})")
    flagged = float(np.count_nonzero(probabilities >= model.share_threshold_probability(prevalence)))
    q = flagged / n

    def correct(rate: float) -> float:
        return (rate - f) / (t - f)

    share = float(np.clip(correct(q), 0.0, 1.0))
    q_low, q_high = wilson_interval(flagged, n)
    cal = model.share
    var_rates = (
        (1 - share) ** 2 * (f * (1 - f) / max(cal.n_neg, 1) + cal.fpr_spread**2)
        + share**2 * (t * (1 - t) / max(cal.n_pos, 1) + cal.tpr_spread**2)
    ) / (t - f) ** 2
    rate_half = Z95 * np.sqrt(var_rates)
    low = correct(q) - float(np.hypot(correct(q) - correct(q_low), rate_half))
    high = correct(q) + float(np.hypot(correct(q_high) - correct(q), rate_half))
    s_low, s_high = (float(np.clip(correct(v), 0, 1)) for v in (q_low, q_high))
    return ShareEstimate(
        share, float(np.clip(low, 0, 1)), float(np.clip(high, 0, 1)), n, "acc", s_low, s_high
    )


# Student-t 97.5 % quantiles by degrees of freedom (1-10); beyond, the normal's with a 1/df correction.
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228)


def transfer_quantile(sets: int) -> float:
    """Multiplier of the transfer error for a 95 % prediction interval from ``sets`` held-out sets.

    The transfer error (em spreads) is a root mean square over the few labelled sets that
    were held out in turn, so it is itself uncertain: a new population's error is predicted
    by Student's t with ``sets`` degrees of freedom, widened by sqrt(1 + 1/sets) for the
    unknown mean error of populations -- the usual prediction interval for one more draw.
    With 3 sets that is 3.67 where the normal quantile is 1.96. ``sets`` = 0 (a model file
    that does not say how many sets it measured) keeps the normal quantile.
    """
    if sets <= 0:
        return Z95
    t = _T975[sets - 1] if sets <= len(_T975) else Z95 * (1 + 1.2 / sets)
    return float(t * np.sqrt(1 + 1 / sets))


def _solve(fn: Callable[[float], tuple[float, float]], lo: float, hi: float) -> float:
    """Zero of a decreasing ``fn`` (value, derivative) on [lo, hi] with fn(lo) > 0 > fn(hi).

    Newton steps kept inside the bracket (a bisection step when Newton would leave it):
    about 6 evaluations where plain bisection takes 50, which matters over 100k accounts.
    """
    x = (lo + hi) / 2
    for _ in range(100):
        value, slope = fn(x)
        if value == 0:
            return x
        if value > 0:
            lo = x
        else:
            hi = x
        step = x - value / slope if slope < 0 else np.nan
        moved = float(step) if lo <= step <= hi else (lo + hi) / 2
        # Newton converges from one side, so the bracket need not shrink: stop on the step.
        if abs(moved - x) < 1e-10 or hi - lo < 1e-10:
            return moved
        x = moved
    return x


def share_from_ratios(d: np.ndarray) -> tuple[float, float, float]:
    """Maximum-likelihood share and its 95 % profile-likelihood interval (the sampling part)
    from each profile's likelihood ratio f(x|fake) / f(x|genuine) minus 1 (``d``): the
    log-likelihood of a share pi is sum log(1 + pi * d)."""

    # (ndarray methods, not np.sum: this runs once per account over 100k accounts)
    def loglik(pi: float) -> float:
        return float(np.log1p(pi * d).sum())

    def score(pi: float) -> tuple[float, float]:
        q = d / (1 + pi * d)
        return float(q.sum()), -float(q @ q)

    eps = 1e-9
    if score(eps)[0] <= 0:
        share = 0.0
    elif score(1 - eps)[0] >= 0:
        share = 1.0
    else:
        share = _solve(score, eps, 1 - eps)
    best = loglik(min(max(share, eps), 1 - eps))
    cut = best - CHI2_95 / 2

    def excess(pi: float) -> tuple[float, float]:
        # log-likelihood above the 95 % cut; its slope is the score.
        return loglik(pi) - cut, score(pi)[0]

    def flipped(pi: float) -> tuple[float, float]:
        value, slope = excess(pi)
        return -value, -slope

    low = 0.0 if excess(eps)[0] >= 0 else _solve(flipped, eps, max(share, eps))
    high = 1.0 if excess(1 - eps)[0] >= 0 else _solve(excess, min(share, 1 - eps), 1 - eps)
    return share, low, high


def _mle(
    probabilities: np.ndarray, model: AudienceModel, prevalence: float, *, transfer: bool = True
) -> ShareEstimate:
    n = len(probabilities)
    d = np.exp(np.clip(logit(probabilities) - float(logit(prevalence)), -50, 50)) - 1
    share, low, high = share_from_ratios(d)
    # Widen by the error the estimate had on training sets it never saw (leave one set out):
    # sampling says how far chance moves it, this how far a new population's calibration does.
    # The spreads come from a handful of sets, so the multiplier is a t prediction quantile.
    cal = model.share
    spread = float(np.hypot((1 - share) * cal.em_genuine_spread, share * cal.em_fake_spread))
    shift = transfer_quantile(cal.transfer_sets) * spread if transfer else 0.0
    s_low, s_high = low, high
    low = share - float(np.hypot(share - low, shift))
    high = share + float(np.hypot(high - share, shift))
    return ShareEstimate(share, max(0.0, low), min(1.0, high), n, "mle", s_low, s_high)


def estimate_share(
    probabilities: np.ndarray,
    model: AudienceModel,
    method: Method = "mle",
    *,
    prevalence: float | None = None,
    transfer: bool = True,
) -> ShareEstimate:
    """Fake share of an audience sample from :meth:`AudienceModel.predict_proba` output.

    ``prevalence`` is the one the probabilities were computed at: leave it None for the
    default of ``predict_proba`` (the model's own). NaN probabilities (none are produced by
    the model) are dropped. Fewer than :data:`MIN_PROFILES` profiles give an *unknown*
    estimate: share NaN, interval [0, 1], ``n`` the profiles there were.

    ``transfer=False`` (``mle`` only) leaves out the transfer error: the interval is then the
    sampling part alone -- what this sample could hold were the model's calibration right for
    this population. The shown interval keeps it; a check that must not be loosened by the
    model's doubts about other populations (e.g. whether a sample can hold a jump of bought
    followers) may prefer the narrower one.
    """
    if method not in DEFINITIONS:
        raise ValueError(f"unknown share method {method!r}; use 'acc' or 'mle'")
    p = np.asarray(probabilities, dtype=np.float64)
    p = p[~np.isnan(p)]
    at = model.prevalence if prevalence is None else prevalence
    if len(p) < MIN_PROFILES:
        return ShareEstimate(float("nan"), 0.0, 1.0, len(p), method)
    if method == "acc":
        return _acc(p, model, at)
    return _mle(p, model, at, transfer=transfer)


# The figure is read to within this many points or not at all (the target, 2 points).
USEFUL_POINTS = 2.0


def describe_precision(estimate: ShareEstimate) -> str:
    """How precise the shown fake share is, in plain words a user can act on.

    Says the interval as a range to read instead of the point figure, how much of it the
    sample size explains (and how many profiles would bring that part to about
    :data:`USEFUL_POINTS` points), and that the rest -- how far the model has been off on
    populations it had not seen -- does not shrink with more profiles.
    """
    if math.isnan(estimate.share):
        return (
            f"Unknown: {estimate.n:,} profiles scored, at least {MIN_PROFILES} are needed for a figure "
            "worth reading."
        )
    half = 100 * max(estimate.share - estimate.low, estimate.high - estimate.share)
    text = (
        f"About {100 * estimate.share:.0f} % give or take {half:.0f} points: read it as somewhere "
        f"between {100 * estimate.low:.0f} % and {100 * estimate.high:.0f} %, not as an exact count."
    )
    if math.isnan(estimate.sampling_low) or math.isnan(estimate.sampling_high):
        return text
    chance = 100 * max(estimate.share - estimate.sampling_low, estimate.sampling_high - estimate.share)
    model_part = math.sqrt(max(half**2 - chance**2, 0.0))
    text += f" Chance in a sample of {estimate.n:,} profiles accounts for {_points(chance)} of that"
    if round(chance) > USEFUL_POINTS:
        # The sampling half-width shrinks as 1 / sqrt(n).
        needed = int(math.ceil(round(estimate.n * (chance / USEFUL_POINTS) ** 2, 6) / 100.0) * 100)
        text += f" (about {needed:,} profiles would bring it to {USEFUL_POINTS:.0f})"
    if round(model_part) >= 1:
        text += (
            f"; the rest, {_points(model_part)}, allows for how far the model can be off on an audience "
            "unlike those it learnt from, which more profiles do not reduce"
        )
        if round(model_part) > USEFUL_POINTS:
            text += f", so no sample size makes this figure precise to {USEFUL_POINTS:.0f} points"
    return text + "."


def _points(value: float) -> str:
    rounded = max(round(value), 1)
    return f"about {rounded} point" + ("s" if rounded != 1 else "")
