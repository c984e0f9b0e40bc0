"""Snowball stems on the words side: an inflected brief word finds another inflection, and an
index of plain words is never mixed with stemmed terms."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from covey.discovery.catalog import Catalog, Filters
from covey.discovery.embedder import load_embedder
from covey.discovery.indexer import build_index, open_index
from covey.discovery.lexical import Postings, count_terms, term_id, words
from covey.discovery.search import discover, lexical_top, query_terms
from covey.discovery.stems import WordTerms
from covey.store import DuckDBStore
from test_discover_fixture import add_posts, build_world

# (brief word, an account that wrote another inflection of it, that inflection)
INFLECTED = [
    ("deadlift", "instagram:fitness_gb_0", "deadlifts"),  # English: "squats and deadlifts"
    ("hydratantes", "instagram:beauty_fr_0", "hydratante"),  # French: "ma crème hydratante"
    ("musikvideo", "instagram:gaming_de_0", "musikvideos"),  # German: added below
]


def test_words_the_model_splits_are_stemmed_and_words_it_reads_whole_are_kept() -> None:
    embedder = load_embedder()
    split = WordTerms("split-stems", embedder.whole_word)
    assert embedder.whole_word("videos") and not embedder.whole_word("chansons")
    assert split("videos") == term_id("videos") != term_id("video")  # English: exact match kept
    assert split("chansons") == split("chanson") == term_id("chanson")
    assert split("canciones") == split("cancion")
    assert WordTerms("words")("chansons") == term_id("chansons")
    with pytest.raises(ValueError, match="unknown term scheme"):
        WordTerms("porter")
    with pytest.raises(ValueError, match="whole words"):
        WordTerms("split-stems")
    texts = ["Mes chansons préférées", "Nuevas canciones cada semana", "gaming stream"]
    stems = Postings(*count_terms([0, 1, 2], texts, split), 3)
    plain = Postings(*count_terms([0, 1, 2], texts), 3)
    for brief, row in (("chanson", 0), ("cancion", 1)):
        assert np.flatnonzero(stems.bm25({split(brief): 1.0})).tolist() == [row]
        assert not plain.bm25({term_id(brief): 1.0}).any()  # the word alone misses it


@pytest.fixture
def store(tmp_path: Path) -> DuckDBStore:
    s = build_world(tmp_path / "covey.duckdb")
    add_posts(s, "instagram:gaming_de_0", ["Neue Musikvideos jeden Freitag im Stream"], start=50)
    return s


def _words_side(catalog: Catalog, word: str) -> list[str]:
    """Accounts the words side finds for the brief word alone (no vocabulary neighbours)."""
    asked = {query_terms(load_embedder()).terms_of(catalog.term_scheme)(word): 1.0}
    rows = lexical_top(catalog, asked, 50, np.ones(len(catalog), bool))
    return [catalog.account_ids[int(r)] for r in rows]


def _post_words(store: DuckDBStore, account: str) -> set[str]:
    rows = store.query("SELECT caption FROM posts WHERE account_id = ?", [account])
    return {w for (text,) in rows for w in words(text)}


@pytest.mark.parametrize(("word", "account", "written"), INFLECTED)
def test_an_inflected_brief_word_finds_a_creator_who_wrote_another_inflection(
    store: DuckDBStore, word: str, account: str, written: str
) -> None:
    assert written != word and written in _post_words(store, account)
    build_index(store, terms="words")
    plain = open_index(store)
    assert plain.term_scheme == "words" and account not in _words_side(plain, word)
    build_index(store, terms="split-stems")
    stemmed = open_index(store)
    assert stemmed.term_scheme == "split-stems"
    assert account in _words_side(stemmed, word)
    # The whole search reads the index with its own scheme: the brief's words side (its words
    # and their neighbours) reaches the account.
    embedder = load_embedder()
    weights = query_terms(embedder).weights(word, embedder.embed_one(word), stemmed.term_scheme)
    found = lexical_top(stemmed, weights, 50, np.ones(len(stemmed), bool))
    assert stemmed.row_of[account] in found.tolist()


def test_an_index_of_plain_words_is_rebuilt_with_stems_never_mixed(
    store: DuckDBStore, tmp_path: Path
) -> None:
    build_index(store, terms="words")
    add_posts(store, "instagram:beauty_fr_0", ["Mes chansons préférées pour se maquiller"])
    report = build_index(store, terms="split-stems")  # new posts, another scheme: a full rebuild
    assert report.rebuilt and report.new_posts == 17 * 12 + 2
    updated = open_index(store)
    fresh_report = build_index(store, tmp_path / "fresh", terms="split-stems")
    fresh = Catalog.load(tmp_path / "fresh")
    assert fresh_report.rebuilt and updated.term_scheme == fresh.term_scheme == "split-stems"
    for a in ("rows", "terms", "counts"):
        assert np.array_equal(getattr(updated.lexical, a), getattr(fresh.lexical, a))
    # Updating with the same scheme adds to the postings instead.
    add_posts(store, "instagram:beauty_fr_0", ["Chanson du jour"], start=200)
    again = build_index(store, terms="split-stems")
    assert not again.rebuilt and again.new_posts == 1


def test_an_index_written_before_stems_is_read_and_searched_as_plain_words(store: DuckDBStore) -> None:
    build_index(store, terms="words")
    assert store.path is not None
    manifest = store.path.with_name(store.path.name + ".discovery") / "manifest.json"
    data = json.loads(manifest.read_text())
    del data["terms"]  # as session 19 wrote it
    manifest.write_text(json.dumps(data))
    old = open_index(store)
    assert old.term_scheme == "words"
    found = discover(store, "squats and deadlifts", Filters(tier=None), top=3, evidence=False, catalog=old)
    assert found.results and found.results[0].handle.startswith("fitness_gb")
    assert build_index(store, terms="split-stems").rebuilt  # another scheme: rebuilt, not mixed
