"""Where the planner's reach prediction goes wrong: swap one model input at a time for the truth.

    .venv/bin/python benchmarks/planning_diagnose.py --world 1500:71

Run on a world of a seed never used for evaluation (the evaluation worlds are 41/52/63). For
each case of ``planning_unseen._cases`` (with --niche, country and language as the unseen
evaluation uses them) and each budget, the plan is made on the model, then its 1+ and 3+
reach is predicted by

- ``mean rate``: the model with every creator at its prior rate (no spread: the model
  before the reach-rate spread of issue #9);
- ``model``: the planner's model as it is (priors for rates and real shares, segment sizes
  from sampled overlaps, the rate spread of priors.toml);
- ``+rates``: the same, with each creator's true reach rate;
- ``+audience``: also each creator's true real audience (segment sizes re-estimated);
- ``+oracle N``: also the segment size the true overlaps imply (sum a_i a_j / sum O_ij on the
  world's truth): what remains is the segment model's own assumption (audiences independent
  random subsets of one segment);
- ``truth``: the world's true audiences and rates.

and per case the inputs themselves are compared: log ratio model/true of reach rates and
real audiences, and segment size model vs oracle vs the true union of the candidates.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planning_eval import prepare, truth_panel
from planning_unseen import _cases

from covey.planning.candidates import Candidates
from covey.planning.planner import AudienceModel, Brief, build_model, identifiers_table, make_plan
from covey.planning.ratecard import load_rate_card
from covey.planning.reach import Panel, exposure_distribution
from covey.planning.segments import Segments, virtual_panel
from covey.planning.session import gather
from covey.store import DuckDBStore

BUDGETS = (10_000.0, 25_000.0, 50_000.0)


def true_audience(truth: Panel) -> np.ndarray:
    """Each creator's true real audience, in people."""
    return np.array([float(truth.weight[truth.members(i)].sum()) for i in range(len(truth.creators))])


def oracle_sizes(model: AudienceModel, truth: Panel, a: np.ndarray) -> np.ndarray:
    """N_g = sum a_i a_j / sum O_ij with the true overlaps O_ij, per segment of the model."""
    segs = model.segments
    sizes = segs.size.copy()
    w = float(truth.weight[0]) if truth.n_people else 1.0
    for g in range(len(segs.keys)):
        mem = np.flatnonzero(segs.of_creator == g)
        if mem.size < 2:
            continue
        sets = [set(truth.members(int(i)).tolist()) for i in mem]
        num = den = 0.0
        for x in range(mem.size):
            for y in range(x + 1, mem.size):
                num += a[mem[x]] * a[mem[y]]
                den += len(sets[x] & sets[y]) * w
        if den > 0:
            sizes[g] = num / den
    return sizes


def with_inputs(
    model: AudienceModel, cands: Candidates, sizes: np.ndarray | None, seed: int
) -> tuple[Panel, Candidates]:
    """The model's virtual panel redrawn with other candidates' inputs and (optionally) segment sizes."""
    segs = model.segments
    if sizes is None:
        a = cands.real_audience
        n_g = len(segs.keys)
        # Re-estimate with the new audiences: the pooled overlaps scale with a_i a_j.
        ratio = a / np.maximum(model.cands.real_audience, 1e-9)
        sizes = segs.size * np.array(
            [float(np.mean(ratio[segs.of_creator == g] ** 2)) if (segs.of_creator == g).any() else 1.0
             for g in range(n_g)]
        )  # fmt: skip
    drawn = Segments(segs.keys, segs.of_creator, np.asarray(sizes), segs.pairs_seen, segs.from_overlaps)
    return virtual_panel(cands, drawn, model.target_segments, seed=seed, rate_spread=0.0), cands


def diagnose(creators: int, seed: int, root: Path) -> list[dict[str, Any]]:
    """Print and return the input comparison and the reach ladder of every case and budget."""
    world, db = prepare(creators, seed, root)
    card = load_rate_card()
    rows: list[dict[str, Any]] = []
    with DuckDBStore(db, read_only=True) as store:
        for niche, country, language in _cases(world):
            where = f"niche = '{niche}' AND tier = 'micro'"
            where += f" AND country = '{country}'" if country else ""
            cfile = root / f"diag-{niche}-{country}.csv"
            src = f"{world}/truth/accounts.parquet"
            duckdb.sql(f"COPY (SELECT account_id, niche FROM '{src}' WHERE {where}) TO '{cfile}' (HEADER)")
            base = Brief(text=niche, budget=BUDGETS[0], niche=niche, country=country, language=language)
            allc, n_c, _ = gather(store, base, cfile, None)
            truth, true_rates, _ = truth_panel(world, allc.account_id)
            model = build_model(allc, identifiers_table(store, allc.account_id), base)
            a_true = true_audience(truth)
            a_mod = allc.real_audience
            ok = a_true > 0
            lr = np.log(allc.rate[:n_c] / np.maximum(true_rates[:n_c], 1e-9))
            la = np.log(np.maximum(a_mod[:n_c], 1) / np.maximum(a_true[:n_c], 1))[ok[:n_c]]
            real_true = a_true / np.maximum(allc.followers, 1)
            seg = model.segments.of_creator[0]
            oracle = oracle_sizes(model, truth, a_true)
            union = float(truth.weight[np.unique(truth.indices[: truth.indptr[n_c]])].sum())
            print(
                f"\n{niche}/{country or 'any'}/{language or 'any'}: {n_c} candidates; "
                f"log(model/true) rate mean {lr.mean():+.2f} sd {lr.std():.2f}; "
                f"real audience mean {la.mean():+.2f} sd {la.std():.2f} "
                f"(true real share mean {real_true[:n_c].mean():.2f}, prior 0.70); "
                f"segment N model {model.segments.size[seg]:,.0f} oracle {oracle[seg]:,.0f} "
                f"(true union of candidates {union:,.0f})",
                flush=True,
            )
            plannable = np.arange(len(allc)) < n_c
            macro = np.zeros(0, dtype=np.int64)
            c_rates = replace(allc, rate=true_rates)
            c_aud = replace(c_rates, real_share=np.where(ok, real_true, allc.real_share))
            p_aud, _ = with_inputs(model, c_aud, None, base.seed)
            p_orc, _ = with_inputs(model, c_aud, oracle, base.seed)
            flat = replace(model.panel, factor=None)  # the same panel, one rate per creator
            ladder = [
                ("mean rate", flat, allc.rate),
                ("model", model.panel, allc.rate),
                ("+rates", flat, true_rates),
                ("+audience", p_aud, true_rates),
                ("+oracle N", p_orc, true_rates),
                ("truth", truth, true_rates),
            ]
            for budget in BUDGETS:
                b = replace(base, budget=budget)
                out = make_plan(model, b, card, plannable, macro, curve=False)
                posts = out.result.posts
                got = {}
                for name, panel, rates in ladder:
                    rep = exposure_distribution(panel, rates, posts, 10)
                    got[name] = (rep.reach_at(1), rep.reach_at(3))
                t1, t3 = got["truth"]
                print(
                    f"  {budget:>7,.0f}: "
                    + "  ".join(
                        f"{n} 1+ {v[0] / t1 - 1:+.0%} 3+ {v[1] / t3 - 1:+.0%}"
                        for n, v in got.items()
                        if n != "truth"
                    )
                    + f"  (true 1+ {t1:,.0f}, 3+ {t3:,.0f})",
                    flush=True,
                )
                rows.append({"case": f"{niche}/{country}", "budget": budget, **got})
    return rows


def main() -> None:
    """Run the diagnostic on one world given as creators:seed."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--world", default="1500:71", help="creators:seed, a seed never used for tuning")
    ap.add_argument("--root", type=Path, default=Path("/tmp/covey-plan-diagnose"))
    args = ap.parse_args()
    creators, seed = (int(x) for x in args.world.split(":"))
    args.root.mkdir(parents=True, exist_ok=True)
    diagnose(creators, seed, args.root)


if __name__ == "__main__":
    main()
