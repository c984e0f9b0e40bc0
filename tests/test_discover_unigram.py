"""A SentencePiece-style Unigram model (model.json ``"tokenizer": "unigram"``) beside the WordPiece one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from covey.discovery.embedder import UNIGRAM, WORDPIECE, StaticEmbedder, highlight
from covey.discovery.lexical import QueryTerms, fold
from covey.discovery.multilingual import ADDED_FILE, load_extended
from covey.errors import CoveyError
from test_discover_multilingual import write_wordpiece_model

# piece -> (log-probability, row); rows along three axes: music, sport, nothing (stop words).
MUSIC, SPORT = np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])
PIECES: dict[str, tuple[float, np.ndarray]] = {
    "<unk>": (0.0, np.zeros(3)),
    "\u2581": (-3.0, np.zeros(3)),
    "\u2581the": (-3.5, np.zeros(3)),
    ",": (-3.6, np.zeros(3)),
    "\u2581music": (-8.0, 3 * MUSIC),
    "\u2581Music": (-9.0, 2.9 * MUSIC),
    "\u2581songs": (-8.5, 2.5 * MUSIC),
    "videos": (-9.5, 1.5 * MUSIC),  # a continuation piece: never a vocabulary neighbour
    "\u2581football": (-8.2, 3 * SPORT),
    "\u2581sport": (-8.1, 2 * SPORT + 0.5 * MUSIC),
    "\u2581ok": (-7.0, 0.2 * MUSIC),  # a short row: not a content word
}


def write_unigram_model(d: Path, pieces: dict[str, tuple[float, np.ndarray]] = PIECES) -> Path:
    """A tiny Unigram model directory as ``benchmarks/distill_sp_native.py`` writes one."""
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

    d.mkdir(parents=True, exist_ok=True)
    vocab = [(p, score) for p, (score, _) in pieces.items()]
    tok = Tokenizer(models.Unigram(vocab, unk_id=0, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " "), normalizers.Strip()]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.save(str(d / "tokenizer.json"))
    rows = np.stack([row for _, row in pieces.values()]).astype(np.float16)
    np.savez_compressed(d / "model.npz", vectors=rows)
    meta = {"name": "test-unigram", "tokenizer": UNIGRAM, "dims": 3, "vocabulary": len(pieces)}
    (d / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    return d


@pytest.fixture
def unigram(tmp_path: Path) -> StaticEmbedder:
    return StaticEmbedder(write_unigram_model(tmp_path / "m"))


def test_a_unigram_text_is_the_sum_of_its_pieces_and_unknown_script_is_zero(unigram: StaticEmbedder) -> None:
    assert unigram.kind == UNIGRAM
    ids, counts = unigram.token_ids(["Musicvideos", "Музыка"])
    assert [unigram.vocabulary()[i] for i in ids[: counts[0]]] == ["\u2581Music", "videos"]
    out = unigram.embed(["Musicvideos", "Музыка", "the, the"], normalize=False)
    assert np.allclose(out[0], 4.4 * MUSIC, atol=0.01)
    assert not out[1].any() and not out[2].any()  # <unk> and stop words weigh nothing
    assert unigram.is_meaningful("music") and not unigram.is_meaningful("the ok")


def test_vocabulary_neighbours_are_whole_word_pieces_one_per_folded_word(unigram: StaticEmbedder) -> None:
    _, whole = unigram.whole_words()
    assert "videos" not in whole and "" not in whole  # a continuation and the bare "▁"
    assert set(whole) == {"the", "music", "Music", "songs", "football", "sport", "ok"}
    terms = QueryTerms(unigram)
    assert terms.words.count("music") == 1  # "▁Music" and "▁music" are one BM25 term
    assert unigram.vocabulary()[int(terms.ids[terms.words.index("music")])] == "\u2581music"
    near = [w for w, _ in terms.neighbours(unigram.embed_one("songs"))]
    assert near[:2] == ["music", "songs"] and "football" not in near and "videos" not in near


def test_evidence_marks_the_word_without_its_space_or_comma(unigram: StaticEmbedder) -> None:
    text = "the football,  the songs"
    matches = unigram.word_matches(text, unigram.embed_one("music"))
    assert {(m.word, m.start) for m in matches} >= {("football", 4), ("songs", 19)}
    assert highlight(text, matches, top=1) == "the football,  the **songs**"


def test_the_multilingual_rows_are_off_for_a_unigram_model(unigram: StaticEmbedder) -> None:
    rows = np.ones((1, 3), np.float16)  # rows that would fit, for a WordPiece model's vocabulary
    np.savez_compressed(unigram.model_dir / ADDED_FILE, vectors=rows, words=np.array(["chansons"]))
    assert load_extended(unigram) is None


def test_an_unknown_tokenizer_kind_is_a_clear_error(tmp_path: Path) -> None:
    d = write_unigram_model(tmp_path / "m")
    meta = json.loads((d / "model.json").read_text(encoding="utf-8"))
    (d / "model.json").write_text(json.dumps({**meta, "tokenizer": "bpe"}), encoding="utf-8")
    with pytest.raises(CoveyError, match="unknown tokenizer kind"):
        StaticEmbedder(d)


def test_a_wordpiece_model_keeps_its_neighbours_vocabulary(tmp_path: Path) -> None:
    wordpiece = StaticEmbedder(write_wordpiece_model(tmp_path / "wp"))
    assert wordpiece.kind == WORDPIECE
    vocab = wordpiece.vocabulary()
    norms = np.linalg.norm(wordpiece.vectors, axis=1)
    before = [  # QueryTerms' vocabulary as it was built before the Unigram kind existed
        i
        for i, w in enumerate(vocab)
        if norms[i] >= 1.0 and not w.startswith("##") and len(w) > 1 and w.isalpha()
    ]
    terms = QueryTerms(wordpiece)
    assert terms.ids.tolist() == before and terms.words == [fold(vocab[i]) for i in before]
    assert "son" not in terms.words and "songs" in terms.words  # "##son" is no word


def test_the_shipped_model_is_a_unigram_model_on_use_pieces() -> None:
    shipped = StaticEmbedder()
    assert shipped.kind == UNIGRAM and shipped.meta["lower_case"]
    assert shipped.vocabulary()[0] == "<unk>"
    # lower-cased first: an all-caps title reads as its words, not as fragments
    tokens = shipped._tokenizer.encode("OFFICIAL MUSIC VIDEO", add_special_tokens=False).tokens
    assert tokens == ["\u2581official", "\u2581music", "\u2581video"]
