"""Which term id a folded word stands for on the words side: itself, or its Snowball stem.

A scheme names how a word becomes a term; the index records the scheme it was built with
(``terms`` in its manifest) and a query reads the index with that same scheme, so stemmed and
unstemmed terms never meet in one search. Schemes:

- ``words``: the word itself (every index built before session 20);
- ``split-stems``: a word the embedding model holds as one whole token stays as it is (English
  words, mostly: *videos*, *gaming*, *animation*); a word the model can only split into pieces
  (mostly another language's: *chansons*, *canciones*, *videojuegos*) is replaced by its English
  Snowball stem, which strips the plural and verb endings Romance and German words share with
  English (*chansons* → *chanson*, *canciones* → *cancion*, *peliculas* → *pelicula*). No
  language has to be known, and English words keep their exact match.

Session 20 chose this scheme on the tune countries among 16 (the six languages' stems of every
word, the English stem of every word, the creator's or the brief's language...: see
``benchmarks/discovery_stems.py`` and docs/discovery.md). Stemming is pure Python
(``snowballstemmer``, about 50 µs a word), so each distinct word is stemmed once per
``WordTerms`` and remembered.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from functools import lru_cache
from typing import Any

TERM_BITS = 22
SCHEMES = ("words", "split-stems")
DEFAULT_SCHEME = "split-stems"  # what a new index is built with
CACHE_WORDS = 1 << 20  # distinct words remembered per WordTerms (some 120 MB at the cap)


def term_id(word: str) -> int:
    """The hashed term id of a folded word (or stem)."""
    return zlib.crc32(word.encode("utf-8")) & ((1 << TERM_BITS) - 1)


@lru_cache(maxsize=1)
def english_stemmer() -> Any:
    """Snowball's English (Porter2) stemmer, loaded when first needed."""
    import snowballstemmer

    return snowballstemmer.stemmer("english")


class WordTerms:
    """Folded word -> term id under one scheme, each distinct word worked out once.

    ``whole`` says whether the embedding model holds a word as one whole token (``split-stems``
    stems only the words it does not).
    """

    def __init__(self, scheme: str, whole: Callable[[str], bool] | None = None) -> None:
        if scheme not in SCHEMES:
            raise ValueError(f"unknown term scheme {scheme!r} (one of {', '.join(SCHEMES)})")
        if scheme == "split-stems" and whole is None:
            raise ValueError("the split-stems scheme needs the model's whole words")
        self.scheme = scheme
        self.whole = whole
        self._memo: dict[str, int] = {}

    def __call__(self, word: str) -> int:
        """The term id of a folded word."""
        t = self._memo.get(word)
        if t is None:
            if self.scheme == "words" or (self.whole is not None and self.whole(word)):
                t = term_id(word)
            else:
                t = term_id(english_stemmer().stemWord(word))
            if len(self._memo) >= CACHE_WORDS:
                self._memo.clear()  # a bound on memory; the words of a batch come back at once
            self._memo[word] = t
        return t
