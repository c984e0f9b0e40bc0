"""benchmarks/audience_prevalence.py: the selection rule, the floors and the per-cell figures."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import audience_prevalence as bench

from covey.audience.quantify import ESTIMATORS


def test_the_rule_takes_the_smallest_inner_error_ties_in_list_order() -> None:
    inner = {e: {"mae": 0.05} for e in ESTIMATORS}
    assert bench.choose(inner) == "em"  # a tie keeps the first, the old default
    inner["ms_in"] = {"mae": 0.01}
    assert bench.choose(inner) == "ms_in"


def test_within_normal() -> None:
    assert bench.within_normal(0.0, 0.0) == 1.0 and bench.within_normal(0.03, 0.0) == 0.0
    assert bench.within_normal(0.0, 0.02) == pytest.approx(0.6827, abs=1e-3)  # +-1 sd
    assert bench.within_normal(0.02, 0.01) == pytest.approx(0.5, abs=1e-3)


def test_cells_on_a_synthetic_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(2)

    def scores(n: int, shift: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        y = (np.arange(n) % 2).astype(float)
        return 2.5 * rng.normal(np.where(y == 1, 1.25, -1.25 + shift), 1), y

    parts = [scores(2000), scores(2000), scores(2000)]
    s = np.concatenate([p[0] for p in parts])
    test, labels = scores(4000)
    f = {
        "in_set": s,
        "out_of_set": s,
        "y": np.concatenate([p[1] for p in parts]),
        "groups": np.repeat([0, 1, 2], 2000),
        "test": test,
        "test_labels": labels,
    }
    monkeypatch.setattr(bench, "SIZES", (400,))
    rows = bench.cells(f, "em", reps=30, seed=1)
    assert [r["truth"] for r in rows] == [0.05, 0.1, 0.2, 0.3]
    for r in rows:
        c = r["chosen"]
        # same population as the training sets: no bias worth a point, the interval covers
        assert abs(c["bias"]) < 0.01 and c["coverage"] >= 0.9
        assert 0 <= c["within2"] <= 1 and c["floor_binomial"] <= 1
        # profiles for +-2 points: at least what a perfect classifier needs
        assert c["n_for_2pts"] >= 1.959964**2 * r["truth"] * (1 - r["truth"]) / 0.02**2
        assert set(ESTIMATORS) <= set(r)
