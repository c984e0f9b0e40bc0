"""Vetting against the sample world's ground truth: fake share, bought growth, pods, planted problems.

    python benchmarks/vetting_eval.py --creators 2000 --seed 1 [--profile P] [--work DIR] [--json]

Generates a world (``covey.world``), imports it (``covey.ingest``), runs ``covey score`` and
compares with DIR/truth/:

* fake-follower share per account: mean absolute error in percentage points against
  ``accounts.fake_share`` (the true share among all followers, not just the sample);
* bought-growth events: precision and recall of (account, first snapshot after the jump);
  precision counts every jump flagged bought, so an organic burst (real followers, kind
  'organic' in the truth) flagged bought is a false alarm, reported on its own as well;
* pods: ROC-AUC of ``pod_share`` separating pod members from the other accounts;
* planted problems: ROC-AUC of the overall score ranking clean accounts above those with a
  planted problem (higher overall = cleaner), over the accounts with a known overall score;
  also per kind of problem against the clean accounts (``problem_auc_kind_*``: fake share
  >= 25 % and nothing else, bought growth, pod member, a compliance problem).

With ``--profile`` (``covey world generate --profile``: youtube, instagram-business,
spreadsheet, mixed) each figure is taken where its data exist: fake share on sampled accounts,
bought growth on accounts with a follower history, pods on accounts with comments; the share
of accounts left without an overall score is reported, and for ``mixed`` the planted-problem
ROC-AUC per data shape.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from covey.ingest import import_path
from covey.scores import score_store
from covey.store import DuckDBStore
from covey.world import WorldConfig, generate


def roc_auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    pos, neg = scores[positive], scores[~positive]
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    values = np.concatenate([pos, neg])[order]
    # average ranks over ties
    _, first, counts = np.unique(values, return_index=True, return_counts=True)
    avg = first + (counts - 1) / 2.0
    ranks[order] = np.repeat(avg, counts) + 1
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def evaluate(store: DuckDBStore, truth_dir: Path) -> dict[str, Any]:
    """Compare the latest stored run with the truth files."""
    truth_accounts = f"read_parquet('{truth_dir / 'accounts.parquet'}')"
    shapes_file = truth_dir / "data_profiles.parquet"
    shapes = (
        f"read_parquet('{shapes_file}')"
        if shapes_file.exists()
        else f"(SELECT account_id, 'full' AS shape FROM {truth_accounts})"
    )
    # Growth can only be judged where the data hold a follower history.
    truth_growth = (
        f"(SELECT g.* FROM read_parquet('{truth_dir / 'growth_events.parquet'}') g JOIN {shapes} s "
        "USING (account_id) WHERE s.shape IN ('full', 'youtube', 'instagram-business'))"
    )
    run = store.query("SELECT max(run_id) FROM score_runs")[0][0]
    sig = "account_signals"
    fake = store.query(
        f"""SELECT avg(abs(CAST(json_extract(s.signals, '$.fake_share') AS DOUBLE) - t.fake_share)),
                   count(*),
                   avg(CASE WHEN t.fake_share BETWEEN CAST(json_extract(s.signals, '$.fake_low') AS DOUBLE)
                                 AND CAST(json_extract(s.signals, '$.fake_high') AS DOUBLE) THEN 1 ELSE 0 END)
            FROM {sig} s JOIN {truth_accounts} t USING (account_id)
            WHERE s.run_id = ? AND TRY_CAST(s.signals ->> '$.fake_share' AS DOUBLE) IS NOT NULL""",
        [run],
    )[0]
    found = store.query(
        """SELECT account_id, CAST(item_id AS TIMESTAMP) FROM score_evidence
           WHERE run_id = ? AND kind = 'growth_bought'""",
        [run],
    )
    true_events = store.query(
        f"SELECT account_id, CAST(t.at AS TIMESTAMP) FROM {truth_growth} t WHERE kind = 'bought'"
    )
    organic_events = store.query(
        f"SELECT account_id, CAST(t.at AS TIMESTAMP) FROM {truth_growth} t WHERE kind = 'organic'"
    )
    found_set, true_set, organic_set = set(found), set(true_events), set(organic_events)
    hits = len(found_set & true_set)
    per_account = store.arrow(
        f"""SELECT t.account_id, t.pod_id IS NOT NULL AS pod, t.planted_problem, d.shape,
                   t.fake_share AS true_fake_share, t.bought_growth,
                   t.undisclosed_sponsored_posts + t.health_claim_posts + t.prescription_posts > 0
                     AS compliance,
                   CAST(json_extract(s.signals, '$.pod_share') AS DOUBLE) AS pod_share,
                   coalesce(CAST(json_extract(s.signals, '$.audience_comments') AS BIGINT), 0) > 0
                     AS has_comments,
                   o.score AS overall, c.score AS coverage
            FROM {truth_accounts} t
            JOIN {shapes} d ON d.account_id = t.account_id
            JOIN {sig} s ON s.account_id = t.account_id AND s.run_id = ?
            JOIN account_scores o
              ON o.account_id = t.account_id AND o.run_id = ? AND o.component = 'overall'
            LEFT JOIN account_scores c
              ON c.account_id = t.account_id AND c.run_id = ? AND c.component = 'coverage'""",
        [run, run, run],
    ).to_pandas()
    commented = per_account[per_account["has_comments"]]
    pod = commented["pod"].to_numpy(bool)
    known = per_account[per_account["overall"].notna()]
    problem = known["planted_problem"].to_numpy(bool)
    overall = known["overall"].to_numpy(float)
    by_shape = {}
    for shape, part in known.groupby("shape"):
        bad = part["planted_problem"].to_numpy(bool)
        if 0 < bad.sum() < len(bad):
            by_shape[f"problem_auc_{shape}"] = roc_auc(part["overall"].to_numpy(float), ~bad)
    # Each kind of planted problem against the clean accounts: what a missing table costs.
    clean = known[~known["planted_problem"]]
    kinds = {
        "fake_only": (known["true_fake_share"] >= 0.25)
        & ~known["bought_growth"]
        & ~known["pod"]
        & ~known["compliance"],
        "bought": known["bought_growth"],
        "pod": known["pod"],
        "compliance": known["compliance"],
    }
    for kind, mask in kinds.items():
        bad = known[mask]
        if len(bad) and len(clean):
            values = np.concatenate([clean["overall"].to_numpy(float), bad["overall"].to_numpy(float)])
            labels = np.concatenate([np.ones(len(clean), bool), np.zeros(len(bad), bool)])
            by_shape[f"problem_auc_kind_{kind}"] = roc_auc(values, labels)
    return {
        "accounts": len(per_account),
        "fake_share_mae_pp": 100 * float(fake[0]) if fake[0] is not None else float("nan"),
        "fake_share_accounts": int(fake[1]),
        "fake_share_interval_coverage": float(fake[2]) if fake[2] is not None else float("nan"),
        "bought_events_true": len(true_set),
        "bought_events_found": len(found_set),
        "bought_precision": hits / len(found_set) if found_set else float("nan"),
        "bought_recall": hits / len(true_set) if true_set else float("nan"),
        "organic_bursts_true": len(organic_set),
        "organic_flagged_bought": len(found_set & organic_set),
        "bought_false_alarms": len(found_set - true_set),
        "pod_members": int(pod.sum()),
        "pod_auc": (
            roc_auc(commented["pod_share"].fillna(0).to_numpy(float), pod)
            if 0 < pod.sum() < len(pod)
            else float("nan")
        ),
        "planted_problem_accounts": int(problem.sum()),
        "problem_auc": roc_auc(overall, ~problem) if 0 < problem.sum() < len(problem) else float("nan"),
        "overall_unknown_share": 1 - len(known) / len(per_account) if len(per_account) else float("nan"),
        "mean_coverage_pct": float(per_account["coverage"].mean()),
        **by_shape,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--profile", default="full", help="Data shape of the world (covey world generate --profile)."
    )
    parser.add_argument("--work", type=Path, default=None, help="Folder for the world and database.")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="Evaluate the stored run again instead of scoring anew."
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="covey-vetting-eval-"))
    name = f"world-{args.creators}-{args.seed}" + ("" if args.profile == "full" else f"-{args.profile}")
    world, db = work / name, work / f"{name}.duckdb"
    t0 = time.perf_counter()
    if not (world / "truth" / "accounts.parquet").exists():
        generate(WorldConfig(creators=args.creators, seed=args.seed, profile=args.profile), world)
    fresh = not db.exists()
    with DuckDBStore(db) as store:
        if fresh:
            import_path(store, world)
        t1 = time.perf_counter()
        if not (args.reuse and store.query("SELECT count(*) FROM score_runs")[0][0]):
            score_store(store)
        t2 = time.perf_counter()
        result = evaluate(store, world / "truth")
    result.update(
        creators=args.creators, seed=args.seed, profile=args.profile, prepare_s=t1 - t0, score_s=t2 - t1
    )
    if args.json:
        # Strict JSON: a figure that cannot be taken (no sample, no pod) is null, not NaN.
        clean = {k: (None if isinstance(v, float) and v != v else v) for k, v in result.items()}
        print(json.dumps(clean, indent=2))
        return
    for key, value in result.items():
        print(f"{key:32s} {value:.4f}" if isinstance(value, float) else f"{key:32s} {value}")


if __name__ == "__main__":
    main()
