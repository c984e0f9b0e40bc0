"""Cross-lingual expansion of a brief from the catalog itself, on the country split (session 19).

The static model, distilled from an English teacher, knows little French or German: a brief in
those languages means less to it than an English one (held out, Entertainment: en 0.94, fr and de
0.00 NDCG@10). The catalog knows more: channels write titles and tags in their own language and
often tag in English too, so the creators who use a brief's word say what the word means here.
Variants of the search as session 18 shipped it (``discovery_feedback.Knobs(**NEG)``), all learned
without labels from the indexed channels:

- ``wc``: word centroids. Each content word of the brief found in the index stands for the mean
  profile of the creators using it (the ``wc_cap`` with its highest BM25 impacts), less the mean
  profile of every creator; their idf-weighted mean, times ``wc``, is added to the brief's
  embedding before anything else (so the dense search, the vocabulary neighbours of the words
  side and the feedback all see it). ``wc_min_df``: words used by fewer creators are ignored;
  ``wc_own``: only words the model does not know as one whole token (the ones it cannot read);
  ``wc_shrink``: a word's centroid counts df / (df + wc_shrink); ``wc_idf_pow``: weights idf to
  this power; ``wc_max_share``: words used by more creators are ignored; ``wc_posts``: each
  word's centroid from the embeddings of the videos using it instead of the creators' profiles
  (sharper, but the index keeps no per-post vectors: a benchmark-only check of the idea);
- ``adapt``: the meaning's fusion weight times (the share of the brief's content words the model
  knows as whole tokens) to this power: a brief the model cannot read leans on the words;
- ``lang_out``: the brief's embedding with the directions that tell the creators' languages apart
  (each language's mean profile less the mean of all) projected out;
- ``cooc``: co-occurrence expansion of the words side (an association thesaurus, Qiu & Frei
  1993): for each brief word, the ``cooc_terms`` words most used by the creators who use it
  (share of them x idf), added with weight ``cooc`` x that score over the best one's;
- ``channels``: "channels", "chaînes", "canales", "Kanäle", "canali", "canais" dropped from the
  brief as boilerplate (they name the medium, like "accounts");
- ``fields``: the words side re-indexed with each video's tags counted once per channel per tag
  word (a channel that pastes the same 30 tags on every video does not get 30 counts of each),
  titles as they are, or (``title_weight``) each title word counted 2 or 3 times.

A variant is chosen on the tune half only; the held-out half and every channel are reported,
with a paired bootstrap interval (over the briefs, 2,000 resamples, seed 0) of the goal-mean
change against the shipped search.

    python benchmarks/discovery_crosslingual.py --workdir /tmp/discovery [--only NAME ...] [--anchors]

Result (session 19, docs/discovery.md): the tune half chose word centroids of the words the model
splits, x 0.5 (tune 0.585 against 0.573); held out +0.023 (95 % interval -0.003 to +0.055), every
channel -0.007: within the noise, so nothing of this file is in ``covey``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import discovery_feedback as fb
import discovery_realdata as rd
import discovery_tune as dt
import numpy as np

from covey.discovery.brief import parse_brief
from covey.discovery.catalog import Catalog
from covey.discovery.lexical import Postings, aggregate, term_id, words

_CHANNELS = re.compile(r"\b(channels?|chaines?|canales|canal|kanale|kanal|canali|canale|canais)\b")


@dataclass(frozen=True)
class Knobs(fb.Knobs):
    """Session 18's shipped search plus this session's knobs."""

    neg: float = 1.0
    feedback_weight: float = 2.0
    neg_all: bool = True
    wc: float = 0.0
    wc_cap: int = 1000
    wc_min_df: int = 2
    wc_own: bool = False
    wc_neighbours: bool = True  # the expanded vector also picks the words side's neighbours
    wc_shrink: float = 0.0  # a word's centroid counts df / (df + wc_shrink): few users, little say
    lang_out: bool = False
    wc_idf_pow: float = 1.0  # a word's centroid weighs idf ** this
    wc_max_share: float = 0.5  # words used by a larger share of creators are ignored
    wc_posts: bool = False  # a word's centroid from the posts using it, not the creators
    adapt: float = 0.0  # the meaning's fusion weight x (share of the brief's words the model knows) ** adapt
    cooc: float = 0.0
    cooc_terms: int = 10
    channels: bool = False
    fields: bool = False
    title_weight: int = 1  # with fields: each title word counts this many times
    tags_once: bool = True  # with fields: each tag word once per channel (else as often as used)


class Searcher(fb.Searcher):
    """``discovery_feedback.Searcher`` with word centroids and co-occurrence expansion."""

    def __init__(self, catalog: Catalog, db: Path) -> None:
        super().__init__(catalog, db)
        self.mean = catalog.index.vectors.mean(axis=0)
        self.by_tags: Postings | None = None
        self.by_tags_key: tuple[int, bool] = (0, False)
        self.current: Knobs = Knobs()
        # Directions that tell the creators' languages apart (each language's mean profile less
        # the mean of all, languages with 50 creators or more), orthonormalised.
        lang = np.asarray([str(x) for x in catalog.column("language")])
        dirs = [
            catalog.index.vectors[lang == code].mean(axis=0) - self.mean
            for code in np.unique(lang)
            if (lang == code).sum() >= 50
        ]
        self.language_basis = np.linalg.qr(np.asarray(dirs).T)[0].T.astype(np.float32)

    def tag_once_index(self) -> Postings:
        """Postings with title words counted ``title_weight`` times and each tag word once per
        channel (or, without ``tags_once``, as often as it is used)."""
        key = (self.current.title_weight, self.current.tags_once)
        if self.by_tags is None or self.by_tags_key != key:
            self.by_tags_key = key
            import duckdb

            con = duckdb.connect(str(self.db), read_only=True)
            rows = con.execute(
                """SELECT account_id, title, array_to_string(coalesce(hashtags, []::VARCHAR[]), ' ')
                   FROM posts"""
            ).fetchall()
            con.close()
            own, terms, tag_own, tag_terms = [], [], [], []
            for a, title, tags in rows:
                r = self.catalog.row_of[a]
                for w in words(title or ""):
                    own.append(r)
                    terms.append(term_id(w))
                for w in words(tags or ""):
                    tag_own.append(r)
                    tag_terms.append(term_id(w))
            t_own, t_terms = np.asarray(tag_own, np.int64), np.asarray(tag_terms, np.int64)
            pair = t_terms * len(self.catalog) + t_own
            if self.current.tags_once:
                pair = np.unique(pair)  # one count per channel and tag word
            n_title = len(own)
            r_all = np.concatenate([np.asarray(own, np.int64), pair % len(self.catalog)])
            t_all = np.concatenate([np.asarray(terms, np.int64), pair // len(self.catalog)])
            counts = np.ones(len(r_all), np.int64)
            counts[:n_title] = self.current.title_weight
            self.by_tags = Postings(*aggregate(r_all, t_all, counts), len(self.catalog))
        return self.by_tags

    def words_index(self, k1_b: tuple[float, float]) -> Postings:
        if self.current.fields:
            return self.tag_once_index()
        return super().words_index(k1_b)

    def topic(self, brief: str, k: Knobs) -> str:
        t = parse_brief(brief).topic
        return re.sub(r"\s+", " ", _CHANNELS.sub(" ", t)).strip() if k.channels else t

    def word_slices(self, topic: str, min_df: int, own: bool) -> list[tuple[int, int, float]]:
        """(start, end, idf) in the postings of every content word of ``topic`` in the index."""
        lex = self.catalog.lexical
        out = []
        seen = set()
        for w in words(topic):
            if w in seen or not self.terms.content(w):
                continue
            seen.add(w)
            if own and self.embedder._tokenizer.token_to_id(w) is not None:
                continue  # the model knows this word whole
            t = term_id(w)
            i = int(np.searchsorted(lex.unique_terms, t))
            if i >= len(lex.unique_terms) or lex.unique_terms[i] != t:
                continue
            s, e = int(lex.starts[i]), int(lex.ends[i])
            df = e - s
            if df < min_df or 2 * df > lex.n_rows:
                continue
            out.append((s, e, float(np.log1p((lex.n_rows - df + 0.5) / (df + 0.5)))))
        return out

    def posts_of(self) -> tuple[np.ndarray, dict[int, list[int]]]:
        """Every video's embedding (unit rows) and term id -> the videos using the word."""
        if not hasattr(self, "_posts"):
            _, _, per_video = rd.channel_documents(self.db)
            texts = [t for v in per_video for t in v]
            inverted: dict[int, list[int]] = {}
            for i, t in enumerate(texts):
                for tid in {term_id(w) for w in words(t)}:
                    inverted.setdefault(tid, []).append(i)
            self._posts = (self.embedder.embed(texts), inverted)
        return self._posts

    def post_centroids(self, topic: str, k: Knobs) -> np.ndarray | None:
        """The idf-weighted mean, over the brief's words, of the mean embedding of the videos
        using each word, less the mean video."""
        vecs, inverted = self.posts_of()
        mean = vecs.mean(axis=0)
        total, weight = np.zeros(vecs.shape[1]), 0.0
        for s, _e, idf in self.word_slices(topic, k.wc_min_df, k.wc_own):
            tid = int(self.catalog.lexical.terms[s])
            posts = inverted.get(tid, [])
            if posts:
                total += idf * (vecs[posts].mean(axis=0) - mean)
                weight += idf
        return (total / weight).astype(np.float32) if weight else None

    def query_vector(self, topic: str, k: fb.Knobs) -> np.ndarray:
        assert isinstance(k, Knobs)
        q = super().query_vector(topic, k)
        if k.lang_out:
            q = q - self.language_basis.T @ (self.language_basis @ q)
            q = (q / np.linalg.norm(q)).astype(np.float32)
        if not k.wc:
            return q
        if k.wc_posts:
            c = self.post_centroids(topic, k)
            if c is None:
                return q
            v = q + k.wc * c
            return (v / np.linalg.norm(v)).astype(np.float32)
        lex = self.catalog.lexical
        total = np.zeros_like(q, dtype=np.float64)
        weight = 0.0
        for s, e, idf in self.word_slices(topic, k.wc_min_df, k.wc_own):
            if e - s > k.wc_max_share * lex.n_rows:
                continue
            idf = idf**k.wc_idf_pow
            rows, imp = lex.rows[s:e], lex.impact[s:e]
            if len(rows) > k.wc_cap:
                top = np.argpartition(-imp, k.wc_cap - 1)[: k.wc_cap]
                rows = rows[top]
            trust = (e - s) / (e - s + k.wc_shrink)
            total += trust * idf * (self.catalog.index.vectors[rows].mean(axis=0) - self.mean)
            weight += idf
        if not weight:
            return q
        v = q + k.wc * (total / weight).astype(np.float32)
        return (v / np.linalg.norm(v)).astype(np.float32)

    def weights(self, topic: str, query: np.ndarray, k: dt.Knobs) -> dict[int, float]:
        assert isinstance(k, Knobs)
        out = super().weights(topic, query if k.wc_neighbours else self.embedder.embed_one(topic), k)
        if not k.cooc:
            return out
        lex, n = self.catalog.lexical, self.catalog.lexical.n_rows
        extra: dict[int, float] = {}
        for s, e, _ in self.word_slices(topic, 2, False):
            rows = lex.rows[s:e]
            lens = self.row_start[rows + 1] - self.row_start[rows]
            starts = np.repeat(self.row_start[rows] - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
            pos = self.by_row[starts + np.arange(int(lens.sum()))]
            t, c = np.unique(lex.terms[pos], return_counts=True)
            df = np.array([self.df_of[x] for x in t.tolist()])
            ok = (c >= 2) & (2 * df <= n)
            score = c[ok] / len(rows) * np.log1p((n - df[ok] + 0.5) / (df[ok] + 0.5))
            t = t[ok]
            for j in np.argsort(-score)[: k.cooc_terms + 1]:
                tid = int(t[j])
                extra[tid] = max(extra.get(tid, 0.0), float(score[j]))
        if extra:
            top = max(extra.values())
            for tid, v in extra.items():
                out[tid] = max(out.get(tid, 0.0), k.cooc * v / top)
        return out

    def rank(self, brief: str, k: dt.Knobs, mask: np.ndarray) -> list[str]:
        assert isinstance(k, Knobs)
        self.current = k
        if k.channels:
            brief = self.topic(brief, k) or brief
        if k.adapt:
            content = [w for w in words(parse_brief(brief).topic) if self.terms.content(w)]
            known = [self.embedder._tokenizer.token_to_id(w) is not None for w in content]
            share = sum(known) / len(known) if known else 1.0
            k = replace(k, dense_weight=k.dense_weight * share**k.adapt)
        return super().rank(brief, k, mask)


VARIANTS: dict[str, Knobs] = {
    "shipped (session 18)": Knobs(),
    "wc 0.5": Knobs(wc=0.5),
    "wc 1": Knobs(wc=1.0),
    "wc 2": Knobs(wc=2.0),
    "wc 1, cap 200": Knobs(wc=1.0, wc_cap=200),
    "wc 1, min df 5": Knobs(wc=1.0, wc_min_df=5),
    "wc 1, words the model splits only": Knobs(wc=1.0, wc_own=True),
    "wc 2, words the model splits only": Knobs(wc=2.0, wc_own=True),
    "wc 1, neighbours from the brief alone": Knobs(wc=1.0, wc_neighbours=False),
    "wc 1, own, shrink 10": Knobs(wc=1.0, wc_own=True, wc_shrink=10.0),
    "wc 1, shrink 10": Knobs(wc=1.0, wc_shrink=10.0),
    "wc 2, shrink 10": Knobs(wc=2.0, wc_shrink=10.0),
    "wc 0.5, own": Knobs(wc=0.5, wc_own=True),
    "wc 0.25, own": Knobs(wc=0.25, wc_own=True),
    "wc 0.75, own": Knobs(wc=0.75, wc_own=True),
    "wc 0.5, own, shrink 10": Knobs(wc=0.5, wc_own=True, wc_shrink=10.0),
    "wc 0.5, own, neighbours from the brief alone": Knobs(wc=0.5, wc_own=True, wc_neighbours=False),
    "wc 0.5, own, cap 200": Knobs(wc=0.5, wc_own=True, wc_cap=200),
    "wc 0.5, own, idf^2": Knobs(wc=0.5, wc_own=True, wc_idf_pow=2.0),
    "wc 0.5, own, words of <= 5 % of creators": Knobs(wc=0.5, wc_own=True, wc_max_share=0.05),
    "wc 1, own, idf^2": Knobs(wc=1.0, wc_own=True, wc_idf_pow=2.0),
    "post centroids 0.5, own": Knobs(wc=0.5, wc_own=True, wc_posts=True),
    "post centroids 1, own": Knobs(wc=1.0, wc_own=True, wc_posts=True),
    "post centroids 0.5, every word": Knobs(wc=0.5, wc_posts=True),
    "post centroids 1, every word": Knobs(wc=1.0, wc_posts=True),
    "meaning x known share": Knobs(adapt=1.0),
    "meaning x known share ^ 2": Knobs(adapt=2.0),
    "meaning x known share ^ 0.5": Knobs(adapt=0.5),
    "meaning x known share, wc 0.5 own": Knobs(adapt=1.0, wc=0.5, wc_own=True),
    "brief without the languages' directions": Knobs(lang_out=True),
    "same, wc 1 own": Knobs(lang_out=True, wc=1.0, wc_own=True),
    "cooc 0.3": Knobs(cooc=0.3),
    "cooc 0.5": Knobs(cooc=0.5),
    "cooc 0.5, 20 terms": Knobs(cooc=0.5, cooc_terms=20),
    "channels as boilerplate": Knobs(channels=True),
    "tags once per channel": Knobs(fields=True),
    "titles x 2": Knobs(fields=True, title_weight=2, tags_once=False),
    "titles x 3": Knobs(fields=True, title_weight=3, tags_once=False),
    "titles x 2, tags once per channel": Knobs(fields=True, title_weight=2),
}
HALVES = dt.HALVES


def paired_bootstrap(base: dict[str, Any], new: dict[str, Any], n: int = 2000, seed: int = 0) -> list[float]:
    """95 % interval of the goal-mean change, resampling briefs (category x language) in pairs.

    The goal mean is a mean over categories of a mean over languages; resampling the languages
    within each category keeps that structure.
    """
    goal = set(base["goal_categories"])
    pairs: dict[str, list[tuple[float, float]]] = {}
    new_of = {(r["category"], r["language"]): r["ndcg10"] for r in new["per_brief"]}
    for r in base["per_brief"]:
        if r["category"] in goal:
            pairs.setdefault(r["category"], []).append((r["ndcg10"], new_of[(r["category"], r["language"])]))
    rng = np.random.default_rng(seed)
    diffs = np.zeros(n)
    for p in pairs.values():
        d = np.array([b - a for a, b in p])
        diffs += d[rng.integers(0, len(d), size=(n, len(d)))].mean(axis=1)
    diffs /= len(pairs)
    return [round(float(np.quantile(diffs, 0.025)), 4), round(float(np.quantile(diffs, 0.975)), 4)]


def run_variants(
    searcher: fb.Searcher,
    variants: dict[str, Any],
    names: list[str],
    halves: list[str],
    labels: dict[str, str],
    countries: dict[str, str],
) -> dict[str, Any]:
    """Score each named variant on each half, the first of ``variants`` as the base every other
    is compared with (paired bootstrap interval), printing one line per variant."""
    report: dict[str, Any] = {}
    base_name = next(iter(variants))
    if base_name not in names:
        names = [base_name, *names]
    for name in names:
        row = {h: dt.evaluate(searcher, variants[name], labels, countries, HALVES[h]) for h in halves}
        if name != base_name:
            for h in halves:
                row[h]["change_ci95"] = paired_bootstrap(report[base_name][h], row[h])
        report[name] = row
        cells = []
        for h in halves:
            r = row[h]
            ci = r.get("change_ci95")
            cells.append(f"{h} {r['mean_ndcg10_goal']:.4f}" + (f" [{ci[0]:+.3f},{ci[1]:+.3f}]" if ci else ""))
        langs = " ".join(f"{lang} {v['ndcg10']:.3f}" for lang, v in row[halves[0]]["per_language"].items())
        print(f"{name[:40]:40s} " + " | ".join(cells) + f" | {halves[0]}: {langs}", flush=True)
    return report


def run_and_save(
    searcher: fb.Searcher,
    variants: dict[str, Any],
    args: Any,
    labels: dict[str, str],
    countries: dict[str, str],
) -> dict[str, Any]:
    """``run_variants`` over the command line's ``--halves`` and ``--only``, the report written to
    ``--out`` when given."""
    halves = args.halves.split(",")
    report = run_variants(searcher, variants, args.only or list(variants), halves, labels, countries)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def main() -> None:
    """Command line."""
    parser = fb.split_parser(__doc__)
    parser.add_argument("--anchors", action="store_true", help="also TF-IDF and BM25 on each half")
    args = parser.parse_args()
    db = args.workdir / args.db
    catalog, labels, countries = dt.load_split(db)
    searcher = Searcher(catalog, db)
    halves = args.halves.split(",")
    report = run_variants(searcher, VARIANTS, args.only or list(VARIANTS), halves, labels, countries)
    if args.anchors:
        report.update(dt.anchor_runs(db, labels, countries, {h: HALVES[h] for h in halves}))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
