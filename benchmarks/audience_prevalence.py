"""Prevalence-shift estimators of the fake share, leave one set out, with a selection rule fixed in advance.

The folds are those of ``benchmarks/audience_quantify.py`` (each labelled set held out in
turn; the classifier fitted on the others exactly as shipped; everything an estimator learns
comes from the training sets). Estimators (``covey.audience.quantify``; each on the held-out
model's log-odds at 50 %):

* ``em``: maximum likelihood / EM prior adjustment (Saerens et al. 2002), the old default;
* ``acc`` / ``pacc``: adjusted (probabilistic) classify-and-count at log-odds 1 (Forman 2008);
* ``x``, ``t50``, ``max``: ACC at Forman's threshold policies (fpr = 1 - tpr; tpr = 50 %;
  max tpr - fpr); ``ms``: Forman's median sweep (median of ACC over every threshold with
  tpr - fpr > 0.25);
* ``hdy``: Hellinger distance between the audience's and the mixed class histograms of the
  log-odds (Gonzalez-Castro et al. 2013); ``dys``: the same with the Topsoe distance (DyS,
  Maletzke et al. 2019);
* ``median``: the median of em, pacc, ms and hdy.

Each threshold or template estimator comes twice: rates measured out of fold within the
training sets (``_in``, Forman's cross-validated rates) or out of set (``_out``, each
training set scored by a model that never saw it), which includes the shift a new
population brings.

**The selection rule, fixed before any held-out cell was looked at:** in each outer fold,
the estimator with the smallest mean absolute error over the *inner* held-out sets (each
training set scored by a model without it; templates from the other training sets only;
audiences of 1,000 at 5, 10, 20, 30 % fakes) is the fold's choice; the held-out cells are
then reported for that choice (column ``chosen``) and, for transparency, for every
estimator (which are *not* a fair basis for picking one).

Per held-out set, size and prevalence: bias, mean absolute error, the share of audiences
within 2 points, and the interval's coverage and width, and the *sampling floor*: the share
within 2 points an unbiased estimator with the chosen one's spread would reach, and the one a
perfect classifier reaches for the audience's own share when the n profiles are a sample of
a large audience (binomial; the benchmark's truth is the sample's own share, so this part is
not in its errors).

    .venv/bin/python benchmarks/audience_prevalence.py --data ../shared/data \\
        --world-train /tmp/aud-world-11 --world-test /tmp/aud-world-29 \\
        --instafake-fake /tmp/instafake-fake --reps 200 --cache /tmp/audience-folds --json /tmp/prev.json
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from math import erf, sqrt
from pathlib import Path
from typing import Any

import numpy as np
from audience_quantify import fold

from covey.audience.datasets import load_instafake_fake, load_world, public_training_sets
from covey.audience.metrics import roc_auc
from covey.audience.quantify import (
    ESTIMATORS,
    Templates,
    estimate,
    inner_errors,
    sampling_interval,
    transfer_quantile_from_errors,
)
from covey.audience.share import Z95
from covey.audience.transfer import em_transfer_errors

SIZES = (200, 1000, 5000)
PREVALENCES = (0.05, 0.10, 0.20, 0.30)
TOLERANCE = 0.02
log = logging.getLogger("covey.bench.prevalence")


def load_folds(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Held-out log-odds and training templates of every fold, cached as .npz files.

    With ``--train-instafake-fake`` instafake's fake-v1.0 is a fourth *training* set
    (evaluation only, never saved as a model: its licence is CC BY-NC) and the other three
    are held out in turn: does one more labelled population shrink the held-out error?
    """
    instagram, twitter = public_training_sets(args.data)
    sets = {"instagram": instagram, "twitter": twitter, "world": load_world(args.world_train)}
    tests = {**sets, "world": load_world(args.world_test, name="sample-world-test")}
    if args.instafake_fake:
        extra = load_instafake_fake(args.instafake_fake)
        if args.train_instafake_fake:
            sets["instafake-fake"] = extra
        else:
            tests["instafake-fake"] = extra
    tag = f"seed{args.seed}-{args.world_test.name}" + ("-with-iff" if args.train_instafake_fake else "")
    out = {}
    for name, test in tests.items():
        path = args.cache / f"{name}-{tag}.npz" if args.cache else None
        if path and path.exists():
            out[name] = dict(np.load(path))
            continue
        train = [s for k, s in sets.items() if k != name]
        f = fold(train, test, seed=args.seed)
        f = {k: np.asarray(v) for k, v in f.items()}
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(path, **f)
        out[name] = f
        log.info("fold %s ready", name)
    return out


def within_normal(bias: float, sd: float, tol: float = TOLERANCE) -> float:
    """P(|N(bias, sd)| <= tol)."""
    if sd <= 0:
        return float(abs(bias) <= tol)
    cdf = lambda x: 0.5 * (1 + erf(x / sqrt(2)))  # noqa: E731
    return cdf((tol - bias) / sd) - cdf((-tol - bias) / sd)


def cells(f: dict[str, Any], chosen: str, *, reps: int, seed: int) -> list[dict[str, Any]]:
    """Every estimator's error per size and prevalence, and the chosen one's interval."""
    t = Templates.from_fold(f)
    inner = inner_errors(f)
    if chosen == "em":
        # exactly the shipped interval: EM errors on each training set held out, exact populations
        q = transfer_quantile_from_errors(em_transfer_errors(f["out_of_set"], f["y"], f["groups"], 0.5))
        inflation = 1.0
    else:
        q = transfer_quantile_from_errors(inner[chosen]["errors"])
        inflation = inner[chosen]["inflation"]
    s_all, labels = f["test"], f["test_labels"]
    fakes, people = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    rng = np.random.default_rng(seed)
    rows = []
    for size in SIZES:
        for pi in PREVALENCES:
            k = round(size * pi)
            truth = k / size
            errs: dict[str, list[float]] = {e: [] for e in ESTIMATORS}
            ivs = []
            for _ in range(reps):
                s = s_all[np.r_[rng.choice(fakes, k), rng.choice(people, size - k)]]
                values = estimate(s, t)
                for name, v in values.items():
                    errs[name].append(v - truth)
                centre = values[chosen]
                low, high = sampling_interval(s, values, chosen, inflation)
                spread = float(np.hypot((1 - centre) * q.spread[0], centre * q.spread[1]))
                half = q.multiplier * spread
                ivs.append(
                    (
                        max(0.0, centre - float(np.hypot(centre - low, half))),
                        min(1.0, centre + float(np.hypot(high - centre, half))),
                    )
                )
            row: dict[str, Any] = {"size": size, "truth": truth}
            for name, e in errs.items():
                a = np.asarray(e)
                row[name] = {
                    "bias": round(float(a.mean()), 4),
                    "mae": round(float(np.abs(a).mean()), 4),
                    "sd": round(float(a.std()), 4),
                    "within2": round(float(np.mean(np.abs(a) <= TOLERANCE + 1e-12)), 3),
                }
            lh = np.asarray(ivs)
            covered = (lh[:, 0] <= truth + 1e-12) & (truth - 1e-12 <= lh[:, 1])
            c = row[chosen]
            row["chosen"] = {
                "name": chosen,
                **c,
                "coverage": round(float(covered.mean()), 3),
                "width": round(float(np.mean(lh[:, 1] - lh[:, 0])), 4),
                # what an unbiased estimator with this spread would reach
                "floor_unbiased": round(within_normal(0.0, c["sd"]), 3),
                # a perfect classifier, the audience's own share from n sampled profiles
                "floor_binomial": round(within_normal(0.0, sqrt(truth * (1 - truth) / size)), 3),
                # both: an unbiased estimator's own spread plus the sampling of the audience
                "floor_both": round(within_normal(0.0, sqrt(c["sd"] ** 2 + truth * (1 - truth) / size)), 3),
                # profiles for a 95 % chance of +-2 points without bias (spread ~ 1 / sqrt(n))
                "n_for_2pts": int(
                    np.ceil(Z95**2 * (c["sd"] ** 2 * size + truth * (1 - truth)) / TOLERANCE**2)
                ),
            }
            rows.append(row)
    return rows


def choose(inner: dict[str, dict[str, Any]]) -> str:
    """The rule fixed in advance: smallest mean absolute inner error (ties: the list's order)."""
    return min(ESTIMATORS, key=lambda e: (round(inner[e]["mae"], 6), ESTIMATORS.index(e)))


def markdown(results: list[dict[str, Any]], reps: int) -> str:
    """Tables for docs/audience.md."""
    lines = [
        "Inner (training sets only) mean absolute error per estimator, in points, and the choice:",
        "",
        "| held out | " + " | ".join(ESTIMATORS) + " | chosen |",
        "|---|" + "---|" * (len(ESTIMATORS) + 1),
    ]
    for r in results:
        vals = " | ".join(f"{100 * r['inner'][e]['mae']:.1f}" for e in ESTIMATORS)
        lines.append(f"| {r['held_out']} | {vals} | {r['chosen']} |")
    lines += [
        "",
        f"Held-out bias in points per estimator ({reps} audiences per cell; not a basis for choosing):",
        "",
        "| held out | n | truth | " + " | ".join(ESTIMATORS) + " |",
        "|---|---|---|" + "---|" * len(ESTIMATORS),
    ]
    for r in results:
        for c in r["cells"]:
            vals = " | ".join(f"{100 * c[e]['bias']:+.1f}" for e in ESTIMATORS)
            lines.append(f"| {r['held_out']} | {c['size']} | {c['truth']:.0%} | {vals} |")
    lines += [
        "",
        "| estimator | mean abs bias | cells with abs bias <= 2 (n >= 1,000) | mean within 2 points |",
    ]
    lines.append("|---|---|---|---|")
    for e in ESTIMATORS:
        b = [abs(c[e]["bias"]) for r in results for c in r["cells"]]
        big = [abs(c[e]["bias"]) for r in results for c in r["cells"] if c["size"] >= 1000]
        w2 = [c[e]["within2"] for r in results for c in r["cells"]]
        lines.append(
            f"| {e} | {100 * np.mean(b):.2f} | {sum(x <= TOLERANCE for x in big)} / {len(big)} "
            f"| {np.mean(w2):.2f} |"
        )
    lines += [
        "",
        "The chosen estimator per cell: bias, MAE (points), share of audiences within 2 points, "
        "what an unbiased estimator of the same spread would reach, and a perfect classifier "
        "for the audience's own share (binomial floor); 95 % interval coverage and width:",
        "",
        "| held out | chosen | n | truth | bias | MAE | within 2 | unbiased floor | binomial floor "
        "| both | n for +-2 | coverage | width |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for c in r["cells"]:
            h = c["chosen"]
            lines.append(
                f"| {r['held_out']} | {h['name']} | {c['size']:,} | {c['truth']:.0%} "
                f"| {100 * h['bias']:+.1f} "
                f"| {100 * h['mae']:.1f} | {h['within2']:.2f} | {h['floor_unbiased']:.2f} "
                f"| {h['floor_binomial']:.2f} | {h['floor_both']:.2f} | {h['n_for_2pts']:,} "
                f"| {h['coverage']:.2f} | {100 * h['width']:.1f} |"
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
    parser.add_argument("--instafake-fake", type=Path, default=None)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--resample-seed", type=int, default=None, help="Seed of the held-out audiences (default: --seed)."
    )
    parser.add_argument("--cache", type=Path, default=None, help="Folder to keep the folds' log-odds in.")
    parser.add_argument("--only", default=None, help="Comma-separated held-out sets to run.")
    parser.add_argument(
        "--force",
        choices=ESTIMATORS,
        default=None,
        help="Report this estimator instead of the rule's choice.",
    )
    parser.add_argument(
        "--train-instafake-fake",
        action="store_true",
        help="Train on instafake-fake as a fourth set (evaluation only) and hold out the other three.",
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.resample_seed is None:
        args.resample_seed = args.seed
    folds = load_folds(args)
    results = []
    for name, f in folds.items():
        if args.only and name not in args.only.split(","):
            continue
        inner = inner_errors(f)
        chosen = args.force or choose(inner)
        row = {
            "held_out": name,
            "roc_auc": round(roc_auc(f["test_labels"], f["test"]), 4),
            "inner": {e: {"mae": round(v["mae"], 4), "bias": round(v["bias"], 4)} for e, v in inner.items()},
            "chosen": chosen,
            "cells": cells(f, chosen, reps=args.reps, seed=args.resample_seed),
        }
        log.info("held out %s: chose %s", name, chosen)
        results.append(row)
    command = " ".join(["benchmarks/audience_prevalence.py", *(argv if argv is not None else sys.argv[1:])])
    if args.json:
        args.json.write_text(json.dumps({"command": command, "results": results}, indent=1) + "\n", "utf-8")
    print(markdown(results, args.reps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
