"""Training: labelled profile sets in, a calibrated :class:`AudienceModel` out.

``train_model`` accepts any number of :class:`LabelledSet` (the public sets, a sample
world, a user's own labels); adding a source is one more item in the list. Each set gets
the same total weight, so a large set does not drown out a small one and the model leans
on what the sets have in common. Out-of-fold scores (k-fold, stratified by set and label)
feed the Platt calibration and the rates the share estimator corrects with.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from covey.audience.calibration import DEFAULT_PREVALENCE, fit_platt, sigmoid
from covey.audience.datasets import LabelledSet
from covey.audience.features import FEATURE_NAMES, FEATURES, concat_primitives, design_matrix
from covey.audience.logistic import fit_logistic
from covey.audience.metrics import pr_auc, roc_auc
from covey.audience.model import AudienceModel, ShareCalibration

log = logging.getLogger("covey.audience.train")

DEFAULT_L2 = 0.1
# The decision threshold for is_fake, on the probability at the model's prevalence: the
# Bayes rule for fewest errors. Users who prefer recall or precision pass --threshold.
DEFAULT_THRESHOLD = 0.5
# Audience sample size the share threshold is tuned for (a typical follower sample).
AUDIENCE_SIZE = 400


def _fold_ids(labels: np.ndarray, groups: np.ndarray, folds: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    fold = np.empty(len(labels), dtype=np.int64)
    for g in np.unique(groups):
        for value in (0, 1):
            idx = rng.permutation(np.flatnonzero((groups == g) & (labels == value)))
            fold[idx] = np.arange(len(idx)) % folds
    return fold


def _weighted_rates(
    calibrated: np.ndarray, y: np.ndarray, w: np.ndarray, threshold: float
) -> tuple[float, float]:
    flagged = calibrated >= threshold
    tpr = float(np.sum(w[(y == 1) & flagged]) / np.sum(w[y == 1]))
    fpr = float(np.sum(w[(y == 0) & flagged]) / np.sum(w[y == 0]))
    return tpr, fpr


def _best_share_threshold(
    calibrated: np.ndarray, y: np.ndarray, w: np.ndarray, prevalence: float, audience: int = AUDIENCE_SIZE
) -> float:
    """The log-odds threshold where the adjusted count is steadiest at ``prevalence``.

    Minimises the delta-method variance of (q - F) / (T - F) for an audience sample of
    ``audience`` profiles: binomial noise of the count plus the error of T and F measured
    on the training labels. At realistic prevalences this favours a low false-positive
    rate, because most of an audience is genuine and every false positive counts against it.
    """
    n_pos, n_neg = max(int(np.sum(y == 1)), 1), max(int(np.sum(y == 0)), 1)
    candidates = np.unique(np.quantile(calibrated, np.linspace(0.02, 0.98, 193)))
    best, best_var = float(candidates[0]), np.inf
    for t in candidates:
        tpr, fpr = _weighted_rates(calibrated, y, w, float(t))
        gap = tpr - fpr
        if gap < 0.2:
            continue
        q = prevalence * tpr + (1 - prevalence) * fpr
        var = (
            q * (1 - q) / audience
            + (1 - prevalence) ** 2 * fpr * (1 - fpr) / n_neg
            + prevalence**2 * tpr * (1 - tpr) / n_pos
        ) / gap**2
        if var < best_var:
            best, best_var = float(t), var
    return best


def train_model(
    sets: Sequence[LabelledSet],
    *,
    prevalence: float = DEFAULT_PREVALENCE,
    threshold: float = DEFAULT_THRESHOLD,
    l2: float = DEFAULT_L2,
    folds: int = 5,
    seed: int = 0,
    version: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> AudienceModel:
    """Fit, calibrate and describe an audience model on ``sets``; see the module docstring."""
    sets = [s for s in sets if len(s) > 0]
    if not sets:
        raise ValueError("no labelled profiles to train on")
    prims = concat_primitives([s.primitives for s in sets])
    y = np.concatenate([s.labels for s in sets]).astype(np.float64)
    groups = np.concatenate([np.full(len(s), i) for i, s in enumerate(sets)])
    for s in sets:
        if len(np.unique(s.labels)) < 2:
            raise ValueError(f"labelled set {s.name!r} holds only one class; it needs fakes and genuine")
    w = np.concatenate([np.full(len(s), len(y) / (len(sets) * len(s))) for s in sets])

    x = design_matrix(prims)
    known = ~np.isnan(x)
    wk = w[:, None] * known
    center = np.where(wk.sum(0) > 0, np.nansum(x * wk, 0) / np.maximum(wk.sum(0), 1e-12), 0.0)
    spread = np.sqrt(np.nansum(wk * (x - center) ** 2, 0) / np.maximum(wk.sum(0), 1e-12))
    scale = np.where(spread > 1e-9, spread, 1.0)
    z = np.nan_to_num((x - center) / scale, nan=0.0)

    fold = _fold_ids(y.astype(np.int64), groups, folds, seed)
    oof = np.empty(len(y))
    for k in range(folds):
        test = fold == k
        coef_k, b_k = fit_logistic(z[~test], y[~test], w[~test], l2=l2)
        oof[test] = z[test] @ coef_k + b_k
    platt_a, platt_b = fit_platt(oof, y, w)
    calibrated = platt_a * oof + platt_b
    share_threshold = _best_share_threshold(calibrated, y, w, prevalence)
    tpr, fpr = _weighted_rates(calibrated, y, w, share_threshold)
    per_set = np.array(
        [
            _weighted_rates(calibrated[groups == i], y[groups == i], w[groups == i], share_threshold)
            for i in range(len(sets))
        ]
    )
    # Between-set spread of the rates (sample sd over sets): the shift a new population may bring.
    tpr_spread, fpr_spread = (per_set.std(axis=0, ddof=1) if len(sets) > 1 else np.zeros(2)).tolist()
    coef, intercept = fit_logistic(z, y, w, l2=l2)
    train_prevalence = float(np.sum(w * y) / np.sum(w))

    probs = sigmoid(calibrated)
    oof_metrics = {
        s.name: {
            "roc_auc": round(roc_auc(y[groups == i], probs[groups == i]), 4),
            "pr_auc": round(pr_auc(y[groups == i], probs[groups == i]), 4),
        }
        for i, s in enumerate(sets)
    }
    now = datetime.now(UTC)
    meta: dict[str, Any] = {
        "trained_at": now.isoformat(timespec="seconds"),
        "algorithm": f"L2 logistic regression (l2={l2}) on standardised features, Platt-calibrated "
        f"on {folds}-fold out-of-fold scores, each training set weighted equally",
        "training_data": [s.describe() for s in sets],
        "rows": len(y),
        "out_of_fold_metrics": oof_metrics,
        "out_of_fold_share_rates": {
            s.name: {"tpr": round(float(r[0]), 4), "fpr": round(float(r[1]), 4)}
            for s, r in zip(sets, per_set, strict=True)
        },
        "feature_descriptions": {name: FEATURES[name][1] for name in FEATURE_NAMES},
        "prevalence_note": "probabilities are calibrated for an audience with `prevalence` fakes",
        "threshold_note": "is_fake = probability >= threshold, at the model's prevalence",
    }
    meta.update(metadata or {})
    model = AudienceModel(
        version=version or f"audience-lr-{now:%Y%m%d}",
        features=FEATURE_NAMES,
        center=center,
        scale=scale,
        coef=coef,
        intercept=intercept,
        platt_a=platt_a,
        platt_b=platt_b,
        train_prevalence=train_prevalence,
        prevalence=prevalence,
        threshold=threshold,
        share=ShareCalibration(
            share_threshold,
            tpr,
            fpr,
            int(np.sum(y == 1)),
            int(np.sum(y == 0)),
            tpr_spread=float(tpr_spread),
            fpr_spread=float(fpr_spread),
        ),
        metadata=meta,
    )
    log.info("trained %s on %d profiles from %d sets; OOF %s", model.version, len(y), len(sets), oof_metrics)
    return model
