"""Planner on worlds never used for tuning: predicted vs true reach, intervals, baselines, exact optimum.

    .venv/bin/python benchmarks/planning_eval.py --unseen 1500:41,2000:52,2500:63 --exact-seeds 10

For each world (size:seed) and each of three niches (the world's most common micro niches,
the second and third each planned inside its most common country other than the US and the
country of the one before, with --country and --language), with and without --niche, at
budgets of 5,000 to 100,000 EUR: the plan as `covey plan` makes it (candidate list = the
niche's micro accounts; priors for reach rates and real shares), its predicted reach at 1+
and 3+ and its 90 % interval, and the true reach simulated exactly from the world's truth
(audience_members, each account's reach_rate, each panel person weighted 1/audience_scale),
for the plan, the naive choice (most engaging first, 3 posts each while the budget lasts)
and the macro option.

``exact_eval``: the optimizer against exact optima of the true objective (people reached 3
to 5 times) on instances drawn from a world's truth: enumeration of every plan on 7
candidates (exact expectation), and on 200 candidates a MILP over drawn scenarios (HiGHS)
against the same local search run on those scenarios.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from itertools import product
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import planning_rate_floor as rate_floor

from covey.planning.greedy import Constraints, plan_greedy
from covey.planning.intervals import reach_intervals
from covey.planning.local import search
from covey.planning.milp import solve_goal_milp
from covey.planning.optimize import optimize
from covey.planning.planner import Brief, addressable, build_model, identifiers_table, make_plan
from covey.planning.ratecard import load_rate_card
from covey.planning.reach import exposure_distribution, panel_from_pairs
from covey.planning.scenario_state import ScenarioState
from covey.planning.session import gather
from covey.planning.window import Goal, window_value
from covey.store import DuckDBStore

BUDGETS = (5_000.0, 10_000.0, 25_000.0, 50_000.0, 100_000.0)


def _cases(world: Path) -> list[tuple[str, str | None, str | None]]:
    """(niche, country, language): the top niche world-wide, the next two each in another country."""
    acc = f"{world}/truth/accounts.parquet"
    top = [
        r[0]
        for r in duckdb.sql(
            f"SELECT niche FROM '{acc}' WHERE tier = 'micro' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 3"
        ).fetchall()
    ]
    cases: list[tuple[str, str | None, str | None]] = [(top[0], None, None)]
    used = ["US"]
    for niche in top[1:]:
        found = duckdb.sql(
            f"SELECT country, language FROM '{acc}' WHERE tier = 'micro' AND niche = '{niche}' "
            f"AND country NOT IN ({', '.join(repr(c) for c in used)}) "
            "GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1"
        ).fetchall()
        cases.append((niche, *found[0]) if found else (niche, None, None))
        if found:
            used.append(found[0][0])  # another country (and language) for the next niche
    return cases


def case_candidates(world: Path, niche: str, country: str | None, with_niche: bool, folder: Path) -> Path:
    """The case's candidate list (the niche's micro accounts, in the country if any) as a CSV in ``folder``.

    With ``with_niche`` the list has the niche column (the planner then plans with --niche).
    """
    where = f"niche = '{niche}' AND tier = 'micro'" + (f" AND country = '{country}'" if country else "")
    cands = folder / f"{niche}-{country}-{with_niche}.csv"
    cols = "account_id, niche" if with_niche else "account_id"
    src = f"{world}/truth/accounts.parquet"
    duckdb.sql(f"COPY (SELECT {cols} FROM '{src}' WHERE {where}) TO '{cands}' (HEADER)")
    return cands


def unseen_eval(
    world: Path,
    db: Path,
    truth_panel: Any,
    budgets: tuple[float, ...] = BUDGETS,
    panel_seed: int = 0,
    rate_draws: int = 0,
    priors: Path | None = None,
    plan_ids: bool = False,
) -> list[dict[str, Any]]:
    """Every case x with/without --niche x budget: predicted, interval and true reach of each option.

    ``panel_seed`` is the plans' ``Brief.seed`` (the virtual panel's and the intervals' draws):
    another seed is another draw of the same model, which shows the evaluation's own noise.
    ``rate_draws`` > 0 adds, per plan, what the unknown reach rates alone leave of the true 3+
    (``planning_rate_floor.rate_blind``). ``priors``: the priors TOML the plans read (None: the
    shipped one). ``plan_ids`` adds the plan's creators (``row["plan"]["account_ids"]``).
    """
    card = load_rate_card()
    rows: list[dict[str, Any]] = []
    with DuckDBStore(db, read_only=True) as store, tempfile.TemporaryDirectory() as tmp:
        for niche, country, language in _cases(world):
            for with_niche in (True, False):
                cands = case_candidates(world, niche, country, with_niche, Path(tmp))
                base = Brief(
                    text=niche, budget=budgets[0], niche=niche if with_niche else None,
                    country=country, language=language, seed=panel_seed,
                )  # fmt: skip
                allc, n_c, _ = gather(store, base, cands, priors)
                truth, true_rates, _ = truth_panel(world, allc.account_id)
                table = rate_floor.table_rates(world, allc.account_id) if rate_draws else None
                model = build_model(allc, identifiers_table(store, allc.account_id), base)
                plannable = np.arange(len(allc)) < n_c
                union = float(truth.weight[np.unique(truth.indices[: truth.indptr[n_c]])].sum())
                macro = np.flatnonzero(np.array([t in ("macro", "mega") for t in allc.tier]))
                macro = macro[np.argsort(-allc.followers[macro], kind="stable")]
                for budget in budgets:
                    b = replace(base, budget=budget)
                    out = make_plan(model, b, card, plannable, macro, curve=False)
                    band = reach_intervals(model, out.result.posts, 3, 5, seed=b.seed)
                    row: dict[str, Any] = {
                        "world": world.name, "niche": niche, "country": country, "with_niche": with_niche,
                        "budget": budget, "candidates": n_c, "addressable": union,
                        "model_people": addressable(model, plannable),
                    }  # fmt: skip
                    plan_posts = out.result.posts
                    for opt in out.options:
                        key = {"plan": "plan", "top engagement (naive)": "naive"}.get(opt.name, "other")
                        if key == "plan":
                            plan_posts = opt.posts
                        if opt.name.startswith("1-2 macro"):
                            key = "macro"
                        true = exposure_distribution(truth, true_rates, opt.posts, 10)
                        row[key] = {
                            "creators": int((opt.posts > 0).sum()),
                            "spent": opt.spent,
                            "pred_1+": opt.reach_at(1),
                            "pred_3+": opt.reach_at(3),
                            "pred_window": float(sum(opt.reach["histogram"][3:6])),
                            "true_1+": true.reach_at(1),
                            "true_3+": true.reach_at(3),
                            "true_window": true.in_window(3, 5),
                        }
                    if plan_ids:
                        ids = zip(allc.account_id, plan_posts, strict=True)
                        row["plan"]["account_ids"] = [a for a, p in ids if p > 0]
                    row["plan"]["interval_1+"] = band["1+"]
                    row["plan"]["interval_3+"] = band["3+"]
                    if table is not None:
                        row["plan"]["rate_blind"] = rate_floor.rate_blind(
                            truth, table, plan_posts, row["plan"]["pred_3+"], rate_draws, len(rows)
                        )
                    rows.append(row)
                    p = row["plan"]
                    print(
                        f"{world.name} {niche:13s} {country or '-':2s} niche={with_niche!s:5s} "
                        f"{budget:>9,.0f}  3+ pred {p['pred_3+']:>9,.0f} "
                        f"[{band['3+'][0]:,.0f}-{band['3+'][1]:,.0f}] true {p['true_3+']:>9,.0f}  "
                        f"1+ pred {p['pred_1+']:>9,.0f} true {p['true_1+']:>9,.0f}  "
                        f"naive 3+ {row['naive']['true_3+']:>8,.0f}  "
                        f"macro 3+ {row.get('macro', {}).get('true_3+', float('nan')):>8,.0f}",
                        flush=True,
                    )
    return rows


def unseen_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Relative errors, interval coverage and wins over the baselines, over all plans."""
    out: dict[str, Any] = {"plans": len(rows), "worlds": sorted({r["world"] for r in rows})}
    for k in ("1+", "3+"):
        rel = np.array(
            [r["plan"][f"pred_{k}"] / r["plan"][f"true_{k}"] - 1 for r in rows if r["plan"][f"true_{k}"] > 0]
        )
        cover = [
            r["plan"][f"interval_{k}"][0] <= r["plan"][f"true_{k}"] <= r["plan"][f"interval_{k}"][1]
            for r in rows
        ]
        out[f"rel_err_{k}_mean_abs"] = float(np.mean(np.abs(rel)))
        out[f"rel_err_{k}_median_abs"] = float(np.median(np.abs(rel)))
        out[f"rel_err_{k}_worst"] = float(rel[np.argmax(np.abs(rel))])
        out[f"rel_err_{k}_mean_signed"] = float(np.mean(rel))
        out[f"within_25pct_{k}"] = float(np.mean(np.abs(rel) <= 0.25))
        out[f"interval_coverage_{k}"] = float(np.mean(cover))
    for base in ("naive", "macro"):
        have = [r for r in rows if base in r]
        wins = [r["plan"]["true_3+"] >= r[base]["true_3+"] for r in have]
        out[f"beats_{base}_true_3plus"] = f"{sum(wins)}/{len(wins)}"
        out[f"ratio_to_{base}_true_3plus_min"] = (
            float(min(r["plan"]["true_3+"] / max(r[base]["true_3+"], 1e-9) for r in have)) if have else None
        )
    return out


def _instance(world: Path, truth_panel: Any, seed: int, n: int, people: int) -> tuple[Any, Any, Constraints]:
    """n micro candidates of two niches, ``people`` of their followers who follow 2+ of them, prices."""
    accts = duckdb.sql(
        f"SELECT account_id, followers, niche FROM '{world}/truth/accounts.parquet' "
        "WHERE tier = 'micro' ORDER BY account_id"
    ).fetchall()
    rng = np.random.default_rng(seed)
    niches = sorted({a[2] for a in accts})
    pool = [a for a in accts if a[2] in (niches[seed % len(niches)], niches[(seed + 3) % len(niches)])]
    pick = rng.choice(len(pool), size=min(n, len(pool)), replace=False)
    ids = [pool[int(i)][0] for i in pick]
    full, rates, _ = truth_panel(world, ids)
    # People who follow two or more of the candidates: where the choice of creators matters.
    degree = np.bincount(full.indices, minlength=full.n_people)
    shared = np.flatnonzero(degree >= 2)
    keep = np.sort(rng.choice(shared, size=min(people, shared.size), replace=False))
    mask = np.zeros(full.n_people, bool)
    mask[keep] = True
    owner = np.repeat(np.arange(len(ids)), np.diff(full.indptr))
    sel = mask[full.indices]
    remap = np.cumsum(mask) - 1
    panel = panel_from_pairs(ids, owner[sel], remap[full.indices[sel]], np.ones(keep.size))
    followers = np.array([pool[int(i)][1] for i in pick], dtype=float)
    cost = load_rate_card().base("instagram", "micro") * (followers / followers.mean()) ** 0.5
    posts = max(3, n * 3 // 10)  # a budget of about 30 % of all posts, at most 20
    cons = Constraints(
        budget=float(cost.mean() * min(posts, 20)), cost=cost, max_posts=np.full(len(ids), 3),
        max_creators=min(30, n),
    )  # fmt: skip
    return panel, rates, cons


def exact_eval(world: Path, truth_panel: Any, seeds: int, n: int = 200, people: int = 1000) -> dict[str, Any]:
    """The optimizer against exact optima of people reached 3-5 times.

    Small instances (7 candidates): every plan enumerated, in exact expectation, the planner's
    own objective. Big ones (``n`` candidates): a MILP (HiGHS, 120 s) on 3 drawn scenarios of
    ``people`` people, and the same local search run on those scenarios (``ScenarioState``),
    compared with the MILP's optimum, or with its proven bound where the time ran out (then
    the ratio is a lower bound on the true ratio).
    """
    goal = Goal("window", 3, 5)
    small, big, status = [], [], []
    proven: list[float] = []  # ratios where HiGHS proved the optimum
    incumbent: list[float] = []  # against the MILP's best plan, proven or not
    for seed in range(seeds):
        panel, rates, cons = _instance(world, truth_panel, seed, 7, 400)
        best = 0.0
        for p in product(range(4), repeat=len(panel.creators)):
            posts = np.array(p)
            if (posts * cons.cost).sum() <= cons.budget:
                best = max(best, window_value(panel, rates, goal, posts))
        ours = optimize(panel, rates, goal, cons, [])
        small.append(ours.value / best if best > 0 else 1.0)
        panel, rates, cons = _instance(world, truth_panel, seed, n, people)
        exact = solve_goal_milp(panel, rates, goal, cons, n_scenarios=3, seed=seed, time_limit=120)
        assert exact.scenarios is not None
        start = optimize(panel, rates, goal, cons, []).posts  # the expectation plan as one start
        sur = plan_greedy(exact.scenarios.__class__(panel, rates, 3, 3, 3, seed), cons).posts  # same draws
        got = search(
            panel, rates, goal, cons,
            [("expectation plan", start), ("scenario surrogate", sur), ("nothing", np.zeros_like(start))],
            state=ScenarioState(exact.scenarios, goal, 3),
        )  # fmt: skip
        ref = exact.value if exact.optimal else exact.bound
        big.append(got.value / ref if ref > 0 else 1.0)
        if exact.optimal:
            proven.append(big[-1])
        incumbent.append(got.value / exact.value if exact.value > 0 else 1.0)
        status.append(exact.status)
        print(
            f"seed {seed}: 7 candidates ours/optimum {small[-1]:.4f}; {n} candidates ours {got.value:,.1f} "
            f"MILP {exact.value:,.1f} bound {exact.bound:,.1f} ({exact.status}, {exact.seconds:.0f}s) "
            f"ratio {big[-1]:.4f}",
            flush=True,
        )
    return {
        "instances": seeds,
        "small_candidates": 7,
        "small_ratio_median": float(np.median(small)),
        "small_ratio_worst": float(np.min(small)),
        "candidates": n,
        "people": people,
        "scenarios": 3,
        "ratio_median": float(np.median(big)),
        "ratio_worst": float(np.min(big)),
        "proven_optimal": len(proven),
        "ratio_proven_median": float(np.median(proven)) if proven else None,
        "ratio_proven_worst": float(np.min(proven)) if proven else None,
        "ratio_to_incumbent_worst": float(np.min(incumbent)),
        "milp_status": sorted(set(status)),
    }


def main_unseen(
    spec: str,
    prepare: Any,
    truth_panel: Any,
    root: Path,
    exact_seeds: int,
    budgets: tuple[float, ...] = BUDGETS,
    panel_seed: int = 0,
    rate_draws: int = 0,
    priors: Path | None = None,
) -> dict[str, Any]:
    """Run the unseen-world evaluation for 'size:seed,...' and print the summary.

    ``priors``: the priors TOML the plans read (None: the shipped one).
    """
    rows: list[dict[str, Any]] = []
    worlds = []
    for item in spec.split(","):
        size, seed = (int(x) for x in item.split(":"))
        world, db = prepare(size, seed, root)
        worlds.append(world)
        rows += unseen_eval(world, db, truth_panel, budgets, panel_seed, rate_draws, priors)
    result = {**unseen_summary(rows), "rows": rows}
    if rate_draws:
        result["rate_blind"] = rate_floor.summary(rows)
    print(json.dumps({k: v for k, v in result.items() if k != "rows"}, indent=2))
    if exact_seeds:
        result["exact"] = exact_eval(worlds[0], truth_panel, exact_seeds)
        print(json.dumps(result["exact"], indent=2))
    return result
