"""Where the campaign report's delivered 3+ goes wrong: swap one input at a time for the truth.

    .venv/bin/python benchmarks/campaign_diagnose.py --root /tmp/covey-campaign-eval --seeds 201 202

Reads what ``benchmarks/campaign_eval.py`` left in ``--root`` (the world, the campaign database and
the simulated delivery; run it first with the same ``--root`` and ``--creators``). For each world
the delivered posts' 3+ reach is computed on

- the plan's audience model (``covey.campaigns.reach.plan_model``) with the report's rates (rates
  from views for vetted creators, taken as known; else the prior with its spread): the report;
  the same with the spread kept on the measured rates (the report before 2026-12-02); the model
  with each creator's true rate;
- the true audiences (``truth/audience_members``) with the report's rates and with the true
  rates (the latter is the simulation's expectation: what is left is the draw's noise);
- the planner's segment model varied, not shipped: without the cross pool, and with the cross
  share fixed at 0.3 (the constant the estimate replaced); and the model drawn with 5 other seeds;

and per delivered creator: modelled against true real audience, and prior, report and true
reach rates; for the delivered creators together, the model's and the truth's sum of audiences,
their union and their pairwise overlaps.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planning_eval import truth_panel

from covey.campaigns.campaign import creators
from covey.campaigns.reach import measured_panel, plan_model
from covey.campaigns.report import build_report
from covey.planning.planner import AudienceModel, identifiers_table
from covey.planning.reach import Panel, ReachReport, exposure_distribution
from covey.planning.segments import virtual_panel
from covey.store import DuckDBStore


def _cover(panel: Panel, idx: np.ndarray) -> tuple[float, float, float]:
    """Sum of the creators' (target) audiences, their union and their summed pairwise overlaps."""
    w = np.where(panel.target, panel.weight, 0.0)
    count = np.zeros(panel.n_people)
    total = 0.0
    for i in idx:
        m = panel.members(int(i))
        count[m] += 1
        total += float(w[m].sum())
    union = float(w[count > 0].sum())
    pairs = float((w * count * (count - 1) / 2).sum())
    return total, union, pairs


def _implied_n(truth: Panel, idx: np.ndarray) -> float:
    """N = sum_{i<j} a_i a_j / sum_{i<j} O_ij of the creators idx, on their true audiences."""
    w = float(truth.weight[0]) if truth.n_people else 1.0
    sets = [set(truth.members(int(i)).tolist()) for i in idx]
    a = np.array([len(x) * w for x in sets])
    num = (a.sum() ** 2 - (a * a).sum()) / 2
    den = sum(len(sets[x] & sets[y]) * w for x in range(len(sets)) for y in range(x + 1, len(sets)))
    return float(num / den) if den > 0 else float("inf")


def _segments(
    model: AudienceModel, truth: Panel, idx: np.ndarray, ids: pa.Table, wdir: Path
) -> list[tuple[int, float, float]]:
    """Each segment: N model, N the true overlaps imply; shared sampled ids seen and expected from the truth.

    Returns (delivered creators, shared ids seen, shared ids expected) per segment.
    """
    segs = model.segments
    out: list[tuple[int, float, float]] = []
    for g in range(len(segs.keys)):
        allg = np.flatnonzero(segs.of_creator == g)
        dg = idx[segs.of_creator[idx] == g]
        cross = (
            segs.cross_rate[segs.group_of[g]]
            if segs.cross_rate is not None and segs.group_of is not None
            else 0.0
        )
        con = duckdb.connect()
        con.register("ids", ids)
        con.register("seg", pa.table({"set_id": [model.cands.account_id[i] for i in allg]}))
        labels = f"{wdir}/truth/audience_labels.parquet"
        fake, real = con.sql(
            f"""SELECT count(*) FILTER (WHERE coalesce(l.is_fake, FALSE)),
                       count(*) FILTER (WHERE NOT coalesce(l.is_fake, FALSE))
                FROM (SELECT member_id FROM ids JOIN seg USING (set_id) GROUP BY 1 HAVING count(*) > 1) s
                LEFT JOIN (SELECT DISTINCT member_id, is_fake FROM '{labels}') l USING (member_id)"""
        ).fetchall()[0]
        n = model.coverage[allg] * model.cands.real_audience[allg]
        pair_nn = float((n.sum() ** 2 - (n * n).sum()) / 2)
        implied = _implied_n(truth, allg)
        expected = pair_nn / implied if np.isfinite(implied) else 0.0
        seen = float(segs.shared_ids[g]) if segs.shared_ids is not None else 0.0
        out.append((dg.size, seen, expected))
        implied_d = _implied_n(truth, dg) if dg.size > 1 else float("nan")
        print(
            f"  segment {segs.keys[g]}: {allg.size} candidates, {dg.size} delivered; "
            f"N model {segs.size[g]:,.0f} (shared ids {seen:.0f}: {real} real, {fake} fake, "
            f"{expected:.1f} expected from the true overlaps; cross rate {cross:.2e}); "
            f"N implied by true overlaps: all {implied:,.0f}, delivered {implied_d:,.0f}"
        )
    return out


def _mean_report(panels: list[Panel], rates: np.ndarray, posts: np.ndarray) -> ReachReport:
    """The reach report averaged over several panels."""
    reps = [exposure_distribution(p, rates, posts) for p in panels]
    return ReachReport(
        np.mean([r.histogram for r in reps], axis=0),
        float(np.mean([r.target_size for r in reps])),
        float(np.mean([r.impressions for r in reps])),
    )


def diagnose(root: Path, creators_n: int, seed: int) -> dict[str, Any]:
    """Print and return the ladder and per-creator inputs of one world."""
    wdir = root / f"world-{creators_n}-{seed}"
    sim = json.loads((root / f"sim-{creators_n}-{seed}" / "truth" / "campaign.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "c.duckdb"
        shutil.copy(root / f"campaign-{creators_n}-{seed}.duckdb", db)
        with DuckDBStore(db) as store:
            cid, pid = store.query("SELECT campaign_id, plan_id FROM campaign_campaigns ORDER BY 1 DESC")[0]
            rep = build_report(store, int(cid))
            plan, cands, model, _ = plan_model(store, int(pid))
            handles = {c["account_id"]: c for c in creators(store, int(cid))}
            ids = identifiers_table(store, list(cands.account_id))
    model_seed = int(plan.inputs.get("seed", 0) or 0)
    index = {a: i for i, a in enumerate(cands.account_id)}
    posts = np.zeros(len(cands), dtype=np.int64)
    views = {r["account_id"]: r for r in rep["creators"]}
    report_rates = np.array(cands.rate, dtype=float).copy()
    measured = np.zeros(len(cands), dtype=bool)
    true_rates = np.array(cands.rate, dtype=float).copy()
    truth, world_rates, _ = truth_panel(wdir, list(cands.account_id))
    true_a = np.array([float(truth.weight[truth.members(i)].sum()) for i in range(len(cands))])
    rows = []
    for c in sim["creators"]:
        i = index[c["account_id"]]
        posts[i] = c["delivered"]
        true_rates[i] = world_rates[i]
        r = views[c["account_id"]]
        vpp = (
            r["impressions"] / r["posts_delivered"]
            if r["posts_delivered"] and r["impressions_source"] == "views"
            else None
        )
        known = cands.real_share_source[i] != "prior" if cands.real_share_source else False
        if vpp is not None and known and cands.real_audience[i] > 0:
            report_rates[i] = min(1.0, vpp / float(cands.real_audience[i]))
            measured[i] = True
        rows.append(
            {
                "creator": c["account_id"],
                "handle": handles[c["account_id"]]["handle"],
                "posts": c["delivered"],
                "share_source": cands.real_share_source[i] if cands.real_share_source else None,
                "model_a": round(float(cands.real_audience[i])),
                "true_a": round(float(true_a[i])),
                "prior_rate": round(float(cands.rate[i]), 3),
                "report_rate": round(float(report_rates[i]), 3),
                "true_rate": round(float(true_rates[i]), 3),
            }
        )
    flat = replace(model.panel, factor=None)
    t3 = sim["reach"]["3+"]
    shown = measured.copy()
    ladder = {
        "report (spread only on prior rates)": exposure_distribution(
            measured_panel(model.panel, shown), report_rates, posts
        ),
        "report, spread kept on measured rates (before)": exposure_distribution(
            model.panel, report_rates, posts
        ),
        "model, true rates, no spread": exposure_distribution(flat, true_rates, posts),
        "true audiences, report rates": exposure_distribution(truth, report_rates, posts),
        "true audiences, true rates": exposure_distribution(truth, true_rates, posts),
    }
    # The planner's segment model varied (not shipped): without the cross pool, and with the
    # cross share fixed at the constant it replaced (0.3, tuned on world 71) instead of estimated.
    variants: dict[str, tuple[Any, float | None]] = {
        "no cross pool": (model.segments, 0.0),
        "cross share fixed at 0.3 (before)": (model.segments, 0.3),
    }
    for name, (segs, cross) in variants.items():
        panel = virtual_panel(
            cands,
            segs,
            model.target_segments,
            seed=model_seed,
            rate_spread=model.rate_spread,
            cross_share=cross,
        )
        ladder[name] = exposure_distribution(measured_panel(panel, shown), report_rates, posts)
    # The same model drawn again with other seeds: the optimizer chose its creators on the plan's
    # own draw, so on that draw their chance overlaps may be high (the optimizer's curse).
    redraws = [
        virtual_panel(cands, model.segments, model.target_segments, seed=model_seed + k, rate_spread=0.0)
        for k in range(1, 6)
    ]
    ladder["model redrawn x5, report rates, no spread"] = _mean_report(redraws, report_rates, posts)
    idx = np.flatnonzero(posts > 0)
    cover_m, cover_t = _cover(model.panel, idx), _cover(truth, idx)
    cover_r = np.mean([_cover(p, idx) for p in redraws], axis=0)
    print(f"\nseed {seed}: true 3+ {t3:,.0f}  1+ {sim['reach']['1+']:,.0f}")
    for name, r in ladder.items():
        e3, e1 = r.reach_at(3) / t3 - 1, r.reach_at(1) / sim["reach"]["1+"] - 1
        print(f"  {name:50s} 3+ {e3:+6.0%}  1+ {e1:+6.0%}")
    print(
        f"  delivered creators' audiences: sum model {cover_m[0]:,.0f} true {cover_t[0]:,.0f}; "
        f"union model {cover_m[1]:,.0f} true {cover_t[1]:,.0f}; "
        f"pairwise overlaps model {cover_m[2]:,.0f} true {cover_t[2]:,.0f}; "
        f"model redrawn x5: union {cover_r[1]:,.0f}, pairwise overlaps {cover_r[2]:,.0f}"
    )
    segs_seen = _segments(model, truth, idx, ids, wdir)
    for r in rows:
        print("   ", "  ".join(f"{k}={v}" for k, v in r.items()))
    return {
        "seed": seed,
        "true_3+": t3,
        **{k: v.reach_at(3) / t3 - 1 for k, v in ladder.items()},
        "sum_a_model": cover_m[0],
        "sum_a_true": cover_t[0],
        "union_model": cover_m[1],
        "union_true": cover_t[1],
        "overlap_model": cover_m[2],
        "overlap_true": cover_t[2],
        "creators": rows,
        "segments": segs_seen,
    }


def main() -> None:
    """Diagnose the worlds campaign_eval.py left in --root."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--creators", type=int, default=300)
    ap.add_argument("--seeds", type=int, nargs="+", required=True)
    ap.add_argument("--root", type=Path, default=Path("/tmp/covey-campaign-eval"))
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args()
    out = [diagnose(args.root, args.creators, s) for s in args.seeds]
    segs = [x for r in out for x in r["segments"]]
    for name, keep in (("with delivered creators", lambda d: d > 0), ("without", lambda d: d == 0)):
        seen = sum(s for d, s, _ in segs if keep(d))
        exp = sum(e for d, _, e in segs if keep(d))
        print(
            f"segments {name}: shared sampled ids seen {seen:.0f}, expected from the true overlaps {exp:.1f}"
        )
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
