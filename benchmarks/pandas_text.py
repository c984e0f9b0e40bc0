"""The pandas baseline's text step (``pandas_signals``): captions and comment texts turned into the
flags the signals use (sponsored, disclosure class, health claim, generic, emoji-only...).

Python's ``re`` has no ``\\p{..}`` classes, so the lexicons' RE2/Java patterns are translated.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from covey.signals import lexicons as lx
from covey.signals.comments import GENERIC_REGEX
from covey.signals.engagement import TRAILING_HASHTAGS, UP_FRONT_CHARS


def py_regex(rx: str) -> str:
    """Translate the signals' RE2/Java patterns to Python `re` ([^\\W_] is "letter or digit")."""
    for a, b in (
        (r"[^\p{L}\p{N}]", r"[\W_]"),
        (r"[\p{L}\p{N}_]", r"\w"),
        (r"[\p{L}\p{N}]", r"[^\W_]"),
        (r"[\s\p{P}\p{So}]", r"[\W_]"),
    ):
        rx = rx.replace(a, b)
    return rx


def words(ws: tuple[str, ...]) -> str:
    return py_regex(lx.words_regex(ws))


def contains(s: pd.Series, rx: str) -> pd.Series:
    with warnings.catch_warnings():  # the lexicons' groups are for alternation, not extraction
        warnings.filterwarnings("ignore", "This pattern is interpreted", UserWarning)
        return s.str.contains(rx, regex=True, flags=re.IGNORECASE)


def caption_features(posts: pd.DataFrame) -> pd.DataFrame:
    """Per post, the caption classes the signals use; title and caption are dropped after."""
    cap = posts.caption.fillna("").str.lower()
    head = cap.str.replace(py_regex(TRAILING_HASHTAGS), "", regex=True).str.slice(0, UP_FRONT_CHARS)
    full = (posts.title.fillna("") + " " + posts.caption.fillna("")).str.lower()
    is_sponsored = posts.sponsored.fillna(False).astype(bool) | contains(head, words(lx.DISCLOSURE_STRONG))
    strong = contains(full, words(lx.DISCLOSURE_STRONG))
    weak = contains(full, words(lx.DISCLOSURE_WEAK)) | contains(full, lx.THANKS_MENTION)
    paid = contains(full, words(lx.PAID_SIGNALS)) | (
        full.str.contains("@", regex=False) & contains(full, words(lx.PRODUCT_TALK))
    )
    disclosure = np.select(
        [is_sponsored, strong, weak, paid], ["proper", "buried", "weak", "none"], default=""
    )
    return posts.drop(columns=["title", "caption"]).assign(
        is_sponsored=is_sponsored,
        disclosure=pd.Categorical(disclosure, categories=["", "proper", "buried", "weak", "none"]),
        health=contains(full, words(lx.HEALTH_CLAIMS)),
        rx=contains(full, words(lx.PRESCRIPTION_MEDICINES)),
        profanity=contains(full, words(lx.PROFANITY)),
        hate=contains(full, words(lx.HATE)),
    )


def comment_features(comments: pd.DataFrame) -> pd.DataFrame:
    """Per comment, generic and emoji-only; the text is dropped after."""
    text = comments.text.fillna("").str.lower()
    return comments.drop(columns=["text"]).assign(
        generic=contains(text, py_regex(GENERIC_REGEX)),
        emoji=(text.str.strip().str.len() > 0) & ~contains(text, r"[^\W_]"),
    )
