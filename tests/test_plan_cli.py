"""`covey plan` end to end on a small synthetic store (a real DuckDB file)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from covey.cli.app import app
from covey.planning.sample_share import sample_counts
from covey.store import DuckDBStore

runner = CliRunner()


def fill_store(store: DuckDBStore, seed: int = 0, n_micro: int = 60) -> None:
    """Micro accounts in two markets drawing followers from each market's people, plus two macros."""
    rng = np.random.default_rng(seed)
    markets = [("GB", "en", 40_000), ("ES", "es", 30_000)]
    rows, snaps, posts, samples = [], [], [], []
    t0 = datetime(2026, 6, 1)
    for i in range(n_micro + 2):
        country, lang, people = markets[i % 2]
        macro = i >= n_micro
        followers = int(rng.integers(600_000, 900_000)) if macro else int(rng.integers(2_000, 30_000))
        aid = f"instagram:{i}"
        rows.append((aid, "instagram", f"user{i}", country, lang))
        snaps.append((aid, t0, followers))
        for p in range(12):
            likes = int(followers * rng.uniform(0.01, 0.08))
            posts.append((f"{aid}:p{p}", aid, t0 - timedelta(days=p), likes, likes // 20))
        members = rng.choice(people, size=min(200, people), replace=False)
        samples.extend((aid, f"{country}-{m}", "follower") for m in members)
    with store.transaction() as cur:
        cur.register("a", pa.table(list(zip(*rows, strict=True)), names=["id", "pf", "h", "c", "l"]))
        cur.execute("INSERT INTO accounts (account_id, platform, handle, country, language) SELECT * FROM a")
        cur.register("s", pa.table(list(zip(*snaps, strict=True)), names=["id", "t", "f"]))
        cur.execute("INSERT INTO account_snapshots (account_id, taken_at, followers) SELECT * FROM s")
        cur.register("p", pa.table(list(zip(*posts, strict=True)), names=["id", "a", "t", "l", "c"]))
        cur.execute("INSERT INTO posts (post_id, account_id, posted_at, likes, comments) SELECT * FROM p")
        cur.register("m", pa.table(list(zip(*samples, strict=True)), names=["a", "m", "r"]))
        cur.execute("INSERT INTO audience_samples (account_id, member_id, relation) SELECT * FROM m")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "covey.duckdb"
    with DuckDBStore(path) as store:
        fill_store(store)
    return path


def plan_json(db: Path, *args: str) -> dict:  # type: ignore[type-arg]
    res = runner.invoke(app, ["plan", "IBD awareness", "--db", str(db), "--json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def test_plan_from_store_filter_beats_baselines_and_saves(db: Path) -> None:
    out = plan_json(db, "--budget", "20000", "--creators", "5-20")
    s = out["summary"]
    assert s["spent"] <= 20000 and 1 <= s["creators"] <= 20
    assert any("no --candidates given" in n for n in s["notes"])
    assert all(it["posts"] <= 3 for it in out["items"])
    names = [o["name"] for o in s["options"]]
    assert names == ["plan", "top engagement (naive)", "1-2 macro creators"]
    plan, naive, _macro = s["options"]
    assert plan["reach"]["reach"]["3+"] >= naive["reach"]["reach"]["3+"]
    assert 0 < s["certificate"]["ratio"] <= 1
    assert s["reach"]["reach"]["1+"] >= s["reach"]["reach"]["3+"] >= s["reach"]["reach"]["5+"]
    # Saved with its inputs: reopen and list.
    pid = s["plan_id"]
    shown = runner.invoke(app, ["plan", "show", str(pid), "--db", str(db), "--json"])
    assert shown.exit_code == 0, shown.output
    again = json.loads(shown.stdout)
    assert again["inputs"]["budget"] == 20000 and len(again["items"]) == len(out["items"])
    assert again["items"] == out["items"]
    listed = runner.invoke(app, ["plan", "list", "--db", str(db), "--json"])
    assert json.loads(listed.stdout)[0]["plan_id"] == pid
    for args in (["plan", "show", str(pid)], ["plan", "list"]):
        res = runner.invoke(app, [*args, "--db", str(db)], env={"COLUMNS": "200"})
        assert res.exit_code == 0, res.output
        assert "@user" in res.stdout or "IBD awareness" in res.stdout
    missing = runner.invoke(app, ["plan", "show", "999", "--db", str(db)])
    assert missing.exit_code == 2 and "no plan 999" in missing.stderr


def test_candidate_file_must_and_exclude(db: Path, tmp_path: Path) -> None:
    cands = tmp_path / "cands.csv"
    cands.write_text("handle,real_share\n" + "".join(f"@user{i},0.8\n" for i in range(0, 40)))
    out = plan_json(
        db, "--budget", "6000", "--candidates", str(cands), "--must", "user3", "--exclude", "user4,user5"
    )
    chosen = {it["handle"] for it in out["items"]}
    assert "user3" in chosen and not chosen & {"user4", "user5"}
    assert chosen <= {f"user{i}" for i in range(40)}
    assert all(it["real_share"] == pytest.approx(0.8) for it in out["items"])


def test_spread_by_region_caps_each_country(db: Path) -> None:
    out = plan_json(db, "--budget", "20000", "--creators", "4-6", "--spread", "region")
    countries = [int(it["account_id"].split(":")[1]) % 2 for it in out["items"]]
    assert max(countries.count(0), countries.count(1)) <= 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--budget", "10"], "raise --budget to at least"),
        (["--budget", "5000", "--frequency", "4", "--max-posts", "1", "--creators", "1-3"], "--max-posts 2"),
        (["--budget", "5000", "--country", "FR"], "no candidates"),
    ],
)
def test_infeasible_briefs_say_what_would_work(db: Path, args: list[str], message: str) -> None:
    res = runner.invoke(app, ["plan", "brief", "--db", str(db), *args])
    assert res.exit_code == 1
    assert message in " ".join(res.stderr.split())


def test_plan_size_answers_with_creators_and_cost() -> None:
    res = runner.invoke(app, ["plan", "size", "--audience", "100000", "--share", "0.3", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    assert [r["posts_per_creator"] for r in rows] == [1, 2, 3]
    assert all(r["share_reached"] >= 0.3 for r in rows if r["creators"])
    assert rows[2]["creators"] <= rows[0]["creators"]


def test_real_share_from_latest_vetting_run(db: Path, tmp_path: Path) -> None:
    with DuckDBStore(db) as store, store.transaction() as cur:
        cur.execute("INSERT INTO score_runs (run_id) VALUES (1), (2)")
        cur.execute(
            "INSERT INTO account_signals VALUES (1, 'instagram:0', '{\"fake_share\": 0.5}'), "
            "(2, 'instagram:0', '{\"fake_share\": 0.1}'), (2, 'instagram:1', '{\"fake_share\": null}')"
        )
    cands = tmp_path / "c.jsonl"
    cands.write_text("".join(json.dumps({"account_id": f"instagram:{i}"}) + "\n" for i in range(3)))
    out = plan_json(
        db, "--budget", "9000", "--candidates", str(cands), "--creators", "1-3", "--max-posts", "3"
    )
    by_id = {it["account_id"]: it for it in out["items"]}
    assert set(by_id) == {"instagram:0", "instagram:1", "instagram:2"}
    assert by_id["instagram:0"]["real_share"] == pytest.approx(0.9)
    assert by_id["instagram:0"]["real_share_source"] == "vetting"
    # No vetting estimate: the share of the account's sampled followers that look real (issue #9),
    # not the 0.70 prior.
    with DuckDBStore(db, read_only=True) as store:
        n, real = sample_counts(store, ["instagram:1"])["instagram:1"]
    assert n >= 30
    assert by_id["instagram:1"]["real_share_source"] == "follower sample"
    assert by_id["instagram:1"]["real_share"] == pytest.approx(real / n)


def test_creator_minimum_against_frequency_shows_both_plans(db: Path) -> None:
    # Behaviour changed with issue #9: the default serves reach in the window and says which
    # constraint it relaxed; --strict-creators keeps the minimum.
    out = plan_json(db, "--budget", "12000", "--creators", "20-30", "--no-save")["summary"]
    assert out["creators"] < 20 and out["spent"] <= 12000
    plan, keep = out["options"][0], out["options"][1]
    assert keep["name"] == "keeping the creator minimum" and keep["creators"] >= 20
    assert plan["reach"]["reach"]["3+"] > keep["reach"]["reach"]["3+"]
    warning = out["warnings"][0]
    assert warning.startswith("the budget cannot buy 20 creators at 3 posts each")
    assert "relaxes the creator minimum (20)" in warning and "would allow both" in warning
    strict = plan_json(db, "--budget", "12000", "--creators", "20-30", "--no-save", "--strict-creators")
    assert strict["summary"]["creators"] >= 20
    assert strict["summary"]["options"][1]["creators"] == out["creators"]


def test_minimum_warning_names_a_budget_only_when_the_budget_is_short() -> None:
    from covey.planning.greedy import Constraints
    from covey.planning.planner import Brief, Option, _minimum_warning

    def option(name: str, creators: int, reach3: float) -> Option:
        posts = np.full(creators, 3, dtype=np.int64)
        return Option(name, posts, 0.0, {"histogram": [0.0, reach3 * 4, 0.0, reach3]}, 0.0)

    cost = np.full(30, 200.0)
    cons = Constraints(budget=0.0, cost=cost, max_posts=np.full(30, 3, dtype=np.int64), max_creators=30)
    options = [option("plan", 12, 30_000.0), option("keeping the creator minimum", 15, 27_000.0)]

    # 15 creators x 3 posts x 200 EUR = 9,000 EUR.
    def said(budget: float) -> str:
        brief = Brief(text="x", budget=budget, min_creators=15)
        return _minimum_warning(brief, cons, cost, options, "EUR")[0]

    short, enough = said(8_000.0), said(10_000.0)
    assert short.startswith("the budget cannot buy 15 creators")
    assert "a budget of 9,000 EUR would allow both" in short
    assert enough.startswith("at this budget more posts by fewer creators")
    assert "would allow both" not in enough
