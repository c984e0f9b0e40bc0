"""Organic bursts in the sample world: real followers all at once, and engagement that follows them.

A burst (a viral post, a press mention) looks like a bought jump in the follower counts; only
engagement tells them apart. The world must plant both, and the growth signal must tell them apart.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest

from covey.ingest import import_path
from covey.signals import duckdb_sources, growth_events
from covey.store import DuckDBStore
from covey.world import WorldConfig, generate

CONFIG = WorldConfig(
    creators=400, seed=5, audience_sample_size=20, organic_burst_share=0.25, bought_share=0.15
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bursts")
    generate(CONFIG, out)
    return out


@pytest.fixture(scope="module")
def con(world: Path) -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    for name in ("account_snapshots", "posts"):
        c.execute(f"create view {name} as select * from read_parquet('{world / name}.parquet')")
    for name in ("accounts", "growth_events"):
        c.execute(f"create view truth_{name} as select * from read_parquet('{world}/truth/{name}.parquet')")
    return c


def test_bursts_are_planted_at_the_configured_share(con: duckdb.DuckDBPyConnection) -> None:
    [(accounts, bought, organic, both)] = con.execute(
        "with o as (select account_id from truth_growth_events where kind = 'organic') "
        "select count(*), count(*) filter (bought_growth), count(*) filter (account_id in (from o)), "
        "count(*) filter (bought_growth and account_id in (from o)) from truth_accounts"
    ).fetchall()
    # Bursts go to accounts without a bought jump: share x (1 - bought share) of all accounts.
    expected = CONFIG.organic_burst_share * (accounts - bought)
    assert abs(organic - expected) < 4 * math.sqrt(expected), (organic, expected)
    assert both == 0
    [(per_account, added_min)] = con.execute(
        "select max(n), min(m) from (select account_id, count(*) n, min(followers_added) m "
        "from truth_growth_events where kind = 'organic' group by 1)"
    ).fetchall()
    assert per_account == 1 and added_min > 0


def test_bursts_show_in_the_snapshots_like_bought_jumps(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "with d as (select account_id, taken_at, followers - lag(followers) over w delta, "
        "lag(followers) over w prev from account_snapshots "
        "window w as (partition by account_id order by taken_at)), "
        "typical as (select account_id, median(delta) typical from d group by 1) "
        "select e.kind, e.followers_added, d.delta - t.typical, d.prev from truth_growth_events e "
        "join d on d.account_id = e.account_id and d.taken_at = e.at "
        "join typical t on t.account_id = e.account_id "
        "where e.kind in ('organic', 'bought')"
    ).fetchall()
    rises: dict[str, list[float]] = {"organic": [], "bought": []}
    for kind, added, jump, prev in rows:
        # The snapshot step carries the burst on top of the usual weekly change.
        assert abs(jump - added) <= 0.25 * added + 0.01 * prev, (kind, added, jump)
        rises[kind].append(added / prev)
    organic, bought = np.array(rises["organic"]), np.array(rises["bought"])
    assert len(organic) > 50 and len(bought) > 30
    # 18-150 % of the count just before (a purge of fakes before the burst can make it less).
    assert organic.min() > 0.1 and organic.max() < 1.6
    # Drawn as bought jumps are (bought ones come out a little larger: growth after the jump adds
    # to today's count they are drawn from): size alone cannot tell them apart.
    for q in (0.25, 0.5, 0.75):
        assert 0.6 < np.quantile(organic, q) / np.quantile(bought, q) < 1.4, q


def test_the_last_snapshot_is_still_the_truth(con: duckdb.DuckDBPyConnection) -> None:
    [(mismatched, inconsistent)] = con.execute(
        "select count(*) filter (s.followers != t.followers), "
        "count(*) filter (t.real_followers + t.fake_followers != t.followers) "
        "from (select account_id, arg_max(followers, taken_at) followers "
        "from account_snapshots group by 1) s "
        "join truth_accounts t using (account_id)"
    ).fetchall()
    assert mismatched == 0 and inconsistent == 0


def test_engagement_rises_after_a_burst_and_not_after_a_bought_jump(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select e.kind, e.followers_added::double / (t.real_followers - e.followers_added), "
        "avg(ln(1 + p.likes)) filter (after) - avg(ln(1 + p.likes)) filter (before) "
        "from truth_growth_events e join truth_accounts t using (account_id), "
        "lateral (select *, posted_at >= e.at after, posted_at < e.at - interval 7 day before "
        "  from posts where account_id = e.account_id and likes >= 20) p "
        "where e.kind in ('organic', 'bought') group by all "
        "having count(*) filter (after) >= 5 and count(*) filter (before) >= 5"
    ).fetchall()
    organic = np.array([(rise, shift) for kind, rise, shift in rows if kind == "organic"])
    bought = np.array([shift for kind, _, shift in rows if kind == "bought"])
    assert len(organic) > 20 and len(bought) > 10
    # Real newcomers engage like the others: log likes rise by about log(1 + newcomers / real before).
    gap = organic[:, 1] - np.log1p(organic[:, 0])
    assert abs(np.median(gap)) < 0.12, np.median(gap)
    # Bought followers never engage: only the organic trend and noise move likes.
    assert np.median(organic[:, 1]) > np.median(bought) + 0.2


def test_bursts_leave_every_other_planted_trait_unchanged(world: Path, tmp_path: Path) -> None:
    generate(WorldConfig(**{**CONFIG.__dict__, "organic_burst_share": 0.0}), tmp_path)
    with_bursts = pq.read_table(world / "truth" / "growth_events.parquet").to_pandas()
    without = pq.read_table(tmp_path / "truth" / "growth_events.parquet").to_pandas()
    assert set(without["kind"]) == {"bought", "purge"}
    assert with_bursts[with_bursts.kind != "organic"].reset_index(drop=True).equals(without)
    # Bursts come from a random stream of their own: accounts, sizes and fakes stay as they were.
    assert pq.read_table(world / "truth" / "accounts.parquet").equals(
        pq.read_table(tmp_path / "truth" / "accounts.parquet")
    )


@pytest.fixture(scope="module")
def labelled(world: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[tuple[str, str, int]]]:
    """(true kind, signal's kind, posts on the thinner side) for every planted rising jump."""
    with DuckDBStore(tmp_path_factory.mktemp("bursts-db") / "covey.duckdb") as store:
        import_path(store, world)
        src = duckdb_sources(store)
        found = src.execute(growth_events(src))
    truth = pq.read_table(world / "truth" / "growth_events.parquet").to_pandas()
    truth = truth[truth.kind != "purge"]
    found["at"] = found["at"].astype("datetime64[us]")
    truth["at"] = truth["at"].astype("datetime64[us]")
    m = truth.merge(found, on=["account_id", "at"], how="left", suffixes=("_true", ""))
    thin = np.minimum(m.posts_before.fillna(0), m.posts_after.fillna(0)).astype(int)
    yield list(zip(m.kind_true, m.kind.fillna("missed"), thin, strict=True))


def test_the_signal_calls_bursts_organic_and_bought_jumps_bought(
    labelled: list[tuple[str, str, int]],
) -> None:
    organic = [called for kind, called, _ in labelled if kind == "organic"]
    bought = [called for kind, called, _ in labelled if kind == "bought"]
    assert "missed" not in organic + bought  # every planted jump is found as a jump
    assert organic.count("organic") >= 0.75 * len(organic), organic
    assert bought.count("bought") >= 0.75 * len(bought), bought
    # Where posts are plentiful on both sides the call is right far more often.
    busy = [(kind, called) for kind, called, thin in labelled if thin >= 20]
    assert len(busy) > 20
    assert sum(kind == called for kind, called in busy) >= 0.9 * len(busy), busy
