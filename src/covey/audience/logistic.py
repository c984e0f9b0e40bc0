"""Weighted, L2-penalised logistic regression fitted by Newton's method (IRLS), numpy only.

Small and dependable: a few dozen features, thousands to millions of rows, converges in
a handful of steps. The intercept is not penalised.
"""

from __future__ import annotations

import logging

import numpy as np

from covey.audience.calibration import sigmoid

log = logging.getLogger("covey.audience.logistic")


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    l2: float = 1.0,
    iterations: int = 100,
    tol: float = 1e-8,
    start: tuple[np.ndarray, float] | None = None,
) -> tuple[np.ndarray, float]:
    """Coefficients and intercept minimising weighted log-loss + l2/2 * |coef|^2.

    ``x`` should be standardised and free of NaN; weights are rescaled to mean 1 so that
    ``l2`` means the same whatever the row count. ``start``: coefficients and intercept to
    start Newton from (a nearby fit converges in a few steps).
    """
    n, k = x.shape
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    w = w * (n / w.sum())
    design = np.column_stack([x, np.ones(n)])
    penalty = np.full(k + 1, l2)
    penalty[-1] = 0.0
    beta = np.zeros(k + 1) if start is None else np.r_[start[0], start[1]].astype(np.float64)
    for step in range(iterations):
        p = sigmoid(design @ beta)
        grad = design.T @ (w * (p - y)) + penalty * beta
        hess = (design * (w * p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        delta = np.linalg.solve(hess, grad)
        beta -= delta
        if float(np.abs(delta).max()) < tol:
            log.debug("logistic regression converged after %d Newton steps", step + 1)
            break
    return beta[:-1].copy(), float(beta[-1])
