"""Leave-one-set-out evaluation of the audience classifier and its fake-share estimate.

Audits differ by platform, country and year, so every labelled set is held out in turn and
the model is trained, exactly as Covey ships it, on the others:

* ``instagram``: the Instagram fake/genuine CSVs (696 profiles, half fake);
* ``twitter``: Cresci et al. 2015 (2,818 profiles: E13 humans, INT bought followers);
* ``world``: a sample world. Trained on as ``--world-train`` (the seed-11 world of the
  shipped model); when held out, the test is ``--world-test``, a world of a seed never used
  for tuning, so nothing of it was seen;
* ``instafake``: 700 real, all-genuine Instagram accounts (CC BY-NC 4.0: evaluation only,
  never trained on): the fake share any model reports there is a false alarm (truth 0);
* ``instafake-fake`` (with ``--instafake-fake DIR``): instafake's fake-v1.0, 1,194 real
  Instagram accounts of which 200 are fake (same licence, evaluation only): scored by the
  model trained on all three sets, the shipped recipe, so nothing of it was seen.

For each held-out set: ROC-AUC and PR-AUC, and the fake share on audiences re-sampled from
it (with replacement) at 5, 10, 20 and 30 % fakes and 200, 1,000 and 5,000 profiles: bias,
mean absolute error, 95 % interval coverage and mean width, for the adjusted count
('acc', the default) and the maximum-likelihood EM estimate ('mle').

    .venv/bin/python benchmarks/audience_loso.py --data ../shared/data \\
        --world-train /tmp/aud-world-11 --world-test /tmp/aud-world-29 \\
        --instafake-fake /tmp/instafake-fake --json /tmp/loso.json

``--ablate`` reports the held-out ROC-AUC with each feature group left out instead.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from audience_eval import instafake_genuine

from covey.audience.datasets import LabelledSet, load_instafake_fake, load_world, public_training_sets
from covey.audience.features import FEATURE_NAMES, FEATURES
from covey.audience.metrics import pr_auc, roc_auc
from covey.audience.model import AudienceModel
from covey.audience.share import estimate_share
from covey.audience.train import train_model
from covey.audience.transfer import em_prevalence

SIZES = (200, 1000, 5000)
PREVALENCES = (0.05, 0.10, 0.20, 0.30)
METHODS = ("acc", "mle")
log = logging.getLogger("covey.bench.loso")


def load_sets(data: Path, world_train: Path, world_test: Path) -> tuple[dict[str, LabelledSet], LabelledSet]:
    """(the sets to train on, by name; the world to test on when the world is held out)."""
    instagram, twitter = public_training_sets(data)
    return {
        "instagram": instagram,
        "twitter": twitter,
        "world": load_world(world_train),
    }, load_world(world_test, name="sample-world-test")


def share_cells(
    model: AudienceModel, test: LabelledSet, *, reps: int, seed: int, methods: tuple[str, ...] = METHODS
) -> list[dict[str, Any]]:
    """Fake-share error, coverage and width on audiences re-sampled from ``test``."""
    rng = np.random.default_rng(seed)
    probs = model.proba_from_primitives(test.primitives)
    fakes, people = np.flatnonzero(test.labels == 1), np.flatnonzero(test.labels == 0)
    cells = []
    for size in SIZES:
        for prevalence in PREVALENCES if len(fakes) else (0.0,):
            k = round(size * prevalence)
            est: dict[str, list[tuple[float, float, float]]] = {m: [] for m in methods}
            for _ in range(reps):
                sample = np.r_[rng.choice(fakes, k) if k else np.zeros(0, int), rng.choice(people, size - k)]
                for m in methods:
                    e = estimate_share(probs[sample], model, method=m)  # type: ignore[arg-type]
                    est[m].append((e.share, e.low, e.high))
            truth = k / size
            row: dict[str, Any] = {"size": size, "truth": truth}
            for m, values in est.items():
                a = np.asarray(values)
                row[m] = {
                    "bias": round(float(np.mean(a[:, 0] - truth)), 4),
                    "mae": round(float(np.mean(np.abs(a[:, 0] - truth))), 4),
                    "coverage": round(
                        float(np.mean((a[:, 1] <= truth + 1e-12) & (truth - 1e-12 <= a[:, 2]))), 3
                    ),
                    "width": round(float(np.mean(a[:, 2] - a[:, 1])), 4),
                }
            cells.append(row)
    return cells


def held_out(
    sets: dict[str, LabelledSet],
    world_test: LabelledSet,
    genuine: LabelledSet,
    *,
    extra: LabelledSet | None = None,
    reps: int,
    seed: int,
    train_kw: dict[str, Any],
    shares: bool = True,
) -> list[dict[str, Any]]:
    """Each set held out in turn (and instafake under the model trained on all of them)."""
    results = []
    others = {"world": world_test, "instafake": genuine, **({extra.name: extra} if extra else {})}
    for name in [*sets, *(k for k in others if k not in sets)]:
        train = [s for k, s in sets.items() if k != name]
        test = others[name] if name in others else sets[name]
        model = train_model(train, seed=seed, **train_kw)
        probs = model.proba_from_primitives(test.primitives)
        row: dict[str, Any] = {
            "held_out": name,
            "train": [s.name for s in train],
            "test": f"{test.name} ({len(test)}, {int(test.labels.sum())} fake)",
            "share_rates": {"tpr": round(model.share.tpr, 4), "fpr": round(model.share.fpr, 4)},
            "em_spread": {
                "genuine": round(model.share.em_genuine_spread, 4),
                "fake": round(model.share.em_fake_spread, 4),
            },
        }
        if test.labels.min() != test.labels.max():
            row["roc_auc"] = round(roc_auc(test.labels, probs), 4)
            row["pr_auc"] = round(pr_auc(test.labels, probs), 4)
        else:
            row["flagged"] = round(float(np.mean(probs >= model.threshold)), 4)
            for m in METHODS:
                whole = estimate_share(probs, model, method=m)  # type: ignore[arg-type]
                row[f"share_all_{m}"] = [round(whole.share, 4), round(whole.low, 4), round(whole.high, 4)]
        if shares:
            row["cells"] = share_cells(model, test, reps=reps, seed=seed)
        log.info("held out %s: %s", name, {k: v for k, v in row.items() if k != "cells"})
        results.append(row)
    return results


def ablation(
    sets: dict[str, LabelledSet], world_test: LabelledSet, *, seed: int, train_kw: dict[str, Any]
) -> dict[str, dict[str, float]]:
    """Held-out ROC-AUC per set with each feature group left out (and with all features)."""
    groups = dict.fromkeys(g for g, _ in FEATURES.values())
    out: dict[str, dict[str, float]] = {}
    for drop in [None, *groups]:
        features = [f for f in FEATURE_NAMES if FEATURES[f][0] != drop]
        row = {}
        for name in sets:
            train = [s for k, s in sets.items() if k != name]
            test = world_test if name == "world" else sets[name]
            model = train_model(train, seed=seed, features=features, **train_kw)
            row[name] = round(roc_auc(test.labels, model.proba_from_primitives(test.primitives)), 4)
            z = model.calibrated_log_odds(test.primitives)
            n_fake, n_real = test.labels.sum(), (1 - test.labels).sum()
            for pi in (0.1, 0.3):  # the exact EM share of the held-out set re-weighted to pi fakes
                w = np.where(test.labels == 1, pi / n_fake, (1 - pi) / n_real)
                row[f"{name} EM error at {pi:.0%}"] = round(
                    em_prevalence(z, w, model.train_prevalence) - pi, 4
                )
        out[drop or "(all features)"] = row
        log.info("without %s: %s", drop, row)
    return out


def write_model(
    data: Path, world_train: Path, report: dict[str, Any], path: Path, *, seed: int
) -> AudienceModel:
    """Train the model Covey ships (all public sets + the training world) and save it with ``report``."""
    train = [*public_training_sets(data), load_world(world_train)]
    model = train_model(
        train,
        seed=seed,
        version=f"audience-lr-{datetime.now(UTC).date().isoformat()}",
        metadata={
            "evaluation": {"command": report["command"], "results": report["results"]},
            "not_trained_on": "instafake engagement set (CC BY-NC 4.0): evaluation-only by its licence",
        },
    )
    model.save(path)
    return model


def markdown(results: list[dict[str, Any]], reps: int) -> str:
    """Tables for docs/audience.md."""
    lines = [
        "| held out | trained on | test | ROC-AUC | PR-AUC | ACC rates TPR / FPR "
        "| EM transfer error genuine / fake |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        auc = f"{r['roc_auc']:.3f} | {r['pr_auc']:.3f}" if "roc_auc" in r else "– | –"
        lines.append(
            f"| {r['held_out']} | {' + '.join(r['train'])} | {r['test']} | {auc} "
            f"| {r['share_rates']['tpr']:.3f} / {r['share_rates']['fpr']:.3f} "
            f"| {r['em_spread']['genuine']:.3f} / {r['em_spread']['fake']:.3f} |"
        )
    lines += [
        "",
        f"Fake share on audiences re-sampled from the held-out set ({reps} per cell): bias and MAE in "
        "points, coverage of the 95 % interval, mean interval width.",
        "",
        "| held out | n | true share | ACC bias | ACC MAE | ACC coverage | ACC width "
        "| MLE bias | MLE MAE | MLE coverage | MLE width |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for c in r.get("cells", []):
            a, m = c["acc"], c["mle"]
            cells = [r["held_out"], str(c["size"]), f"{c['truth']:.0%}"]
            for e in (a, m):
                cells += [f"{100 * e['bias']:+.1f}", f"{100 * e['mae']:.1f}", f"{e['coverage']:.2f}"]
                cells.append(f"{100 * e['width']:.1f}")
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--world-train", type=Path, required=True, help="World trained on (seed 11).")
    parser.add_argument("--world-test", type=Path, required=True, help="World of an unused seed, tested on.")
    parser.add_argument(
        "--instafake-fake", type=Path, default=None, help="Folder of instafake's fake-v1.0 JSON files."
    )
    parser.add_argument("--reps", type=int, default=200, help="Audiences per cell.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--l2", type=float, default=None, help="Another L2 penalty than the shipped one.")
    parser.add_argument("--ablate", action="store_true", help="Feature-group ablation of the ROC-AUC only.")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--write-model", type=Path, default=None, help="Then train on every set and save here."
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    sets, world_test = load_sets(args.data, args.world_train, args.world_test)
    train_kw: dict[str, Any] = {} if args.l2 is None else {"l2": args.l2}
    command = " ".join(["benchmarks/audience_loso.py", *(argv if argv is not None else sys.argv[1:])])
    report: dict[str, Any] = {"command": command, "reps": args.reps, "seed": args.seed}
    if args.ablate:
        report["ablation"] = ablation(sets, world_test, seed=args.seed, train_kw=train_kw)
        print(json.dumps(report["ablation"], indent=1))
    else:
        genuine = instafake_genuine(args.data)
        extra = load_instafake_fake(args.instafake_fake) if args.instafake_fake else None
        report["results"] = held_out(
            sets, world_test, genuine, extra=extra, reps=args.reps, seed=args.seed, train_kw=train_kw
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if "results" in report:
        print(markdown(report["results"], args.reps))
        if args.write_model:
            model = write_model(args.data, args.world_train, report, args.write_model, seed=args.seed)
            print(f"\nwrote {args.write_model} ({model.version}, {model.metadata['rows']} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
