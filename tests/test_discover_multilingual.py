"""Session 21's brief side (``covey.discovery.multilingual``): rows beside a WordPiece model read a
foreign brief's words whole and leave an English brief untouched; off for the shipped model.

Since session 24 (2) the shipped model is a Unigram model on USE's own pieces, which reads the
languages itself (``benchmarks/distill_sp_native.py``), and ships no ``multilingual.npz``: the
brief is read by the model that embeds the posts. The module still serves a WordPiece model
with rows beside it (the MiniLM model of ``accaaae``, for the benchmarks of sessions 21-24); these
tests cover that reading on a tiny WordPiece model.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from covey.discovery.embedder import MODEL_DIR, StaticEmbedder, load_embedder
from covey.discovery.multilingual import ADDED_FILE, BriefReader, brief_reader, load_extended
from covey.errors import CoveyError

# A WordPiece vocabulary with 4-dimensional rows (music, sport, French-ness, nothing).
WORDPIECE: dict[str, list[float]] = {
    "[PAD]": [0, 0, 0, 0],
    "[UNK]": [0, 0, 0, 0],
    "and": [0, 0, 0, 0],
    "who": [0, 0, 0, 0],
    "musicians": [3, 0, 0, 0],
    "singers": [2.5, 0, 0, 0],
    "release": [0.5, 0.5, 0, 0],
    "songs": [3, 0, 0, 0],
    "football": [0, 3, 0, 0],
    "chan": [0, 0, 1, 0],
    "##son": [0, 0.5, 1, 0],
    "##s": [0, 0, 0, 0],
    "et": [0, 0, 0, 0],
    "qui": [0, 0, 0, 0],
}
ADDED = {"chansons": [3, 0, 0.5, 0], "chanteurs": [2.5, 0, 0.5, 0]}


def write_wordpiece_model(d: Path, rows_beside: bool = True) -> Path:
    """A tiny WordPiece model directory (as ``benchmarks/distill_model.py`` writes one), with
    multilingual rows beside it when ``rows_beside``."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    d.mkdir(parents=True, exist_ok=True)
    vocab = {w: i for i, w in enumerate(WORDPIECE)}
    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", continuing_subword_prefix="##"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.save(str(d / "tokenizer.json"))
    np.savez_compressed(d / "model.npz", vectors=np.array(list(WORDPIECE.values()), dtype=np.float16))
    meta = {"name": "test-wordpiece", "dims": 4, "vocabulary": len(WORDPIECE)}
    (d / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    if rows_beside:
        rows = np.array(list(ADDED.values()), dtype=np.float16)
        np.savez_compressed(d / ADDED_FILE, vectors=rows, words=np.array(list(ADDED)))
    return d


@pytest.fixture
def wordpiece(tmp_path: Path) -> StaticEmbedder:
    return StaticEmbedder(write_wordpiece_model(tmp_path / "wp"))


def test_the_shipped_model_reads_briefs_itself() -> None:
    assert not (MODEL_DIR / ADDED_FILE).exists()
    base = load_embedder()
    reader = brief_reader(base)
    assert reader.extended is None and reader.embedder is base
    brief = "Musiciens et chanteurs qui publient des chansons"
    assert not reader.has_added_word(brief) and reader.terms(brief) is reader.base_terms
    assert np.array_equal(reader.embed(brief), base.embed_one(brief))


def test_a_foreign_word_is_read_whole_and_an_english_brief_is_not_touched(wordpiece: StaticEmbedder) -> None:
    reader = BriefReader(wordpiece, load_extended(wordpiece))
    assert reader.extended is not None
    assert np.array_equal(reader.extended.vectors[: len(wordpiece.vectors)], wordpiece.vectors)
    fr, en = "chanteurs et chansons", "musicians and singers who release songs"
    assert reader.has_added_word(fr) and not reader.has_added_word(en)
    # French: one added row for "chansons" instead of the base model's pieces.
    assert "chansons" in reader.extended._tokenizer.encode(fr, add_special_tokens=False).tokens
    assert "chansons" not in wordpiece._tokenizer.encode(fr, add_special_tokens=False).tokens
    assert reader.terms(fr) is reader.extended_terms
    assert reader.embed(fr)[0] > 0.9 > wordpiece.embed_one(fr)[0]  # about music, not "chan son s"
    # English read whole: the base embedding and neighbours, exactly.
    assert np.array_equal(reader.embed(en), wordpiece.embed_one(en))
    assert reader.terms(en) is reader.base_terms


def test_without_the_file_the_brief_is_read_by_the_base_model(tmp_path: Path) -> None:
    base = StaticEmbedder(write_wordpiece_model(tmp_path / "wp", rows_beside=False))
    reader = BriefReader(base, load_extended(base))
    assert reader.extended is None and reader.embedder is base
    assert not reader.has_added_word("chanteurs qui publient des chansons")


def test_damaged_or_mismatched_words_are_a_clear_error(wordpiece: StaticEmbedder) -> None:
    path = wordpiece.model_dir / ADDED_FILE
    path.write_bytes(b"not an npz")
    with pytest.raises(CoveyError, match="damaged"):
        load_extended(wordpiece)
    wrong = np.zeros((2, 8), np.float16)  # 8 dimensions where the model has 4
    np.savez_compressed(path, vectors=wrong, words=np.array(["a", "b"]))
    with pytest.raises(CoveyError, match="do not fit"):
        load_extended(wordpiece)
    np.savez_compressed(path, vectors=np.zeros((1, 4), np.float16), words=np.array(["songs"]))
    with pytest.raises(CoveyError, match="already in the model"):
        load_extended(wordpiece)
