"""Evaluate the audience classifier and (optionally) write the model Covey ships.

Experiments, each "train on A, test on B":

* within-dataset: Instagram train CSV -> Instagram test CSV; Twitter (Cresci-2015) 80 % ->
  the other 20 % (stratified, seeded);
* cross-dataset: all Instagram -> all Twitter, and all Twitter -> all Instagram;
* combined: Instagram train + Twitter 80 % -> each held-out test part (the shipped recipe);
* sample world (if --world DIR is given): world 80 % -> 20 %, and public sets -> world.

For each: ROC-AUC and PR-AUC (average precision) on the test profiles, and the fake-share
estimate on synthetic audiences re-sampled from the test profiles (with replacement) at
5 %, 15 % and 30 % fakes: mean error (bias), mean absolute error, and how often the 95 %
interval covers the true share, for the adjusted estimators and the naive count.

    flock /tmp/covey-heavy.lock .venv/bin/python benchmarks/audience_eval.py \
        --data ../shared/data --json benchmarks/audience_eval.json \
        --write-model src/covey/audience/model.json
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

from covey.audience.datasets import (
    LabelledSet,
    group_split,
    load_instafake_genuine,
    load_world,
    public_sets,
    public_training_sets,
    stratified_split,
)
from covey.audience.features import concat_primitives, design_matrix
from covey.audience.metrics import pr_auc, roc_auc
from covey.audience.model import AudienceModel
from covey.audience.share import estimate_share
from covey.audience.train import train_model

PREVALENCES = (0.05, 0.15, 0.30)


def merge(sets: list[LabelledSet], name: str) -> LabelledSet:
    """One set from several (for testing on their union)."""
    return LabelledSet(
        name,
        concat_primitives([s.primitives for s in sets]),
        np.concatenate([s.labels for s in sets]),
        "; ".join(dict.fromkeys(s.licence for s in sets)),
    )


def share_trials(
    model: AudienceModel, test: LabelledSet, *, size: int, reps: int, seed: int
) -> dict[str, dict[str, float]]:
    """Share-estimation error and interval coverage on re-sampled audiences of ``size`` profiles."""
    rng = np.random.default_rng(seed)
    probs = model.proba_from_primitives(test.primitives)
    fake_idx, real_idx = np.flatnonzero(test.labels == 1), np.flatnonzero(test.labels == 0)
    out: dict[str, dict[str, float]] = {}
    for prevalence in PREVALENCES:
        k = round(size * prevalence)
        errors: dict[str, list[float]] = {"acc": [], "mle": [], "naive": []}
        covered: dict[str, list[bool]] = {"acc": [], "mle": []}
        widths: dict[str, list[float]] = {"acc": [], "mle": []}
        for _ in range(reps):
            sample = np.concatenate([rng.choice(fake_idx, k), rng.choice(real_idx, size - k)])
            truth = k / size
            p = probs[sample]
            errors["naive"].append(float(np.mean(p >= model.threshold)) - truth)
            for method in ("acc", "mle"):
                est = estimate_share(p, model, method=method)  # type: ignore[arg-type]
                errors[method].append(est.share - truth)
                covered[method].append(est.low <= truth <= est.high)
                widths[method].append(est.high - est.low)
        row: dict[str, float] = {}
        for method, errs in errors.items():
            e = np.asarray(errs)
            row[f"{method}_bias"] = round(float(e.mean()), 4)
            row[f"{method}_mae"] = round(float(np.abs(e).mean()), 4)
        for method in covered:
            row[f"{method}_coverage"] = round(float(np.mean(covered[method])), 3)
            row[f"{method}_width"] = round(float(np.mean(widths[method])), 4)
        out[f"{prevalence:.2f}"] = row
    return out


def instafake_genuine(data: Path) -> LabelledSet:
    """700 real, all-genuine Instagram accounts (instafake, CC BY-NC 4.0): EVALUATION ONLY."""
    return load_instafake_genuine(data / "engagement" / "instagram_nonautomated_accounts.json")


def false_alarms(model: AudienceModel, genuine: LabelledSet) -> dict[str, Any]:
    """What the model says about an all-genuine audience: flagged share and estimated fake share."""
    probs = model.proba_from_primitives(genuine.primitives)
    out: dict[str, Any] = {
        "profiles": len(genuine),
        "flagged_share": round(float(np.mean(probs >= model.threshold)), 4),
        "mean_probability": round(float(np.mean(probs)), 4),
    }
    for method in ("acc", "mle"):
        est = estimate_share(probs, model, method=method)  # type: ignore[arg-type]
        out[method] = {"share": round(est.share, 4), "low": round(est.low, 4), "high": round(est.high, 4)}
    return out


def tree_baseline(train: list[LabelledSet], test: LabelledSet, seed: int) -> dict[str, float]:
    """ROC/PR-AUC of gradient-boosted trees (scikit-learn, dev extra) on the same features, for comparison."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.vstack([design_matrix(s.primitives) for s in train])
    y = np.concatenate([s.labels for s in train])
    w = np.concatenate([np.full(len(s), len(y) / (len(train) * len(s))) for s in train])
    keep = ~np.all(np.isnan(x), axis=0)  # a feature no training row knows cannot be binned
    trees = HistGradientBoostingClassifier(max_depth=3, max_iter=200, learning_rate=0.05, random_state=seed)
    trees.fit(x[:, keep], y, sample_weight=w)
    p = trees.predict_proba(design_matrix(test.primitives)[:, keep])[:, 1]
    return {"roc_auc": round(roc_auc(test.labels, p), 4), "pr_auc": round(pr_auc(test.labels, p), 4)}


def experiment(
    name: str,
    train: list[LabelledSet],
    test: LabelledSet,
    *,
    size: int,
    reps: int,
    seed: int,
    trees: bool = False,
) -> dict[str, Any]:
    """Train on ``train``, report ranking and share figures on ``test``."""
    model = train_model(train, seed=seed)
    probs = model.proba_from_primitives(test.primitives)
    result: dict[str, Any] = {
        "experiment": name,
        "train": [f"{s.name} ({len(s)})" for s in train],
        "test": f"{test.name} ({len(test)}, {int(test.labels.sum())} fake)",
        "roc_auc": round(roc_auc(test.labels, probs), 4),
        "pr_auc": round(pr_auc(test.labels, probs), 4),
        "share": share_trials(model, test, size=size, reps=reps, seed=seed),
    }
    if trees:
        result["trees"] = tree_baseline(train, test, seed)
    logging.getLogger("covey.bench").info("%s: ROC-AUC %.3f", name, result["roc_auc"])
    result["model"] = model  # for the per-account figures; dropped before the report
    return result


def run(
    data: Path, world: Path | None, *, size: int, reps: int, seed: int, trees: bool = False
) -> list[dict[str, Any]]:
    """All experiments; see the module docstring."""
    sets = public_sets(data)
    ig_train, ig_test, tw = sets["instagram_train"], sets["instagram_test"], sets["twitter"]
    tw_tr_idx, tw_te_idx = stratified_split(tw.labels, 0.2, seed)
    tw_train, tw_test = tw.take(tw_tr_idx, "twitter-80%"), tw.take(tw_te_idx, "twitter-20%")
    ig_all = merge([ig_train, ig_test], "instagram-all")
    kw: dict[str, Any] = {"size": size, "reps": reps, "seed": seed, "trees": trees}
    results = [
        experiment("within Instagram", [ig_train], ig_test, **kw),
        experiment("within Twitter", [tw_train], tw_test, **kw),
        experiment("Instagram -> Twitter", [ig_all], tw, **kw),
        experiment("Twitter -> Instagram", [tw], ig_all, **kw),
        experiment("combined -> Instagram test", [ig_train, tw_train], ig_test, **kw),
        experiment("combined -> Twitter test", [ig_train, tw_train], tw_test, **kw),
    ]
    genuine = instafake_genuine(data)
    for name, train in (("Instagram", [ig_all]), ("Twitter", [tw]), ("combined", [ig_all, tw])):
        results.append(
            {
                "experiment": f"{name} -> real genuine Instagram",
                "false_alarms": false_alarms(train_model(train), genuine),
            }
        )
    if world is not None:
        w = load_world(world)
        assert w.groups is not None
        # Split by audience: no account's followers on both sides.
        w_tr, w_te = group_split(w.groups, 0.2, seed)
        w_train, w_test = w.take(w_tr, "world-80%-accounts"), w.take(w_te, "world-20%-accounts")
        truth = account_truth(world)
        for name, train in (
            ("within world", [w_train]),
            ("public -> world test", [ig_all, tw]),
            ("public+world -> world test", [ig_all, tw, w_train]),
        ):
            result = experiment(name, train, w_test, **kw)
            result["per_account"] = per_account(result.pop("model"), w_test, truth)
            results.append(result)
        # Does adding synthetic profiles cost anything on real data?
        results.append(
            experiment("combined+world -> Instagram test", [ig_train, tw_train, w_train], ig_test, **kw)
        )
        results.append(
            experiment("combined+world -> Twitter test", [ig_train, tw_train, w_train], tw_test, **kw)
        )
        results.append(
            {
                "experiment": "combined+world -> real genuine Instagram",
                "false_alarms": false_alarms(train_model([ig_all, tw, w_train]), genuine),
            }
        )
    return results


def account_truth(world: Path) -> dict[str, float]:
    """Each world account's true fake share over all its followers (truth/accounts.parquet)."""
    import pyarrow.parquet as pq

    table = pq.read_table(world / "truth" / "accounts.parquet", columns=["account_id", "fake_share"])
    return dict(
        zip(table.column("account_id").to_pylist(), table.column("fake_share").to_pylist(), strict=True)
    )


def per_account(model: AudienceModel, test: LabelledSet, truth: dict[str, float]) -> dict[str, float]:
    """Per-creator fake share from each account's follower sample, against the account's true share."""
    assert test.groups is not None
    probs = model.proba_from_primitives(test.primitives)
    errors, covered, widths, sizes = [], [], [], []
    for account in np.unique(test.groups):
        rows = test.groups == account
        if rows.sum() < 30:  # too few sampled followers to say anything
            continue
        est = estimate_share(probs[rows], model)
        errors.append(est.share - truth[str(account)])
        covered.append(est.low <= truth[str(account)] <= est.high)
        widths.append(est.high - est.low)
        sizes.append(est.n)
    e = np.asarray(errors)
    return {
        "accounts": len(e),
        "median_sample": float(np.median(sizes)),
        "bias": round(float(e.mean()), 4),
        "mae": round(float(np.abs(e).mean()), 4),
        "within_3_points": round(float(np.mean(np.abs(e) <= 0.03)), 3),
        "coverage": round(float(np.mean(covered)), 3),
        "width": round(float(np.mean(widths)), 4),
    }


def markdown(results: list[dict[str, Any]], size: int, reps: int) -> str:
    """The figures as the tables in docs/audience.md."""

    alarms = [r for r in results if "false_alarms" in r]
    results = [r for r in results if "false_alarms" not in r]

    def trees(r: dict[str, Any]) -> str:
        t = r.get("trees")
        return f" {t['roc_auc']:.3f} / {t['pr_auc']:.3f} |" if t else " – |"

    lines = [
        "| experiment | test | ROC-AUC | PR-AUC | trees ROC / PR (comparison) |",
        "|---|---|---|---|---|",
        *[
            f"| {r['experiment']} | {r['test']} | {r['roc_auc']:.3f} | {r['pr_auc']:.3f} |{trees(r)}"
            for r in results
        ],
        "",
        f"Fake-share error on audiences of {size} profiles re-sampled from the test set ({reps} per cell); "
        "bias = mean(estimate - truth), MAE = mean |estimate - truth|, in share points; coverage of the 95 % "
        "interval.",
        "",
        "| experiment | true share | naive count bias | ACC bias | ACC MAE | ACC coverage | ACC width "
        "| MLE bias | MLE MAE | MLE coverage |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for prevalence, s in r["share"].items():
            cells = [
                r["experiment"],
                f"{float(prevalence):.0%}",
                f"{s['naive_bias']:+.3f}",
                f"{s['acc_bias']:+.3f}",
                f"{s['acc_mae']:.3f}",
                f"{s['acc_coverage']:.2f}",
                f"{s['acc_width']:.3f}",
                f"{s['mle_bias']:+.3f}",
                f"{s['mle_mae']:.3f}",
                f"{s['mle_coverage']:.2f}",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    accounts = [r for r in results if "per_account" in r]
    if accounts:
        lines += [
            "",
            "Per-creator fake share on the sample world's test accounts (each account's follower sample, "
            "default (EM) estimate, against the account's true share over all its followers):",
            "",
            "| experiment | accounts | median sample | bias | MAE | within 3 points | 95 % coverage "
            "| width |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in accounts:
            a = r["per_account"]
            lines.append(
                f"| {r['experiment']} | {a['accounts']} | {a['median_sample']:.0f} | {a['bias']:+.3f} "
                f"| {a['mae']:.3f} | {a['within_3_points']:.0%} | {a['coverage']:.2f} | {a['width']:.3f} |"
            )
    lines += [
        "",
        "All-genuine real Instagram accounts (instafake, 700, evaluation only): share flagged at the default "
        "threshold and the estimated fake share with its 95 % interval (truth: 0).",
        "",
        "| trained on | flagged | mean probability | ACC share [95 %] | MLE share [95 %] |",
        "|---|---|---|---|---|",
    ]
    for r in alarms:
        a = r["false_alarms"]
        acc, mle = a["acc"], a["mle"]
        lines.append(
            f"| {r['experiment'].split(' -> ')[0]} | {a['flagged_share']:.1%} | {a['mean_probability']:.3f} "
            f"| {acc['share']:.1%} [{acc['low']:.1%}, {acc['high']:.1%}] "
            f"| {mle['share']:.1%} [{mle['low']:.1%}, {mle['high']:.1%}] |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--world", type=Path, default=None, help="A `covey world generate` folder.")
    parser.add_argument("--size", type=int, default=400, help="Profiles per re-sampled audience.")
    parser.add_argument("--reps", type=int, default=300, help="Audiences per prevalence.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--trees", action="store_true", help="Also score gradient-boosted trees (needs scikit-learn)."
    )
    parser.add_argument("--json", type=Path, default=None, help="Write the figures as JSON here.")
    parser.add_argument(
        "--train-on-world", action="store_true", help="Include the --world set in the written model."
    )
    parser.add_argument("--write-model", type=Path, default=None, help="Train on everything and save here.")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    results = run(args.data, args.world, size=args.size, reps=args.reps, seed=args.seed, trees=args.trees)
    for r in results:
        r.pop("model", None)
    table = markdown(results, args.size, args.reps)
    print(table)
    command = " ".join(["benchmarks/audience_eval.py", *(argv if argv is not None else sys.argv[1:])])
    report = {
        "date": datetime.now(UTC).date().isoformat(),
        "command": command,
        "size": args.size,
        "reps": args.reps,
        "seed": args.seed,
        "results": results,
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if args.write_model:
        train = public_training_sets(args.data)
        if args.train_on_world:
            if args.world is None:
                parser.error("--train-on-world needs --world DIR")
            train.append(load_world(args.world))
        evaluation = {r["experiment"]: {k: v for k, v in r.items() if k != "experiment"} for r in results}
        model = train_model(
            train,
            seed=args.seed,
            version=f"audience-lr-{report['date']}",
            metadata={
                "evaluation": {"command": command, "audience_size": args.size, "results": evaluation},
                "not_trained_on": "instafake engagement set (CC BY-NC 4.0): evaluation-only by its licence",
            },
        )
        model.save(args.write_model)
        print(f"\nwrote {args.write_model} ({model.version}, {model.metadata['rows']} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
