"""The build of the multilingual words (benchmarks/distill_multilingual.py): its word list and map.

The model it builds is not shipped (session 19: English briefs lost 0.015-0.046 NDCG@10 on real
channels, docs/discovery.md), so these tests cover the build's parts, not the shipped model.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import distill_multilingual as dm


def test_candidate_words_fold_case_and_accents_and_keep_latin_whole_words() -> None:
    pieces = ["<unk>", "\u2581The", "\u2581the", "\u2581Café", "\u2581cafe", "\u2581ab", "ing"]
    pieces += ["\u2581кошка", "\u2581a1b"]
    scores = np.log(np.array([1.0, 0.1, 0.2, 0.05, 0.05, 0.3, 0.3, 0.3, 0.3]))
    found = dm.candidate_words(pieces, scores, lambda w: w.lower().replace("é", "e"))
    assert set(found) == {"the", "cafe"}  # too short, continuation, Cyrillic and digits are out
    spelling, logp = found["the"]
    assert spelling == "the"  # the likelier spelling is embedded
    assert logp == pytest.approx(np.log(0.3))  # spellings' probabilities add up
    assert found["cafe"][1] == pytest.approx(np.log(0.1))


def test_the_ridge_map_recovers_a_linear_map() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2000, 12))
    true = rng.normal(size=(12, 5))
    y = x @ true + 0.3
    w, fit = dm.fit_ridge(x, y)
    assert np.allclose(x @ w[:-1] + w[-1], y, atol=1e-2)
    assert fit["validation_cosine"][str(fit["ridge"])] > 0.999
