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
from collections.abc import Sequence
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
# A common word (more postings than this) is read only as its HEAD_POSTINGS highest BM25
# impacts when more than HEAD_SHARE of the creators pass the filters: the ranking keeps its top
# few hundred (each of the word's other creators would gain at most that head's lowest impact),
# and a query over a million creators reads a bounded number of postings per word.
HEAD_POSTINGS = 50_000
HEAD_SHARE = 0.25
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
    """Per-row term counts, sorted by term then row (CSC without a dense pointer array).

    Stored compactly (int32 rows, terms and counts) with each posting's BM25 term-frequency
    part precomputed as float32 (``impact``): a query multiplies impacts by the term's idf and
    weight, and needs no per-posting arithmetic on document lengths.
    """

    rows: IntArray
    terms: IntArray
    counts: IntArray
    n_rows: int

    def __post_init__(self) -> None:
        self.rows = np.ascontiguousarray(self.rows, dtype=np.int32)
        self.terms = np.ascontiguousarray(self.terms, dtype=np.int32)
        self.counts = np.ascontiguousarray(self.counts, dtype=np.int32)
        self.reindex()

    def reindex(self) -> None:
        """Recompute the term directory, document lengths and impacts after a change."""
        self.unique_terms, starts = np.unique(self.terms, return_index=True)
        self.starts = starts.astype(np.int64)
        self.ends = np.append(self.starts[1:], len(self.terms)).astype(np.int64)
        self.lengths = np.bincount(self.rows, weights=self.counts, minlength=self.n_rows).astype(np.float64)
        self.mean_length = float(self.lengths.mean()) if self.n_rows and self.lengths.any() else 1.0
        tf = self.counts.astype(np.float64)
        norm = K1 * (1 - B + B * self.lengths[self.rows] / self.mean_length)
        self.impact = (tf * (K1 + 1) / (tf + norm)).astype(np.float32)
        self._heads()

    def _heads(self) -> None:
        """For every term with more than HEAD_POSTINGS postings, the positions of its highest
        impacts (in row order): what a search over many creators reads of a common word."""
        df = self.ends - self.starts
        long_terms = np.flatnonzero(df > HEAD_POSTINGS)
        self.head_of = np.full(len(self.unique_terms), -1, np.int64)
        self.head_of[long_terms] = np.arange(len(long_terms))
        parts = []
        for i in long_terms.tolist():
            a, b = int(self.starts[i]), int(self.ends[i])
            top = np.argpartition(-self.impact[a:b], HEAD_POSTINGS - 1)[:HEAD_POSTINGS]
            parts.append(np.sort(top).astype(np.int64) + a)
        self.head_pos = np.concatenate(parts) if parts else np.empty(0, np.int64)

    @classmethod
    def empty(cls, n_rows: int = 0) -> Postings:
        """No terms for ``n_rows`` rows."""
        e = np.empty(0, np.int64)
        return cls(e, e.copy(), e.copy(), n_rows)

    def add(self, rows: IntArray, terms: IntArray, counts: IntArray, n_rows: int) -> Postings:
        """These postings plus new counts (rows may be new, up to ``n_rows``)."""
        r, t, c = aggregate(
            np.concatenate([self.rows.astype(np.int64), rows]),
            np.concatenate([self.terms.astype(np.int64), terms]),
            np.concatenate([self.counts.astype(np.int64), counts]),
        )
        return Postings(r, t, c, n_rows)

    def take(self, order: IntArray) -> Postings:
        """Postings for rows re-ordered so that new row i is old row ``order[i]``."""
        position = np.full(self.n_rows, -1, np.int64)
        position[order] = np.arange(len(order), dtype=np.int64)
        new_rows = position[self.rows]
        keep = new_rows >= 0  # rows dropped by ``order`` lose their postings
        r, t, c = aggregate(
            new_rows[keep], self.terms[keep].astype(np.int64), self.counts[keep].astype(np.int64)
        )
        return Postings(r, t, c, len(order))

    def _slices(self, weights: dict[int, float]) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
        """(start, end, weight x idf, head number or -1) of every query term in the index that
        tells creators apart."""
        if not len(self.unique_terms) or not weights:
            e = np.empty(0, np.int64)
            return e, e.copy(), np.empty(0, np.float32), e.copy()
        ids = np.fromiter(weights, dtype=np.int64, count=len(weights))
        w = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
        at = np.minimum(np.searchsorted(self.unique_terms, ids), len(self.unique_terms) - 1)
        s, e = self.starts[at], self.ends[at]
        df = e - s
        # A word most creators use tells them apart by little and costs the most: skipped.
        ok = (self.unique_terms[at] == ids) & (2 * df <= self.n_rows) & (w > 0)
        s, e, df, w, at = s[ok], e[ok], df[ok], w[ok], at[ok]
        idf = np.log1p((self.n_rows - df + 0.5) / (df + 0.5))
        return s, e, (w * idf).astype(np.float32), self.head_of[at]

    def scored(
        self, weights: dict[int, float], mask: npt.NDArray[np.bool_] | None = None
    ) -> tuple[IntArray, FloatArray]:
        """(rows, BM25) of the rows passing ``mask`` that hold a query term, in row order.

        Exact, except that a common word over many passing creators counts only for the
        creators in its head (see HEAD_POSTINGS).

        When few rows pass, only their postings are read: each passing row is looked up in
        each term's row-sorted slice (binary search), instead of reading whole slices.
        """
        s, e, wi, head = self._slices(weights)
        total = int((e - s).sum())
        passing = np.flatnonzero(mask) if mask is not None else None
        if passing is not None and len(passing) * len(s) * 4 < total:
            rows_parts, val_parts = [], []
            for a, b, x in zip(s.tolist(), e.tolist(), wi.tolist(), strict=True):
                seg = self.rows[a:b]
                j = np.minimum(np.searchsorted(seg, passing), len(seg) - 1)
                hit = seg[j] == passing
                rows_parts.append(passing[hit])
                val_parts.append(self.impact[a + j[hit]] * np.float32(x))
            rows = np.concatenate(rows_parts) if rows_parts else np.empty(0, np.int64)
            vals = np.concatenate(val_parts) if val_parts else np.empty(0, np.float32)
            uniq, inverse = np.unique(rows, return_inverse=True)
            return uniq.astype(np.int64), np.bincount(inverse, weights=vals, minlength=len(uniq)).astype(
                np.float32
            )
        # Every posting of the query terms, gathered at once (no Python loop per posting); of a
        # word with more than HEAD_POSTINGS postings only its highest impacts when more than
        # HEAD_SHARE of the creators pass: the rest could only add a little to many creators.
        long_ok = (self.n_rows if passing is None else len(passing)) > HEAD_SHARE * self.n_rows
        use_head = (head >= 0) & long_ok
        if use_head.any():  # such a word's slice is its run in the head table
            s, e = s.copy(), e.copy()
            s[use_head] = head[use_head] * HEAD_POSTINGS
            e[use_head] = s[use_head] + HEAD_POSTINGS
        lens = e - s
        total = int(lens.sum())
        pos = np.repeat(s - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens) + np.arange(total)
        if use_head.any():  # positions in the head table stand for positions in the postings
            from_head = np.repeat(use_head, lens)
            pos[from_head] = self.head_pos[pos[from_head]]
        rows = self.rows[pos]
        vals = self.impact[pos] * np.repeat(wi, lens)
        if mask is not None:
            keep = mask[rows]
            rows, vals = rows[keep], vals[keep]
        dense = np.bincount(rows, weights=vals, minlength=self.n_rows)
        hit = np.flatnonzero(dense > 0)
        return hit.astype(np.int64), dense[hit].astype(np.float32)

    def bm25(self, weights: dict[int, float]) -> FloatArray:
        """BM25 of every row for weighted query terms (rows without a term score 0)."""
        scores = np.zeros(self.n_rows, dtype=np.float32)
        rows, vals = self.scored(weights)
        scores[rows] = vals
        return scores


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


def reciprocal_rank_fusion(
    rankings: Sequence[IntArray], k: float = 60.0, weights: Sequence[float] | None = None
) -> dict[int, float]:
    """Row -> sum of weight / (k + rank) over the rankings it appears in (Cormack et al. 2009).

    ``weights`` (one per ranking, default 1 each) lets one ranking count more than another.
    """
    if weights is not None and len(weights) != len(rankings):
        raise ValueError("reciprocal_rank_fusion: one weight per ranking")
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, row in enumerate(ranking.tolist(), start=1):
            fused[row] = fused.get(row, 0.0) + weight / (k + rank)
    return fused
