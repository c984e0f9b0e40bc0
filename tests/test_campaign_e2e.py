"""End to end on a small sample world: plan -> campaign -> pipeline -> briefs -> a draft that fails
compliance, fixed and approved -> simulated delivery -> imported and matched -> report.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from covey.campaigns.approval import decide, submit
from covey.campaigns.briefs import write_briefs
from covey.campaigns.campaign import Spec, bookings_from_plan, create_campaign, creators
from covey.campaigns.conversions import import_conversions
from covey.campaigns.insights import import_insights
from covey.campaigns.pipeline import events, move
from covey.campaigns.report import build_report
from covey.campaigns.tracking import flags, track
from covey.cli.app import app
from covey.ingest import import_path
from covey.planning.planner import Brief
from covey.planning.session import run_plan
from covey.store import DuckDBStore
from covey.world import WorldConfig, generate
from covey.world.campaign import LABELS

WORLD_SEED = 5


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("campaign-world")
    generate(WorldConfig(creators=300, seed=WORLD_SEED), root / "world")
    with DuckDBStore(root / "covey.duckdb") as store:
        import_path(store, root / "world")
    wdir = root / "world"
    con = duckdb.connect()
    niche = con.sql(
        f"SELECT niche FROM '{wdir}/truth/accounts.parquet' WHERE tier = 'micro' "
        "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchall()[0][0]
    cands = root / "cands.csv"
    con.sql(
        f"COPY (SELECT account_id, niche FROM '{wdir}/truth/accounts.parquet' "
        f"WHERE niche = '{niche}' AND tier = 'micro') TO '{cands}' (HEADER)"
    )
    return wdir, root / "covey.duckdb", cands


def _pipeline(store: DuckDBStore, cid: int) -> dict[str, Any]:
    """Every creator contracted, briefed, each post drafted and approved; the first one's first
    draft forgets the disclosure and is sent back, then fixed."""
    cs = creators(store, cid)
    for c in cs:
        for s in ("contacted", "replied", "negotiating", "contracted"):
            move(store, cid, c["handle"], s, actor="maria")
    docs = write_briefs(store, cid, actor="maria")
    assert len(docs) == 1 + len(cs)
    first = cs[0]
    bad = submit(store, cid, first["handle"], 1, "Loving this with @acme #acmeglow", actor=first["handle"])
    assert not bad["compliant"] and "disclosure_missing" in {f["category"] for f in bad["flags"]}
    decide(store, cid, first["handle"], 1, 1, "changes_requested", actor="maria", comment="add the ad label")
    for c in cs:
        for k in range(1, c["posts"] + 1):
            label = LABELS.get(c["language"] or "en", "#ad")
            r = submit(
                store, cid, c["handle"], k, f"{label} | Loving this with @acme #acmeglow", actor=c["handle"]
            )
            assert r["compliant"], (c["handle"], r["flags"])
            decide(store, cid, c["handle"], k, r["version"], "approved", actor="maria")
    return {"first": first["handle"]}


def test_plan_to_report(world: tuple[Path, Path, Path], tmp_path: Path) -> None:
    wdir, src_db, cands = world
    db = tmp_path / "covey.duckdb"
    db.write_bytes(src_db.read_bytes())
    niche = duckdb.sql(f"SELECT niche FROM '{cands}' LIMIT 1").fetchall()[0][0]
    with DuckDBStore(db) as store:
        res = run_plan(store, Brief(text=niche, budget=8000, niche=niche, min_creators=3), candidates=cands)
        pid = res.summary["plan_id"]
        books, inputs = bookings_from_plan(store, pid)
        spec = Spec(
            name="Glow",
            brand="Acme",
            starts=date(2026, 7, 1),
            ends=date(2026, 7, 28),
            budget=float(inputs["budget"]),
            hashtag="acmeglow",
            code_pattern="ACME-{handle}",
        )
        cid = create_campaign(store, spec, books, actor="maria", plan_id=pid)
        info = _pipeline(store, cid)
        assert all(c["stage"] == "approved" for c in creators(store, cid))
    sim = tmp_path / "sim"
    runner = CliRunner()
    out = runner.invoke(
        app,
        [
            "world",
            "campaign",
            "--world",
            str(wdir),
            "--campaign",
            str(cid),
            "--out",
            str(sim),
            "--seed",
            "1",
            "--db",
            str(db),
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    truth = json.loads((sim / "truth" / "campaign.json").read_text())
    with DuckDBStore(db) as store:
        import_path(store, sim / "posts.parquet")
        track(store, cid, actor="maria", today=date(2026, 9, 1))
        import_conversions(store, cid, sim / "conversions.csv", actor="maria")
        without = build_report(store, cid, interval=False)
        import_insights(store, cid, sim / "insights.csv", actor="maria")
        rep = build_report(store, cid)
        found = flags(store, cid)
        trail = events(store, cid)
    # the insights of the creators who shared them (some, not all) measure their reach rates
    sharing = {c["account_id"] for c in truth["creators"] if c["shared_insights"]}
    posting = {c["account_id"] for c in truth["creators"] if c["delivered"]}
    assert sharing and sharing < posting
    for row in rep["creators"]:
        want = "reported reach" if row["account_id"] in sharing else row["platform"] in ("tiktok", "youtube")
        if row["account_id"] in sharing:
            assert row["reach_rate_source"] == want and row["impressions_source"] == "reported reach"
            true = next(c for c in truth["creators"] if c["account_id"] == row["account_id"])
            assert row["impressions"] == pytest.approx(
                true["reached_per_post_people"] * true["delivered"], abs=3
            )
        elif row["posts_delivered"]:
            assert row["reach_rate_source"] == ("views" if want else "prior")
    assert rep["reach"]["rates_from_reported_reach"] == len(sharing)
    assert without["reach"]["rates_from_reported_reach"] == 0 and "interval" not in without["reach"]
    lo, hi = rep["reach"]["interval"]["delivered"]["3+"]
    assert 0 < lo <= hi and rep["reach"]["interval"]["level"] == 0.9
    # every missing, late or non-compliant deliverable of the simulation is found, and nothing else
    by_kind: dict[str, set[Any]] = {}
    for f in found:
        by_kind.setdefault(f["kind"], set()).add(f["post_id"] or f["account_id"])
    t_late = {p for c in truth["creators"] for p in c["late_posts"]}
    t_undisclosed = {p for c in truth["creators"] for p in c["undisclosed_posts"]}
    assert by_kind.get("late", set()) == t_late
    assert by_kind["non_compliant"] == t_undisclosed and len(t_undisclosed) == 1
    assert by_kind["missing"] == {truth["dropped"]}
    missing = sum(1 for f in found if f["kind"] == "missing")
    assert missing == sum(c["missing"] for c in truth["creators"]) >= 1
    assert rep["total"]["posts_delivered"] == sum(c["delivered"] for c in truth["creators"])
    assert rep["total"]["missing"] == missing and rep["total"]["late"] == len(t_late)
    assert not {"live_without_approval", "matched_twice", "extra_post"} & set(by_kind)
    # reach: measured with the plan's own model; plan and report agree on the planned figure
    assert rep["reach"]["planned"]["3+"] == pytest.approx(res.summary["reach"]["reach"]["3+"], rel=1e-6)
    assert rep["reach"]["delivered"]["3+"] > 0 and rep["reach"]["creators_with_views"] >= 1
    # The report's delivered 3+ against the simulated delivery's truth, as issue #12 asks: within
    # ±25 % (5,751 against 4,623, +24.4 %, on 2026-12-03). One world says little: the fresh worlds'
    # figures (16 of 18 within ±25 %) are benchmarks/campaign_eval.py's, in docs/campaigns.md.
    assert rep["reach"]["delivered"]["3+"] == pytest.approx(truth["reach"]["3+"], rel=0.25)
    # conversions joined by code; JSON strict; the first creator's rejected draft is in the trail
    assert rep["total"]["clicks"] == sum(int(x) for x in _col(sim / "conversions.csv", "clicks"))
    json.dumps(rep, default=str, allow_nan=False)
    assert any(e["kind"] == "decision" and "changes_requested" in e["detail"] for e in trail)
    # the CLI report writes the offline HTML (SVG charts) and CSV
    html, csv_out = tmp_path / "r.html", tmp_path / "r.csv"
    out = runner.invoke(
        app, ["campaign", "report", str(cid), "--db", str(db), "--html", str(html), "--csv", str(csv_out)]
    )
    assert out.exit_code == 0, out.output
    page = html.read_text()
    assert page.count("<svg") == 3 and "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "EMV = impressions / 1000 x CPM" in page and "People reached 3+ times" in out.output
    assert "90 % interval" in out.output and "90 % interval" in page and "from reported reach" in out.output
    assert csv_out.read_text().splitlines()[-1].startswith("TOTAL")
    assert info["first"]
    # the same simulation from the saved plan alone (no campaign yet)
    out = runner.invoke(
        app,
        [
            "world",
            "campaign",
            "--world",
            str(wdir),
            "--plan",
            str(pid),
            "--out",
            str(tmp_path / "sim-plan"),
            "--db",
            str(db),
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    from_plan = json.loads(out.output)
    assert from_plan["hashtag"] == f"plan{pid}"
    planned_posts = sum(int(it["posts"]) for it in res.items)
    rows = duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'sim-plan' / 'posts.parquet'}'").fetchall()[0][0]
    assert rows == planned_posts - next(c["agreed"] for c in from_plan["creators"] if c["dropped"])
    assert math.isfinite(rep["total"]["impressions"])


def _col(path: Path, name: str) -> list[str]:
    import csv

    with path.open(encoding="utf-8") as f:
        return [r[name] for r in csv.DictReader(f)]


def test_rates_from_views_only_where_the_real_audience_is_known(
    world: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """Views split into rate x real audience only when the audience is known: a candidate list
    with each creator's real share (as vetting would give) turns views into rates; the prior's
    audience does not (a store without follower samples, so no share comes from a sample)."""
    from covey.campaigns.reach import delivered_reach, plan_model
    from covey.world.campaign import campaign_orders, simulate

    wdir, src_db, cands = world
    shared = tmp_path / "cands-real.csv"
    duckdb.sql(
        f"COPY (SELECT c.account_id, c.niche, a.real_followers / a.followers AS real_share FROM '{cands}' c "
        f"JOIN '{wdir}/truth/accounts.parquet' a USING (account_id)) TO '{shared}' (HEADER)"
    )
    niche = duckdb.sql(f"SELECT niche FROM '{cands}' LIMIT 1").fetchall()[0][0]
    for name, listed in (("prior", cands), ("known", shared)):
        db = tmp_path / f"{name}.duckdb"
        db.write_bytes(src_db.read_bytes())
        with DuckDBStore(db) as store:
            if name == "prior":
                store.query("DELETE FROM audience_samples")
            res = run_plan(
                store, Brief(text=niche, budget=8000, niche=niche, min_creators=3), candidates=listed
            )
            pid = res.summary["plan_id"]
            books, _ = bookings_from_plan(store, pid)
            spec = Spec(name=name, brand="Acme", starts=date(2026, 7, 1), ends=date(2026, 7, 28), budget=8000,
                        hashtag=f"acme{name}")  # fmt: skip
            cid = create_campaign(store, spec, books, actor="maria", plan_id=pid)
            orders, info = campaign_orders(store, cid)
            simulate(wdir, orders, tmp_path / name, seed=4, **info)
            import_path(store, tmp_path / name / "posts.parquet")
            track(store, cid, actor="maria", today=date(2026, 9, 1))
            rep = build_report(store, cid)
            if name == "prior":
                _, cands_prior, _, _ = plan_model(store, pid)
                assert set(cands_prior.real_share_source or []) == {"prior"}
                assert rep["reach"]["creators_with_views"] >= 1
                assert rep["reach"]["rates_from_views"] == 0  # the prior's audience: views unused
                continue
            got = rep["reach"]
            assert got["creators_with_views"] >= 1 and got["rates_from_views"] == got["creators_with_views"]
            assert f"{got['rates_from_views']} from views" in got["model"]
            assert {v["source"] for v in got["rate_sources"].values()} <= {
                "views",
                "prior",
                "prior (no post delivered)",
            }
            posts = {c["account_id"]: c["posts_delivered"] for c in rep["creators"]}
            views = {c["account_id"]: 1.0 for c in rep["creators"] if c["impressions_source"] == "views"}
            off = delivered_reach(store, pid, posts, views, calibrate_views=False)
            assert off["rates_from_views"] == 0 and off["delivered"]["3+"] != got["delivered"]["3+"]
