"""The paired bootstrap of benchmarks/discovery_crosslingual.py (session 19's held-out interval)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import discovery_crosslingual as xl


def run(scores: dict[tuple[str, str], float]) -> dict[str, Any]:
    """A benchmark run as ``discovery_realdata.score`` reports it, from per-brief NDCG@10."""
    return {
        "goal_categories": sorted({c for c, _ in scores} - {"Tiny"}),
        "per_brief": [{"category": c, "language": lang, "ndcg10": v} for (c, lang), v in scores.items()],
    }


LANGS = ("en", "es", "fr", "de", "pt", "it")


def test_identical_runs_give_a_zero_interval() -> None:
    base = run({(c, lang): 0.1 * i for i, c in enumerate(("Music", "Gaming")) for lang in LANGS})
    assert xl.paired_bootstrap(base, base) == [0.0, 0.0]


def test_a_uniform_gain_is_the_interval_and_small_categories_are_left_out() -> None:
    scores = {(c, lang): 0.5 for c in ("Music", "Gaming", "Tiny") for lang in LANGS}
    # +0.1 on every brief of the goal categories; the small category (not in the goal) drops to 0.
    better = {(c, lang): 0.0 if c == "Tiny" else 0.6 for c, lang in scores}
    low, high = xl.paired_bootstrap(run(scores), run(better))
    assert abs(low - 0.1) < 1e-9 and abs(high - 0.1) < 1e-9


def test_one_brief_that_moves_gives_an_interval_that_spans_zero() -> None:
    scores = {(c, lang): 0.5 for c in ("Music", "Gaming") for lang in LANGS}
    moved = dict(scores)
    moved[("Music", "fr")] = 1.0  # +0.5 on one brief of twelve: the mean gains 0.042, by luck or not
    low, high = xl.paired_bootstrap(run(scores), run(moved))
    assert low == 0.0 and 0.04 < high <= 0.25
