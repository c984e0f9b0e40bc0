"""Vectorised text assembly: pick a phrase per row from grouped vocabularies, join columns.

A :class:`Pool` flattens ``{group: [items]}`` into one Arrow array plus offsets, so that
choosing one item for each of millions of rows is a handful of numpy operations and one
``take``; joining phrases is Arrow's ``binary_join_element_wise``. No per-row Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from covey.world.vocab_niches import LANGUAGES, NICHES

IntArray = np.ndarray


@dataclass(frozen=True)
class Pool:
    """Items grouped by an integer group index (e.g. niche * languages + language)."""

    values: pa.Array
    offsets: np.ndarray  # int64, start of each group
    counts: np.ndarray  # int64, items in each group (>= 1)

    @classmethod
    def of(cls, groups: Sequence[Sequence[str]]) -> Pool:
        """Build from one list of items per group; an empty group is an error."""
        counts = np.array([len(g) for g in groups], dtype=np.int64)
        if (counts == 0).any():
            raise ValueError("every vocabulary group needs at least one item")
        offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        flat = [s for g in groups for s in g]
        return cls(pa.array(flat, type=pa.string()), offsets, counts)

    def index(self, rng: np.random.Generator, group: IntArray) -> IntArray:
        """One random item index per row, uniform within the row's group."""
        u = rng.random(len(group))
        return np.asarray(self.offsets[group] + (u * self.counts[group]).astype(np.int64))

    def pick(self, rng: np.random.Generator, group: IntArray) -> pa.Array:
        """One random item per row, as strings."""
        return self.values.take(pa.array(self.index(rng, group)))


def niche_lang_groups(table: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Groups ordered niche-major, language-minor (group = niche * len(LANGUAGES) + language)."""
    return [table[n][lang] for n in NICHES for lang in LANGUAGES]


def lang_groups(table: dict[str, list[str]]) -> list[list[str]]:
    """Groups ordered by language index."""
    return [table[lang] for lang in LANGUAGES]


def join(*parts: pa.Array | str) -> pa.Array:
    """Concatenate string columns (or constants) row by row, with no separator."""
    return pc.binary_join_element_wise(*parts, "")


def blank_unless(mask: np.ndarray, values: pa.Array) -> pa.Array:
    """The values where mask is true, '' elsewhere."""
    return pc.if_else(pa.array(mask), values, "")


def where(mask: np.ndarray, a: pa.Array, b: pa.Array) -> pa.Array:
    """Row-wise a where mask else b."""
    return pc.if_else(pa.array(mask), a, b)


def ids(prefix: str, numbers: np.ndarray, suffix: pa.Array | None = None) -> pa.Array:
    """String ids like prefix + number (+ suffix), vectorised."""
    text = pc.cast(pa.array(numbers), pa.string())
    return join(prefix, text) if suffix is None else join(prefix, text, suffix)


def tidy(text: pa.Array) -> pa.Array:
    """Collapse the doubled spaces left by empty parts and trim both ends."""
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(text, " {2,}", " "))
