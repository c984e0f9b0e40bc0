"""The share of fakes in an audience sample, corrected for the classifier's errors, with a 95 % interval.

Counting profiles over a threshold is biased: a classifier with false-positive rate F
calls F of the real people fake, and misses 1 - T of the fakes. Two estimators:

``mle`` (default) -- maximum-likelihood prior re-estimation from the calibrated
    probabilities (the fixed point of the EM of Saerens et al. 2002): the share of fakes
    under which the audience's probabilities are most likely. Interval: the profile-likelihood
    95 % interval (the sample-size part), widened in quadrature by the error the estimate
    had on training sets it never saw (each set held out in turn, ``em_genuine_spread`` and
    ``em_fake_spread``; see ``covey.audience.transfer``), because a user's audience is a new
    population whose calibration differs.
``acc`` -- adjusted classify and count (Forman 2008): with q the flagged share of the n
    sampled profiles, share = (q - F) / (T - F), T and F the model's out-of-fold rates.
    Interval: the Wilson 95 % interval of q mapped through the same correction, widened in
    quadrature by the delta-method error of T and F (their sampling error and their
    out-of-fold spread between the training sets); clipped to [0, 1].

Leaving each labelled set out in turn (benchmarks/audience_loso.py), ``mle`` was closer
to the truth on every held-out set and its interval covered it; ``acc``, tuned on rates
out of fold, missed by up to 13 points on held-out Twitter. Both assume the profiles are
a random sample of the audience; neither covers a population further from the training
sets than they are from each other.
"""

from __future__ import annotations

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
    "not seen",
    "acc": "share of fakes among the scored profiles, corrected for the model's error rates "
    "(adjusted classify-and-count); 95 % interval from the sample size (Wilson) and the error of "
    "the model's rates (their sampling error and their spread between the training sets)",
}
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
    # Widen by the error the estimate had on training sets it never saw (leave one set out):
    # sampling says how far chance moves it, this how far a new population's calibration does.
    cal = model.share
    transfer = Z95 * float(np.hypot((1 - share) * cal.em_genuine_spread, share * cal.em_fake_spread))
    low = share - float(np.hypot(share - low, transfer))
    high = share + float(np.hypot(high - share, transfer))
    return ShareEstimate(share, max(0.0, low), min(1.0, high), n, "mle")


def estimate_share(
    probabilities: np.ndarray,
    model: AudienceModel,
    method: Method = "mle",
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
