"""Planner evaluation on a sample world: predicted vs true reach, overlaps, baselines, MILP.

    flock /tmp/covey-heavy.lock .venv/bin/python benchmarks/planning_eval.py --creators 2000 --seed 7

Generates the world (covey.world), imports it (covey.ingest), then:
1. reach: for every niche x budget, plans from the store alone (candidates = the niche's micro
   accounts, as discovery would list them; real-audience share = the prior, reach rates = the
   priors; every other setting the default a user gets) and compares the predicted reach at
   1+/3+/5+ with the exact expected reach on the world's true audiences (truth/audience_members,
   true per-account reach rates, each panel person weighted 1/audience_scale). Shares are of
   the addressable audience: the union of the candidates' true real audiences.
2. baselines: the same budget on the naive top-engagement choice and the macro option, all
   evaluated on the true audiences.
3. overlaps: theta-sketch pairwise overlaps of the observed identifiers vs exact, and the
   coverage-corrected overlaps vs the true audience overlaps, with interval coverage.
4. optimizer: lazy greedy vs the HiGHS MILP on the scenario surrogate, 20 seeds, 200
   candidates drawn from the world's true audiences.
5. discovery (``--discovery``): candidates from discovery, as `covey plan` takes them without
   a candidate file (a copy of the store, vetted and indexed as `covey demo` does), for one brief
   per niche in words x budgets, predicted vs true reach with the discovered candidates labelled
   as the planner labels them ("after"), with no niche ("before") and with the vetting run's
   per-account niche hashtag (the alternative not taken); ``--demo`` adds the demo's plan.
6. a saved plan (``--plan-db DB``): the latest plan in DB (a store of this world, e.g. the
   demo's) against the truth.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from covey.discovery import build_index, index_dir
from covey.ingest import import_path
from covey.planning.greedy import Constraints, plan_greedy
from covey.planning.milp import solve_milp
from covey.planning.objective import ScenarioCoverage
from covey.planning.overlap import exact_overlaps, pairwise_overlaps
from covey.planning.planner import AudienceModel, Brief, build_model, identifiers_table, make_plan
from covey.planning.ratecard import RateCard, load_rate_card
from covey.planning.reach import Panel, exposure_distribution, panel_from_pairs
from covey.planning.session import gather
from covey.planning.sketches import build_sketches
from covey.scores import score_store
from covey.store import DuckDBStore
from covey.world import WorldConfig, generate


def prepare(creators: int, seed: int, root: Path, vet: bool = False) -> tuple[Path, Path]:
    """World folder and imported database (reused when present); ``vet``: a vetted copy."""
    world = root / f"world-{creators}-{seed}"
    db = root / f"world-{creators}-{seed}{'-vetted' if vet else ''}.duckdb"
    if not (world / "truth" / "world.json").exists():
        generate(WorldConfig(creators=creators, seed=seed), world)
    if not db.exists():
        with DuckDBStore(db) as store:
            import_path(store, world)
            if vet:
                # Vetting first, as a user would (covey score): the planner then takes each
                # creator's real-follower share from the audience estimate.
                from covey.scores import score_store

                score_store(store)
    return world, db


def truth_panel(world: Path, account_ids: list[str]) -> tuple[Panel, np.ndarray, float]:
    """The accounts' true real audiences (panel people, weight 1/scale) and true reach rates."""
    scale = json.loads((world / "truth" / "world.json").read_text())["audience_scale"]
    con = duckdb.connect()
    con.register("want", pa.table({"account_id": account_ids, "i": np.arange(len(account_ids))}))
    t = con.sql(
        f"""SELECT w.i, dense_rank() OVER (ORDER BY m.person_id) - 1 AS j
            FROM '{world}/truth/audience_members.parquet' m JOIN want w USING (account_id)"""
    ).to_arrow_table()
    rates = con.sql(
        f"""SELECT a.reach_rate FROM want w LEFT JOIN '{world}/truth/accounts.parquet' a USING (account_id)
            ORDER BY w.i"""
    ).to_arrow_table()
    ci, pj = t.column("i").to_numpy(), t.column("j").to_numpy()
    n = int(pj.max()) + 1 if pj.size else 0
    panel = panel_from_pairs(account_ids, ci.astype(np.int64), pj.astype(np.int64), np.full(n, 1.0 / scale))
    return panel, np.nan_to_num(rates.column(0).to_numpy(zero_copy_only=False).astype(float)), scale


def _segment_check(model: Any, truth: Panel, n_c: int) -> None:
    """Print each segment's modelled size N_g next to the size its true overlaps imply."""
    from scipy import sparse

    owner = np.repeat(np.arange(len(truth.creators)), np.diff(truth.indptr))
    m = sparse.csr_matrix(
        (np.ones(truth.indices.size), (owner, truth.indices)), shape=(len(truth.creators), truth.n_people)
    )
    w = float(truth.weight[0]) if truth.n_people else 1.0
    for g, key in enumerate(model.segments.keys):
        idx = np.flatnonzero(model.segments.of_creator[:n_c] == g)
        if idx.size < 2:
            continue
        sub = m[idx]
        a = np.asarray(sub.sum(axis=1)).ravel() * w
        o = (sub @ sub.T).toarray() * w
        pairs_aa = (a.sum() ** 2 - (a * a).sum()) / 2
        pairs_o = (o.sum() - np.trace(o)) / 2
        implied = pairs_aa / pairs_o if pairs_o > 0 else float("inf")
        print(
            f"   segment {key:24s} creators {idx.size:3d}  N model {model.segments.size[g]:>12,.0f}  "
            f"N implied by true overlaps {implied:>12,.0f}  "
            f"union {float(truth.weight[np.unique(sub.indices)].sum()):>10,.0f}"
        )


def reach_eval(
    world: Path, db: Path, budgets: list[float], niches: list[str], oracle_rates: bool = False
) -> list[dict[str, Any]]:
    """Predicted vs true reach for each niche x budget; also the baselines' true reach.

    ``oracle_rates`` gives the planner each account's true reach rate instead of the priors:
    a diagnostic that separates the audience model's error from the rate priors'.
    """
    rows: list[dict[str, Any]] = []
    card = load_rate_card()
    con = duckdb.connect()
    with DuckDBStore(db, read_only=True) as store, tempfile.TemporaryDirectory() as tmp:
        for niche in niches:
            cands = Path(tmp) / f"{niche}.csv"
            con.sql(
                f"""COPY (SELECT account_id, niche FROM '{world}/truth/accounts.parquet'
                    WHERE niche = '{niche}' AND tier = 'micro') TO '{cands}' (HEADER)"""
            )
            brief = Brief(text=niche, budget=budgets[0], niche=niche)
            allc, n_c, _ = gather(store, brief, cands, None)  # type: ignore[arg-type]
            truth, true_rates, _ = truth_panel(world, allc.account_id)
            if oracle_rates:
                allc = dataclasses.replace(allc, rate=true_rates)
            ids = identifiers_table(store, allc.account_id)
            model = build_model(allc, ids, brief)
            _segment_check(model, truth, n_c)
            briefs = [Brief(text=niche, budget=b, niche=niche, min_creators=1) for b in budgets]
            rows += plan_rows(model, briefs, card, n_c, truth, true_rates, {"niche": niche})
    return rows


def plan_rows(
    model: AudienceModel,
    briefs: list[Brief],
    card: RateCard,
    n_c: int,
    truth: Panel,
    true_rates: np.ndarray,
    label: dict[str, Any],
) -> list[dict[str, Any]]:
    """Plan each brief on the model; predicted and true reach of every option, as shares.

    Shares are of the addressable audience: the union of the first ``n_c`` (the plannable)
    candidates' true real audiences.
    """
    allc = model.cands
    union = float(truth.weight[np.unique(truth.indices[: truth.indptr[n_c]])].sum())
    plannable = np.arange(len(allc)) < n_c
    macro = np.flatnonzero(np.array([t in ("macro", "mega") for t in allc.tier]))
    macro = macro[np.argsort(-allc.followers[macro])]
    rows: list[dict[str, Any]] = []
    for b in briefs:
        out = make_plan(model, b, card, plannable, macro)
        row: dict[str, Any] = {**label, "budget": b.budget, "candidates": n_c, "addressable": union}
        for opt in out.options:
            true = exposure_distribution(truth, true_rates, opt.posts, 10)
            pred = opt.reach["reach"]
            key = {"plan": "plan", "top engagement (naive)": "naive"}.get(opt.name, "macro")
            row[key] = {
                "spent": opt.spent,
                "creators": int((opt.posts > 0).sum()),
                **{f"pred_{k}": pred[k] / union for k in ("1+", "3+", "5+")},
                **{f"true_{k}": true.reach_at(int(k[0])) / union for k in ("1+", "3+", "5+")},
            }
        row["ratio"] = out.result.certificate.ratio
        rows.append(row)
        p = row["plan"]
        print(
            f"{' '.join(str(v) for v in label.values()):22s} {b.budget:>8,.0f}  "
            f"3+ pred {p['pred_3+']:.4f} true {p['true_3+']:.4f}  "
            f"1+ pred {p['pred_1+']:.3f} true {p['true_1+']:.3f}  "
            f"naive 3+ {row['naive']['true_3+']:.3f}  "
            f"macro 3+ {row.get('macro', {}).get('true_3+', float('nan')):.3f}",
            flush=True,
        )
    return rows


def error_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Predicted vs true reach of the plans, in percentage points of the addressable audience."""
    err = np.array([(r["plan"]["pred_3+"] - r["plan"]["true_3+"]) * 100 for r in rows])
    err1 = np.array([(r["plan"]["pred_1+"] - r["plan"]["true_1+"]) * 100 for r in rows])
    rel = [r["plan"]["pred_3+"] / r["plan"]["true_3+"] - 1 for r in rows if r["plan"]["true_3+"] > 0]
    return {
        "plans": len(rows),
        "err_3plus_pp_mean_abs": float(np.mean(np.abs(err))),
        "err_3plus_pp_max_abs": float(np.max(np.abs(err))),
        "err_3plus_pp_mean_signed": float(np.mean(err)),
        "under_predicted_3plus": int((err < 0).sum()),
        "within_5pp": float(np.mean(np.abs(err) <= 5)),
        "err_1plus_pp_mean_abs": float(np.mean(np.abs(err1))),
        "err_1plus_pp_max_abs": float(np.max(np.abs(err1))),
        "err_3plus_relative_median": float(np.median(np.abs(rel))) if rel else float("nan"),
        "err_3plus_relative_signed_median": float(np.median(rel)) if rel else float("nan"),
    }


# One brief per niche, in words a brand would use (the planner never sees the niche names).
BRIEFS = {
    "ibd": "creators living with Crohn's or colitis who talk openly about diet, flare-ups and life with IBD",
    "diabetes": "creators living with type 1 diabetes: blood sugar, insulin pumps and carb counting",
    "mental_health": "creators who talk about anxiety, depression, therapy and mental health",
    "fitness": "fitness creators: gym workouts, running and strength training",
    "food": "home cooks sharing recipes, baking and meal prep",
    "beauty": "skincare and makeup creators",
    "parenting": "parents sharing life with a newborn or toddler",
    "gaming": "gamers who stream, speedrun and review indie games",
    "travel": "travel creators: road trips, backpacking and slow travel",
    "finance": "personal finance creators: budgeting, saving and investing",
}


def discovery_store(db: Path) -> Path:
    """A copy of the imported world, vetted and indexed as `covey demo` does (reused when present)."""
    out = db.with_name(db.stem + "-discovery.duckdb")
    if not index_dir(out).exists():
        out.unlink(missing_ok=True)
        shutil.rmtree(index_dir(out), ignore_errors=True)
        shutil.copyfile(db, out)
        with DuckDBStore(out) as store:
            score_store(store)
            build_index(store)
    return out


def _vetting_niches(store: DuckDBStore, ids: list[str]) -> list[str | None]:
    """The latest vetting run's per-account niche (the account's most specific frequent hashtag)."""
    got = dict(
        store.query(
            "SELECT account_id, nullif(signals ->> '$.niche', '') FROM account_signals "
            "WHERE run_id = (SELECT max(run_id) FROM score_runs)"
        )
    )
    return [got.get(a) for a in ids]


def discovery_eval(
    world: Path,
    db: Path,
    briefs: dict[str, str],
    budgets: list[float],
    language: str | None,
    demo: bool,
) -> dict[str, list[dict[str, Any]]]:
    """Plans over discovery's candidates: rows per labelling of their niche (after, before, vetting).

    "after" is what `covey plan` does; "before" drops the label (niche unknown, so segments by
    country and language only); "vetting" labels each creator with its vetting-run hashtag.
    Everything else (candidates, real shares, rates, budgets) is the same across the three.
    """
    card = load_rate_card()
    cases = [
        (name, Brief(text=text, budget=0.0, language=language, min_creators=1))
        for name, text in briefs.items()
    ]
    if demo:
        from covey.cli.demo import PLAN_BRIEF

        cases.append(("demo", Brief(text=PLAN_BRIEF, budget=15_000.0, language="en", min_creators=10)))
    rows: dict[str, list[dict[str, Any]]] = {"after": [], "before": [], "vetting": []}
    with DuckDBStore(discovery_store(db), read_only=True) as store:
        for name, base in cases:
            allc, n_c, notes = gather(store, base, None, None)
            if "candidates from discovery" not in notes[0]:
                print(f"{name}: no candidates from discovery ({notes[0]})")
                continue
            truth, true_rates, _ = truth_panel(world, allc.account_id)
            vetting = _vetting_niches(store, allc.account_id[:n_c]) + allc.niche[n_c:]
            true_niche = dict(
                duckdb.sql(f"SELECT account_id, niche FROM '{world}/truth/accounts.parquet'").fetchall()
            )
            on = [true_niche.get(a) == (name if name in BRIEFS else "ibd") for a in allc.account_id[:n_c]]
            print(
                f"{name}: {n_c} candidates from discovery, {np.mean(on):.0%} in the world's niche of the "
                f"brief; {len(set(vetting[:n_c]))} distinct vetting niches among them"
            )
            ids = identifiers_table(store, allc.account_id)
            plan_budgets = [base.budget] if name == "demo" else budgets
            plans = [dataclasses.replace(base, budget=b) for b in plan_budgets]
            for label, niche in (
                ("after", allc.niche),
                ("before", [None] * len(allc)),
                ("vetting", vetting),
            ):
                model = build_model(dataclasses.replace(allc, niche=niche), ids, base)
                tag = {"brief": name, "labels": label}
                rows[label] += plan_rows(model, plans, card, n_c, truth, true_rates, tag)
    return rows


def saved_plan_eval(world: Path, db: Path) -> dict[str, Any]:
    """The latest plan saved in ``db`` (a store of this world) against the world's truth."""
    with DuckDBStore(db, read_only=True) as store:
        found = store.query("SELECT plan_id, inputs, summary FROM plans ORDER BY plan_id DESC LIMIT 1")
        if not found:
            raise SystemExit(f"no saved plan in {db}")
        plan_id, inputs, summary = found[0]
        posts = dict(store.query("SELECT account_id, posts FROM plan_items WHERE plan_id = ?", [plan_id]))
    ids = json.loads(inputs)["candidate_ids"] + sorted(set(posts) - set(json.loads(inputs)["candidate_ids"]))
    truth, rates, _ = truth_panel(world, ids)
    n_c = len(json.loads(inputs)["candidate_ids"])
    union = float(truth.weight[np.unique(truth.indices[: truth.indptr[n_c]])].sum())
    true = exposure_distribution(truth, rates, np.array([posts.get(a, 0) for a in ids]), 10)
    pred = json.loads(summary)["reach"]["reach"]
    return {
        "plan_id": plan_id,
        "candidates": n_c,
        "addressable": union,
        **{f"pred_{k}": pred[k] for k in ("1+", "3+", "5+")},
        **{f"true_{k}": true.reach_at(int(k[0])) for k in ("1+", "3+", "5+")},
    }


def overlap_eval(world: Path, db: Path, n_accounts: int, k: int) -> dict[str, Any]:
    """Sketch vs exact overlaps of the observed identifiers; corrected vs true audience overlaps."""
    with DuckDBStore(db, read_only=True) as store:
        ids_all = (
            store.arrow(
                "SELECT account_id FROM accounts a JOIN account_snapshots s USING (account_id) "
                "GROUP BY 1 HAVING max(s.followers) BETWEEN 1000 AND 100000 "
                "ORDER BY hash(account_id) LIMIT ?",
                [n_accounts],
            )
            .column(0)
            .to_pylist()
        )
        ids = identifiers_table(store, ids_all)
        followers = dict(
            store.query("SELECT account_id, arg_max(followers, taken_at) FROM account_snapshots GROUP BY 1")
        )
    started = time.perf_counter()
    sk = build_sketches(ids, k)
    ov = pairwise_overlaps(sk)
    seconds = time.perf_counter() - started
    size = {a: s.estimate() for a, s in sk.items()}
    ex = exact_overlaps(ids).to_pydict()
    exact = {(a, b): s for a, b, s in zip(ex["a"], ex["b"], ex["shared"], strict=True)}
    est = {(a, b): s for a, b, s in zip(ov.a, ov.b, ov.shared, strict=True)}
    keys = list(exact)
    # Overlap as a share of the smaller observed set, in percentage points.
    err = np.array([(est.get(p, 0.0) - exact[p]) / min(size[p[0]], size[p[1]]) * 100 for p in keys])
    # Coverage-corrected overlap vs the true overlap of the real audiences (panel / scale), on
    # every pair of the same niche and country (the pairs the segment model pools).
    panel, _, scale = truth_panel(world, ids_all)
    coverage = {a: min(1.0, size[a] / max(0.7 * followers[a], 1)) for a in size}  # prior real share
    corr, low, high = ov.corrected(coverage)
    found = {(a, b): i for i, (a, b) in enumerate(zip(ov.a, ov.b, strict=True))}
    con = duckdb.connect()
    con.register("want", pa.table({"account_id": ids_all}))
    seg = dict(
        con.sql(
            f"SELECT account_id, niche || '/' || country FROM '{world}/truth/accounts.parquet' "
            "WHERE account_id IN (SELECT account_id FROM want)"
        ).fetchall()
    )
    pos = {a: i for i, a in enumerate(ids_all)}
    trues, ests, covered = [], [], []
    groups: dict[str, list[str]] = {}
    for a in sorted(size):
        groups.setdefault(seg[a], []).append(a)
    for members in groups.values():  # pairs inside each niche/country: a few thousand
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a, b = members[x], members[y]
                true = np.intersect1d(panel.members(pos[a]), panel.members(pos[b])).size / scale
                i = found.get((a, b))
                if i is None:
                    e, lo, hi = 0.0, 0.0, 3.0 / (coverage[a] * coverage[b])
                else:
                    e, lo, hi = float(corr[i]), float(low[i]), float(high[i])
                trues.append(true)
                ests.append(e)
                covered.append(lo <= true <= hi)
    t_arr, e_arr = np.array(trues), np.array(ests)
    return {
        "accounts": len(ids_all),
        "identifiers": ids.num_rows,
        "pairs_sharing": len(keys),
        "k": k,
        "sketch_seconds": seconds,
        "sketch_err_pp_p50": float(np.median(np.abs(err))) if err.size else 0.0,
        "sketch_err_pp_max": float(np.max(np.abs(err))) if err.size else 0.0,
        "within_2pp": float(np.mean(np.abs(err) <= 2)) if err.size else 1.0,
        "segment_pairs": int(t_arr.size),
        "corrected_interval_coverage": float(np.mean(covered)),
        "corrected_pooled_ratio": float(e_arr.sum() / t_arr.sum()),
        "true_overlap_mean": float(t_arr.mean()),
    }


def milp_eval(world: Path, seeds: int, n: int) -> dict[str, Any]:
    """Lazy greedy vs exact MILP on the scenario surrogate, over seeds."""
    con = duckdb.connect()
    accts = con.sql(
        f"SELECT account_id, followers, niche FROM '{world}/truth/accounts.parquet' "
        "WHERE tier = 'micro' ORDER BY account_id"
    ).to_arrow_table()
    card = load_rate_card()
    ratios, times, gaps = [], [], []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        # Candidates from two niches (seed-dependent), where audiences overlap most.
        niches = np.array(accts.column(2).to_pylist(), dtype=object)
        names = sorted(set(niches))
        pool = np.flatnonzero(np.isin(niches, [names[seed % len(names)], names[(seed + 3) % len(names)]]))
        pick = rng.choice(pool, size=min(n, pool.size), replace=False)
        ids = [accts.column(0)[int(i)].as_py() for i in pick]
        full, rates, _ = truth_panel(world, ids)
        # Keep 1,000 people (a uniform subsample of the union) so the MILP stays small.
        keep = rng.choice(full.n_people, size=min(1000, full.n_people), replace=False)
        mask = np.zeros(full.n_people, bool)
        mask[keep] = True
        owner = np.repeat(np.arange(len(ids)), np.diff(full.indptr))
        sel = mask[full.indices]
        remap = np.cumsum(mask) - 1
        panel = panel_from_pairs(ids, owner[sel], remap[full.indices[sel]], full.weight[keep])
        followers = accts.column(1).to_numpy()[pick].astype(float)
        cost = card.base("instagram", "micro") * (followers / followers.mean()) ** 0.5
        cons = Constraints(
            budget=float(cost.mean() * 20), cost=cost, max_posts=np.full(len(ids), 3), max_creators=30
        )
        obj = ScenarioCoverage(panel, rates, k=3, max_posts=3, n_scenarios=3, seed=seed)
        t0 = time.perf_counter()
        g = plan_greedy(obj, cons)
        times.append(time.perf_counter() - t0)
        m = solve_milp(obj, cons, time_limit=300)
        ref = m.value if m.optimal else m.bound
        ratios.append(g.value / ref if ref > 0 else 1.0)
        gaps.append(m.status)
        print(
            f"seed {seed}: greedy {g.value:,.1f} milp {m.value:,.1f} ({m.status}, {m.seconds:.1f}s) "
            f"ratio {ratios[-1]:.4f}"
        )
    return {
        "seeds": seeds,
        "candidates": n,
        "ratio_median": float(np.median(ratios)),
        "ratio_worst": float(np.min(ratios)),
        "milp_status": sorted(set(gaps)),
        "greedy_seconds_max": float(np.max(times)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--creators", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--root", type=Path, default=Path("/tmp/covey-planning-eval"))
    ap.add_argument("--budgets", default="3000,6000,10000,15000,25000")
    ap.add_argument("--niches", default="ibd,fitness,beauty,food,gaming")
    ap.add_argument("--milp-seeds", type=int, default=20)
    ap.add_argument("--skip", default="", help="comma list of parts to skip: reach,overlap,milp")
    ap.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    ap.add_argument("--oracle-rates", action="store_true", help="plan with the true per-account reach rates")
    ap.add_argument(
        "--discovery",
        action="store_true",
        help="also plan over discovery's candidates (vets and indexes a copy)",
    )
    ap.add_argument("--discovery-briefs", default=",".join(BRIEFS), help="niches whose brief to plan for")
    ap.add_argument("--language", default="en", help="--language of the discovery plans ('' for none)")
    ap.add_argument("--demo", action="store_true", help="add the demo's plan to the discovery part")
    ap.add_argument(
        "--plan-db", type=Path, default=None, help="compare this store's latest plan with the truth"
    )
    ap.add_argument(
        "--unseen",
        default="",
        help="size:seed,... worlds never used for tuning: plans x budgets 5k-100k, intervals, baselines "
        "(benchmarks/planning_unseen.py)",
    )
    ap.add_argument("--exact-seeds", type=int, default=0, help="with --unseen: optimizer vs exact optimum")
    ap.add_argument(
        "--unseen-budgets", default="5000,10000,25000,50000,100000", help="with --unseen: budgets (EUR)"
    )
    ap.add_argument("--panel-seed", type=int, default=0, help="with --unseen: the plans' panel seed")
    ap.add_argument("--vet", action="store_true", help="with --unseen: vet (covey score) each world first")
    ap.add_argument(
        "--priors",
        type=Path,
        default=None,
        help="with --unseen: the priors TOML to plan with (default: shipped)",
    )
    ap.add_argument(
        "--rate-draws", type=int, default=0,
        help="with --unseen: redraws of the private reach-rate factors per plan (planning_rate_floor.py)",
    )  # fmt: skip
    args = ap.parse_args()
    args.root.mkdir(parents=True, exist_ok=True)
    if args.unseen:
        from planning_unseen import main_unseen

        budgets = tuple(float(b) for b in args.unseen_budgets.split(","))
        found = main_unseen(
            args.unseen,
            partial(prepare, vet=args.vet),
            truth_panel,
            args.root,
            args.exact_seeds,
            budgets,
            args.panel_seed,
            args.rate_draws,
            args.priors,
        )
        if args.out:
            args.out.write_text(json.dumps(found, indent=2, default=str))
        return
    world, db = prepare(args.creators, args.seed, args.root)
    skip = set(args.skip.split(","))
    result: dict[str, Any] = {"creators": args.creators, "seed": args.seed}
    if "reach" not in skip:
        budgets = [float(b) for b in args.budgets.split(",")]
        rows = reach_eval(world, db, budgets, args.niches.split(","), args.oracle_rates)
        naive = np.array([(r["plan"]["true_3+"] - r["naive"]["true_3+"]) * 100 for r in rows])
        macro = np.array([(r["plan"]["true_3+"] - r["macro"]["true_3+"]) * 100 for r in rows if "macro" in r])
        result["reach"] = {
            **error_summary(rows),
            "margin_vs_naive_pp_min": float(naive.min()),
            "margin_vs_naive_pp_median": float(np.median(naive)),
            "beats_naive": float(np.mean(naive > 0)),
            "margin_vs_macro_pp_min": float(macro.min()) if macro.size else None,
            "beats_macro": float(np.mean(macro > 0)) if macro.size else None,
            "rows": rows,
        }
        print(json.dumps({k: v for k, v in result["reach"].items() if k != "rows"}, indent=2))
    if args.discovery:
        budgets = [float(b) for b in args.budgets.split(",")]
        briefs = {n: BRIEFS[n] for n in args.discovery_briefs.split(",") if n}
        found = discovery_eval(world, db, briefs, budgets, args.language or None, args.demo)
        result["discovery"] = {}
        for label, rows in found.items():
            summary = error_summary([r for r in rows if r["brief"] != "demo"]) if len(briefs) else {}
            result["discovery"][label] = {**summary, "rows": rows}
            print(label, json.dumps(summary, indent=2))
            for r in rows:
                if r["brief"] == "demo":  # people, not shares: the figures the demo prints
                    a, p = r["addressable"], r["plan"]
                    print(
                        f"demo plan ({label}): 3+ predicted {p['pred_3+'] * a:,.0f} "
                        f"true {p['true_3+'] * a:,.0f}; 1+ predicted {p['pred_1+'] * a:,.0f} "
                        f"true {p['true_1+'] * a:,.0f}"
                    )
    if args.plan_db:
        result["saved_plan"] = saved_plan_eval(world, args.plan_db)
        print(json.dumps(result["saved_plan"], indent=2))
    if "overlap" not in skip:
        for k in (4096, 64):
            result[f"overlap_k{k}"] = overlap_eval(world, db, 1000, k)
            print(json.dumps(result[f"overlap_k{k}"], indent=2))
    if "milp" not in skip:
        result["milp"] = milp_eval(world, args.milp_seeds, 200)
        print(json.dumps(result["milp"], indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
