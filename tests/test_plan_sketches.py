"""Audience sketches and coverage-corrected overlaps."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from covey.planning.overlap import exact_overlaps, pairwise_overlaps
from covey.planning.sketches import build_sketches, sketch_of


def test_small_sets_are_exact_and_large_sets_within_error() -> None:
    small = sketch_of([f"u{i}" for i in range(500)], k=1024)
    assert small.exact and small.estimate() == 500
    big = sketch_of([f"u{i}" for i in range(50_000)], k=4096)
    low, high = big.interval()
    assert not big.exact and low <= 50_000 <= high
    assert big.estimate() == pytest.approx(50_000, rel=0.05)


def test_union_of_sketches_equals_sketch_of_union() -> None:
    a = sketch_of([f"u{i}" for i in range(0, 30_000)], k=512)
    b = sketch_of([f"u{i}" for i in range(20_000, 60_000)], k=512)
    both = sketch_of([f"u{i}" for i in range(60_000)], k=512)
    merged = a.union(b)
    assert merged.limit == both.limit
    np.testing.assert_array_equal(merged.hashes, both.hashes)


def members_table(n_sets: int, size: int, universe: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    sets = np.repeat(np.arange(n_sets), size)
    mem = rng.integers(0, universe, sets.size)
    return pa.table(
        {"set_id": pa.array([f"s{x:03d}" for x in sets]), "member_id": pa.array([f"m{x}" for x in mem])}
    )


def test_pairwise_overlaps_exact_below_k_and_close_above() -> None:
    t = members_table(40, 300, 5_000, seed=0)
    exact = exact_overlaps(t)
    ov = pairwise_overlaps(build_sketches(t, k=4096))
    assert len(ov) == exact.num_rows
    assert ov.shared.sum() == pc.sum(exact["shared"]).as_py()
    # With k far below the set sizes, estimates carry error; the intervals should cover.
    t2 = members_table(10, 20_000, 60_000, seed=1)
    e2 = exact_overlaps(t2).to_pydict()
    ex2 = {(a, b): s for a, b, s in zip(e2["a"], e2["b"], e2["shared"], strict=True)}
    ov2 = pairwise_overlaps(build_sketches(t2, k=2048))
    truth = np.array([ex2[(a, b)] for a, b in zip(ov2.a, ov2.b, strict=True)])
    covered = (ov2.shared_low <= truth) & (truth <= ov2.shared_high)
    assert covered.mean() >= 0.85
    assert np.median(np.abs(ov2.shared / truth - 1)) < 0.05


def test_coverage_correction_scales_up_sampled_overlaps() -> None:
    # Two audiences of 10,000 sharing 4,000; each sampled at 20 %.
    rng = np.random.default_rng(3)
    a = np.arange(0, 10_000)
    b = np.arange(6_000, 16_000)
    sa = rng.choice(a, 2_000, replace=False)
    sb = rng.choice(b, 2_000, replace=False)
    t = pa.table(
        {
            "set_id": pa.array(["a"] * 2_000 + ["b"] * 2_000),
            "member_id": pa.array([str(x) for x in np.concatenate([sa, sb])]),
        }
    )
    ov = pairwise_overlaps(build_sketches(t))
    est, low, high = ov.corrected({"a": 0.2, "b": 0.2})
    assert low[0] <= 4_000 <= high[0]
    assert est[0] == pytest.approx(4_000, rel=0.25)
