"""Signals on the hand-made world: each planted problem is caught by the signal meant for it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from covey.signals import (
    account_signals,
    caption_flags,
    duckdb_sources,
    fake_share,
    growth_events,
    peer_percentiles,
)
from covey.signals.audience import wilson
from covey.signals.backend import Sources
from covey.store import DuckDBStore
from test_signals_world import MiniWorld, build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DuckDBStore, MiniWorld, pd.DataFrame]]:
    store = DuckDBStore(tmp_path_factory.mktemp("signals") / "covey.duckdb")
    truth = build_world(store)
    src = duckdb_sources(store)
    signals = src.execute(account_signals(src)).set_index("account_id")
    yield store, truth, signals
    store.close()


def test_engagement_matches_a_hand_computation(world: tuple[DuckDBStore, MiniWorld, pd.DataFrame]) -> None:
    store, truth, signals = world
    account = truth.accounts[5]
    # The newest snapshot taken by the scoring date: the newest post or follower count, whichever
    # is later (a count read after the newest post is the one to divide by).
    followers = store.query(
        "SELECT followers FROM account_snapshots WHERE account_id = ? AND taken_at <= greatest("
        "(SELECT max(posted_at) FROM posts), (SELECT max(taken_at) FROM account_snapshots)) "
        "ORDER BY taken_at DESC LIMIT 1",
        [account],
    )[0][0]
    rows = store.query(
        "SELECT likes + comments FROM posts WHERE account_id = ? ORDER BY posted_at DESC LIMIT 12", [account]
    )
    expected = np.mean([r[0] / followers for r in rows])
    assert signals.loc[account, "er_followers_last12"] == pytest.approx(expected)
    assert signals.loc[account, "posts_scored"] == 12
    # No views in this world: the by-views rate is unknown, not zero.
    assert pd.isna(signals.loc[account, "er_views_last12"])


def test_sponsored_and_organic_are_apart(world: tuple[DuckDBStore, MiniWorld, pd.DataFrame]) -> None:
    _, _, signals = world
    # Role-0 accounts open every tenth caption with "#ad Paid partnership".
    assert signals.loc["instagram:0", "er_followers_sponsored"] > 0
    assert pd.isna(signals.loc["instagram:5", "er_followers_sponsored"])


def test_peer_groups_fall_back_when_too_few(world: tuple[DuckDBStore, MiniWorld, pd.DataFrame]) -> None:
    _, _, signals = world
    # 48 accounts split in two niches and many bands: no fine group reaches 30 peers.
    assert (signals["er_followers_last12_peer_level"] >= 1).all()
    assert (signals["er_followers_last12_peers"] >= 30).all()
    assert signals["er_followers_last12_pct"].between(0, 1).all()
    assert set(signals["niche"]) == {"ibd", "running"}


def test_peer_percentiles_rank_within_groups(store: DuckDBStore) -> None:
    import ibis

    t = ibis.memtable(
        {
            "account_id": [f"a{i}" for i in range(6)],
            "platform": ["x"] * 3 + ["y"] * 3,
            "band": [1] * 6,
            "decade": [1] * 6,
            "niche": [""] * 6,
            "m": [1.0, 2.0, 3.0, 10.0, 20.0, None],
        }
    )
    backend = ibis.duckdb.from_connection(store.connection)
    out = backend.execute(peer_percentiles(t, "m", min_peers=3)).set_index("account_id")
    # Mid-rank: (peers below + half the peers at the same value) / peers.
    assert out.loc["a2", "m_pct"] == pytest.approx(2.5 / 3)
    assert out.loc["a0", "m_pct"] == pytest.approx(0.5 / 3)
    assert out.loc["a1", "m_peer_median"] == 2.0
    assert out.loc["a3", "m_peers"] == 2 and out.loc["a3", "m_peer_level"] == 3  # y has only 2 values
    assert "a5" not in out.index  # unknown value: no percentile
    # A value the whole group shares is the 50th percentile, not the 0th.
    tied = t.mutate(m=ibis.literal(100.0))
    same = backend.execute(peer_percentiles(tied, "m", min_peers=3))
    assert (same["m_pct"] == 0.5).all()


def test_bought_growth_found_exactly(world: tuple[DuckDBStore, MiniWorld, pd.DataFrame]) -> None:
    store, truth, signals = world
    found = set(signals.index[signals["bought_events"] > 0])
    assert found == truth.bought
    src = duckdb_sources(store)
    events = src.execute(growth_events(src))
    bought = events[events.kind == "bought"]
    assert (bought.follower_rise > 0.3).all() and (bought.like_ratio < 1.2).all()


def test_pods_separate_members(world: tuple[DuckDBStore, MiniWorld, pd.DataFrame]) -> None:
    _, truth, signals = world
    pod = signals.loc[sorted(truth.pod), "pod_share"]
    others = signals.drop(index=sorted(truth.pod))["pod_share"]
    assert pod.min() > 0.5 and others.max() == 0


def test_generic_and_emoji_comments(world: tuple[DuckDBStore, MiniWorld, pd.DataFrame]) -> None:
    _, truth, signals = world
    clean = "instagram:6"
    # Half of the fans' comments are "😍😍", the other half a real question.
    assert signals.loc[clean, "emoji_share"] == pytest.approx(0.5)
    assert signals.loc[clean, "generic_share"] == 0
    pod_account = sorted(truth.pod)[0]
    assert signals.loc[pod_account, "generic_share"] > 0.5  # "great post 🔥"


def test_community_reply_rate(world: tuple[DuckDBStore, MiniWorld, pd.DataFrame]) -> None:
    _, truth, signals = world
    repliers = signals.loc[sorted(truth.replier)]
    assert repliers["reply_rate"].tolist() == pytest.approx([0.5] * len(repliers))
    assert repliers["reply_latency_min"].tolist() == pytest.approx([30.0] * len(repliers))
    assert (signals.drop(index=sorted(truth.replier))["reply_rate"] == 0).all()


def test_topic_drift(world: tuple[DuckDBStore, MiniWorld, pd.DataFrame]) -> None:
    _, truth, signals = world
    drift = signals.loc[sorted(truth.drift)]
    assert (drift["topic_drift"] > 0.9).all()
    assert (signals.drop(index=sorted(truth.drift))["topic_drift"] == 0).all()


def test_compliance_flags(world: tuple[DuckDBStore, MiniWorld, pd.DataFrame]) -> None:
    _, truth, signals = world
    assert set(signals.index[signals["undisclosed"] > 0]) == truth.undisclosed
    assert set(signals.index[signals["health_claim_posts"] > 0]) == truth.health
    assert set(signals.index[signals["profanity_items"] > 0]) == truth.profane


def test_fake_share_with_interval(world: tuple[DuckDBStore, MiniWorld, pd.DataFrame]) -> None:
    store, truth, _ = world
    fs = fake_share(duckdb_sources(store), classifier="rules").to_pandas().set_index("account_id")
    heavy = fs.loc[sorted(truth.fake_heavy | truth.bought)]
    assert (heavy.fake_share > 0.25).all()
    assert (fs.drop(index=sorted(truth.fake_heavy | truth.bought)).fake_share < 0.15).all()
    assert ((fs.fake_low <= fs.fake_share) & (fs.fake_share <= fs.fake_high)).all()
    assert (fs.fake_n == 100).all()


def test_wilson_interval() -> None:
    low, high = wilson(np.array([0.0, 30.0]), np.array([100, 100]))
    assert low[0] == pytest.approx(0, abs=1e-12) and high[0] == pytest.approx(0.037, abs=1e-3)
    assert low[1] == pytest.approx(0.2189, abs=1e-4) and high[1] == pytest.approx(0.3958, abs=1e-4)


def _caption_store(store: DuckDBStore, captions: list[tuple[str, bool]]) -> Sources:
    with store.transaction() as cur:
        cur.execute("INSERT INTO accounts (account_id, platform, handle) VALUES ('a', 'instagram', 'a')")
        for i, (caption, sponsored) in enumerate(captions):
            cur.execute(
                "INSERT INTO posts (post_id, account_id, caption, posted_at, sponsored) "
                "VALUES (?, 'a', ?, ?, ?)",
                [f"p{i}", caption, datetime(2026, 1, 1 + i), sponsored],
            )
    return duckdb_sources(store)


def test_disclosure_classification(store: DuckDBStore) -> None:
    filler = "a long caption about my morning run and breakfast with friends in the park " * 2
    src = _caption_store(
        store,
        [
            ("#ad Loving this new shoe from @brand", False),
            ("Werbung | Meine neue Creme", False),
            (filler + "use my code RUN10 #running #ad", False),
            ("Thanks to @brand for this! #collab", False),
            ("Use code RUN10 for 10% off, link in bio", False),
            ("Just a run today", False),
            ("New shoes", True),
            ("Ce thé guérit tout, cliniquement prouvé", False),
            ("Mi diagnóstico de Crohn fue hace 3 años; vivo con ello. Ozempic?", False),
        ],
    )
    flags = src.execute(caption_flags(src)).set_index("post_id")
    assert flags.disclosure.tolist()[:5] == ["proper", "proper", "buried", "weak", "none"]
    assert pd.isna(flags.loc["p5", "disclosure"])
    assert flags.loc["p6", "disclosure"] == "proper"  # the platform's paid-partnership label
    assert flags.loc["p7", "health_claim"] and not flags.loc["p5", "health_claim"]
    assert flags.loc["p8", "first_person"] and flags.loc["p8", "prescription"]


def test_fallback_share_is_unknown_below_the_classifiers_minimum(tmp_path: Path) -> None:
    """The rule-of-signs fallback gives no figure from too few profiles (never 0 % or 100 %),
    the same minimum as the classifier's."""
    from covey.audience.share import MIN_PROFILES
    from covey.signals.audience import FALLBACK_MIN_PROFILES

    assert FALLBACK_MIN_PROFILES == MIN_PROFILES
    with DuckDBStore(tmp_path / "covey.duckdb") as store:
        build_world(store, n_accounts=16)
        with store.transaction() as cur:
            cur.execute(
                "DELETE FROM audience_samples WHERE account_id = 'instagram:2' AND member_id NOT IN "
                "(SELECT member_id FROM audience_samples WHERE account_id = 'instagram:2' "
                "ORDER BY member_id LIMIT 12)"
            )
        fs = fake_share(duckdb_sources(store), classifier="rules").to_pandas().set_index("account_id")
    small = fs.loc["instagram:2"]
    assert small.fake_n == 12
    assert pd.isna(small.fake_share) and pd.isna(small.fake_low) and pd.isna(small.fake_high)
    others = fs.drop(index="instagram:2")
    assert others.fake_share.notna().all() and (others.fake_n >= MIN_PROFILES).all()
