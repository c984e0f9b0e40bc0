"""Communities on sparse, population-scale audience samples: planted blocks, bots, determinism.

The fixture plants blocks of accounts (one niche and country each) whose audiences overlap:
every account has 20,000 followers, 80 % of them drawn from its block's pool of 40,000 people,
and a follower sample of 200, so two accounts of one block share about 0.6 sampled members,
as real samples of that size would. Bought followers are shared across blocks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from covey.discovery.communities import Community, find_communities, known_audience, overlap_edges
from covey.discovery.graph import louvain, modularity, resolution_for
from covey.store import DuckDBStore

NOW = datetime(2026, 6, 1)
BLOCKS = [("crohns", "GB"), ("t1d", "US"), ("maquillage", "FR"), ("zocken", "DE"), ("ricetta", "IT")]
PER_BLOCK = 10
FOLLOWERS = 20_000
POOL = 40_000  # people of a block's niche and country
IN_BLOCK = 16_000  # each account's followers from its block's pool (the rest: anyone)
SAMPLE = 200
REAL_PROFILE = {"followers": 300, "following": 250, "posts": 80, "has_profile_pic": True, "bio": "hi"}
FAKE_PROFILE = {"followers": 2, "following": 7_500, "posts": 0, "has_profile_pic": False, "bio": ""}


def account(block: int, i: int) -> str:
    return f"instagram:{BLOCKS[block][0]}_{i}"


def build(path: Path, *, bots: bool = True, seed: int = 5) -> DuckDBStore:
    """The planted-block world in a DuckDB file; with ``bots``, bought followers across blocks."""
    rng = np.random.default_rng(seed)
    creators, accounts, snaps, posts, samples, comments = [], [], [], [], [], []
    for b, (tag, country) in enumerate(BLOCKS):
        for i in range(PER_BLOCK):
            aid = account(b, i)
            creators.append({"creator_id": aid, "name": aid, "country": country, "languages": ["en"]})
            accounts.append(
                {"account_id": aid, "creator_id": aid, "platform": "instagram", "handle": aid.split(":")[1],
                 "bio": "", "country": country, "language": "en"}
            )  # fmt: skip
            snaps.append({"account_id": aid, "taken_at": NOW, "followers": FOLLOWERS})
            for j in range(4):
                posts.append(
                    {"post_id": f"{aid}/{j}", "account_id": aid, "caption": f"#{tag} #instagood",
                     "hashtags": [tag, "instagood"], "posted_at": NOW - timedelta(days=j)}
                )  # fmt: skip
            # A uniform sample of the account's audience: block members come from its own
            # 16,000 of the pool, everyone else from a population of ten million.
            audience = rng.choice(POOL, IN_BLOCK, replace=False)
            in_block = rng.binomial(SAMPLE, IN_BLOCK / FOLLOWERS)
            members = [f"p{b}-{m}" for m in rng.choice(audience, in_block, replace=False)]
            members += [f"g{m}" for m in rng.choice(10_000_000, SAMPLE - in_block, replace=False)]
            samples += [
                {"account_id": aid, "member_id": m, "relation": "follower", **REAL_PROFILE} for m in members
            ]
    if bots:
        # One seller's farm, bought by three accounts of block 0 and three of block 1: each bot
        # (with a profile that passes for real) is sampled by four of the six buyers.
        buyers = [account(b, i) for b in (0, 1) for i in range(3)]
        for k in range(60):
            for aid in rng.choice(buyers, 4, replace=False):
                samples.append(
                    {"account_id": str(aid), "member_id": f"fk{k}", "relation": "follower", **REAL_PROFILE}
                )
        # Farm accounts that look fake when sampled but comment elsewhere, also tying blocks 0 and 1.
        for k in range(40):
            aid = account(2 + k % 3, k % PER_BLOCK)
            samples.append({"account_id": aid, "member_id": f"fc{k}", "relation": "follower", **FAKE_PROFILE})
            for b in (0, 1):
                post = f"{account(b, k % PER_BLOCK)}/0"
                comments.append(
                    {"comment_id": f"c{k}-{b}", "post_id": post, "author_id": f"fc{k}", "text": "nice pic",
                     "posted_at": NOW, "by_creator": False}
                )  # fmt: skip
    store = DuckDBStore(path)
    with store.transaction() as cur:
        tables = {"creators": creators, "accounts": accounts, "account_snapshots": snaps, "posts": posts,
                  "audience_samples": samples, "comments": comments}  # fmt: skip
        for name, rows in tables.items():
            if rows:
                cur.register("_rows", pa.Table.from_pylist(rows))
                cur.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _rows")
                cur.unregister("_rows")
    return store


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DuckDBStore]:
    store = build(tmp_path_factory.mktemp("communities") / "w.duckdb")
    yield store
    store.close()


def block_of(account_id: str) -> int:
    return next(b for b, (tag, _) in enumerate(BLOCKS) if account_id.split(":")[1].startswith(tag + "_"))


def pairs(edges: pa.Table) -> list[tuple[str, str]]:
    return list(zip(edges["a"].to_pylist(), edges["b"].to_pylist(), strict=True))


def test_samples_are_sparse_like_population_scale_data(world: DuckDBStore) -> None:
    edges = overlap_edges(world)
    same = [block_of(a) == block_of(b) for a, b in pairs(edges)]
    # About 0.6 shared members per pair of a block: most pairs share nothing, none shares many.
    pairs_in_blocks = len(BLOCKS) * PER_BLOCK * (PER_BLOCK - 1) // 2
    assert 0.25 * pairs_in_blocks < sum(same) < 0.6 * pairs_in_blocks
    assert max(edges["shared"].to_pylist()) <= 4
    # The corrected overlap scales shared members by 1 / (c_a c_b), coverage c = sample / followers
    # (the bought followers in a sample count towards its size; they are fakes among the followers).
    sampled = dict(world.query("SELECT account_id, count(*) FROM audience_samples GROUP BY 1"))
    for row in edges.to_pylist()[:20]:
        expected = row["shared"] * FOLLOWERS**2 / (sampled[row["a"]] * sampled[row["b"]])
        assert row["overlap"] == pytest.approx(expected)
        real = min(FOLLOWERS * SAMPLE / sampled[row["a"]], FOLLOWERS * SAMPLE / sampled[row["b"]])
        assert row["overlap_share"] == pytest.approx(min(1.0, expected / real))


def test_communities_recover_the_planted_blocks(world: DuckDBStore) -> None:
    found = find_communities(world)
    placed = [a for c in found for a in c.account_ids]
    assert len(placed) == len(set(placed)) >= 0.9 * len(BLOCKS) * PER_BLOCK
    for c in found:
        # Every community lies within one block, is named by its hashtag and its country.
        blocks = Counter(block_of(a) for a in c.account_ids)
        assert len(blocks) == 1, c.name
        tag, country = BLOCKS[next(iter(blocks))]
        assert c.themes == [tag] and c.name == f"#{tag} ({country})"
        assert c.extra["lift"] > 1 and c.extra["links"] >= len(c.account_ids) - 1  # type: ignore[operator]
        assert 0 < c.internal_overlap <= 1
    # ...and every block is mostly one community.
    for b in range(len(BLOCKS)):
        sizes = [sum(block_of(a) == b for a in c.account_ids) for c in found]
        assert max(sizes) >= 0.8 * PER_BLOCK


def test_bought_followers_shared_across_blocks_do_not_link_them(world: DuckDBStore) -> None:
    members = set(known_audience(world)["member_id"].to_pylist())
    # Farm bots seen in four audiences, and commenters whose sampled profile is fake, are dropped.
    assert not any(m.startswith(("fk", "fc")) for m in members)
    edges = overlap_edges(world)
    cross = [block_of(a) != block_of(b) for a, b in pairs(edges)]
    assert sum(cross) <= 0.05 * len(cross)


def test_without_the_filters_bots_would_have_merged_blocks(tmp_path: Path) -> None:
    # The same bots with the degree cap lifted: a check that the fixture's bots are a real threat.
    store = build(tmp_path / "w.duckdb")
    try:
        from covey.discovery import communities

        cap = communities.MAX_MEMBER_ACCOUNTS
        communities.MAX_MEMBER_ACCOUNTS = 10
        try:
            merged = find_communities(store)
        finally:
            communities.MAX_MEMBER_ACCOUNTS = cap
        assert any(len({block_of(a) for a in c.account_ids}) > 1 for c in merged)
    finally:
        store.close()


def test_output_is_deterministic(world: DuckDBStore, tmp_path: Path) -> None:
    first = find_communities(world)
    assert find_communities(world) == first
    again = build(tmp_path / "again.duckdb")  # the same data written again
    try:
        assert find_communities(again) == first
    finally:
        again.close()


def test_louvain_ignores_edge_order_and_beats_the_planted_partition() -> None:
    rng = np.random.default_rng(0)
    truth = np.repeat(np.arange(12), 8)
    n = len(truth)
    p = np.where(truth[:, None] == truth[None, :], 0.7, 0.01)
    src, dst = np.nonzero(np.triu(rng.random((n, n)) < p, 1))
    weight = rng.uniform(0.5, 1.0, len(src))
    labels = louvain(n, src, dst, weight)
    shuffled = rng.permutation(len(src))
    assert np.array_equal(louvain(n, dst[shuffled], src[shuffled], weight[shuffled]), labels)
    assert modularity(labels, src, dst, weight) >= modularity(truth, src, dst, weight) - 1e-9
    agree = labels[:, None] == labels[None, :]
    assert (agree == (truth[:, None] == truth[None, :])).mean() > 0.97


def test_resolution_keeps_small_groups_apart_however_many_accounts() -> None:
    # A ring of 8-cliques joined by single links: plain modularity merges neighbouring cliques once
    # the ring is long (the resolution limit); the size-scaled resolution keeps every clique.
    cliques, size = 200, 8
    a, b = np.triu_indices(size, 1)
    ring = size * np.arange(cliques)
    src = np.concatenate([a + size * c for c in range(cliques)] + [ring])
    dst = np.concatenate([b + size * c for c in range(cliques)] + [(ring + size + 1) % (size * cliques)])
    weight = np.ones(len(src))
    plain = louvain(size * cliques, src, dst, weight)
    scaled = louvain(size * cliques, src, dst, weight, resolution=resolution_for(weight))
    assert len(np.unique(plain)) < cliques
    assert np.array_equal(scaled, np.repeat(ring, size))


def test_no_shared_members_means_no_communities(tmp_path: Path) -> None:
    store = DuckDBStore(tmp_path / "empty.duckdb")
    try:
        assert find_communities(store) == []
        assert Community(1, "x", [], [], [], 0.0, 0).extra == {}
    finally:
        store.close()


def test_communities_among_some_accounts_are_those_among_all(world: DuckDBStore) -> None:
    # As `covey communities --niche` does: only the given accounts' audiences are read.
    some = [account(b, i) for b in (0, 1) for i in range(PER_BLOCK)]
    among_all = {tuple(c.account_ids) for c in find_communities(world) if c.account_ids[0] in some}
    among_some = find_communities(world, some)
    assert {tuple(c.account_ids) for c in among_some} == among_all
    assert all(a in some for c in among_some for a in c.account_ids)
    # The farm commenters were sampled (and judged fake) under accounts outside the subset.
    assert not any(m.startswith("fc") for m in known_audience(world, some)["member_id"].to_pylist())
