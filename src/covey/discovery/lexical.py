"""Words as well as meaning: a BM25 index over what creators write, and the brief's words for it.

A creator's document is every word of their posts (titles, captions, hashtags) and bio, folded
(lower case, no accents) and hashed to one of 2^22 term ids, so the index needs no vocabulary
file and grows by adding counts. Postings are kept sorted by term: a query reads one
contiguous slice per term. Scores are BM25 (k1 1.2, b 0.75, Robertson's idf); a word used by
more than half of the creators is skipped (its idf is below ln 2 and its postings the longest).

The brief's words are weighted by the embedding model: words the model treats as stop words
(in any of its six languages) weigh nothing, and the model's own vocabulary neighbours of the
brief (Spanish, French, German... words of the lexicon as well as English ones) are added with
their cosine as weight, which is what lets "music videos" also find "videoclip" and "musica".
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from covey.discovery.brief import fold
from covey.discovery.embedder import CONTENT_NORM, FloatArray, StaticEmbedder

log = logging.getLogger("covey.discovery.lexical")

TERM_BITS = 22
K1, B = 1.2, 0.75
EXPANSION_TERMS = 30  # vocabulary neighbours of the brief added to its words
EXPANSION_MIN_SIM = 0.4  # ...when at least this similar to the brief
_WORD = re.compile(r"[^\W_]{2,}")

IntArray = npt.NDArray[np.int64]


def words(text: str) -> list[str]:
    """Folded words of two letters or more."""
    return _WORD.findall(fold(text))


def term_id(word: str) -> int:
    """The hashed term id of a folded word."""
    return zlib.crc32(word.encode("utf-8")) & ((1 << TERM_BITS) - 1)


def count_terms(owners: Sequence[int], texts: Sequence[str]) -> tuple[IntArray, IntArray, IntArray]:
    """(owner, term, count) for every distinct word of every owner's texts."""
    own: list[int] = []
    terms: list[int] = []
    for o, t in zip(owners, texts, strict=True):
        ws = words(t or "")
        own.extend([o] * len(ws))
        terms.extend(term_id(w) for w in ws)
    return aggregate(np.asarray(own, np.int64), np.asarray(terms, np.int64), np.ones(len(own), np.int64))


def aggregate(rows: IntArray, terms: IntArray, counts: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Sum counts of equal (row, term) pairs; sorted by term, then row."""
    if not len(rows):
        empty = np.empty(0, np.int64)
        return empty, empty.copy(), empty.copy()
    key = terms * (int(rows.max()) + 1) + rows
    uniq, inverse = np.unique(key, return_inverse=True)
    summed = np.bincount(inverse, weights=counts).astype(np.int64)
    span = int(rows.max()) + 1
    return uniq % span, uniq // span, summed


@dataclass
class Postings:
    """Per-row term counts, sorted by term (CSC without a dense pointer array)."""

    rows: IntArray
    terms: IntArray
    counts: IntArray
    n_rows: int

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        """Recompute the term directory and document lengths after a change."""
        self.unique_terms, self.starts = np.unique(self.terms, return_index=True)
        self.ends = np.append(self.starts[1:], len(self.terms)).astype(np.int64)
        self.lengths = np.bincount(self.rows, weights=self.counts, minlength=self.n_rows).astype(np.float64)
        self.mean_length = float(self.lengths.mean()) if self.n_rows and self.lengths.any() else 1.0

    @classmethod
    def empty(cls, n_rows: int = 0) -> Postings:
        """No terms for ``n_rows`` rows."""
        e = np.empty(0, np.int64)
        return cls(e, e.copy(), e.copy(), n_rows)

    def add(self, rows: IntArray, terms: IntArray, counts: IntArray, n_rows: int) -> Postings:
        """These postings plus new counts (rows may be new, up to ``n_rows``)."""
        r, t, c = aggregate(
            np.concatenate([self.rows, rows]),
            np.concatenate([self.terms, terms]),
            np.concatenate([self.counts, counts]),
        )
        return Postings(r, t, c, n_rows)

    def take(self, order: IntArray) -> Postings:
        """Postings for rows re-ordered so that new row i is old row ``order[i]``."""
        position = np.full(self.n_rows, -1, np.int64)
        position[order] = np.arange(len(order), dtype=np.int64)
        new_rows = position[self.rows]
        keep = new_rows >= 0  # rows dropped by ``order`` lose their postings
        r, t, c = aggregate(new_rows[keep], self.terms[keep], self.counts[keep])
        return Postings(r, t, c, len(order))

    def bm25(self, weights: dict[int, float]) -> FloatArray:
        """BM25 of every row for weighted query terms (rows without a term score 0)."""
        scores = np.zeros(self.n_rows, dtype=np.float64)
        if not len(self.unique_terms):
            return scores.astype(np.float32)
        ids = np.fromiter(weights, dtype=np.int64, count=len(weights))
        at = np.searchsorted(self.unique_terms, ids)
        at = np.minimum(at, len(self.unique_terms) - 1)
        for term, i in zip(ids, at, strict=True):
            if self.unique_terms[i] != term:
                continue
            s, e = int(self.starts[i]), int(self.ends[i])
            if 2 * (e - s) > self.n_rows:
                continue  # a word most creators use tells them apart by little and costs the most
            rows, tf = self.rows[s:e], self.counts[s:e].astype(np.float64)
            idf = np.log1p((self.n_rows - (e - s) + 0.5) / ((e - s) + 0.5))
            norm = K1 * (1 - B + B * self.lengths[rows] / self.mean_length)
            scores[rows] += weights[int(term)] * idf * tf * (K1 + 1) / (tf + norm)
        return scores.astype(np.float32)


class QueryTerms:
    """Turns a brief's topic into weighted BM25 terms with the embedding model's help."""

    def __init__(self, embedder: StaticEmbedder) -> None:
        self.embedder = embedder
        norms = np.linalg.norm(embedder.vectors, axis=1)
        words_of = embedder.vocabulary()
        usable = np.array(
            [n >= CONTENT_NORM and not w.startswith("##") and len(w) > 1 and w.isalpha()
             for w, n in zip(words_of, norms, strict=True)]
        )  # fmt: skip
        self.ids = np.flatnonzero(usable)
        self.words = [fold(words_of[i]) for i in self.ids]
        self.unit = embedder.vectors[self.ids] / norms[self.ids, None]

    def content(self, word: str) -> bool:
        """True when the model counts ``word`` as a content word (not a stop word)."""
        return self.embedder.is_meaningful(word)

    def neighbours(self, query: FloatArray, k: int = EXPANSION_TERMS) -> list[tuple[str, float]]:
        """The model's vocabulary words closest to ``query`` (cosine at least EXPANSION_MIN_SIM)."""
        sims = self.unit @ query
        top = np.argpartition(-sims, k)[:k] if len(sims) > k else np.arange(len(sims))
        top = top[np.argsort(-sims[top])]
        return [(self.words[i], float(sims[i])) for i in top if sims[i] >= EXPANSION_MIN_SIM]

    def weights(self, topic: str, query: FloatArray) -> dict[int, float]:
        """Term id -> weight: the brief's content words (1) and its neighbours (their cosine)."""
        out: dict[int, float] = {}
        for w in words(topic):
            if self.content(w):
                out[term_id(w)] = 1.0
        for w, sim in self.neighbours(query):
            t = term_id(w)
            out[t] = max(out.get(t, 0.0), sim)
        return out


def reciprocal_rank_fusion(rankings: Iterable[IntArray], k: float = 60.0) -> dict[int, float]:
    """Row -> sum of 1 / (k + rank) over the rankings it appears in (Cormack et al. 2009)."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, row in enumerate(ranking.tolist(), start=1):
            fused[row] = fused.get(row, 0.0) + 1.0 / (k + rank)
    return fused
