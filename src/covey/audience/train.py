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

from covey.audience.calibration import DEFAULT_PREVALENCE, sigmoid
from covey.audience.datasets import LabelledSet
from covey.audience.features import (
    FEATURE_NAMES,
    FEATURES,
    choose_variant,
    concat_primitives,
    design_matrix,
    missing_parts,
    parts_key,
    variant_masks,
)
from covey.audience.metrics import pr_auc, roc_auc
from covey.audience.model import AudienceModel, ShareCalibration, Variant
from covey.audience.transfer import em_transfer_errors, fit_variants, held_out_log_odds

log = logging.getLogger("covey.audience.train")

DEFAULT_L2 = 0.1
# The decision threshold for is_fake, on the probability at the model's prevalence: the
# Bayes rule for fewest errors. Users who prefer recall or precision pass --threshold.
DEFAULT_THRESHOLD = 0.5
# Audience sample size the share threshold is tuned for (a typical follower sample).
AUDIENCE_SIZE = 400


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
    features: Sequence[str] = FEATURE_NAMES,
    version: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> AudienceModel:
    """Fit, calibrate and describe an audience model on ``sets``; see the module docstring.

    ``features``: the design features to use (default all). With two sets or more, each
    is also held out in turn to measure how wrong the EM share is on a population the model
    never saw; the EM interval is widened by that much (one set gives no such measure).
    """
    sets = [s for s in sets if len(s) > 0]
    if not sets:
        raise ValueError("no labelled profiles to train on")
    unknown = [f for f in features if f not in FEATURE_NAMES]
    if unknown or not features:
        raise ValueError(f"unknown or no design features: {unknown}")
    prims = concat_primitives([s.primitives for s in sets])
    y = np.concatenate([s.labels for s in sets]).astype(np.float64)
    groups = np.concatenate([np.full(len(s), i) for i, s in enumerate(sets)])
    for s in sets:
        if len(np.unique(s.labels)) < 2:
            raise ValueError(f"labelled set {s.name!r} holds only one class; it needs fakes and genuine")
    w = np.concatenate([np.full(len(s), len(y) / (len(sets) * len(s))) for s in sets])

    x = design_matrix(prims)
    features = tuple(features)
    variants = fit_variants(x, y, w, groups, features, variant_masks(), l2=l2, folds=folds, seed=seed)
    fitted = variants[0]
    # Each training row's out-of-fold score from the variant that would score it.
    masks = missing_parts(x, features)
    calibrated = np.empty(len(y))
    for mask in np.unique(masks):
        rows = masks == mask
        calibrated[rows] = variants[choose_variant(int(mask), set(variants))].oof[rows]
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
    em_errors = np.zeros((len(sets), 2))
    if len(sets) > 1:
        # Leave each set out, see how wrong the EM share is there: the transfer error of the interval.
        held_out = held_out_log_odds(x, y, w, groups, features, l2=l2, folds=folds, seed=seed)
        em_errors = em_transfer_errors(held_out, y, groups, 0.5)
    em_genuine_spread, em_fake_spread = np.sqrt(np.mean(em_errors**2, axis=0)).tolist()
    center, scale, coef, intercept = fitted.center, fitted.scale, fitted.coef, fitted.intercept
    platt_a, platt_b = fitted.platt_a, fitted.platt_b
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
        "held_out_em_errors": {
            s.name: {"genuine_part": round(float(e[0]), 4), "fake_part": round(float(e[1]), 4)}
            for s, e in zip(sets, em_errors, strict=True)
        },
        "feature_descriptions": {name: FEATURES[name][1] for name in features},
        "prevalence_note": "probabilities are calibrated for an audience with `prevalence` fakes",
        "threshold_note": "is_fake = probability >= threshold, at the model's prevalence",
    }
    meta.update(metadata or {})
    model = AudienceModel(
        version=version or f"audience-lr-{now:%Y%m%d}",
        features=features,
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
            em_genuine_spread=float(em_genuine_spread),
            em_fake_spread=float(em_fake_spread),
            transfer_sets=len(sets) if len(sets) > 1 else 0,
        ),
        metadata=meta,
        variants={
            parts_key(mask): Variant(
                tuple(FEATURE_NAMES[c] for c in v.cols),
                v.center,
                v.scale,
                v.coef,
                v.intercept,
                v.platt_a,
                v.platt_b,
            )
            for mask, v in variants.items()
            if mask
        },
    )
    log.info("trained %s on %d profiles from %d sets; OOF %s", model.version, len(y), len(sets), oof_metrics)
    return model
