"""Snowball stems on the words side, on the country split (session 20, issue 15).

The words side of the search (BM25 over every word a creator wrote, the brief's words and their
vocabulary neighbours) matches words exactly: a French brief's *chansons* misses a channel that
wrote *chanson*, a German brief's *Spiele* one that wrote *Spiel*. Each variant re-indexes the
channels' words (titles and tags, as `covey index` does) with one way of turning a word into
terms, and reads the brief's words the same way; everything else is the search as session 18
shipped it (``discovery_crosslingual.Knobs()``). Schemes:

- ``words``: the word itself (the shipped index; rebuilt here from the database, and checked to
  equal the index's own postings);
- ``stems``: the distinct Snowball stems of the word in the six languages (en, es, fr, de, it,
  pt): no language needs to be known; ``split``: a brief word's weight shared among its stems;
- ``english`` / ``agree`` / ``majority``: one stem per word (English; the stem when all six
  agree, else the word; the most common of the six, ties to the shorter);
- ``creator``: each channel's words stemmed in its own language (the ``language`` column;
  channels in another or no language: the six stems), the brief's words by their six stems;
  ``creator+brief``: the brief's words by the brief's own language's stem (which the benchmark
  knows; `covey discover` does not, so this is a check of the idea, not a shippable scheme);
- ``NAME+words``: the word itself and its NAME stems, a stem match weighing ``stem_weight``;
  ``light``: a stem only when it cuts at most that many letters off the word;
- ``unknown_only``: only the words the model cannot hold as one whole token are stemmed (the
  others, English ones mostly, keep their exact match);
- ``split-stems``: the tune half's choice, the English stem of the words the model splits (the
  run at 002cbe6 made these terms in `covey index` itself; that code was removed with the result).

A scheme is chosen on the tune half only; the held-out half and every channel are run once,
after the code is frozen (``--halves``), with a paired bootstrap interval of the goal-mean change.

    python benchmarks/discovery_stems.py --workdir /tmp/stem/discovery --halves tune
    python benchmarks/discovery_stems.py --workdir /tmp/stem/discovery --only NAME --halves held_out,all

Result (session 20, docs/discovery.md): the tune half chose ``split-stems`` (0.573 -> 0.588); held
out 0.539 -> 0.535 (95 % interval -0.021 to +0.015), French and German briefs no better, every
channel 0.499 -> 0.515: not shipped (``covey index`` builds plain words). Needs ``snowballstemmer``
(``pip install "covey[stems]"``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import discovery_crosslingual as cl
import discovery_feedback as fb
import discovery_realdata as rd
import discovery_tune as dt
import numpy as np

from covey.discovery.catalog import Catalog
from covey.discovery.lexical import Postings, aggregate, term_id, words

LANGUAGES = ("english", "spanish", "french", "german", "italian", "portuguese")
CODES = ("en", "es", "fr", "de", "it", "pt")  # LANGUAGES' ISO codes, in order
BRIEF_LANGUAGE = {brief: lang for by_lang in rd.BRIEFS.values() for lang, brief in by_lang.items()}


@dataclass(frozen=True)
class Knobs(cl.Knobs):
    """Session 18's shipped search with a term scheme on the words side."""

    terms: str = "words"
    split: bool = False  # a brief word's weight shared among its terms
    stem_weight: float = 1.0  # with "+words" schemes: a stem term's weight against the word's own
    light: int = 0  # > 0: a stem counts only when it cuts at most this many letters off the word
    unknown_only: bool = False  # stem only the words the model does not hold as one whole token


@lru_cache(maxsize=1)
def _stemmers() -> tuple[Any, ...]:
    import snowballstemmer

    return tuple(snowballstemmer.stemmer(lang) for lang in LANGUAGES)


def stems_of(word: str) -> tuple[str, ...]:
    """The word's Snowball stem in each of LANGUAGES, in that order."""
    return tuple(s.stemWord(word) for s in _stemmers())


@lru_cache(maxsize=1 << 20)
def word_terms(word: str, scheme: str) -> tuple[int, ...]:
    """The word's terms under ``words``, ``stems`` (distinct stems of the six), ``english``,
    ``agree`` (the stem when the six agree, else the word) or ``majority`` (the most common
    stem of the six, ties to the shorter)."""
    if scheme == "words":
        return (term_id(word),)
    stems = stems_of(word)
    if scheme == "stems":
        return tuple(sorted({term_id(s) for s in stems}))
    if scheme == "english":
        return (term_id(stems[0]),)
    if scheme == "agree":
        return (term_id(stems[0] if len(set(stems)) == 1 else word),)
    if scheme == "majority":
        ranked = Counter(stems).most_common()
        return (term_id(min((s for s, c in ranked if c == ranked[0][1]), key=len)),)
    raise ValueError(scheme)


def _one_stem(word: str, code: str) -> tuple[int, ...]:
    if code in CODES:
        return (term_id(_stemmers()[CODES.index(code)].stemWord(word)),)
    return word_terms(word, "stems")


def scheme_terms(word: str, scheme: str, light: int = 0) -> tuple[int, ...]:
    """The word's terms under a benchmark scheme: ``word_terms`` schemes, plus
    NAME+words (the word itself first, then its distinct NAME stems) and, with ``light``, only
    stems that cut at most ``light`` letters off the word (the word itself otherwise)."""
    base, plus = (scheme[: -len("+words")], True) if scheme.endswith("+words") else (scheme, False)
    if light:
        ss = [_stemmers()[0].stemWord(word)] if base == "english" else list(stems_of(word))
        kept = {term_id(s) for s in ss if len(word) - len(s) <= light and word.startswith(s)}
        ts = tuple(sorted(kept)) or (term_id(word),)
    else:
        ts = word_terms(word, base)
    if not plus:
        return ts
    own = term_id(word)
    return (own, *[t for t in ts if t != own])


class Searcher(cl.Searcher):
    """``discovery_crosslingual.Searcher`` with the words side indexed and queried by scheme."""

    def __init__(self, catalog: Catalog, db: Any) -> None:
        super().__init__(catalog, db)
        self.by_scheme: dict[str, Postings] = {}
        self.memo: dict[tuple[str, str], tuple[int, ...]] = {}
        self.brief_language = ""
        ids, _, per_video = rd.channel_documents(db)
        self.owners = [self.catalog.row_of[a] for a, v in zip(ids, per_video, strict=True) for _ in v]
        self.texts = [t for v in per_video for t in v]
        self.language = [str(x) for x in catalog.column("language")]

    def scheme_index(self, scheme: str) -> Postings:
        """Every channel's titles and tags counted under ``scheme``."""
        if scheme not in self.by_scheme:
            own: list[int] = []
            terms: list[int] = []
            for o, t in zip(self.owners, self.texts, strict=True):
                code = self.language[o]
                for w in words(t or ""):
                    ts = _one_stem(w, code) if scheme.startswith("creator") else self.cached(w, scheme)
                    own.extend([o] * len(ts))
                    terms.extend(ts)
            r, t_, c = aggregate(
                np.asarray(own, np.int64), np.asarray(terms, np.int64), np.ones(len(own), np.int64)
            )
            self.by_scheme[scheme] = Postings(r, t_, c, len(self.catalog))
        return self.by_scheme[scheme]

    def cached(self, word: str, scheme: str) -> tuple[int, ...]:
        if scheme == "split-stems":  # the tune half's choice: the English stem of the words the model splits
            return self.cached(word, "unknown:english")
        key = (word, scheme)
        if key not in self.memo and scheme.startswith("unknown:"):
            if self.embedder._tokenizer.token_to_id(word) is not None:
                self.memo[key] = (term_id(word),)  # the model reads it whole: kept as it is
            else:
                self.memo[key] = self.cached(word, scheme[len("unknown:") :])
        if key not in self.memo:
            light = int(scheme.split("@")[1]) if "@" in scheme else 0
            self.memo[key] = scheme_terms(word, scheme.split("@")[0], light)
        return self.memo[key]

    def scheme_name(self, k: Knobs) -> str:
        name = f"{k.terms}@{k.light}" if k.light else k.terms
        return f"unknown:{name}" if k.unknown_only else name

    def words_index(self, k1_b: tuple[float, float]) -> Postings:
        return self.scheme_index(self.scheme_name(self.current))  # type: ignore[arg-type]

    def query_terms(self, word: str, k: Knobs) -> tuple[int, ...]:
        if k.terms == "creator":
            return word_terms(word, "stems")
        if k.terms == "creator+brief":
            return _one_stem(word, self.brief_language)
        return self.cached(word, self.scheme_name(k))

    def weights(self, topic: str, query: np.ndarray, k: dt.Knobs) -> dict[int, float]:
        assert isinstance(k, Knobs)
        out: dict[int, float] = {}

        def put(word: str, weight: float) -> None:
            ts = self.query_terms(word, k)
            for j, t in enumerate(ts):
                w = weight / len(ts) if k.split else weight
                if k.terms.endswith("+words") and j:
                    w *= k.stem_weight  # a stem match counts less than the word itself
                out[t] = max(out.get(t, 0.0), w)

        for w in words(topic):
            if self.terms.content(w):
                put(w, 1.0)
        sims = self.terms.unit @ query
        for i in np.argsort(-sims)[: k.expansion_terms]:
            if sims[i] >= k.expansion_min_sim:
                put(self.terms.words[i], float(sims[i]))
        return out

    def rank(self, brief: str, k: dt.Knobs, mask: np.ndarray) -> list[str]:
        assert isinstance(k, Knobs)
        self.current = k
        self.brief_language = BRIEF_LANGUAGE.get(brief, "")
        return super().rank(brief, k, mask)


VARIANTS: dict[str, Knobs] = {
    "words (shipped)": Knobs(),
    "stems": Knobs(terms="stems"),
    "stems, split": Knobs(terms="stems", split=True),
    "english": Knobs(terms="english"),
    "agree": Knobs(terms="agree"),
    "majority": Knobs(terms="majority"),
    "creator": Knobs(terms="creator"),
    "creator+brief": Knobs(terms="creator+brief"),
    "stems+words": Knobs(terms="stems+words"),
    "stems+words, stems x 0.5": Knobs(terms="stems+words", stem_weight=0.5),
    "english+words, stem x 0.5": Knobs(terms="english+words", stem_weight=0.5),
    "light stems (<= 2 letters)": Knobs(terms="stems", light=2),
    "light english (<= 2 letters)": Knobs(terms="english", light=2),
    "light stems+words, x 0.5": Knobs(terms="stems+words", light=2, stem_weight=0.5),
    "stems of the words the model splits": Knobs(terms="stems", unknown_only=True),
    "english stem of the words the model splits": Knobs(terms="english", unknown_only=True),
    "split-stems": Knobs(terms="split-stems"),
    "majority of the words the model splits": Knobs(terms="majority", unknown_only=True),
}


def main() -> None:
    """Command line."""
    parser = fb.split_parser(__doc__)
    args = parser.parse_args()
    db = args.workdir / args.db
    catalog, labels, countries = dt.load_split(db)
    searcher = Searcher(catalog, db)
    rebuilt, own = searcher.scheme_index("words"), catalog.lexical
    same = all(np.array_equal(getattr(rebuilt, a), getattr(own, a)) for a in ("rows", "terms", "counts"))
    print(f"words rebuilt from the database equal the index's postings: {same}", flush=True)
    cl.run_and_save(searcher, VARIANTS, args, labels, countries)


if __name__ == "__main__":
    main()
