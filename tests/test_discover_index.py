"""The ANN index and its filters, the incremental update, communities' building blocks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from covey.discovery import index as index_module
from covey.discovery.catalog import Catalog, Filters, conform
from covey.discovery.communities import Community, spread
from covey.discovery.graph import louvain
from covey.discovery.index import VectorIndex, _ranges
from covey.discovery.indexer import build_index, open_index
from test_discover_fixture import add_posts, build_world


def clustered(n: int, dims: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((200, dims)).astype(np.float32)
    v = centres[rng.integers(0, 200, n)] + 0.6 * rng.standard_normal((n, dims)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    q = centres[rng.integers(0, 200, 30)] + 0.6 * rng.standard_normal((30, dims)).astype(np.float32)
    return v, q / np.linalg.norm(q, axis=1, keepdims=True)


def test_ivf_recall_against_exact_search() -> None:
    vectors, queries = clustered(25_000, 32)
    index = VectorIndex(vectors)
    perm = index.train()
    assert index.nlist > 0 and sorted(perm.tolist()) == list(range(25_000))
    index.exact_max_rows = 1_000  # probe lists even though 25k rows would be scanned exactly
    recall = []
    for q in queries:
        approx = index.search(q, 10)
        exact = index.exact(q, 10)
        assert approx.scanned < 25_000  # it did not scan everything
        recall.append(len(set(approx.rows.tolist()) & set(exact.rows.tolist())) / 10)
    assert np.mean(recall) >= 0.9
    # Rows stay where reorder put them: the row found is the vector scored.
    hit = index.search(queries[0], 1)
    assert np.isclose(float(index.vectors[hit.rows[0]] @ queries[0]), float(hit.scores[0]), atol=1e-5)


def test_filtered_search_keeps_recall_at_every_share_and_depth() -> None:
    vectors, queries = clustered(30_000, 32, seed=3)
    index = VectorIndex(vectors)
    index.train()
    index.exact_max_rows = 100  # probe lists even for the most selective filter here
    rng = np.random.default_rng(11)
    for share in (0.6, 0.1, 0.02):
        mask = rng.random(len(vectors)) < share
        recall = []
        for q in queries:
            for k in (10, 200):
                approx = index.search(q, k, mask)
                assert len(approx.rows) == k and mask[approx.rows].all()  # only passing rows
                assert np.all(np.diff(approx.scores) <= 0)  # best first
                exact = index.exact(q, k, mask)
                recall.append(len(set(approx.rows.tolist()) & set(exact.rows.tolist())) / k)
        assert np.mean(recall) >= 0.99, (share, np.mean(recall))


def test_gathering_passing_rows_scores_as_scanning_whole_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    vectors, queries = clustered(25_000, 32, seed=4)
    index = VectorIndex(vectors)
    index.train()
    index.exact_max_rows = 100
    mask = np.random.default_rng(2).random(len(vectors)) < 0.15
    got = {}
    for label, share in (("gather", 1.0), ("scan", 0.0)):
        monkeypatch.setattr(index_module, "GATHER_SHARE", share)
        got[label] = [index.search(q, 50, mask) for q in queries[:10]]
    for a, b in zip(got["gather"], got["scan"], strict=True):
        assert a.rows.tolist() == b.rows.tolist()
        assert np.allclose(a.scores, b.scores, atol=1e-5)
        assert a.scanned < b.scanned / 3  # only the passing rows (15 %) were scored


def test_probes_further_lists_when_the_near_ones_hold_no_passing_row() -> None:
    vectors, queries = clustered(25_000, 32, seed=5)
    index = VectorIndex(vectors)
    index.train()
    index.exact_max_rows = 100
    q = queries[0]
    # Only the rows of the lists least like the query pass: every near list is empty of them.
    far = np.argsort(index.centroids @ q)[: index.nlist // 4]
    mask = np.zeros(len(vectors), dtype=bool)
    for lst in far.tolist():
        mask[index.offsets[lst] : index.offsets[lst + 1]] = True
    hits = index.search(q, 20, mask, nprobe=2)
    assert len(hits.rows) == 20 and mask[hits.rows].all()  # k passing rows, from further lists
    assert np.allclose(index.vectors[hits.rows] @ q, hits.scores, atol=1e-5)
    # Every list probed: the exact answer.
    assert (
        index.search(q, 20, mask, nprobe=index.nlist).rows.tolist() == index.exact(q, 20, mask).rows.tolist()
    )


def test_ranges_concatenates_row_spans() -> None:
    starts, ends = np.array([5, 0, 9, 3]), np.array([8, 2, 9, 4])
    assert _ranges(starts, ends).tolist() == [5, 6, 7, 0, 1, 3]
    assert _ranges(np.array([], np.int64), np.array([], np.int64)).tolist() == []


def meta_table(n: int) -> pa.Table:
    followers = [500, 5_000, 50_000, 200_000, None] * (n // 5)
    return conform(
        pa.table(
            {
                "account_id": [f"a{i}" for i in range(n)],
                "creator_id": [f"c{i}" for i in range(n)],
                "handle": [f"h{i}" for i in range(n)],
                "platform": ["instagram", "tiktok"] * (n // 2),
                "country": ["GB", "ES", "FR", "GB", "US"] * (n // 5),
                "language": ["en", "es", "fr", "en", "en"] * (n // 5),
                "followers": pa.array(followers, pa.int64()),
                "engagement": [0.01, 0.05] * (n // 2),
                "lived_share": [0.0, 0.5, 0.0, 0.0, 0.3] * (n // 5),
                "posts": [10] * n,
                "quality": [50.0] * n,
                "authenticity": pa.array([80.0, None] * (n // 2), pa.float64()),
            }
        )
    )


def test_filters_mask_rows_and_unknown_followers_pass(tmp_path: Path) -> None:
    vectors, _ = clustered(100, 16)
    catalog = Catalog.empty(16, {"model": "test"})
    catalog.upsert(meta_table(100), [f"a{i}" for i in range(100)], vectors)
    followers = catalog.numeric("followers")

    def rows(f: Filters) -> np.ndarray:
        return np.flatnonzero(catalog.mask(f))

    micro = rows(Filters())
    assert all(np.isnan(followers[r]) or 1_000 <= followers[r] < 100_000 for r in micro)
    assert np.isnan(followers[micro]).sum() == 20  # unknown counts pass the tier, flagged later
    assert len(rows(Filters(tier=None))) == 100
    assert {catalog.column("country")[r] for r in rows(Filters(tier=None, countries=("gb",)))} == {"GB"}
    assert len(rows(Filters(tier=None, min_authenticity=50))) == 50  # NaN authenticity fails a bound
    assert len(rows(Filters(tier=None, lived_experience=True))) == 40
    assert len(rows(Filters(tier=None, platforms=("youtube",)))) == 0
    assert len(rows(Filters(tier=None, exclude=frozenset({"a1", "a2"})))) == 98
    # Saved and loaded, the same query finds the same rows.
    q = vectors[7]
    before = [catalog.account_ids[r] for r in catalog.search(q, 5, Filters(tier=None)).rows]
    catalog.save(tmp_path / "idx")
    loaded = Catalog.load(tmp_path / "idx")
    assert [loaded.account_ids[r] for r in loaded.search(q, 5, Filters(tier=None)).rows] == before
    assert before[0] == "a7"


def test_incremental_update_equals_a_rebuild(tmp_path: Path) -> None:
    store = build_world(tmp_path / "a.duckdb")
    try:
        build_index(store)
        add_posts(
            store, "instagram:food_it_0", ["Pasta fresca e ragù della domenica", "Tiramisù fatto in casa"]
        )
        report = build_index(store)
        assert report.new_posts == 2 and not report.rebuilt
        incremental = open_index(store)
        rebuilt = build_index(store, tmp_path / "fresh")
        assert rebuilt.rebuilt and rebuilt.new_posts == 12 * 17 + 2
        fresh = Catalog.load(tmp_path / "fresh")
        for account in incremental.account_ids:
            assert np.allclose(incremental.vector(account), fresh.vector(account), atol=1e-4)
    finally:
        store.close()


def test_louvain_groups_linked_nodes_and_separates_components() -> None:
    src = np.array([0, 2, 3])
    dst = np.array([1, 3, 4])
    labels = louvain(5, src, dst, np.array([0.5, 0.4, 0.4]))
    assert labels[0] == labels[1] and labels[2] == labels[3] == labels[4] and labels[0] != labels[2]


def test_spread_takes_turns_across_communities() -> None:
    groups = [
        Community(1, "#crohns", ["crohns"], ["a", "b", "c"], ["a", "b", "c"], 0.3, 100),
        Community(2, "#t1d", ["t1d"], ["d", "e"], ["d", "e"], 0.2, 50),
    ]
    assert spread(["a", "b", "c", "d", "x", "e"], groups, 4) == ["a", "d", "x", "b"]
