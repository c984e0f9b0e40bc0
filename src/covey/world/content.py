"""Captions, titles, hashtags and comment text, assembled from vocabulary arrays.

Every function takes per-row group indices (niche, language) and returns Arrow string
arrays; see ``textops.Pool``. The vocabulary lives in ``vocab_niches`` and ``vocab_phrases``.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from covey.world import vocab_phrases as ph
from covey.world.textops import Pool, blank_unless, join, lang_groups, niche_lang_groups
from covey.world.vocab_niches import (
    BRANDS,
    HASHTAGS,
    HEALTH_NICHES,
    KEYWORDS,
    LANGUAGES,
    LOCAL_TAGS,
    NICHES,
    PRESCRIPTION_MEDICINES,
)

NL = len(LANGUAGES)
KW = Pool.of(niche_lang_groups(KEYWORDS))
_cap = [ph.CAPTION_FRAMES[lang] for lang in LANGUAGES]
CAP_A = Pool.of([[f[0] for f in g] for g in _cap])
CAP_B = Pool(pa.array([f[1] for g in _cap for f in g]), CAP_A.offsets, CAP_A.counts)
CAP_C = Pool(pa.array([f[2] for g in _cap for f in g]), CAP_A.offsets, CAP_A.counts)


def _pairs(table: dict[str, list[tuple[str, str]]]) -> tuple[Pool, pa.Array]:
    groups = [table[lang] for lang in LANGUAGES]
    first = Pool.of([[f[0] for f in g] for g in groups])
    return first, pa.array([f[1] for g in groups for f in g], type=pa.string())


TITLE_A, TITLE_B = _pairs(ph.TITLE_FRAMES)
LIVED_A, LIVED_B = _pairs(ph.LIVED_FRAMES)
BRAND_A, BRAND_B = _pairs(ph.BRAND_FRAMES)
RX_A, RX_B = _pairs(ph.RX_FRAMES)
COMMENT_A, COMMENT_B = _pairs(ph.COMMENT_FRAMES)
CONDITION = pa.array(
    [ph.CONDITION.get(n, ph.CONDITION["ibd"])[lang] for n in NICHES for lang in LANGUAGES], type=pa.string()
)
DISCLOSURE = Pool.of(lang_groups(ph.DISCLOSURE))
CLAIMS = Pool.of(lang_groups(ph.HEALTH_CLAIMS))
REPLIES = Pool.of(lang_groups(ph.CREATOR_REPLIES))
FOLLOWUPS = Pool.of(lang_groups(ph.FOLLOWUPS))
GENERIC = Pool.of([ph.GENERIC_COMMENTS])
BRAND = Pool.of([BRANDS[n] for n in NICHES])
MEDICINE = Pool.of([PRESCRIPTION_MEDICINES.get(n, PRESCRIPTION_MEDICINES["diabetes"]) for n in NICHES])
TAGS = Pool.of([HASHTAGS[n] + LOCAL_TAGS[lang] for n in NICHES for lang in LANGUAGES])
HEALTH = np.array([n in HEALTH_NICHES for n in NICHES])
IMPROPER = ("no disclosure", "only #sp", "only 'thanks @brand'", "#ad buried at the end among hashtags")


def _framed(rng: np.random.Generator, a: Pool, b: pa.Array, lang: np.ndarray, middle: pa.Array) -> pa.Array:
    i = a.index(rng, lang)
    idx = pa.array(i)
    return join(a.values.take(idx), middle, b.take(idx))


def hashtags(rng: np.random.Generator, group: np.ndarray, extra: pa.Array) -> pa.Array:
    """0-7 distinct-ish niche hashtags per row, plus ``extra`` (a tag or '') at the end."""
    n = len(group)
    k = np.minimum(rng.poisson(3.0, n), 7)
    has_extra = pc.not_equal(extra, "").to_numpy(zero_copy_only=False)
    total = k + has_extra
    offsets = np.concatenate([[0], np.cumsum(total)]).astype(np.int32)
    row = np.repeat(np.arange(n), k)
    # Consecutive tags of the group's list from a random start: distinct within a post.
    start = TAGS.index(rng, group) - TAGS.offsets[group]
    within = np.arange(len(row)) - np.repeat(np.cumsum(k) - k, k)
    cnt = TAGS.counts[group[row]]
    tag_idx = TAGS.offsets[group[row]] + (start[row] + within) % cnt
    # Positions: each row's tags first, then its extra tag.
    tag_start = np.cumsum(k) - k
    tag_pos = offsets[:-1][row] + np.arange(len(row)) - tag_start[row]
    extra_rows = np.flatnonzero(has_extra)
    values = pa.concat_arrays([TAGS.values.take(pa.array(tag_idx)), extra.take(pa.array(extra_rows))])
    pos = np.concatenate([tag_pos, offsets[extra_rows] + k[extra_rows]])
    order = np.argsort(pos, kind="stable")
    return pa.ListArray.from_arrays(pa.array(offsets), values.take(pa.array(order)))


def hashtag_text(tags: pa.Array) -> pa.Array:
    """'#a #b' for each row's list of tags ('' when empty)."""
    offsets = tags.offsets
    flat = join("#", tags.values)
    return pc.binary_join(pa.ListArray.from_arrays(offsets, flat), " ")


def caption_parts(
    rng: np.random.Generator,
    niche: np.ndarray,
    lang: np.ndarray,
    lived: np.ndarray,
    brand: pa.Array,
) -> dict[str, pa.Array]:
    """The pieces of a caption: main sentence, lived-experience sentence, brand sentence."""
    g = niche * NL + lang
    i = pa.array(CAP_A.index(rng, lang))
    main = join(
        CAP_A.values.take(i), KW.pick(rng, g), CAP_B.values.take(i), KW.pick(rng, g), CAP_C.values.take(i)
    )
    lived_text = blank_unless(
        lived & HEALTH[niche], _framed(rng, LIVED_A, LIVED_B, lang, CONDITION.take(pa.array(g)))
    )
    return {"main": main, "lived": lived_text, "brand": _framed(rng, BRAND_A, BRAND_B, lang, brand)}


def titles(rng: np.random.Generator, niche: np.ndarray, lang: np.ndarray) -> pa.Array:
    """Video titles in the niche's words."""
    return _framed(rng, TITLE_A, TITLE_B, lang, KW.pick(rng, niche * NL + lang))


def rx_sentence(rng: np.random.Generator, niche: np.ndarray, lang: np.ndarray) -> tuple[pa.Array, pa.Array]:
    """(sentence, medicine name) mentioning a prescription-only medicine of the niche."""
    medicine = MEDICINE.pick(rng, niche)
    return _framed(rng, RX_A, RX_B, lang, medicine), medicine


def comment_text(rng: np.random.Generator, niche: np.ndarray, lang: np.ndarray) -> pa.Array:
    """A real person's comment: a frame around one of the niche's keywords."""
    return _framed(rng, COMMENT_A, COMMENT_B, lang, KW.pick(rng, niche * NL + lang))


def generic_text(rng: np.random.Generator, n: int) -> pa.Array:
    """Generic comments that fit any post ('nice pic 🔥', emoji only)."""
    return GENERIC.pick(rng, np.zeros(n, dtype=np.int64))


_AMERICAN = (
    ("mum", "mom"),
    ("Mum", "Mom"),
    ("favourite", "favorite"),
    ("colour", "color"),
    ("ISA season", "401(k)"),
)


def american(text: pa.Array) -> pa.Array:
    """British spellings and terms in English text turned American."""
    for british, us in _AMERICAN:
        text = pc.replace_substring(text, british, us)
    return text
