"""Feedback, fusion and word-matching variants of the hybrid search, on the country split.

Session 18's search for a better real-data NDCG@10, with the protocol of
``discovery_tune.py``: the channels are split by country (tune GB DE FR ES AR BR CH, held out CA
AT BE MX CO PT IT, fixed in session 17 before any variant ran), a variant is chosen on the tune
half only and reported on the held-out half and on every channel. Each variant changes the search
as it shipped after session 17 (words x 2 in the fusion; Rocchio feedback with the ten best fused
creators re-ranking the candidates) in one or two ways:

- ``rm3_*``: RM3 on the words side (Lavrenko & Croft 2001; Abdul-Jaleel et al. 2004): the
  feedback creators' words, weighted by p(word | creator) summed over them (or, with
  ``rm3_mindocs``, by the share of feedback creators using the word times its idf), the best
  ``rm3_terms`` mixed into the brief's words with weight ``rm3_weight``; re-ranking the
  candidates, or (``rm3_full``) as a second full BM25 search;
- ``fusion``: CombSUM of min-max or z-scored scores over the candidates in place of reciprocal
  ranks (Fox & Shaw 1994);
- ``rounds``: feedback repeated; ``dense_full``: the expanded query searched over every creator;
- ``neg``: Rocchio's non-relevant centroid, the mean profile of every creator (``neg_all``) or of
  the creators passing the filters, subtracted from the feedback centroid;
- ``trunc``: a second BM25 over words cut to their first n letters (truncation stemming,
  McNamee & Mayfield 2004), which joins cognates across languages (musica, musique, musicos);
- ``head_query``: the brief embedded from whole words and the first piece of split words only;
- ``prior``: a document prior, + prior x log(posts) / log(max posts).

``--ceiling`` also prints a supervised bound: the centroid of each category's tune-half profiles
(centred on the tune half's mean), used as the query over the held-out half.

    python benchmarks/discovery_feedback.py --workdir /tmp/rd [--halves tune,held_out,all] [--ceiling]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discovery_realdata as rd
import discovery_tune as dt
import numpy as np

from covey.discovery import lexical
from covey.discovery.brief import parse_brief
from covey.discovery.catalog import Catalog
from covey.discovery.lexical import Postings, count_terms, reciprocal_rank_fusion, term_id, words
from covey.discovery.rank import WELL_FIT_SHARE


@dataclass(frozen=True)
class Knobs(dt.Knobs):
    """A variant of the search as it shipped after session 17 (words x 2)."""

    words_weight: float = 2.0
    rm3_docs: int = 0
    rm3_terms: int = 20
    rm3_weight: float = 0.5
    rm3_idf: bool = False
    rm3_mindocs: int = 0
    rm3_full: bool = False
    fusion: str = "rrf"  # rrf | z | minmax
    dense_full: bool = False
    rounds: int = 1
    neg: float = 0.0
    neg_all: bool = False
    centre_rerank: bool = False
    trunc: int = 0
    trunc_weight: float = 1.0
    trunc_only: bool = False
    head_query: int = 0
    prior: float = 0.0


class Searcher(dt.Searcher):
    """``discovery_tune.Searcher`` with this session's knobs."""

    def __init__(self, catalog: Catalog, db: Path) -> None:
        super().__init__(catalog)
        lex = catalog.lexical
        self.db = db
        self.by_row = np.argsort(lex.rows, kind="stable")
        self.row_start = np.searchsorted(lex.rows[self.by_row], np.arange(lex.n_rows + 1))
        self.df_of = dict(zip(lex.unique_terms.tolist(), (lex.ends - lex.starts).tolist(), strict=True))
        self.stems: dict[int, Postings] = {}

    def stems_index(self, n: int) -> Postings:
        """BM25 postings of every channel's words cut to ``n`` letters."""
        if n not in self.stems:
            ids, _, per_video = rd.channel_documents(self.db)
            owners = [self.catalog.row_of[a] for a, v in zip(ids, per_video, strict=True) for _ in v]
            texts = [t for v in per_video for t in v]
            plain = lexical.words
            lexical.words = lambda text: [w[:n] for w in plain(text)]
            try:
                counted = count_terms(owners, texts)
            finally:
                lexical.words = plain
            self.stems[n] = Postings(*counted, len(self.catalog))
        return self.stems[n]

    def feedback_terms(self, rows: np.ndarray, k: Knobs) -> dict[int, float]:
        """RM3's expansion terms from the feedback rows, the best weighing 1."""
        lex, n = self.catalog.lexical, self.catalog.lexical.n_rows
        weight: dict[int, float] = {}
        docs: dict[int, int] = {}
        for r in rows.tolist():
            pos = self.by_row[self.row_start[r] : self.row_start[r + 1]]
            counts = lex.counts[pos].astype(np.float64)
            for t, p in zip(lex.terms[pos].tolist(), (counts / counts.sum()).tolist(), strict=True):
                weight[t] = weight.get(t, 0.0) + p / len(rows)
                docs[t] = docs.get(t, 0) + 1
        out = {}
        for t, v in weight.items():
            df = self.df_of.get(t, 0)
            idf = float(np.log1p((n - df + 0.5) / (df + 0.5)))
            if 2 * df > n:
                continue
            if k.rm3_mindocs:
                if docs[t] >= k.rm3_mindocs:
                    out[t] = docs[t] / len(rows) * idf
            elif df >= 2:
                out[t] = v * idf if k.rm3_idf else v
        top = sorted(out, key=lambda t: -out[t])[: k.rm3_terms]
        return {t: out[t] / out[top[0]] for t in top} if top else {}

    def query_vector(self, topic: str, k: Knobs) -> np.ndarray:
        """The brief's embedding (with ``head_query``: whole words and first pieces only)."""
        if not k.head_query:
            return self.embedder.embed_one(topic)
        enc = self.embedder._tokenizer.encode(topic, add_special_tokens=False)
        pieces: dict[int | None, list[tuple[int, str]]] = {}
        for tid, tok, wid in zip(enc.ids, enc.tokens, enc.word_ids, strict=True):
            pieces.setdefault(wid, []).append((tid, tok))
        keep = [p[0][0] for p in pieces.values() if len(p) == 1 or len(p[0][1]) >= k.head_query]
        if not keep:
            return self.embedder.embed_one(topic)
        v = self.embedder.vectors[np.asarray(keep)].sum(axis=0)
        return (v / max(float(np.linalg.norm(v)), 1e-9)).astype(np.float32)

    def rank(self, brief: str, k: dt.Knobs, mask: np.ndarray) -> list[str]:
        assert isinstance(k, Knobs)
        topic = parse_brief(brief).topic
        query = self.query_vector(topic, k)
        vectors = self.profile(k.profile)
        index = self.words_index(k.bm25)
        word_weights = {w: 1.0 for w in words(topic) if self.terms.content(w)}
        sims = self.terms.unit @ query
        for i in np.argsort(-sims)[: k.expansion_terms]:
            if sims[i] >= k.expansion_min_sim:
                word_weights[self.terms.words[i]] = max(
                    word_weights.get(self.terms.words[i], 0.0), float(sims[i])
                )
        w0 = self.weights(topic, query, k)

        def dense_top(q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            s = vectors @ q
            s[~mask] = -np.inf
            o = np.argsort(-s, kind="stable")[: k.candidates]
            return o[np.isfinite(s[o])], s

        def words_top(w: dict[int, float], within: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            full = np.zeros(len(mask))
            hit, scores = index.scored(w, within)
            if not k.trunc_only:
                full[hit] = scores
            if k.trunc:
                stem_w: dict[int, float] = {}
                for word, v in word_weights.items():
                    stem_w[term_id(word[: k.trunc])] = max(stem_w.get(term_id(word[: k.trunc]), 0.0), v)
                h2, s2 = self.stems_index(k.trunc).scored(stem_w, within)
                full[h2] += k.trunc_weight * s2
            hit = np.flatnonzero(full > 0)
            return hit[np.argsort(-full[hit], kind="stable")][: k.candidates].astype(np.int64), full

        def fuse(a: np.ndarray, b: np.ndarray, a_s: np.ndarray, b_s: np.ndarray) -> dict[int, float]:
            if k.fusion == "rrf":
                out: dict[int, float] = {}
                for ranking, wt in ((a, k.dense_weight), (b, k.words_weight)):
                    for r, s in reciprocal_rank_fusion([ranking], k.rrf_k).items():
                        out[r] = out.get(r, 0.0) + wt * s
                return out
            cand = np.unique(np.concatenate([a, b]))
            total = np.zeros(len(cand))
            for sc, wt in ((a_s, k.dense_weight), (b_s, k.words_weight)):
                x = np.where(np.isfinite(sc[cand]), sc[cand], 0.0)
                x = (
                    (x - x.mean()) / (x.std() + 1e-9)
                    if k.fusion == "z"
                    else (x - x.min()) / (np.ptp(x) + 1e-9)
                )
                total += wt * x
            return dict(zip(cand.tolist(), total.tolist(), strict=True))

        dense, d_s = dense_top(query)
        lexical_rows, l_s = words_top(w0, mask)
        fused = fuse(dense, lexical_rows, d_s, l_s)
        mean = vectors.mean(axis=0) if k.neg_all else vectors[mask].mean(axis=0)
        for _ in range(k.rounds):
            best = np.asarray(sorted(fused, key=lambda r: -fused[r])[: max(k.feedback_rows, k.rm3_docs)])
            if not len(best):
                break
            cands = np.unique(np.concatenate([dense, lexical_rows]))
            if k.feedback_rows and k.feedback_weight > 0:
                centroid = vectors[best[: k.feedback_rows]].mean(axis=0) - k.neg * mean
                expanded = query + k.feedback_weight * centroid
                expanded /= np.linalg.norm(expanded)
                if k.dense_full:
                    dense, d_s = dense_top(expanded)
                else:
                    d_s = np.full(len(mask), -np.inf)
                    cv = vectors[cands]
                    if k.centre_rerank:
                        cv = cv - mean
                        cv /= np.linalg.norm(cv, axis=1, keepdims=True) + 1e-9
                    d_s[cands] = cv @ expanded
                    dense = cands[np.argsort(-d_s[cands], kind="stable")]
            if k.rm3_docs:
                w = {t: (1 - k.rm3_weight) * v for t, v in w0.items()}
                for t, v in self.feedback_terms(best[: k.rm3_docs], k).items():
                    w[t] = w.get(t, 0.0) + k.rm3_weight * v
                within = mask.copy()
                if not k.rm3_full:
                    within[:] = False
                    within[cands] = mask[cands]
                lexical_rows, l_s = words_top(w, within)
            fused = fuse(dense, lexical_rows, d_s, l_s)
        rows = np.fromiter(fused, dtype=np.int64, count=len(fused))
        score = np.fromiter(fused.values(), dtype=np.float64, count=len(fused))
        if k.prior and len(rows):
            posts = np.asarray(self.catalog.column("posts"), np.float64)
            score = score / score.max() + k.prior * np.log1p(posts[rows]) / np.log1p(posts.max())
        order = np.argsort(-score, kind="stable")
        rows, score = rows[order], score[order]
        if k.floor and len(rows):
            fit = vectors[rows] @ query
            rows = rows[np.lexsort((-score, ~(fit >= WELL_FIT_SHARE * fit.max())))]
        return [self.catalog.account_ids[int(r)] for r in rows[:50]]


NEG = {"neg": 1.0, "feedback_weight": 2.0, "neg_all": True}
VARIANTS: dict[str, Knobs] = {
    "as shipped in session 17 (words x 2)": Knobs(),
    "dense only": Knobs(words_weight=0.0),
    "words only": Knobs(dense_weight=0.0, feedback_rows=0),
    "words only, RM3 full search": Knobs(dense_weight=0.0, feedback_rows=0, rm3_docs=10, rm3_full=True),
    "RM3 10 creators, 20 words, 0.5": Knobs(rm3_docs=10),
    "RM3 same, x idf": Knobs(rm3_docs=10, rm3_idf=True),
    "RM3 same, full search": Knobs(rm3_docs=10, rm3_full=True),
    "RM3 same, x idf, full search": Knobs(rm3_docs=10, rm3_idf=True, rm3_full=True),
    "RM3 words in >= 3 of 10, x idf, 10 words, 0.3": Knobs(
        rm3_docs=10, rm3_mindocs=3, rm3_terms=10, rm3_weight=0.3
    ),
    "same, full search": Knobs(rm3_docs=10, rm3_mindocs=3, rm3_terms=10, rm3_weight=0.3, rm3_full=True),
    "same, 20 words, 0.5, full": Knobs(
        rm3_docs=10, rm3_mindocs=3, rm3_terms=20, rm3_weight=0.5, rm3_full=True
    ),
    "CombSUM z-scores": Knobs(fusion="z"),
    "CombSUM min-max": Knobs(fusion="minmax"),
    "feedback searches every creator": Knobs(dense_full=True),
    "feedback x 2 rounds": Knobs(rounds=2),
    "feedback x 3 rounds": Knobs(rounds=3),
    "2 rounds, min-max": Knobs(rounds=2, fusion="minmax"),
    "2 rounds, RM3 0.3": Knobs(rounds=2, rm3_docs=10, rm3_weight=0.3),
    "feedback centroid x 2": Knobs(feedback_weight=2.0),
    "Rocchio - 0.5 x mean of passing creators": Knobs(neg=0.5),
    "Rocchio - 1 x mean of passing creators": Knobs(neg=1.0),
    "same, centroid x 2": Knobs(neg=1.0, feedback_weight=2.0),
    "same, centroid x 3": Knobs(neg=1.0, feedback_weight=3.0),
    "same, - 0.75 x mean": Knobs(neg=0.75, feedback_weight=2.0),
    "same, - 1.5 x mean": Knobs(neg=1.5, feedback_weight=2.0),
    "**Rocchio x 2 - 2 x mean of every creator (shipped)**": Knobs(**NEG),  # type: ignore[arg-type]
    "shipped, 2 rounds": Knobs(**NEG, rounds=2),  # type: ignore[arg-type]
    "shipped, 20 feedback creators": Knobs(**NEG, feedback_rows=20),  # type: ignore[arg-type]
    "shipped, feedback searches every creator": Knobs(**NEG, dense_full=True),  # type: ignore[arg-type]
    "shipped, words x 1.5": Knobs(**NEG, words_weight=1.5),  # type: ignore[arg-type]
    "shipped, words x 3": Knobs(**NEG, words_weight=3.0),  # type: ignore[arg-type]
    "shipped, RRF k 30": Knobs(**NEG, rrf_k=30.0),  # type: ignore[arg-type]
    "shipped, 400 candidates": Knobs(**NEG, candidates=400),  # type: ignore[arg-type]
    "centred profiles in the re-rank, - 1 x mean": Knobs(neg=1.0, centre_rerank=True),
    "words cut to 5 letters, + 1 x": Knobs(trunc=5),
    "words cut to 5 letters, + 0.5 x": Knobs(trunc=5, trunc_weight=0.5),
    "words cut to 5 letters only": Knobs(trunc=5, trunc_only=True),
    "words cut to 4 letters, + 0.5 x": Knobs(trunc=4, trunc_weight=0.5),
    "words cut to 6 letters, + 1 x": Knobs(trunc=6),
    "brief from whole words and first pieces (>= 5 letters)": Knobs(head_query=5),
    "document prior 0.1 x log(posts)": Knobs(prior=0.1),
    "document prior 0.3 x log(posts)": Knobs(prior=0.3),
}
HALVES = dt.HALVES


def ceiling(catalog: Catalog, labels: dict[str, str], countries: dict[str, str]) -> dict[str, float]:
    """Held-out NDCG@10 of each category's centred tune-half centroid used as the query."""
    ids, vectors = catalog.account_ids, catalog.index.vectors
    tune = np.array([countries.get(a) in dt.TUNE_COUNTRIES for a in ids])
    held = np.array([countries.get(a) in dt.HELD_OUT_COUNTRIES for a in ids])
    label = np.array([labels.get(a, "") for a in ids])
    out = {}
    for category in rd.BRIEFS:
        relevant = int((held & (label == category)).sum())
        if relevant < rd.GOAL_MIN_CHANNELS or not (tune & (label == category)).any():
            continue
        q = vectors[tune & (label == category)].mean(axis=0) - vectors[tune].mean(axis=0)
        s = np.where(held, vectors @ q, -np.inf)
        out[category] = round(rd.ndcg_at([label[i] == category for i in np.argsort(-s)[:10]], relevant), 4)
    out["mean"] = round(float(np.mean(list(out.values()))), 4)
    return out


def split_parser(doc: str | None) -> argparse.ArgumentParser:
    """The options of a variants benchmark on the country split: --workdir, --db, --halves,
    --only, --out."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--db", default="yt3-all.duckdb")
    parser.add_argument("--halves", default="tune,held_out,all")
    parser.add_argument("--only", nargs="*", help="variant names (default: all)")
    parser.add_argument("--out", type=Path)
    return parser


def main() -> None:
    """Command line."""
    parser = split_parser(__doc__)
    parser.add_argument("--ceiling", action="store_true")
    args = parser.parse_args()
    db = args.workdir / args.db
    catalog, labels, countries = dt.load_split(db)
    searcher = Searcher(catalog, db)
    report: dict[str, Any] = {}
    if args.ceiling:
        report["ceiling"] = ceiling(catalog, labels, countries)
        print("supervised ceiling (held out):", report["ceiling"], flush=True)
    halves = args.halves.split(",")
    for name in args.only or list(VARIANTS):
        k = VARIANTS[name]
        row = {h: dt.evaluate(searcher, k, labels, countries, HALVES[h]) for h in halves}
        report[name] = row
        first = row[halves[0]]
        cats = " ".join(
            f"{c[:5]} {v['ndcg10']:.3f}"
            for c, v in first["per_category"].items()
            if c in first["goal_categories"]
        )
        print(
            f"{name[:48]:48s} "
            + " ".join(f"{h} {row[h]['mean_ndcg10_goal']:.4f}" for h in halves)
            + f" | {halves[0]}: {cats}",
            flush=True,
        )
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
