"""Hybrid search: BM25 postings, the brief's words, the relevance floor, unknown quality, countries."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from covey.cli.app import app
from covey.discovery.catalog import Filters
from covey.discovery.embedder import load_embedder
from covey.discovery.indexer import build_index
from covey.discovery.lexical import (
    Postings,
    QueryTerms,
    aggregate,
    count_terms,
    reciprocal_rank_fusion,
    term_id,
)
from covey.discovery.search import discover
from covey.errors import InputError
from covey.store import DuckDBStore
from test_discover_fixture import build_world

runner = CliRunner()


def test_bm25_ranks_by_words_and_survives_reordering_and_growth() -> None:
    texts = ["crohn flare diet", "diet diet recipes", "gaming stream", "crohn crohn colitis infusion"]
    rows, terms, counts = count_terms(list(range(4)), texts)
    postings = Postings(rows, terms, counts, 4)
    scores = postings.bm25({term_id("crohn"): 1.0})
    assert scores[2] == 0 and scores[1] == 0 and scores[3] > scores[0] > 0
    # Re-ordering rows moves their postings with them.
    moved = postings.take(np.array([3, 2, 1, 0]))
    assert np.allclose(moved.bm25({term_id("crohn"): 1.0}), scores[::-1])
    # Adding counts in two steps gives the postings of one step.
    half = Postings(*count_terms([0, 1], texts[:2]), 2)
    grown = half.add(*count_terms([2, 3], texts[2:]), 4)
    assert np.allclose(grown.bm25({term_id("diet"): 1.0}), postings.bm25({term_id("diet"): 1.0}))


def test_filtered_bm25_reads_only_passing_rows_and_matches_the_full_scores() -> None:
    rng = np.random.default_rng(7)
    n = 4_000
    rows, terms = rng.integers(0, n, 200_000), rng.integers(0, 300, 200_000)

    postings = Postings(*aggregate(rows, terms, rng.integers(1, 4, 200_000)), n)
    assert postings.rows.dtype == np.int32 and postings.impact.dtype == np.float32
    weights = {int(t): float(w) for t, w in zip(range(0, 300, 10), rng.random(30), strict=True)}
    full = postings.bm25(weights)
    for share in (0.6, 0.01, 0.002):  # the last two take the few-passing-rows path
        mask = rng.random(n) < share
        hit, scores = postings.scored(weights, mask)
        expected = np.flatnonzero((full > 0) & mask)
        assert len(expected) and np.array_equal(hit, expected)
        assert np.allclose(scores, full[expected], rtol=1e-5)


def test_common_words_read_by_their_heads_keep_the_top_and_small_filters_stay_exact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from covey.discovery import lexical

    monkeypatch.setattr(lexical, "HEAD_POSTINGS", 800)
    rng = np.random.default_rng(3)
    n = 4_000
    # Term 0 is common (about 1,600 creators); terms 1-40 are rare topic words.
    rows = np.concatenate([rng.integers(0, n, 2_000), rng.integers(0, n, 4_000)])
    terms = np.concatenate([np.zeros(2_000, np.int64), rng.integers(1, 41, 4_000)])
    postings = Postings(*aggregate(rows, terms, rng.integers(1, 4, 6_000)), n)
    assert (postings.head_of >= 0).sum() == 1 and len(postings.head_pos) == 800
    weights = {t: 1.0 for t in range(0, 41, 4)}
    monkeypatch.setattr(lexical, "HEAD_SHARE", float("inf"))  # every posting read
    exact_hit, exact = postings.scored(weights)
    monkeypatch.setattr(lexical, "HEAD_SHARE", 0.25)
    hit, approx = postings.scored(weights)
    # The common word's weakest postings are left out: fewer rows, never a higher score.
    assert len(hit) < len(exact_hit) and set(hit) <= set(exact_hit)
    full = np.zeros(n)
    full[exact_hit] = exact
    assert np.all(approx <= full[hit] + 1e-5)
    # What the heads leave out is bounded: a creator loses at most the word's weight x the
    # head's lowest impact, so the approximate top 50 are all within that of the exact 50th.
    _, _, word_weight, _ = postings._slices({0: 1.0})
    bound = float(word_weight[0]) * float(postings.impact[postings.head_pos].min())
    kept = hit[np.argsort(-approx, kind="stable")[:50]]
    assert full[kept].min() >= np.sort(exact)[-50] - bound - 1e-5
    best = exact_hit[np.argsort(-exact, kind="stable")[:50]]
    assert len(set(best) & set(kept)) >= 40
    # Few creators passing: every posting of theirs is read, the scores are exact.
    mask = rng.random(n) < 0.1
    hit, scores = postings.scored(weights, mask)
    expected = np.flatnonzero((full > 0) & mask)
    assert np.array_equal(hit, expected) and np.allclose(scores, full[expected], rtol=1e-5)


def test_brief_words_drop_stop_words_and_add_the_models_neighbours() -> None:
    terms = QueryTerms(load_embedder())
    topic = "musicians and singers release songs"
    weights = terms.weights(topic, load_embedder().embed_one(topic))
    assert term_id("and") not in weights and weights[term_id("musicians")] == 1.0
    neighbours = dict(terms.neighbours(load_embedder().embed_one(topic)))
    assert "music" in neighbours and all(s >= 0.4 for s in neighbours.values())


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([np.array([1, 2, 3]), np.array([2, 4])])
    assert max(fused, key=lambda r: fused[r]) == 2 and set(fused) == {1, 2, 3, 4}
    # A heavier second ranking lifts its own first row above the first ranking's.
    weighted = reciprocal_rank_fusion([np.array([1, 3]), np.array([4, 3])], weights=[1.0, 2.0])
    assert weighted[4] > weighted[1] and weighted[3] == pytest.approx(3 / 62)
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([np.array([1])], weights=[1.0, 2.0])


@pytest.fixture
def store(tmp_path: Path) -> DuckDBStore:
    s = build_world(tmp_path / "covey.duckdb")
    build_index(s)
    return s


def test_loose_fits_are_set_apart_and_said(store: DuckDBStore) -> None:
    found = discover(store, "Crohn's flare and colitis diet", Filters(tier=None), top=10, evidence=False)
    well = [r for r in found.results if r.fits_well]
    loose = [r for r in found.results if not r.fits_well]
    assert well and loose and found.well == len(well)
    assert {r.handle.rsplit("_", 1)[0] for r in well} <= {"ibd_gb", "ibd_es", "ibd_fr", "ibd_it"}
    assert found.results[: len(well)] == well  # loose fits come after every good one
    best = max(r.fit for r in found.results)
    assert all(r.fit < 0.6 * best for r in loose) and all(r.fit >= 0.6 * best for r in well)
    assert any(f"only {len(well)} creators fit this brief well" in n for n in found.notes)


def test_unknown_quality_ranks_at_the_median_prior_never_0_or_100(store: DuckDBStore) -> None:
    with store.transaction() as cur:
        cur.execute("INSERT INTO score_runs (run_id) VALUES (1)")
        cur.execute(
            "INSERT INTO account_scores (run_id, account_id, component, score) VALUES "
            "(1, 'instagram:ibd_gb_0', 'overall', 20), (1, 'instagram:diabetes_us_0', 'overall', 40), "
            "(1, 'instagram:beauty_fr_0', 'overall', 90)"
        )
    build_index(store)
    found = discover(store, "Crohn's flare", Filters(tier=None, countries=("GB",)), top=5, evidence=False)
    by = {r.handle: r for r in found.results}
    unknown = by["ibd_gb_1"]
    assert unknown.quality is None and unknown.quality_prior == 40.0  # median of 20, 40, 90
    assert any("prior 40" in n for n in unknown.notes)
    # The prior's factor (0.6 + 0.4 * 0.4) applied to the relevance, not the fit alone.
    assert unknown.score == pytest.approx(unknown.relevance * 0.76, abs=1e-3)
    assert by["ibd_gb_0"].quality_prior is None


def test_country_as_people_write_it(store: DuckDBStore, tmp_path: Path) -> None:
    found = discover(store, "Crohn's flare", Filters(tier=None, countries=("UK",)), evidence=False)
    assert found.results and {r.country for r in found.results} == {"GB"}
    with pytest.raises(InputError, match="did you mean"):
        discover(store, "Crohn's flare", Filters(tier=None, countries=("Untied Kingdom",)))
    store.close()
    db = tmp_path / "covey.duckdb"
    result = runner.invoke(
        app, ["discover", "crohn", "--country", "UK", "--tier", "any", "--db", str(db), "--json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert {r["country"] for r in out["results"]} == {"GB"} and out["fits_well"] >= 1
    bad = runner.invoke(app, ["discover", "crohn", "--country", "Grmany", "--db", str(db)])
    assert bad.exit_code == 2 and "did you mean" in bad.output and "Traceback" not in bad.output


def test_an_index_of_the_old_format_is_rebuilt(store: DuckDBStore) -> None:
    assert store.path is not None
    manifest = store.path.with_name(store.path.name + ".discovery") / "manifest.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "format": 1}))
    report = build_index(store)
    assert report.rebuilt and report.new_posts > 0
