"""Prevalence-shift estimators of the fake share from a classifier's log-odds (quantification).

Every estimator reads the log-odds of an audience's profiles at a prevalence of 50 % and
what it learnt from labelled training sets (:class:`Templates`): the true- and
false-positive rates over a grid of thresholds and the class histograms of the log-odds,
each measured either out of fold within the training sets (``in``) or out of set, each set
scored by a model that never saw it (``out``). Class- and set-balanced: every training set
and both classes weigh the same.

* ``em``: maximum likelihood / EM prior adjustment (Saerens, Latinne, Decaestecker 2002);
* ``acc``: adjusted classify-and-count at log-odds 1; ``pacc``: its probabilistic form
  (mean probability) (Forman 2008; Bella et al. 2010);
* ``x``, ``t50``, ``max``: ACC at Forman's threshold policies (fpr = 1 - tpr, tpr = 50 %,
  max tpr - fpr); ``ms``: median sweep, the median of ACC over every threshold with
  tpr - fpr > 0.25 (Forman 2008);
* ``hdy``: the mixture of the class histograms closest to the audience's in Hellinger
  distance (Gonzalez-Castro, Alaiz-Rodriguez, Alegre 2013); ``dys``: the same with the
  Topsoe distance (Maletzke et al. 2019);
* ``median_in`` / ``median_out``: the median of em, pacc, ms and hdy.

Used by ``benchmarks/audience_prevalence.py`` to compare them leaving each labelled set out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from covey.audience.calibration import sigmoid
from covey.audience.share import share_from_ratios, transfer_quantile

THRESHOLDS = np.linspace(-6.0, 6.0, 49)  # log-odds at 50 %, step 0.25 (1.0 is on the grid)
EDGES = np.linspace(-12.0, 12.0, 25)
MIX = np.linspace(0.0, 1.0, 401)
EPS = 1e-9
# Median sweep keeps thresholds whose rates are far enough apart to divide by (Forman's MS2).
MS_MIN_GAP = 0.25
BASE = ("acc", "pacc", "x", "t50", "max", "ms", "hdy", "dys")
ESTIMATORS: tuple[str, ...] = (
    "em",
    *(f"{b}_{w}" for b in BASE for w in ("in", "out")),
    "median_in",
    "median_out",
)
INNER_PREVALENCES = (0.05, 0.10, 0.20, 0.30)


@dataclass(frozen=True)
class Side:
    """What one kind of template (in or out of set) holds."""

    tpr: np.ndarray  # per threshold
    fpr: np.ndarray
    hist: np.ndarray  # (2, bins): genuine, fake; each sums to 1
    mean_p: tuple[float, float]  # mean probability of genuine, fake
    policy: dict[str, int]  # threshold index per policy (acc, x, t50, max)


def _side(scores: np.ndarray, y: np.ndarray, w: np.ndarray) -> Side:
    pos, neg = y == 1, y == 0
    above = scores[:, None] >= THRESHOLDS[None, :]
    tpr = (w[pos] @ above[pos]) / w[pos].sum()
    fpr = (w[neg] @ above[neg]) / w[neg].sum()
    clipped = np.clip(scores, EDGES[0] + 1e-6, EDGES[-1] - 1e-6)
    hist = np.array([np.histogram(clipped[rows], EDGES, weights=w[rows])[0] for rows in (neg, pos)])
    hist = hist / hist.sum(axis=1, keepdims=True)
    p = sigmoid(scores)
    mean_p = (float(w[neg] @ p[neg] / w[neg].sum()), float(w[pos] @ p[pos] / w[pos].sum()))
    policy = {
        "acc": int(np.argmin(np.abs(THRESHOLDS - 1.0))),
        "x": int(np.argmin(np.abs(fpr - (1 - tpr)))),
        "t50": int(np.argmin(np.abs(tpr - 0.5))),
        "max": int(np.argmax(tpr - fpr)),
    }
    return Side(tpr, fpr, hist, mean_p, policy)


def balanced_weights(y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Weights giving every (set, class) cell the same total."""
    w = np.zeros(len(y))
    cells = [(g, c) for g in np.unique(groups) for c in (0, 1)]
    for g, c in cells:
        rows = (groups == g) & (y == c)
        if rows.any():
            w[rows] = 1.0 / rows.sum()
    return w


@dataclass(frozen=True)
class Templates:
    """In-set and out-of-set templates learnt from labelled training rows."""

    sides: dict[str, Side]

    @classmethod
    def build(
        cls, in_set: np.ndarray, out_of_set: np.ndarray, y: np.ndarray, groups: np.ndarray
    ) -> Templates:
        """From the training rows' out-of-fold (``in_set``) and out-of-set log-odds at 50 %."""
        w = balanced_weights(y, groups)
        return cls({"in": _side(in_set, y, w), "out": _side(out_of_set, y, w)})

    @classmethod
    def from_fold(cls, f: dict[str, Any], keep: np.ndarray | None = None) -> Templates:
        """From a benchmark fold (``in_set``, ``out_of_set``, ``y``, ``groups``), rows ``keep``."""
        rows = np.ones(len(f["y"]), bool) if keep is None else keep
        return cls.build(f["in_set"][rows], f["out_of_set"][rows], f["y"][rows], f["groups"][rows])


def em(s: np.ndarray) -> float:
    """Maximum-likelihood share from log-odds at 50 % (log likelihood ratios)."""
    return share_from_ratios(np.exp(np.clip(s, -50, 50)) - 1)[0]


def profile_interval(s: np.ndarray, share: float) -> tuple[float, float]:
    """95 % profile-likelihood interval of the EM share ``share`` = em(s) (the sampling part)."""
    _, low, high = share_from_ratios(np.exp(np.clip(s, -50, 50)) - 1)
    return low, high


def _match(observed: np.ndarray, hist: np.ndarray, topsoe: bool) -> float:
    mix = MIX[:, None] * hist[1] + (1 - MIX[:, None]) * hist[0]
    if topsoe:
        p, q = observed[None, :] + 1e-12, mix + 1e-12
        m = (p + q) / 2
        dist = np.sum(p * np.log(p / m) + q * np.log(q / m), axis=1)
    else:
        dist = np.sum((np.sqrt(mix) - np.sqrt(observed[None, :])) ** 2, axis=1)
    return float(MIX[int(np.argmin(dist))])


def _median4(values: list[float]) -> float:
    return float(np.clip(np.median(values), 0.0, 1.0))


def estimate(s: np.ndarray, t: Templates) -> dict[str, float]:
    """Every estimator's share for the log-odds ``s`` of one audience."""
    s = np.asarray(s, dtype=np.float64)
    n = len(s)
    ordered = np.sort(s)
    q = 1.0 - np.searchsorted(ordered, THRESHOLDS, side="left") / n
    hist = np.histogram(np.clip(s, EDGES[0] + 1e-6, EDGES[-1] - 1e-6), EDGES)[0] / n
    mean_p = float(sigmoid(s).mean())
    out = {"em": em(s)}
    for w, side in t.sides.items():
        gap = side.tpr - side.fpr
        for policy, i in side.policy.items():
            out[f"{policy}_{w}"] = float(np.clip((q[i] - side.fpr[i]) / max(gap[i], EPS), 0, 1))
        fp, tp = side.mean_p
        out[f"pacc_{w}"] = float(np.clip((mean_p - fp) / max(tp - fp, EPS), 0, 1))
        ok = gap > MS_MIN_GAP
        sweep = (q[ok] - side.fpr[ok]) / gap[ok] if ok.any() else np.array([out[f"acc_{w}"]])
        out[f"ms_{w}"] = float(np.clip(np.median(sweep), 0, 1))
        out[f"hdy_{w}"] = _match(hist, side.hist, topsoe=False)
        out[f"dys_{w}"] = _match(hist, side.hist, topsoe=True)
    for w in t.sides:
        out[f"median_{w}"] = _median4([out["em"], out[f"pacc_{w}"], out[f"ms_{w}"], out[f"hdy_{w}"]])
    return out


def sampling_interval(
    s: np.ndarray, values: dict[str, float], chosen: str, inflation: float
) -> tuple[float, float]:
    """Sampling part of the chosen estimator's 95 % interval: the EM profile-likelihood
    half-widths times ``inflation`` (the estimator's spread over EM's, measured on the
    training sets), around the chosen estimate."""
    low, high = profile_interval(s, values["em"])
    centre = values[chosen]
    return (
        max(0.0, centre - inflation * (values["em"] - low)),
        min(1.0, centre + inflation * (high - values["em"])),
    )


def inner_errors(
    f: dict[str, Any], *, size: int = 1000, reps: int = 20, seed: int = 0
) -> dict[str, dict[str, Any]]:
    """Each estimator's errors on the training sets, each held out of the model *and* the templates.

    Every training set g is scored by the model that never saw it (``out_of_set``); the
    templates come from the other training sets only. Audiences of ``size`` profiles at
    5, 10, 20, 30 % fakes, ``reps`` each. Returns per estimator: ``mae`` (mean absolute
    error over the audiences), ``bias``, ``errors`` (per set, the mean error fitted as
    (1 - pi) a + pi b: shape (sets, 2)) and ``inflation`` (its spread over EM's).
    """
    y, groups = f["y"], f["groups"]
    rng = np.random.default_rng(seed)
    pis = np.array(INNER_PREVALENCES)
    design = np.column_stack([1 - pis, pis])
    per: dict[str, dict[str, list[Any]]] = {
        e: {"abs": [], "err": [], "fit": [], "sd": []} for e in ESTIMATORS
    }
    for g in np.unique(groups):
        held = groups == g
        t = Templates.from_fold(f, ~held)
        s_g, y_g = f["out_of_set"][held], y[held]
        fakes, people = np.flatnonzero(y_g == 1), np.flatnonzero(y_g == 0)
        means: dict[str, list[float]] = {e: [] for e in ESTIMATORS}
        for pi in pis:
            k = round(size * pi)
            errs: dict[str, list[float]] = {e: [] for e in ESTIMATORS}
            for _ in range(reps):
                s = s_g[np.r_[rng.choice(fakes, k), rng.choice(people, size - k)]]
                for e, v in estimate(s, t).items():
                    errs[e].append(v - k / size)
            for e, a in errs.items():
                per[e]["abs"].extend(np.abs(a))
                per[e]["err"].extend(a)
                per[e]["sd"].append(float(np.std(a)))
                means[e].append(float(np.mean(a)))
        for e in ESTIMATORS:
            coef, *_ = np.linalg.lstsq(design, np.array(means[e]), rcond=None)
            per[e]["fit"].append(coef)
    em_sd = float(np.mean(per["em"]["sd"])) or 1.0
    return {
        e: {
            "mae": float(np.mean(v["abs"])),
            "bias": float(np.mean(v["err"])),
            "errors": np.array(v["fit"]),
            "inflation": max(1.0, float(np.mean(v["sd"])) / em_sd),
        }
        for e, v in per.items()
    }


@dataclass(frozen=True)
class Transfer:
    """Root-mean-square transfer error (genuine part, fake part) and its t multiplier."""

    spread: np.ndarray
    multiplier: float


def transfer_quantile_from_errors(errors: np.ndarray) -> Transfer:
    """RMS over the held-out sets of (a, b), scaled by the t prediction quantile for k sets."""
    errors = np.atleast_2d(errors)
    return Transfer(np.sqrt(np.mean(errors**2, axis=0)), transfer_quantile(len(errors)))
