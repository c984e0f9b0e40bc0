"""Rocchio feedback: the expanded brief leaves out what every creator shares."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from covey.discovery import search
from covey.discovery.catalog import Catalog, Filters, index_dir
from covey.discovery.indexer import build_index, open_index
from covey.discovery.search import discover, feedback_query
from test_discover_fixture import build_world


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def test_feedback_query_adds_the_feedback_less_the_mean_profile() -> None:
    rng = np.random.default_rng(5)
    query = _unit(rng.normal(size=16))
    feedback = rng.normal(size=(10, 16)).astype(np.float32)
    mean = rng.normal(size=16).astype(np.float32)
    got = feedback_query(query, feedback, mean)
    w, neg = search.FEEDBACK_WEIGHT, search.FEEDBACK_NEGATIVE
    assert w > 0 and neg > 0
    assert np.allclose(got, _unit(query + w * (feedback.mean(axis=0) - neg * mean)), atol=1e-6)
    assert got.dtype == np.float32 and np.isclose(np.linalg.norm(got), 1.0, atol=1e-6)


def test_feedback_that_only_repeats_the_average_creator_leaves_the_brief_alone() -> None:
    query = _unit(np.array([1.0, 0.0, 0.0, 0.0]))
    shared = np.array([0.0, 0.8, 0.6, 0.0], np.float32)
    # The feedback creators are exactly what every creator looks like: no news about the brief.
    same = np.tile(shared, (10, 1))
    expanded = feedback_query(query, same, shared / search.FEEDBACK_NEGATIVE)
    assert np.allclose(expanded, query, atol=1e-6)
    assert feedback_query(query, np.empty((0, 4), np.float32), shared) is query


def test_feedback_moves_the_brief_towards_what_sets_the_feedback_apart() -> None:
    # Every creator shares direction 1; the best creators also share direction 2, which the brief
    # (direction 0) does not name. Feedback must pull towards 2, and away from the common 1.
    query = _unit(np.array([1.0, 0.0, 0.0]))
    mean = np.array([0.0, 0.9, 0.1], np.float32)
    feedback = np.tile(np.array([0.3, 0.6, 0.7], np.float32), (10, 1))
    expanded = feedback_query(query, feedback, mean)
    plain = _unit(query + search.FEEDBACK_WEIGHT * feedback.mean(axis=0))
    assert expanded[2] > expanded[1]
    assert plain[1] > expanded[1] and expanded[2] > plain[2]


def test_catalog_mean_vector_is_the_mean_profile_of_every_creator(tmp_path: Path) -> None:
    store = build_world(tmp_path / "covey.duckdb")
    try:
        build_index(store)
        catalog = open_index(store)
        assert len(catalog) > 5
        expected = catalog.index.vectors.astype(np.float64).mean(axis=0)
        assert np.allclose(catalog.mean_vector, expected, atol=1e-6)
        # Written with the index; an index written before mean.npy recomputes it on load.
        saved = index_dir(store.path) / "mean.npy"
        assert saved.exists() and np.allclose(np.load(saved), expected, atol=1e-6)
        saved.unlink()
        assert np.allclose(open_index(store).mean_vector, expected, atol=1e-6)
        assert Catalog.empty(8, {}).mean_vector.shape == (8,)
        assert not Catalog.empty(8, {}).mean_vector.any()
    finally:
        store.close()


@pytest.mark.parametrize("negative", [0.0, 1.0])
def test_discovery_finds_the_niche_with_and_without_the_negative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, negative: float
) -> None:
    monkeypatch.setattr(search, "FEEDBACK_NEGATIVE", negative)
    store = build_world(tmp_path / "covey.duckdb")
    try:
        build_index(store)
        found = discover(
            store, "creators living with Crohn's or colitis", Filters(tier=None), top=3, evidence=False
        )
        assert [r.handle.startswith("ibd_") for r in found.results] == [True, True, True]
    finally:
        store.close()
