"""Campaign report against the truth of a simulated delivery, on sample worlds of untuned seeds.

    flock /tmp/covey-heavy.lock .venv/bin/python benchmarks/campaign_eval.py --creators 300 --seeds 101 102

For each seed: generate and import a world; plan (candidates = the largest niche's micro accounts,
8,000 EUR, or --budget); create a campaign from the plan; contract, brief, draft and approve every
post; simulate delivery (`covey.world.campaign`: a drop-out, late posts, a forgotten disclosure,
exposures drawn from the true audiences); import the posts; track; report. Prints, per world, the
report's delivered reach at 1+ and 3+ (the plan's own model and rates, delivered posts) against
the simulated truth, the relative error, and whether every missing, late and non-compliant
deliverable was found. ``--oracle`` adds the same model given each creator's true reach rate (to
separate the audience model's error from the rates') and given rates from the posts' views.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from covey.campaigns.approval import decide, submit
from covey.campaigns.campaign import Spec, bookings_from_plan, create_campaign, creators
from covey.campaigns.pipeline import move
from covey.campaigns.reach import delivered_reach
from covey.campaigns.report import build_report
from covey.campaigns.tracking import flags, track
from covey.ingest import import_path
from covey.planning.planner import Brief
from covey.planning.session import run_plan
from covey.store import DuckDBStore
from covey.world import WorldConfig, generate
from covey.world.campaign import LABELS, orders_from_store, simulate

RATES_FROM_VIEWS = {"auto": None, "off": False, "on": True}


def run(
    creators_n: int,
    seed: int,
    budget: float,
    root: Path,
    oracle: bool,
    vet: bool = False,
    views: str = "auto",
) -> dict[str, Any]:
    """One world: plan, campaign, simulated delivery, report; figures against the truth."""
    wdir, db = root / f"world-{creators_n}-{seed}", root / f"campaign-{creators_n}-{seed}.duckdb"
    if not (wdir / "truth" / "world.json").exists():
        generate(WorldConfig(creators=creators_n, seed=seed), wdir)
    db.unlink(missing_ok=True)
    with DuckDBStore(db) as store:
        import_path(store, wdir)
        if vet:
            # Vetting first, as a user would (covey score): the planner then takes each
            # creator's real-follower share from the audience estimate instead of the prior.
            from covey.scores import score_store

            score_store(store)
    con = duckdb.connect()
    accounts = f"'{wdir}/truth/accounts.parquet'"
    niche = con.sql(
        f"SELECT niche FROM {accounts} WHERE tier = 'micro' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchall()[0][0]
    cands = root / f"cands-{creators_n}-{seed}.csv"
    con.sql(
        f"COPY (SELECT account_id, niche FROM {accounts} WHERE niche = '{niche}' AND tier = 'micro') "
        f"TO '{cands}' (HEADER)"
    )
    with DuckDBStore(db) as store:
        res = run_plan(store, Brief(text=niche, budget=budget, niche=niche, min_creators=3), candidates=cands)
        pid = res.summary["plan_id"]
        books, _ = bookings_from_plan(store, pid)
        spec = Spec(
            name="Eval",
            brand="Acme",
            starts=date(2026, 7, 1),
            ends=date(2026, 7, 28),
            budget=budget,
            hashtag="acmeeval",
            code_pattern="ACME-{handle}",
        )
        cid = create_campaign(store, spec, books, actor="eval", plan_id=pid)
        for c in creators(store, cid):
            for s in ("contacted", "replied", "negotiating", "contracted"):
                move(store, cid, c["handle"], s, actor="eval")
            for k in range(1, c["posts"] + 1):
                text = f"{LABELS.get(c['language'] or 'en', '#ad')} | with @acme #acmeeval"
                r = submit(store, cid, c["handle"], k, text, actor="eval")
                decide(store, cid, c["handle"], k, r["version"], "approved", actor="eval")
    orders, info = orders_from_store(db, campaign_id=cid, plan_id=None)
    truth = simulate(
        wdir,
        orders,
        root / f"sim-{creators_n}-{seed}",
        hashtag=info["hashtag"],
        brand=info["brand"],
        seed=seed,
        starts=info["starts"],
    )
    with DuckDBStore(db) as store:
        import_path(store, root / f"sim-{creators_n}-{seed}" / "posts.parquet")
        track(store, cid, actor="eval", today=date(2026, 9, 1))
        rep = build_report(store, cid, rates_from_views=RATES_FROM_VIEWS[views])
        found = flags(store, cid)
        extra: dict[str, Any] = {}
        if oracle:
            # Diagnostics: rates from the simulated posts' views (video platforms), and each
            # creator's true reach rate, both in place of the plan's rates.
            planned = {c["account_id"]: c["planned"] for c in creators(store, cid)}
            posts = {c["account_id"]: c["delivered"] for c in truth["creators"]}
            true_rate = {
                c["account_id"]: c["true_reach_rate"] * float(planned[c["account_id"]]["real_audience"])
                for c in truth["creators"]
            }
            views = {
                c["account_id"]: c["reached_per_post_people"]
                for c in truth["creators"]
                if c["delivered"] and c["account_id"].split(":")[0] in ("tiktok", "youtube")
            }
            for name, v in (("oracle_3+", true_rate), ("views_3+", views)):
                extra[name] = delivered_reach(store, pid, posts, v, calibrate_views=True)["delivered"]["3+"]
    late = {p for c in truth["creators"] for p in c["late_posts"]}
    undisclosed = {p for c in truth["creators"] for p in c["undisclosed_posts"]}
    got = {k: {f["post_id"] for f in found if f["kind"] == k} for k in ("late", "non_compliant")}
    n_missing = sum(1 for f in found if f["kind"] == "missing")
    d, t = rep["reach"]["delivered"], truth["reach"]
    return {
        "creators": creators_n,
        "seed": seed,
        "booked": len(orders),
        "posts": rep["total"]["posts_delivered"],
        "true_3+": t["3+"],
        "report_3+": d["3+"],
        "rel_err_3+": d["3+"] / t["3+"] - 1 if t["3+"] else None,
        "true_1+": t["1+"],
        "report_1+": d["1+"],
        "rel_err_1+": d["1+"] / t["1+"] - 1 if t["1+"] else None,
        "late_found": got["late"] == late,
        "non_compliant_found": got["non_compliant"] == undisclosed,
        "missing_found": n_missing == sum(c["missing"] for c in truth["creators"]),
        **{f"{k[:-3]}_rel_err_3+": v / t["3+"] - 1 for k, v in extra.items() if t["3+"]},
    }


def main() -> None:
    """Run the seeds and print one JSON line per world, then the summary."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--creators", type=int, default=300)
    ap.add_argument("--seeds", type=int, nargs="+", default=[101, 102, 103])
    ap.add_argument("--budget", type=float, default=8000.0)
    ap.add_argument("--root", type=Path, default=Path("/tmp/covey-campaign-eval"))
    ap.add_argument("--oracle", action="store_true")
    ap.add_argument("--vet", action="store_true", help="score (vet) the world before planning")
    ap.add_argument(
        "--rates-from-views",
        choices=sorted(RATES_FROM_VIEWS),
        default="auto",
        help="the report's reach rates from the delivered posts' views: auto (vetted creators), off, on",
    )
    args = ap.parse_args()
    args.root.mkdir(parents=True, exist_ok=True)
    rows = []
    for seed in args.seeds:
        t0 = time.time()
        row = run(args.creators, seed, args.budget, args.root, args.oracle, args.vet, args.rates_from_views)
        row["vetted"], row["rates_from_views"] = args.vet, args.rates_from_views
        row["seconds"] = round(time.time() - t0, 1)
        print(json.dumps(row), flush=True)
        rows.append(row)
    errs = sorted(abs(r["rel_err_3+"]) for r in rows if r["rel_err_3+"] is not None)
    print(
        json.dumps(
            {
                "worlds": len(rows),
                "within_25pct_3+": sum(e <= 0.25 for e in errs),
                "median_abs_rel_err_3+": errs[len(errs) // 2] if errs else None,
                "all_flags_found": all(
                    r["late_found"] and r["non_compliant_found"] and r["missing_found"] for r in rows
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
