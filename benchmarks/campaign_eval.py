"""Campaign report against the truth of a simulated delivery, on sample worlds of untuned seeds.

    PYTHONPATH=src .venv/bin/python benchmarks/campaign_eval.py --vet
    (the held-out seeds 531-536, 300 creators; --seeds 201 ... 209 for the earlier comparison)

For each seed: generate and import a world; plan (candidates = the largest niche's micro accounts,
8,000 EUR, or --budget); create a campaign from the plan; contract, brief, draft and approve every
post; simulate delivery (`covey.world.campaign`: a drop-out, late posts, a forgotten disclosure,
exposures drawn from the true audiences); import the posts; track; import the insights of the
creators who shared them (``--insights off`` skips it); report. Prints, per world, one JSON line:
the report's delivered reach at 1+ and 3+ (the plan's own model, delivered posts) against the
simulated truth, the relative error, whether the truth lies inside the report's 90 % interval,
where each creator's reach rate came from, and whether every missing, late and non-compliant
deliverable was found; then a summary table. ``--oracle`` adds the same model given each
creator's true reach rate (to separate the audience model's error from the rates') and given
rates from the posts' views.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

import duckdb
from campaign_flow import run_campaign

from covey.campaigns.campaign import creators
from covey.campaigns.reach import delivered_reach
from covey.campaigns.report import build_report
from covey.campaigns.tracking import flags
from covey.ingest import import_path
from covey.planning.planner import Brief
from covey.store import DuckDBStore
from covey.world import WorldConfig, generate

RATES_FROM_VIEWS = {"auto": None, "off": False, "on": True}
HELD_OUT = [531, 532, 533, 534, 535, 536]  # fixed before any result on them was seen


def run(
    creators_n: int,
    seed: int,
    budget: float,
    root: Path,
    oracle: bool,
    vet: bool = False,
    views: str = "auto",
    insights: bool = True,
    history: int = 0,
) -> dict[str, Any]:
    """One world: plan, campaign, simulated delivery, report; figures against the truth.

    ``history`` > 0 first runs that many past campaigns in the same store (:func:`past_campaigns`),
    so the evaluated campaign is planned with reach rates learned from their insights.
    """
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
    past = past_campaigns(db, wdir, root, creators_n, seed, budget, history) if history else 0
    brief = Brief(text=niche, budget=budget, niche=niche, min_creators=3)
    camp = run_campaign(db, wdir, cands, brief, seed, root / f"sim-{creators_n}-{seed}", insights=insights)
    cid, pid, truth = camp.campaign_id, camp.plan_id, camp.truth
    with DuckDBStore(db) as store:
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
            seen = {
                c["account_id"]: c["reached_per_post_people"]
                for c in truth["creators"]
                if c["delivered"] and c["account_id"].split(":")[0] in ("tiktok", "youtube")
            }
            for name, v in (("oracle_3+", true_rate), ("views_3+", seen)):
                extra[name] = delivered_reach(store, pid, posts, v, calibrate_views=True, interval=False)[
                    "delivered"
                ]["3+"]
    late = {p for c in truth["creators"] for p in c["late_posts"]}
    undisclosed = {p for c in truth["creators"] for p in c["undisclosed_posts"]}
    got = {k: {f["post_id"] for f in found if f["kind"] == k} for k in ("late", "non_compliant")}
    n_missing = sum(1 for f in found if f["kind"] == "missing")
    d, t = rep["reach"]["delivered"], truth["reach"]
    iv = rep["reach"]["interval"]["delivered"]
    used = [r["reach_rate_source"].split(" (")[0] for r in rep["creators"] if r["posts_delivered"]]
    return {
        "creators": creators_n,
        "seed": seed,
        "history": history,
        "measured_before": past,
        "booked": camp.booked,
        "posts": rep["total"]["posts_delivered"],
        "true_3+": t["3+"],
        "report_3+": d["3+"],
        "rel_err_3+": d["3+"] / t["3+"] - 1 if t["3+"] else None,
        "true_1+": t["1+"],
        "report_1+": d["1+"],
        "rel_err_1+": d["1+"] / t["1+"] - 1 if t["1+"] else None,
        "interval_1+": iv["1+"],
        "interval_3+": iv["3+"],
        "covered_1+": iv["1+"][0] <= t["1+"] <= iv["1+"][1],
        "covered_3+": iv["3+"][0] <= t["3+"] <= iv["3+"][1],
        "rate_sources": {k: used.count(k) for k in sorted(set(used))},
        "shared_insights": sum(1 for c in truth["creators"] if c.get("shared_insights")),
        "late_found": got["late"] == late,
        "non_compliant_found": got["non_compliant"] == undisclosed,
        "missing_found": n_missing == sum(c["missing"] for c in truth["creators"]),
        **{f"{k[:-3]}_rel_err_3+": v / t["3+"] - 1 for k, v in extra.items() if t["3+"]},
    }


def past_campaigns(
    db: Path, world: Path, root: Path, creators_n: int, seed: int, budget: float, n: int
) -> int:
    """Run ``n`` past campaigns in the store, over the micro accounts of the world's 2nd, 3rd, ...
    most common micro niches (the evaluated campaign keeps the most common), insights imported.

    Returns how many creators reported reach in them (what the planner can learn from).
    """
    accounts = f"'{world}/truth/accounts.parquet'"
    con = duckdb.connect()
    niches = [
        r[0]
        for r in con.sql(
            f"SELECT niche FROM {accounts} WHERE tier = 'micro' GROUP BY 1 ORDER BY count(*) DESC, 1 "
            f"LIMIT {n + 1}"
        ).fetchall()
    ][1:]
    for i, niche in enumerate(niches):
        cands = root / f"past-cands-{creators_n}-{seed}-{i}.csv"
        con.sql(
            f"COPY (SELECT account_id, niche FROM {accounts} WHERE niche = '{niche}' AND tier = 'micro') "
            f"TO '{cands}' (HEADER)"
        )
        brief = Brief(text=niche, budget=budget, niche=niche, min_creators=3)
        out = root / f"past-sim-{creators_n}-{seed}-{i}"
        run_campaign(
            db, world, cands, brief, seed * 10 + i + 1, out, name=f"Past {i}", hashtag=f"acmepast{i}"
        )
    with DuckDBStore(db, read_only=True) as store:
        return int(
            store.query("SELECT count(DISTINCT account_id) FROM campaign_insights WHERE reach > 0")[0][0]
        )


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x:+.0%}"


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Within ±25 %, median absolute error and interval coverage at 1+ and 3+; flags found."""
    out: dict[str, Any] = {"worlds": len(rows)}
    for k in ("1+", "3+"):
        errs = sorted(abs(r[f"rel_err_{k}"]) for r in rows if r[f"rel_err_{k}"] is not None)
        out[f"within_25pct_{k}"] = sum(e <= 0.25 for e in errs)
        out[f"median_abs_rel_err_{k}"] = float(statistics.median(errs)) if errs else None
        out[f"covered_{k}"] = sum(1 for r in rows if r.get(f"covered_{k}"))
    out["all_flags_found"] = all(
        r["late_found"] and r["non_compliant_found"] and r["missing_found"] for r in rows
    )
    return out


def table(rows: list[dict[str, Any]]) -> str:
    """The per-world figures and the summary as a Markdown table."""
    head = (
        "| seed | booked / posts | rates: reported reach / views / prior | true 3+ | report 3+ | error 3+ "
        "| 90 % interval 3+ | in it | error 1+ | 1+ in interval | all flags found |"
    )
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for r in rows:
        src = r["rate_sources"]
        lines.append(
            f"| {r['seed']} | {r['booked']} / {r['posts']:.0f} | {src.get('reported reach', 0)} / "
            f"{src.get('views', 0)} / {src.get('prior', 0)} | {r['true_3+']:,.0f} | {r['report_3+']:,.0f} | "
            f"{_pct(r['rel_err_3+'])} | {r['interval_3+'][0]:,.0f}-{r['interval_3+'][1]:,.0f} | "
            f"{'yes' if r['covered_3+'] else 'no'} | {_pct(r['rel_err_1+'])} | "
            f"{'yes' if r['covered_1+'] else 'no'} | "
            f"{'yes' if r['late_found'] and r['non_compliant_found'] and r['missing_found'] else 'NO'} |"
        )
    s = summary(rows)
    n = s["worlds"]
    lines.append(
        f"\n{n} worlds: 3+ within ±25 % on {s['within_25pct_3+']} of {n} (median abs. error "
        f"{s['median_abs_rel_err_3+']:.0%}), inside its 90 % interval on {s['covered_3+']} of {n}; "
        f"1+ within ±25 % on {s['within_25pct_1+']} of {n} (median {s['median_abs_rel_err_1+']:.0%}), "
        f"inside its interval on {s['covered_1+']} of {n}; every missing, late and non-compliant post "
        f"found: {'yes' if s['all_flags_found'] else 'NO'}."
    )
    return "\n".join(lines)


def main() -> None:
    """Run the seeds and print one JSON line per world, then the summary as JSON and as a table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--creators", type=int, default=300)
    ap.add_argument("--seeds", type=int, nargs="+", default=HELD_OUT)
    ap.add_argument("--budget", type=float, default=8000.0)
    ap.add_argument("--root", type=Path, default=Path("/tmp/covey-campaign-eval"))
    ap.add_argument("--oracle", action="store_true")
    ap.add_argument("--vet", action="store_true", help="score (vet) the world before planning")
    ap.add_argument(
        "--rates-from-views",
        choices=sorted(RATES_FROM_VIEWS),
        default="auto",
        help="the report's reach rates from the people reached (reported reach, else views): auto "
        "(creators whose real audience is known), off, on",
    )
    ap.add_argument(
        "--insights",
        choices=("on", "off"),
        default="on",
        help="import the insights the simulated creators shared (off: the report without them)",
    )
    ap.add_argument(
        "--history",
        type=int,
        default=0,
        help="past campaigns run in the same store first (other niches), so the plan learns reach rates",
    )
    args = ap.parse_args()
    args.root.mkdir(parents=True, exist_ok=True)
    rows = []
    for seed in args.seeds:
        t0 = time.time()
        row = run(
            args.creators,
            seed,
            args.budget,
            args.root,
            args.oracle,
            args.vet,
            args.rates_from_views,
            args.insights == "on",
            args.history,
        )
        row["vetted"], row["rates_from_views"], row["insights"] = (
            args.vet,
            args.rates_from_views,
            args.insights,
        )
        row["seconds"] = round(time.time() - t0, 1)
        print(json.dumps(row), flush=True)
        rows.append(row)
    print(json.dumps(summary(rows)))
    print(table(rows))


if __name__ == "__main__":
    main()
