"""The static embedding model that ships with Covey: numpy and a WordPiece tokenizer, no torch.

The model (``model/``) was distilled from all-MiniLM-L6-v2 by ``benchmarks/distill_model.py``:
one vector per vocabulary entry, SIF weight folded in, so a text's embedding is the
normalised sum of its tokens' rows. Words in es, fr, de, it and pt from Covey's lexicon carry
the vector of their English gloss, which is what lets a Spanish caption match an English
brief (and the other way round).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from covey.errors import CoveyError

log = logging.getLogger("covey.discovery.embedder")

MODEL_DIR = Path(__file__).resolve().parent / "model"
CONTENT_NORM = 1.0  # rows this long are content words; SIF leaves "the", "about" far shorter
BATCH = 1024  # texts per tokenizer call; bounds the (tokens x dims) temporary to ~40 MB

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class WordMatch:
    """One word of a text and how much it points towards a query."""

    word: str
    start: int
    end: int
    score: float


class StaticEmbedder:
    """Embeds texts with the shipped static model; thread-safe after construction."""

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        from tokenizers import Tokenizer

        try:
            with np.load(model_dir / "model.npz") as data:
                vectors: FloatArray = data["vectors"].astype(np.float32)
            tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            meta = json.loads((model_dir / "model.json").read_text(encoding="utf-8"))
        except (OSError, KeyError, ValueError) as exc:
            raise CoveyError(f"{model_dir}: the embedding model is missing or damaged: {exc}") from exc
        self._setup(model_dir, vectors, tokenizer, meta)

    @classmethod
    def from_parts(
        cls, model_dir: Path, vectors: FloatArray, tokenizer: Any, meta: dict[str, Any]
    ) -> StaticEmbedder:
        """An embedder of rows and a ``tokenizers.Tokenizer`` already in memory (``model_dir``:
        where they came from)."""
        model = cls.__new__(cls)
        model._setup(model_dir, vectors, tokenizer, meta)
        return model

    def _setup(self, model_dir: Path, vectors: FloatArray, tokenizer: Any, meta: dict[str, Any]) -> None:
        if tokenizer.get_vocab_size() != len(vectors):
            raise CoveyError(f"{model_dir}: tokenizer and vectors disagree on the vocabulary size")
        self.model_dir = model_dir
        self.vectors = vectors
        self._tokenizer = tokenizer
        self.meta = meta
        self.dims = int(self.vectors.shape[1])
        self.name = str(self.meta.get("name", "static"))

    def token_ids(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """All token ids of ``texts`` concatenated, and each text's token count."""
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        counts = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
        ids = np.fromiter(
            chain.from_iterable(e.ids for e in encodings), dtype=np.int64, count=int(counts.sum())
        )
        return ids, counts

    def vocabulary(self) -> list[str]:
        """Every token of the model, by id (WordPiece continuations start with ``##``)."""
        words = [""] * len(self.vectors)
        for token, i in self._tokenizer.get_vocab().items():
            words[i] = token
        return words

    def embed(self, texts: Sequence[str], *, normalize: bool = True) -> FloatArray:
        """One row per text (float32); an empty or meaningless text gives a zero row."""
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for start in range(0, len(texts), BATCH):
            chunk = [t or "" for t in texts[start : start + BATCH]]
            ids, counts = self.token_ids(chunk)
            nonempty = counts > 0
            if ids.size:
                offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))[nonempty]
                out[start : start + len(chunk)][nonempty] = np.add.reduceat(
                    self.vectors[ids], offsets, axis=0
                )
        if normalize:
            normalize_rows(out)
        return out

    def embed_one(self, text: str) -> FloatArray:
        """The normalised embedding of one text."""
        row: FloatArray = self.embed([text])[0]
        return row

    def is_meaningful(self, text: str) -> bool:
        """True when some word of ``text`` is a content word (not only stop words and the like)."""
        ids, _ = self.token_ids([text])
        return bool(ids.size) and bool(np.linalg.norm(self.vectors[ids], axis=1).max() >= CONTENT_NORM)

    def word_matches(self, text: str, query: FloatArray) -> list[WordMatch]:
        """Each word of ``text`` with its contribution towards ``query`` (for highlighting)."""
        enc = self._tokenizer.encode(text, add_special_tokens=False)
        if not enc.ids:
            return []
        scores = self.vectors[np.asarray(enc.ids)] @ query
        by_word: dict[int, WordMatch] = {}
        for i, word_index in enumerate(enc.word_ids):
            if word_index is None:
                continue
            s, e = enc.offsets[i]
            prev = by_word.get(word_index)
            if prev is None:
                by_word[word_index] = WordMatch(text[s:e], s, e, float(scores[i]))
            else:  # subword pieces of one word: join the span, add the scores
                by_word[word_index] = WordMatch(
                    text[prev.start : e], prev.start, e, prev.score + float(scores[i])
                )
        return list(by_word.values())


def normalize_rows(matrix: FloatArray) -> FloatArray:
    """Scale rows to unit length in place; zero rows stay zero."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    np.divide(matrix, norms, out=matrix, where=norms > 0)
    return matrix


@lru_cache(maxsize=2)
def load_embedder(model_dir: Path = MODEL_DIR) -> StaticEmbedder:
    """The shipped embedder, loaded once per process."""
    model = StaticEmbedder(model_dir)
    log.info("loaded %s: %d words x %d dims", model.name, len(model.vectors), model.dims)
    return model


def highlight(text: str, matches: Sequence[WordMatch], *, top: int = 3, mark: str = "**") -> str:
    """``text`` with its ``top`` best-matching words (positive scores) wrapped in ``mark``."""
    best = sorted((m for m in matches if m.score > 0), key=lambda m: -m.score)[:top]
    out = text
    for m in sorted(best, key=lambda m: -m.start):
        out = out[: m.start] + mark + out[m.start : m.end] + mark + out[m.end :]
    return out
