"""How a model's error rates move to a population it has never seen: leave-one-set-out.

Out of fold, within the training sets, a model's errors look smaller than they are: a
user's audience is a new population (another platform, country, year), and there the
calibration shifts. Each
training set is held out in turn, a model is fitted on the others exactly as the shipped
one is (same standardisation, logistic regression, out-of-fold Platt calibration), and its
calibrated log-odds on the held-out set are kept. How wrong the EM share estimate is on
each held-out set measures the error a new population brings; ``covey.audience.train``
records it and ``covey.audience.share`` widens the interval by that much.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from covey.audience.calibration import fit_platt
from covey.audience.features import (
    FEATURE_NAMES,
    choose_variant,
    features_without,
    missing_parts,
    variant_masks,
)
from covey.audience.logistic import fit_logistic


@dataclass(frozen=True)
class Fitted:
    """A fitted, calibrated linear model on some design columns; see :func:`fit_calibrated`."""

    cols: tuple[int, ...]  # columns of the full design matrix (FEATURE_NAMES order) it reads
    center: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    platt_a: float
    platt_b: float
    oof: np.ndarray  # out-of-fold calibrated log-odds of the training rows (at the training prevalence)

    def calibrated(self, x: np.ndarray) -> np.ndarray:
        """Calibrated log-odds of full design rows ``x`` (NaN = unknown = the training mean)."""
        z = np.nan_to_num((x[:, list(self.cols)] - self.center) / self.scale, nan=0.0, posinf=0.0, neginf=0.0)
        return np.asarray(self.platt_a * (z @ self.coef + self.intercept) + self.platt_b)


def fold_ids(labels: np.ndarray, groups: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """k-fold assignment stratified by set (group) and label."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(labels), dtype=np.int64)
    for g in np.unique(groups):
        for value in (0, 1):
            idx = rng.permutation(np.flatnonzero((groups == g) & (labels == value)))
            fold[idx] = np.arange(len(idx)) % folds
    return fold


def standardisation(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and standard deviation of each design column over its known values."""
    known = ~np.isnan(x)
    wk = w[:, None] * known
    total = np.maximum(wk.sum(0), 1e-12)
    center = np.where(wk.sum(0) > 0, np.nansum(x * wk, 0) / total, 0.0)
    spread = np.sqrt(np.nansum(wk * (x - center) ** 2, 0) / total)
    return center, np.where(spread > 1e-9, spread, 1.0)


def fit_calibrated(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    groups: np.ndarray,
    cols: tuple[int, ...],
    *,
    l2: float,
    folds: int,
    seed: int,
) -> Fitted:
    """Standardise columns ``cols`` of ``x``, fit the logistic regression, Platt-calibrate out of fold."""
    center, scale = standardisation(x[:, list(cols)], w)
    z = np.nan_to_num((x[:, list(cols)] - center) / scale, nan=0.0)
    coef, intercept = fit_logistic(z, y, w, l2=l2)
    fold = fold_ids(y.astype(np.int64), groups, folds, seed)
    raw = np.empty(len(y))
    for k in range(folds):
        test = fold == k
        # Started from the fit on all rows, each fold's fit takes a few Newton steps.
        coef_k, b_k = fit_logistic(z[~test], y[~test], w[~test], l2=l2, start=(coef, intercept))
        raw[test] = z[test] @ coef_k + b_k
    platt_a, platt_b = fit_platt(raw, y, w)
    return Fitted(cols, center, scale, coef, intercept, platt_a, platt_b, platt_a * raw + platt_b)


def fit_variants(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    groups: np.ndarray,
    features: tuple[str, ...],
    masks: list[int] | set[int],
    *,
    l2: float,
    folds: int,
    seed: int,
) -> dict[int, Fitted]:
    """The model on ``features`` (mask 0) and one without the parts of each of ``masks``."""
    out = {}
    for mask in sorted({0, *masks}):
        kept = features_without(mask, features)
        if mask and len(kept) == len(features):
            continue  # the parts are not among the features: the variant would be the full model
        cols = tuple(FEATURE_NAMES.index(f) for f in kept)
        out[mask] = fit_calibrated(x, y, w, groups, cols, l2=l2, folds=folds, seed=seed)
    return out


def score_variants(variants: dict[int, Fitted], x: np.ndarray, features: tuple[str, ...]) -> np.ndarray:
    """Calibrated log-odds of full design rows ``x``, each by the variant of the parts it lacks."""
    masks = missing_parts(x, features)
    out = np.empty(len(x))
    for mask in np.unique(masks):
        rows = masks == mask
        out[rows] = variants[choose_variant(int(mask), set(variants))].calibrated(x[rows])
    return out


def held_out_log_odds(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    groups: np.ndarray,
    features: tuple[str, ...],
    *,
    l2: float,
    folds: int,
    seed: int,
) -> np.ndarray:
    """Each row's calibrated log-odds from a model fitted without its whole set (leave one set out).

    Scored as the shipped model scores: by the variant of the parts the row lacks (only the
    variants the held-out set needs are fitted). Expressed at a prevalence of 50 %,
    whatever the prevalence of the sets each model saw.
    """
    out = np.empty(len(y))
    available = variant_masks()
    for g in np.unique(groups):
        held = groups == g
        needed = {choose_variant(int(m), available) for m in np.unique(missing_parts(x[held], features))}
        variants = fit_variants(
            x[~held], y[~held], w[~held], groups[~held], features, needed, l2=l2, folds=folds, seed=seed
        )
        seen = float(np.sum(w[~held] * y[~held]) / np.sum(w[~held]))
        out[held] = score_variants(variants, x[held], features) - np.log(seen / (1 - seen))
    return out


# Prevalences at which the EM estimate's error on a held-out set is measured (the 5-30 % of real audiences).
EM_PREVALENCES = (0.05, 0.10, 0.20, 0.30)


def em_prevalence(log_odds: np.ndarray, weights: np.ndarray, train_prevalence: float) -> float:
    """Maximum-likelihood share of fakes (the EM fixed point of Saerens et al. 2002), weighted rows.

    ``log_odds`` are calibrated at ``train_prevalence``; the score equation
    sum w (r - 1) / (pi r + 1 - pi) = 0, r the likelihood ratio, is solved by bisection.
    """
    ratio = np.exp(np.clip(log_odds - np.log(train_prevalence / (1 - train_prevalence)), -50, 50))
    w = weights / weights.sum()

    def score(pi: float) -> float:
        return float(np.sum(w * (ratio - 1) / (pi * ratio + (1 - pi))))

    lo, hi = 1e-9, 1 - 1e-9
    if score(lo) <= 0:
        return 0.0
    if score(hi) >= 0:
        return 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if score(mid) > 0 else (lo, mid)
    return (lo + hi) / 2


def em_transfer_errors(
    held_out: np.ndarray, y: np.ndarray, groups: np.ndarray, train_prevalence: float
) -> np.ndarray:
    """Per set, how wrong the EM share is when the set was never seen: (genuine part, fake part).

    For each held-out set the EM share is computed on the set re-weighted to 5, 10, 20 and
    30 % fakes (no resampling: the exact population), and its error e(pi) is fitted as
    (1 - pi) * a + pi * b by least squares. ``a`` is the error the genuine profiles bring
    (real people who look fake push it up), ``b`` the one the fakes bring (missed fakes pull
    it down). Returns an array of shape (sets, 2).
    """
    pis = np.array(EM_PREVALENCES)
    design = np.column_stack([1 - pis, pis])
    out = []
    for g in np.unique(groups):
        rows = groups == g
        s, label = held_out[rows], y[rows]
        n_fake, n_real = max(int(label.sum()), 1), max(int((1 - label).sum()), 1)
        errors = []
        for pi in pis:
            w = np.where(label == 1, pi / n_fake, (1 - pi) / n_real)
            errors.append(em_prevalence(s, w, train_prevalence) - pi)
        coef, *_ = np.linalg.lstsq(design, np.array(errors), rcond=None)
        out.append(coef)
    return np.array(out)
