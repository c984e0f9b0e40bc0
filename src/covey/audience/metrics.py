"""Ranking metrics in plain numpy: ROC-AUC, PR-AUC (average precision), rates at a threshold."""

from __future__ import annotations

import numpy as np


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney U, ties counted half); NaN with one class only."""
    y = np.asarray(labels).astype(bool)
    s = np.asarray(scores, dtype=np.float64)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s), dtype=np.float64)
    sorted_s = s[order]
    # Average ranks over ties.
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_s)) + 1]
    ends = np.r_[starts[1:], len(s)]
    avg = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(avg, ends - starts)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def pr_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Average precision: the mean of precision at each true positive, scores ranked high to low."""
    y = np.asarray(labels).astype(bool)
    s = np.asarray(scores, dtype=np.float64)
    if not y.any():
        return float("nan")
    order = np.argsort(-s, kind="mergesort")
    y_sorted = y[order]
    s_sorted = s[order]
    tp = np.cumsum(y_sorted)
    # Evaluate at the last index of each tied score so ties are not split.
    last = np.r_[np.flatnonzero(np.diff(s_sorted)), len(s) - 1]
    tp_at = tp[last]
    precision = tp_at / (last + 1)
    recall_gain = np.diff(np.r_[0, tp_at]) / y.sum()
    return float(np.sum(precision * recall_gain))


def rates_at(labels: np.ndarray, scores: np.ndarray, threshold: float) -> tuple[float, float]:
    """(true-positive rate, false-positive rate) of ``scores >= threshold``."""
    y = np.asarray(labels).astype(bool)
    flagged = np.asarray(scores) >= threshold
    return float(flagged[y].mean()), float(flagged[~y].mean())
