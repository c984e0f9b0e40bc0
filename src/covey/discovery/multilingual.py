"""How `covey discover` reads a brief: the shipped model plus session 19's multilingual words.

The shipped model (``model/model.npz``) reads English well and other languages only through its
906-word lexicon. ``model/multilingual.npz`` holds 15,000 es/fr/de/it/pt words and their rows,
mapped into the same space (``benchmarks/distill_multilingual.py --brief-side``); appended after
the shipped model's rows, which they leave untouched, they make an extended model whose
tokenizer reads *chansons*, *Musikvideos* or *bandes-annonces* as words instead of pieces.

They are used for the brief only, never for creators' posts: the index, its profiles and its
words are the shipped model's (no re-index). Re-indexing creators with them (session 19) lost
English briefs, as foreign creators the model could now read competed with English ones.
Here, the brief is embedded by the extended model, and the words side's vocabulary neighbours
of the brief come from the extended vocabulary only when the brief holds a word the extended
model reads as one added row (a French or German word, mostly); otherwise the shipped model's
``QueryTerms`` as before. An English brief whose words the shipped model reads whole therefore
gets exactly today's embedding, words and neighbours, and ranks as before. Chosen on the tune
half of the real YouTube channels, judged on a brief set written afterwards
(``benchmarks/discovery_fresh_briefs.py``; docs/discovery.md, "Session 21").
"""

from __future__ import annotations

import json
import logging
from functools import cached_property, lru_cache

import numpy as np

from covey.discovery.embedder import FloatArray, StaticEmbedder
from covey.discovery.lexical import QueryTerms
from covey.errors import CoveyError

log = logging.getLogger("covey.discovery.multilingual")

ADDED_FILE = "multilingual.npz"  # next to the base model's files


def load_extended(base: StaticEmbedder) -> StaticEmbedder | None:
    """The base model plus the multilingual rows found beside it; None when there are none."""
    from tokenizers import Tokenizer

    path = base.model_dir / ADDED_FILE
    if not path.exists():
        return None
    try:
        with np.load(path) as data:
            rows = data["vectors"].astype(np.float32)
            added = [str(w) for w in data["words"]]
        spec = json.loads((base.model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    except (OSError, KeyError, ValueError) as exc:
        raise CoveyError(f"{path}: the multilingual words are damaged: {exc}") from exc
    vocab: dict[str, int] = spec["model"]["vocab"]
    n_base = len(base.vectors)
    if len(vocab) != n_base or len(rows) != len(added) or rows.shape[1] != base.dims:
        raise CoveyError(f"{path}: the multilingual words do not fit the model beside them")
    if any(w in vocab for w in added):
        raise CoveyError(f"{path}: a multilingual word is already in the model's vocabulary")
    # WordPiece entries after the base vocabulary: read whole, and by greedy longest match as the
    # stem of a longer word (the tokenizer distill_multilingual.py built and was evaluated with).
    spec["model"]["vocab"] = {**vocab, **{w: n_base + j for j, w in enumerate(added)}}
    tokenizer = Tokenizer.from_str(json.dumps(spec, ensure_ascii=False))
    vectors = np.vstack([base.vectors, rows])
    meta = {**base.meta, "name": f"{base.name}+multilingual", "base_vocabulary": n_base}
    return StaticEmbedder.from_parts(base.model_dir, vectors, tokenizer, meta)


class BriefReader:
    """A brief's embedding and BM25 terms: the extended model where it helps, else the base's."""

    def __init__(self, base: StaticEmbedder, extended: StaticEmbedder | None) -> None:
        self.base = base
        self.extended = extended
        self.base_terms = QueryTerms(base)
        self.n_base = len(base.vectors)

    @cached_property
    def extended_terms(self) -> QueryTerms | None:
        """The words side's helper over the extended vocabulary, built on the first brief that
        needs it (38 MB of unit rows: a session of English briefs never pays for it)."""
        return QueryTerms(self.extended) if self.extended is not None else None

    @property
    def embedder(self) -> StaticEmbedder:
        """The model that embeds briefs (the extended one when it ships)."""
        return self.extended or self.base

    def has_added_word(self, topic: str) -> bool:
        """True when the extended model reads some word of ``topic`` whole as an added row."""
        if self.extended is None:
            return False
        enc = self.extended._tokenizer.encode(topic, add_special_tokens=False)
        pieces: dict[int | None, int] = {}
        for w in enc.word_ids:
            pieces[w] = pieces.get(w, 0) + 1
        return any(t >= self.n_base and pieces[w] == 1 for t, w in zip(enc.ids, enc.word_ids, strict=True))

    def is_meaningful(self, topic: str) -> bool:
        """True when some word of ``topic`` is a content word for the model that embeds it."""
        return self.embedder.is_meaningful(topic)

    def embed(self, topic: str) -> FloatArray:
        """The brief's embedding, in the shipped model's space (the index's)."""
        return self.embedder.embed_one(topic)

    def terms(self, topic: str) -> QueryTerms:
        """The words side's helper for ``topic``: the extended vocabulary (its foreign words too)
        only for a brief holding an added word, so an English brief's neighbours stay English."""
        extended = self.extended_terms if self.has_added_word(topic) else None  # False without one
        return extended if extended is not None else self.base_terms


@lru_cache(maxsize=2)
def brief_reader(base: StaticEmbedder) -> BriefReader:
    """The brief reader of ``base`` (with the multilingual words beside it, if any), built once:
    it loads the rows and scans both vocabularies."""
    extended = load_extended(base)
    if extended is not None:
        added = len(extended.vectors) - len(base.vectors)
        log.info("brief reader: %s + %d multilingual words", base.name, added)
    return BriefReader(base, extended)
