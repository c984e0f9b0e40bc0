"""Which fake-share estimator and which interval survive a new population? Leave one set out.

Every labelled set is held out in turn; the classifier is fitted on the others exactly as
Covey ships it (variants, out-of-fold Platt calibration; ``covey.audience.transfer``), and
everything an estimator may learn -- rates, templates, recalibration, transfer error -- is
learnt from the *training* sets only (nested: out of fold within them, or by leaving each
of them out in turn, "cross-fitted out of set"). Nothing is tuned on the held-out set.

Held-out sets: ``instagram`` (696), ``twitter`` (Cresci 2015, 2,818), ``world`` (trained on
as the seed-11 world, tested as a world of an unused seed) and, with ``--instafake-fake``,
instafake's fake-v1.0 (1,194 real Instagram accounts, 200 fake; CC BY-NC 4.0, evaluation
only, never trained on: its fold is the shipped recipe trained on all three sets).

Estimators, each on the held-out model's log-odds of an audience re-sampled (with
replacement) from the held-out set at 5, 10, 20 and 30 % fakes:

* ``em``: maximum-likelihood prior adjustment (Saerens et al. 2002), Covey's default;
* ``em_recal``: EM after a temperature-and-bias (Platt) refit on the training sets'
  scores of models that never saw them (bias-corrected temperature scaling, out of set);
* ``acc_in`` / ``acc_out``: adjusted classify-and-count at log-odds 1, rates out of fold
  (in set) or out of set (each training set scored by a model without it);
* ``pacc_in`` / ``pacc_out``: probabilistic ACC (mean probability), same two templates;
* ``hdy_in`` / ``hdy_out``: HDy (Gonzalez-Castro et al. 2013), the Hellinger-closest
  mixture of the class histograms of the log-odds, same two templates.

Intervals, for EM: the profile-likelihood interval widened in quadrature by the transfer
error (the EM error on each training set held out, fitted as (1 - pi) a + pi b, root mean
square over the sets) times 1.96 (``normal``, the previous default) or times the Student-t
prediction quantile for one more population from k sets (``t``, ``covey.audience.share.
transfer_quantile``, the shipped default).

    .venv/bin/python benchmarks/audience_quantify.py --data ../shared/data \\
        --world-train /tmp/aud-world-11 --world-test /tmp/aud-world-29 \\
        --instafake-fake /tmp/instafake-fake --reps 200 --json /tmp/quantify.json
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from covey.audience.calibration import sigmoid
from covey.audience.datasets import LabelledSet, load_instafake_fake, load_world, public_training_sets
from covey.audience.features import (
    FEATURE_NAMES,
    choose_variant,
    concat_primitives,
    design_matrix,
    missing_parts,
    variant_masks,
)
from covey.audience.metrics import roc_auc
from covey.audience.quantify import em, profile_interval
from covey.audience.share import Z95, transfer_quantile
from covey.audience.train import DEFAULT_L2
from covey.audience.transfer import em_transfer_errors, fit_variants, held_out_log_odds, score_variants

SIZES = (200, 1000, 5000)
PREVALENCES = (0.05, 0.10, 0.20, 0.30)
EPS = 1e-9
log = logging.getLogger("covey.bench.quantify")


def fold(train: list[LabelledSet], test: LabelledSet, *, seed: int) -> dict[str, Any]:
    """Log-odds (at 50 %) of the held-out set, and of the training rows in and out of set."""
    prims = concat_primitives([s.primitives for s in train])
    y = np.concatenate([s.labels for s in train]).astype(np.float64)
    groups = np.concatenate([np.full(len(s), i) for i, s in enumerate(train)])
    w = np.concatenate([np.full(len(s), len(y) / (len(train) * len(s))) for s in train])
    x, xt = design_matrix(prims), design_matrix(test.primitives)
    masks = np.r_[missing_parts(x, FEATURE_NAMES), missing_parts(xt, FEATURE_NAMES)]
    needed = {choose_variant(int(m), variant_masks()) for m in np.unique(masks)}
    kw: dict[str, Any] = {"l2": DEFAULT_L2, "folds": 5, "seed": seed}
    variants = fit_variants(x, y, w, groups, FEATURE_NAMES, needed, **kw)
    own = missing_parts(x, FEATURE_NAMES)
    oof = np.empty(len(y))
    for m in np.unique(own):
        oof[own == m] = variants[choose_variant(int(m), set(variants))].oof[own == m]
    seen = float(np.sum(w * y) / np.sum(w))
    shift = float(np.log(seen / (1 - seen)))
    return {
        "test": score_variants(variants, xt, FEATURE_NAMES) - shift,
        "test_labels": test.labels,
        "in_set": oof - shift,
        "out_of_set": held_out_log_odds(x, y, w, groups, FEATURE_NAMES, **kw),
        "y": y,
        "groups": groups,
    }


def temperature_and_bias(s: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """(a, b) minimising the weighted log-loss of sigmoid(a s + b) (scipy; Newton's Platt fit
    diverges on these out-of-set scores, whose log-odds reach +-70)."""
    from scipy.optimize import minimize

    z = np.clip(s, -30, 30)

    def loss(ab: np.ndarray) -> float:
        t = ab[0] * z + ab[1]
        return float(np.sum(w * (np.logaddexp(0, t) - y * t)) / np.sum(w))

    res = minimize(loss, np.array([1.0, 0.0]), method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-9})
    return float(res.x[0]), float(res.x[1])


class Templates:
    """What the estimators learn from the training sets (class- and set-balanced)."""

    EDGES = np.linspace(-12, 12, 25)

    def __init__(self, f: dict[str, Any]) -> None:
        y, g = f["y"], f["groups"]
        self.y = y
        w = np.zeros(len(y))
        sets = np.unique(g)
        for gi in sets:
            for c in (0, 1):
                rows = (g == gi) & (y == c)
                w[rows] = len(y) / rows.sum() / len(sets) / 2
        self.w = w
        self.scores = {"in": f["in_set"], "out": f["out_of_set"]}
        self.recal = temperature_and_bias(f["out_of_set"], y, w)
        errors = em_transfer_errors(f["out_of_set"], y, g, 0.5)
        self.k = len(errors)
        self.spread = np.sqrt(np.mean(errors**2, axis=0))

    def means(self, which: str, fn: Callable[[np.ndarray], np.ndarray]) -> tuple[float, float]:
        v = fn(self.scores[which])
        pos, neg = self.y == 1, self.y == 0
        return (
            float(np.sum(self.w[pos] * v[pos]) / np.sum(self.w[pos])),
            float(np.sum(self.w[neg] * v[neg]) / np.sum(self.w[neg])),
        )

    def hist(self, which: str, c: int) -> np.ndarray:
        rows = self.y == c
        s = np.clip(self.scores[which][rows], -11.99, 11.99)
        h, _ = np.histogram(s, self.EDGES, weights=self.w[rows])
        return h / h.sum()


def adjusted(observed: float, rates: tuple[float, float]) -> float:
    tp, fp = rates
    return float(np.clip((observed - fp) / (tp - fp), 0, 1))


GRID = np.linspace(0, 1, 201)


def hdy(s: np.ndarray, t: Templates, which: str) -> float:
    h1, h0 = t.hist(which, 1), t.hist(which, 0)
    ha, _ = np.histogram(np.clip(s, -11.99, 11.99), Templates.EDGES)
    mix = GRID[:, None] * h1 + (1 - GRID[:, None]) * h0
    return float(GRID[np.argmin(np.sum((np.sqrt(mix) - np.sqrt(ha / ha.sum())) ** 2, axis=1))])


def estimators(t: Templates) -> dict[str, Callable[[np.ndarray], float]]:
    """Each estimator, its parameters learnt from the training sets only."""
    a, b = t.recal
    flag: Callable[[np.ndarray], np.ndarray] = lambda v: (v >= 1.0).astype(float)  # noqa: E731
    rates = {w: t.means(w, flag) for w in ("in", "out")}
    means = {w: t.means(w, sigmoid) for w in ("in", "out")}
    out: dict[str, Callable[[np.ndarray], float]] = {"em": em, "em_recal": lambda s: em(a * s + b)}
    for w in ("in", "out"):
        out[f"acc_{w}"] = lambda s, r=rates[w]: adjusted(float(np.mean(s >= 1.0)), r)
        out[f"pacc_{w}"] = lambda s, m=means[w]: adjusted(float(np.mean(sigmoid(s))), m)
        out[f"hdy_{w}"] = lambda s, w=w: hdy(s, t, w)
    return out


def cells(f: dict[str, Any], *, reps: int, seed: int) -> list[dict[str, Any]]:
    """Bias, MAE, coverage and width per audience size and prevalence, for every estimator."""
    t = Templates(f)
    ests = estimators(t)
    s_all, labels = f["test"], f["test_labels"]
    fakes, people = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    rng = np.random.default_rng(seed)
    quantiles = {"normal": Z95, "t": transfer_quantile(t.k)}
    out = []
    for size in SIZES:
        for pi in PREVALENCES:
            k = round(size * pi)
            truth = k / size
            errs: dict[str, list[float]] = {e: [] for e in ests}
            ints: dict[str, list[tuple[float, float]]] = {q: [] for q in quantiles}
            for _ in range(reps):
                s = s_all[np.r_[rng.choice(fakes, k), rng.choice(people, size - k)]]
                for name, fn in ests.items():
                    errs[name].append(fn(s) - truth)
                share = truth + errs["em"][-1]
                low, high = profile_interval(s, share)
                spread = float(np.hypot((1 - share) * t.spread[0], share * t.spread[1]))
                for q, mult in quantiles.items():
                    ints[q].append(
                        (
                            max(0.0, share - float(np.hypot(share - low, mult * spread))),
                            min(1.0, share + float(np.hypot(high - share, mult * spread))),
                        )
                    )
            row: dict[str, Any] = {"size": size, "truth": truth}
            for name, e in errs.items():
                a = np.asarray(e)
                row[name] = {"bias": round(float(a.mean()), 4), "mae": round(float(np.abs(a).mean()), 4)}
            for q, iv in ints.items():
                lh = np.asarray(iv)
                covered = (lh[:, 0] <= truth + 1e-12) & (truth - 1e-12 <= lh[:, 1])
                row[f"interval_{q}"] = {
                    "coverage": round(float(covered.mean()), 3),
                    "width": round(float(np.mean(lh[:, 1] - lh[:, 0])), 4),
                }
            out.append(row)
    return out


def markdown(results: list[dict[str, Any]], reps: int) -> str:
    """Tables for docs/audience.md."""
    names = [k for k in results[0]["cells"][0] if k not in ("size", "truth") and not k.startswith("interval")]
    lines = [
        f"Bias of each estimator in points (mean of estimate - truth over {reps} audiences per cell):",
        "",
        "| held out | n | truth | " + " | ".join(names) + " |",
        "|---|---|---|" + "---|" * len(names),
    ]
    for r in results:
        for c in r["cells"]:
            vals = " | ".join(f"{100 * c[n]['bias']:+.1f}" for n in names)
            lines.append(f"| {r['held_out']} | {c['size']} | {c['truth']:.0%} | {vals} |")
    lines += [
        "",
        "| estimator | mean abs bias | cells within 2 points (n >= 1,000) | worst |",
        "|---|---|---|---|",
    ]
    for n in names:
        b = [abs(c[n]["bias"]) for r in results for c in r["cells"]]
        big = [abs(c[n]["bias"]) for r in results for c in r["cells"] if c["size"] >= 1000]
        within = sum(x <= 0.02 for x in big)
        lines.append(f"| {n} | {100 * np.mean(b):.2f} | {within} / {len(big)} | {100 * max(b):.1f} |")
    lines += [
        "",
        "EM interval: coverage and mean width (points) with the transfer error times 1.96 (normal) "
        "or the t prediction quantile (t):",
        "",
        "| held out | k sets | n | truth | coverage normal | width normal | coverage t | width t |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for c in r["cells"]:
            no, t = c["interval_normal"], c["interval_t"]
            lines.append(
                f"| {r['held_out']} | {r['transfer_sets']} | {c['size']} | {c['truth']:.0%} "
                f"| {no['coverage']:.2f} | {100 * no['width']:.1f} "
                f"| {t['coverage']:.2f} | {100 * t['width']:.1f} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--world-train", type=Path, required=True)
    parser.add_argument("--world-test", type=Path, required=True)
    parser.add_argument(
        "--instafake-fake", type=Path, default=None, help="Folder of instafake's fake-v1.0 JSON files."
    )
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    instagram, twitter = public_training_sets(args.data)
    sets = {"instagram": instagram, "twitter": twitter, "world": load_world(args.world_train)}
    tests = {**sets, "world": load_world(args.world_test, name="sample-world-test")}
    if args.instafake_fake:
        tests["instafake-fake"] = load_instafake_fake(args.instafake_fake)
    results = []
    for name, test in tests.items():
        train = [s for k, s in sets.items() if k != name]
        f = fold(train, test, seed=args.seed)
        t = Templates(f)
        row = {
            "held_out": name,
            "train": [s.name for s in train],
            "roc_auc": round(roc_auc(test.labels, f["test"]), 4),
            "transfer_sets": t.k,
            "cells": cells(f, reps=args.reps, seed=args.seed),
        }
        log.info("held out %s: ROC-AUC %.4f", name, row["roc_auc"])
        results.append(row)
    command = " ".join(["benchmarks/audience_quantify.py", *(argv if argv is not None else sys.argv[1:])])
    if args.json:
        args.json.write_text(json.dumps({"command": command, "results": results}, indent=1) + "\n", "utf-8")
    print(markdown(results, args.reps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
