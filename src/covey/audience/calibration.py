"""From model scores to probabilities a user can read at a real audience's prevalence.

Two steps. Platt scaling (a logistic fit of the label on the raw score, on out-of-fold
scores so it sees the model's real errors) makes the scores calibrated probabilities *at
the training prevalence* (about 50 %, the public sets are balanced). A prior-shift
correction (Saerens et al. 2002, Bayes' rule on the odds) then moves them to the
prevalence of fakes expected in a real audience: p' / (1 - p') = p / (1 - p) * [pi / (1 - pi)]
/ [pi_train / (1 - pi_train)].
"""

from __future__ import annotations

import numpy as np

# Real audiences hold about 5-35 % fakes (SRF Data 2017 found ~30 % on average among 115
# influencers); 15 % sits in the middle of that range on the log-odds scale.
DEFAULT_PREVALENCE = 0.15


def logit(p: np.ndarray | float) -> np.ndarray:
    """log(p / (1 - p)), clipped away from 0 and 1."""
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-12, 1 - 1e-12)
    return np.asarray(np.log(q) - np.log1p(-q))


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, without overflow warnings."""
    z = np.asarray(z, dtype=np.float64)
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)))


def fit_platt(
    scores: np.ndarray, labels: np.ndarray, weights: np.ndarray | None = None, *, iterations: int = 50
) -> tuple[float, float]:
    """(a, b) such that sigmoid(a * score + b) is calibrated; Newton steps on the weighted log-loss.

    Uses Platt's smoothed targets ((n+ + 1) / (n+ + 2) instead of 1) so that a perfectly
    separated calibration set does not push the slope to infinity.
    """
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    w = np.ones_like(s) if weights is None else np.asarray(weights, dtype=np.float64)
    n_pos, n_neg = float(w[y == 1].sum()), float(w[y == 0].sum())
    t = np.where(y == 1, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    a, b = 1.0, 0.0
    for _ in range(iterations):
        p = sigmoid(a * s + b)
        r = w * (p - t)
        h = w * p * (1 - p) + 1e-12
        grad = np.array([np.sum(r * s), np.sum(r)])
        hess = np.array([[np.sum(h * s * s), np.sum(h * s)], [np.sum(h * s), np.sum(h)]])
        step = np.linalg.solve(hess + 1e-9 * np.eye(2), grad)
        a, b = a - float(step[0]), b - float(step[1])
        if float(np.abs(step).max()) < 1e-10:
            break
    return a, b


def shift_prior(log_odds: np.ndarray, from_prevalence: float, to_prevalence: float) -> np.ndarray:
    """Log-odds calibrated at ``from_prevalence`` re-expressed at ``to_prevalence``."""
    for p in (from_prevalence, to_prevalence):
        if not 0.0 < p < 1.0:
            raise ValueError(f"prevalence must be strictly between 0 and 1, got {p}")
    return np.asarray(log_odds) + float(logit(to_prevalence)) - float(logit(from_prevalence))
