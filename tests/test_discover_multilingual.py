"""The brief read with session 19's multilingual words: foreign briefs read whole, English ones as before."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import test_discover_fixture as fx
from covey.discovery.catalog import Filters
from covey.discovery.embedder import MODEL_DIR, StaticEmbedder, load_embedder
from covey.discovery.indexer import build_index
from covey.discovery.multilingual import ADDED_FILE, BriefReader, brief_reader, load_extended
from covey.discovery.search import discover
from covey.errors import CoveyError
from covey.store import DuckDBStore

BASE_FILES = ("model.npz", "tokenizer.json", "model.json", "lexicon.txt")
# Two groups the fixture world lacks: French singers, German comedians (posts in their language).
EXTRA_GROUPS = {
    "music_fr": ("music", "FR", "fr", [
        "Mon nouveau single est sorti, le clip est en ligne",
        "Répétition avec le groupe avant le concert de samedi",
        "Session acoustique : trois morceaux en live avec ma guitare",
    ]),
    "comedy_de": ("comedy", "DE", "de", [
        "Neuer Sketch mit meinem Kumpel, wir haben so gelacht",
        "Versteckte Kamera in der Innenstadt, die Reaktionen sind zu gut",
        "Meine Stand-up Nummer über das Bahnfahren",
    ]),
}  # fmt: skip
ENGLISH = [
    "musicians and singers who release songs",
    "Crohn's flare and colitis diet",
    "gaming streams and video games",
    "funny sketches and pranks",
    "home cooking recipes and baking",
]


@pytest.fixture(scope="module")
def base_only(tmp_path_factory: pytest.TempPathFactory) -> StaticEmbedder:
    """The shipped model without its multilingual words: the brief read as before session 21."""
    d = tmp_path_factory.mktemp("base-model")
    for name in BASE_FILES:
        shutil.copy(MODEL_DIR / name, d / name)
    return StaticEmbedder(d)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DuckDBStore]:
    """The fixture world plus French singers and German comedians, indexed (shipped model)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fx, "GROUPS", {**fx.GROUPS, **EXTRA_GROUPS})
        store = fx.build_world(tmp_path_factory.mktemp("w") / "covey.duckdb")
    build_index(store)
    yield store
    store.close()


def test_the_words_ship_beside_an_unchanged_base_model() -> None:
    info = json.loads((MODEL_DIR / "multilingual.json").read_text(encoding="utf-8"))
    # The base model is the one the rows were built for, byte for byte.
    assert hashlib.sha256((MODEL_DIR / "model.npz").read_bytes()).hexdigest() == info["base_model_sha256"]
    assert (MODEL_DIR / ADDED_FILE).stat().st_size < 8 * 2**20
    base = load_embedder()
    extended = load_extended(base)
    assert extended is not None and len(extended.vectors) == len(base.vectors) + info["multilingual_words"]
    assert np.array_equal(extended.vectors[: len(base.vectors)], base.vectors)
    assert extended.vocabulary()[: len(base.vectors)] == base.vocabulary()


def test_a_foreign_word_is_read_whole_and_an_english_brief_is_not_touched() -> None:
    base = load_embedder()
    reader = brief_reader(base)
    assert reader.extended is not None
    fr = "musiciens et chanteurs qui publient des chansons"
    en = "musicians and singers who release songs"
    assert reader.has_added_word(fr) and not reader.has_added_word(en)
    # French: one added row for "chansons" instead of the shipped model's pieces.
    assert "chansons" in reader.extended._tokenizer.encode(fr, add_special_tokens=False).tokens
    assert "chansons" not in base._tokenizer.encode(fr, add_special_tokens=False).tokens
    assert reader.terms(fr) is reader.extended_terms
    # English read whole: the shipped embedding, words and neighbours, exactly.
    assert np.array_equal(reader.embed(en), base.embed_one(en))
    assert reader.terms(en) is reader.base_terms


def test_a_french_brief_reaches_the_french_singers_the_shipped_reading_missed(
    world: DuckDBStore, base_only: StaticEmbedder
) -> None:
    brief = "Musiciens et chanteurs qui publient des chansons"
    before = discover(world, brief, Filters(tier=None), top=4, evidence=False, embedder=base_only)
    after = discover(world, brief, Filters(tier=None), top=4, evidence=False)
    assert not before.results[0].handle.startswith("music_fr")  # the shipped pieces lead elsewhere
    assert {r.handle for r in after.results[:2]} == {"music_fr_0", "music_fr_1"}


@pytest.mark.parametrize("brief", ENGLISH)
def test_an_english_brief_read_whole_ranks_exactly_as_before(
    world: DuckDBStore, base_only: StaticEmbedder, brief: str
) -> None:
    assert not brief_reader(load_embedder()).has_added_word(brief)
    before = discover(world, brief, Filters(tier=None), top=10, evidence=False, embedder=base_only)
    after = discover(world, brief, Filters(tier=None), top=10, evidence=False)
    assert [(r.handle, r.fit) for r in after.results] == [(r.handle, r.fit) for r in before.results]


def test_without_the_file_the_brief_is_read_by_the_base_model(base_only: StaticEmbedder) -> None:
    reader = BriefReader(base_only, load_extended(base_only))
    assert reader.extended is None and reader.embedder is base_only
    assert not reader.has_added_word("chanteurs qui publient des chansons")


def test_damaged_or_mismatched_words_are_a_clear_error(base_only: StaticEmbedder, tmp_path: Path) -> None:
    for name in BASE_FILES:
        shutil.copy(base_only.model_dir / name, tmp_path / name)
    (tmp_path / ADDED_FILE).write_bytes(b"not an npz")
    with pytest.raises(CoveyError, match="damaged"):
        load_extended(StaticEmbedder(tmp_path))
    wrong = np.zeros((2, 8), np.float16)  # 8 dimensions where the model has 256
    np.savez_compressed(tmp_path / ADDED_FILE, vectors=wrong, words=np.array(["a", "b"]))
    with pytest.raises(CoveyError, match="do not fit"):
        load_extended(StaticEmbedder(tmp_path))
