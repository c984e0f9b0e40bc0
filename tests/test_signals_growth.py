"""Bought growth vs real bursts of followers: the engagement test weighs the evidence there is."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from covey.signals import duckdb_sources, growth, growth_events
from covey.store import DuckDBStore
from test_signals_world import _insert, follower_profile

# Per account (growth_events keeps one jump each here): column -> value.
Rows = tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]

T0 = datetime(2026, 1, 5)
WEEKS = 26
JUMP_WEEK = 13
WEEKLY_GROWTH = 0.01


def _account(
    rng: np.random.Generator,
    aid: str,
    *,
    jump: float,
    engagement_follows: bool,
    posts_every_days: float,
    weekly_growth: float = WEEKLY_GROWTH,
    noise: float = 0.35,
    lift_after: float = 1.0,
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Weekly snapshots growing organically, one jump, and posts whose likes track real followers."""
    followers = 20_000.0

    def real_at(t: datetime) -> float:
        weeks = (t - T0).total_seconds() / (7 * 86_400)
        base = followers * (1 + weekly_growth) ** weeks
        # Real new followers engage like the others; bought ones add nothing.
        if weeks < JUMP_WEEK:
            return float(base)
        return float(base * (1 + jump if engagement_follows else 1) * lift_after)

    snaps = []
    for k in range(WEEKS):
        t = T0 + timedelta(days=7 * k)
        n = followers * (1 + weekly_growth) ** k * (1 + jump if k >= JUMP_WEEK else 1)
        snaps.append({"account_id": aid, "taken_at": t, "followers": round(n), "following": 300})
    posts = []
    at = T0 + timedelta(days=1)
    j = 0
    while at < T0 + timedelta(days=7 * (WEEKS - 1)):
        likes = round(real_at(at) * 0.03 * math.exp(rng.normal(0, noise)))
        posts.append(
            {"post_id": f"{aid}/p{j}", "account_id": aid, "kind": "image", "caption": f"day {j} outside",
             "hashtags": ["running"], "posted_at": at, "likes": likes, "comments": likes // 40,
             "url": f"https://x.test/{aid}/{j}"}
        )  # fmt: skip
        at += timedelta(days=posts_every_days)
        j += 1
    return snaps, posts


CASES = {
    # account: (jump, engagement follows, days between posts, weekly organic growth, noise, lift after)
    "bought_busy": (0.3, False, 3.0, WEEKLY_GROWTH, 0.35, 1.0),
    "bought_rare": (0.25, False, 20.0, WEEKLY_GROWTH, 0.35, 1.0),
    # A monthly poster whose few posts after the jump happened to do 8 % better: less than
    # halfway to what real followers would give (+25 %).
    "bought_rare_lucky": (0.25, False, 30.0, WEEKLY_GROWTH, 0.0, 1.08),
    # ... and one whose posts did 15 % better: more than halfway, so with even prior odds the
    # test calls it organic, with a standard error that says how little that means.
    "bought_rare_luckier": (0.25, False, 30.0, WEEKLY_GROWTH, 0.0, 1.15),
    "viral_busy": (0.4, True, 3.0, WEEKLY_GROWTH, 0.35, 1.0),
    "viral_rare": (0.5, True, 20.0, WEEKLY_GROWTH, 0.0, 1.0),
    "fast_grower": (0.0, True, 3.0, 0.06, 0.35, 1.0),
}


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rows]:
    store = DuckDBStore(tmp_path_factory.mktemp("growth") / "covey.duckdb")
    rng = np.random.default_rng(3)
    accounts, snaps, posts = [], [], []
    for aid, (jump, follows, every, weekly, noise, lift) in CASES.items():
        accounts.append(
            {"account_id": aid, "creator_id": aid, "platform": "instagram", "handle": aid,
             "created_at": date(2020, 1, 1)}
        )  # fmt: skip
        s, p = _account(rng, aid, jump=jump, engagement_follows=follows, posts_every_days=every,
                        weekly_growth=weekly, noise=noise, lift_after=lift)  # fmt: skip
        snaps += s
        posts += p
    _insert(store, "accounts", accounts)
    _insert(store, "account_snapshots", snaps)
    _insert(store, "posts", posts)
    src = duckdb_sources(store)
    ev = src.execute(growth_events(src)).set_index("account_id").to_dict("index")
    per_account = src.execute(growth(src)).set_index("account_id").to_dict("index")
    yield ev, per_account
    store.close()


def test_each_jump_gets_its_kind(events: Rows) -> None:
    ev, per_account = events
    assert ev["bought_busy"]["kind"] == "bought"
    assert ev["viral_busy"]["kind"] == "organic"
    # A monthly poster: few posts, but a level engagement across a 25 % jump is still evidence.
    assert ev["bought_rare"]["kind"] == "bought"
    # A rise short of halfway to the excess leaves the jump bought.
    assert ev["bought_rare_lucky"]["kind"] == "bought"
    assert 0 < ev["bought_rare_lucky"]["engagement_shift"] < 0.5 * ev["bought_rare_lucky"]["excess"]
    # Even odds: a rise past halfway clears the jump, however few the posts; the standard error
    # (a large share of the excess) is what tells a reader the call is weak.
    luckier = ev["bought_rare_luckier"]
    assert luckier["kind"] == "organic"
    assert luckier["engagement_shift"] > 0.5 * luckier["excess"]
    assert luckier["shift_se"] > 0.4 * luckier["excess"]
    # Few posts that clearly rose with the jump clear the account.
    assert ev["viral_rare"]["kind"] == "organic"
    assert per_account["bought_rare"]["bought_events"] == 1
    assert per_account["viral_busy"]["bought_events"] == 0


def test_steady_fast_growth_is_no_jump(events: Rows) -> None:
    ev, per_account = events
    assert "fast_grower" not in ev
    assert per_account["fast_grower"]["bought_events"] == 0


def test_trend_and_excess_separate_organic_growth_from_the_jump(
    events: Rows,
) -> None:
    ev, _ = events
    row = ev["bought_busy"]
    assert row["trend"] == pytest.approx(math.log(1 + WEEKLY_GROWTH) / 7, rel=0.05)
    assert row["excess"] == pytest.approx(math.log(1.3), abs=0.01)
    # Bought followers leave engagement level once the organic trend is taken out.
    assert abs(row["engagement_shift"]) < 2.5 * row["shift_se"]
    assert ev["viral_busy"]["engagement_shift"] == pytest.approx(
        math.log(1.4), abs=2.5 * ev["viral_busy"]["shift_se"]
    )
    assert ev["bought_rare"]["posts_before"] < 6 and ev["bought_busy"]["posts_before"] > 25
    assert ev["bought_rare"]["shift_se"] > ev["bought_busy"]["shift_se"]


def _sample(aid: str, fakes: int, n: int = 120) -> list[dict[str, object]]:
    """A follower sample: ``fakes`` farm-like profiles, the rest ordinary people."""
    return [follower_profile(aid, m, m < fakes) for m in range(n)]


def test_a_sample_too_clean_to_hold_the_jump_clears_it(tmp_path: Path) -> None:
    """Bought followers are fakes and stay: a sample with too few fakes to hold them clears a jump
    that engagement alone would call bought; one with plenty of fakes does not."""
    store = DuckDBStore(tmp_path / "covey.duckdb")
    rng = np.random.default_rng(5)
    accounts, snaps, posts, audience = [], [], [], []
    # (jump, engagement follows, lift after, fakes in a sample of 120 or None for no sample)
    cases = {
        # A real burst of 40 % whose posts after it happened to do no better: level engagement.
        "burst_clean_sample": (0.4, True, 1 / 1.4, 3),
        "burst_no_sample": (0.4, True, 1 / 1.4, None),
        # Bought 40 %: its sample is half fakes, as the bought followers are still there.
        "bought_fake_sample": (0.4, False, 1.0, 60),
    }
    for aid, (jump, follows, lift, fakes) in cases.items():
        accounts.append(
            {"account_id": aid, "creator_id": aid, "platform": "instagram", "handle": aid,
             "created_at": date(2020, 1, 1)}
        )  # fmt: skip
        s, p = _account(rng, aid, jump=jump, engagement_follows=follows, posts_every_days=3.0, noise=0.0,
                        lift_after=lift)  # fmt: skip
        snaps += s
        posts += p
        if fakes is not None:
            audience += _sample(aid, fakes)
    _insert(store, "accounts", accounts)
    _insert(store, "account_snapshots", snaps)
    _insert(store, "posts", posts)
    _insert(store, "audience_samples", audience)
    src = duckdb_sources(store)
    ev = src.execute(growth_events(src)).set_index("account_id").to_dict("index")
    store.close()
    for aid in cases:
        # Engagement alone says bought for all three: no rise across the jump.
        assert ev[aid]["engagement_shift"] < 0.5 * ev[aid]["excess"], aid
    assert ev["burst_clean_sample"]["fake_high"] < ev["burst_clean_sample"]["jump_share_now"]
    assert ev["burst_clean_sample"]["kind"] == "organic"
    assert ev["burst_no_sample"]["kind"] == "bought"
    assert ev["bought_fake_sample"]["fake_high"] > ev["bought_fake_sample"]["jump_share_now"]
    assert ev["bought_fake_sample"]["kind"] == "bought"
