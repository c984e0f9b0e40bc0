"""Planning with a campaign history, on worlds never used: reach rates learned from past campaigns, on vs off.

    PYTHONPATH=src:benchmarks nice -n 10 .venv/bin/python benchmarks/planning_history.py \\
        --unseen 1700:929,2000:931,1450:937 --root /tmp/covey-history --vet --out history.json

Method. For each world (size:seed): generate, import and vet it exactly as
``planning_eval.py --unseen ... --vet`` does (its ``prepare``), then, in a copy of that store,
simulate the workspace's past campaigns (``campaign_flow.run_campaign``): one campaign per
evaluation case of ``planning_unseen._cases`` (the world's top micro niche world-wide, the next
two each in its own country; candidate list with the niche column, as the --niche plans have),
8,000 EUR each, delivery seed world seed x 10 + case number (0, 1, 2), each planned, booked,
contracted, approved, delivered (simulated from the world's truth), tracked, and the insights
of the creators who shared them imported (``campaign_insights``). ``--history N`` keeps the
first N cases' campaigns (default 3). Then ``planning_unseen.unseen_eval`` runs twice on that
store: with the shipped priors (``learn_from_insights`` as shipped: true) and with a copy of the
shipped priors.toml whose ``learn_from_insights`` is false (the planner on the priors alone).
Each run: 3 cases x with/without --niche x budgets (default 5,000 / 20,000 / 100,000 EUR), so
18 plans a world and 54 over the three worlds, each plan's predicted 1+ / 3+ reach and 90 %
interval against the true reach computed exactly on the world's truth, and the naive and
macro baselines. Printed and written (``--out``): both summaries (``unseen_summary``) side by
side and, per plan, how many of the plan's creators have a campaign history with reported
reach (insights rows with reach on a tracked post of a past campaign). The past campaigns are
planned with the shipped priors, so with learning on a later one may already use an earlier
one's insights, as it would in a workspace.

Rule (fixed 2026-12-03 before any run on 1700:929, 2000:931, 1450:937): learning ships if, with the history, over the 54 plans: the mean absolute relative error of predicted 3+ decreases; the share of plans with 3+ within ±25 % does not decrease; 3+ intervals cover at least 90 %; the plan's true 3+ is at least the naive choice's in every plan. Without a history the planner must give the same plans and figures (tests).
"""  # noqa: E501

from __future__ import annotations

import argparse
import json
import re
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

from campaign_flow import run_campaign
from planning_eval import prepare, truth_panel
from planning_unseen import _cases, case_candidates, unseen_eval, unseen_summary

from covey.planning.planner import Brief
from covey.planning.reach import load_priors
from covey.store import DuckDBStore

KEY = "learn_from_insights"
HISTORY_BUDGET = 8_000.0  # EUR per past campaign
CASES = 3  # _cases gives three niche/country lists a world


def priors_without_learning(text: str) -> str:
    """The priors TOML ``text`` with ``learn_from_insights = false``.

    The key's line is replaced where it exists; otherwise the line goes first in the file, where
    a top-level key must be (before any [table]).
    """
    line = f"{KEY} = false"
    found = re.compile(rf"^{KEY}\s*=.*$", re.MULTILINE)
    if found.search(text):
        return found.sub(line, text, count=1)
    return f"{line}\n{text}"


def write_priors_off(root: Path) -> Path:
    """The shipped priors with learning off, written under ``root`` (and read back, to fail early)."""
    shipped = resources.files("covey.planning").joinpath("priors.toml").read_text("utf-8")
    path = root / "priors-learning-off.toml"
    path.write_text(priors_without_learning(shipped), encoding="utf-8")
    load_priors(path)
    return path


def simulate_history(world: Path, db: Path, world_seed: int, folder: Path, n: int) -> list[dict[str, Any]]:
    """Past campaigns in ``db``: one per evaluation case (the first ``n``), 8,000 EUR, insights imported."""
    done = []
    for i, (niche, country, language) in enumerate(_cases(world)[:n]):
        seed = world_seed * 10 + i
        cands = case_candidates(world, niche, country, True, folder)
        brief = Brief(
            text=niche, budget=HISTORY_BUDGET, niche=niche, country=country, language=language, min_creators=3
        )
        out, name = folder / f"sim-{seed}", f"History {i + 1}"
        camp = run_campaign(db, world, cands, brief, seed, out, name=name, hashtag=f"acme{seed}")
        done.append(
            {
                "world": world.name, "niche": niche, "country": country, "seed": seed,
                "campaign_id": camp.campaign_id, "booked": camp.booked,
                "shared_insights": sum(1 for c in camp.truth["creators"] if c.get("shared_insights")),
            }
        )  # fmt: skip
        print(f"history {world.name}: {json.dumps(done[-1])}", flush=True)
    return done


def measured(db: Path) -> set[str]:
    """Accounts with reported reach on a tracked post of a past campaign (insights x matches)."""
    with DuckDBStore(db, read_only=True) as store:
        rows = store.query(
            """SELECT DISTINCT i.account_id FROM campaign_insights i
               JOIN campaign_matches m USING (campaign_id, post_id) WHERE i.reach IS NOT NULL"""
        )
    return {str(r[0]) for r in rows}


def history_store(prepared: Path, world: Path, world_seed: int, root: Path, n: int) -> tuple[Path, list[Any]]:
    """A fresh copy of the prepared store with ``n`` past campaigns simulated into it."""
    db = root / f"{prepared.stem}-history{n}.duckdb"
    folder = root / f"{prepared.stem}-history{n}"
    db.unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copyfile(prepared, db)
    return db, simulate_history(world, db, world_seed, folder, n)


def per_plan(on: list[dict[str, Any]], off: list[dict[str, Any]], known: dict[str, set[str]]) -> list[Any]:
    """Each plan's figures with learning on and off, and how many of its creators have a history."""
    out = []
    for a, b in zip(on, off, strict=True):
        row: dict[str, Any] = {k: a[k] for k in ("world", "niche", "country", "with_niche", "budget")}
        for name, r in (("on", a), ("off", b)):
            row[name] = {
                "creators": r["plan"]["creators"],
                "with_history": len(known[r["world"]].intersection(r["plan"]["account_ids"])),
                **{k: r["plan"][k] for k in ("pred_3+", "true_3+", "interval_3+", "pred_1+", "true_1+")},
                "naive_true_3+": r["naive"]["true_3+"],
            }
        out.append(row)
    return out


def _same(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> bool:
    """Whether two runs gave the same plans and figures, to the last digit."""
    return json.dumps(a, default=str) == json.dumps(b, default=str)


def _num(v: Any) -> str:
    """A summary value for the side-by-side table."""
    return f"{v:.4f}" if isinstance(v, float) else str(v)


def report(result: dict[str, Any]) -> str:
    """Both summaries side by side, then one line per plan (history counts, predicted and true 3+)."""
    on, off = result["on"]["summary"], result["off"]["summary"]
    lines = [f"{'':32s} {'learning on':>14s} {'learning off':>14s}"]
    lines += [f"{k:32s} {_num(on[k]):>14s} {_num(off.get(k)):>14s}" for k in on if k != "worlds"]
    lines.append(f"identical figures on and off: {'yes' if result['identical'] else 'no'}")
    lines.append("world niche country --niche budget | on: creators / with history, pred 3+, true 3+ | off")
    for p in result["plans"]:
        a, b = p["on"], p["off"]
        lines.append(
            f"{p['world']} {p['niche']} {p['country'] or '-'} {p['with_niche']!s:5s} {p['budget']:>9,.0f} | "
            f"{a['creators']} / {a['with_history']}, {a['pred_3+']:,.0f}, {a['true_3+']:,.0f} | "
            f"{b['creators']} / {b['with_history']}, {b['pred_3+']:,.0f}, {b['true_3+']:,.0f}"
        )
    return "\n".join(lines)


def main_history(spec: str, root: Path, vet: bool, n: int, budgets: tuple[float, ...]) -> dict[str, Any]:
    """Prepare each world, simulate its history, plan with learning on and off; both summaries."""
    off_priors = write_priors_off(root)
    runs: dict[str, list[dict[str, Any]]] = {"on": [], "off": []}
    history: list[Any] = []
    known: dict[str, set[str]] = {}
    for item in spec.split(","):
        size, seed = (int(x) for x in item.split(":"))
        world, prepared = prepare(size, seed, root, vet=vet)
        db, done = history_store(prepared, world, seed, root, n)
        history += done
        known[world.name] = measured(db)
        for name, priors in (("on", None), ("off", off_priors)):
            print(f"--- {world.name}: learning {name}", flush=True)
            runs[name] += unseen_eval(world, db, truth_panel, budgets, priors=priors, plan_ids=True)
    plans = per_plan(runs["on"], runs["off"], known)
    return {
        "worlds": spec, "vetted": vet, "history_campaigns": n, "budgets": list(budgets),
        "history": history, "identical": _same(runs["on"], runs["off"]),
        "on": {"summary": unseen_summary(runs["on"]), "rows": runs["on"]},
        "off": {"summary": unseen_summary(runs["off"]), "rows": runs["off"], "priors": str(off_priors)},
        "plans": plans,
    }  # fmt: skip


def main() -> None:
    """Parse the arguments, run, print the report and write the JSON."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--unseen", required=True, help="size:seed,... worlds never used for tuning")
    ap.add_argument("--root", type=Path, default=Path("/tmp/covey-planning-history"))
    ap.add_argument("--vet", action="store_true", help="vet (covey score) each world first")
    ap.add_argument("--history", type=int, default=CASES, choices=range(CASES + 1), help="past campaigns")
    ap.add_argument("--budgets", default="5000,20000,100000", help="plan budgets (EUR)")
    ap.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    args = ap.parse_args()
    args.root.mkdir(parents=True, exist_ok=True)
    budgets = tuple(float(b) for b in args.budgets.split(","))
    result = main_history(args.unseen, args.root, args.vet, args.history, budgets)
    print(report(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
