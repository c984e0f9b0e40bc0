"""The share of fakes in an audience sample, corrected for the classifier's errors, with a 95 % interval.

Counting profiles over a threshold is biased: a classifier with false-positive rate F
calls F of the real people fake, and misses 1 - T of the fakes. Two estimators:

``acc`` (default) -- adjusted classify and count (Forman 2008): with q the flagged share
    of the n sampled profiles, share = (q - F) / (T - F), T and F the model's out-of-fold
    rates. Interval: the Wilson 95 % interval of q (the sample-size part) mapped through
    the same correction, widened in quadrature by the delta-method error of T and F: their
    sampling error (n_pos fakes and n_neg genuine training profiles) plus how much they
    differed between the training sets (``tpr_spread``, ``fpr_spread``), since an
    audience is a new population whose rates may sit anywhere that range; clipped to [0, 1].
``mle`` -- maximum-likelihood prior re-estimation from the calibrated probabilities (the
    fixed point of the EM of Saerens et al. 2002), with a profile-likelihood 95 % interval.
    It trusts the calibration of every probability, ``acc`` only the two rates.

Both assume the profiles are a random sample of the audience. The ``acc`` interval covers a
shift of the error rates as large as the one seen between the training sets, not more;
the ``mle`` interval assumes the calibration holds on the audience.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from covey.audience.calibration import logit
from covey.audience.model import AudienceModel

Method = Literal["acc", "mle"]
Z95 = 1.959963984540054
CHI2_95 = Z95**2  # chi-square with one degree of freedom, 95 % quantile


@dataclass(frozen=True)
class ShareEstimate:
    """Estimated share of fakes in a sample of ``n`` profiles and its 95 % interval [low, high]."""

    share: float
    low: float
    high: float
    n: int
    method: str


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
    return ShareEstimate(share, float(np.clip(low, 0, 1)), float(np.clip(high, 0, 1)), n, "acc")


def _mle(probabilities: np.ndarray, model: AudienceModel, prevalence: float) -> ShareEstimate:
    n = len(probabilities)
    # Likelihood ratio f(x|fake) / f(x|genuine) implied by the calibrated probabilities.
    ratio = np.exp(logit(probabilities) - float(logit(prevalence)))

    def loglik(pi: float) -> float:
        return float(np.sum(np.log(pi * ratio + (1 - pi))))

    def score(pi: float) -> float:
        return float(np.sum((ratio - 1) / (pi * ratio + (1 - pi))))

    def bisect(fn: Callable[[float], float], lo: float, hi: float) -> float:
        # fn is decreasing on [lo, hi]; find its zero.
        for _ in range(60):
            mid = (lo + hi) / 2
            if fn(mid) > 0:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    eps = 1e-9
    if score(eps) <= 0:
        share = 0.0
    elif score(1 - eps) >= 0:
        share = 1.0
    else:
        share = bisect(score, eps, 1 - eps)
    best = loglik(min(max(share, eps), 1 - eps))

    def inside(pi: float) -> float:
        return CHI2_95 / 2 - (best - loglik(pi))

    low = 0.0 if inside(eps) >= 0 else bisect(lambda pi: -inside(pi), eps, max(share, eps))
    high = 1.0 if inside(1 - eps) >= 0 else bisect(inside, min(share, 1 - eps), 1 - eps)
    return ShareEstimate(share, low, high, n, "mle")


def estimate_share(
    probabilities: np.ndarray,
    model: AudienceModel,
    method: Method = "acc",
    *,
    prevalence: float | None = None,
) -> ShareEstimate:
    """Fake share of an audience sample from :meth:`AudienceModel.predict_proba` output.

    ``prevalence`` is the one the probabilities were computed at: leave it None for the
    default of ``predict_proba`` (the model's own). NaN probabilities (none are produced by
    the model) are dropped.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    p = p[~np.isnan(p)]
    at = model.prevalence if prevalence is None else prevalence
    if len(p) == 0:
        return ShareEstimate(float("nan"), 0.0, 1.0, 0, method)
    if method == "acc":
        return _acc(p, model, at)
    if method == "mle":
        return _mle(p, model, at)
    raise ValueError(f"unknown share method {method!r}; use 'acc' or 'mle'")
