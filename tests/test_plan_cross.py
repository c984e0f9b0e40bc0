"""A niche's segments in other countries share part of their audiences: the cross pool."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyarrow as pa
import pytest

from covey.planning.candidates import Candidates
from covey.planning.overlap import pairwise_overlaps
from covey.planning.reach import Panel
from covey.planning.segments import coverage_of, estimate_segments, virtual_panel
from covey.planning.sketches import build_sketches
from test_plan_segments import world


def two_countries(seed: int) -> tuple[Candidates, np.ndarray, pa.Table, list[np.ndarray]]:
    """12 creators, 6 in GB and 6 in DE: 70 % of each audience from its country's pool, 30 % shared."""
    rng = np.random.default_rng(seed)
    cands, _, _ = world(12, 20_000, seed=seed)  # the candidate columns; audiences below
    own = {"GB": np.arange(0, 40_000), "DE": np.arange(40_000, 80_000)}
    shared_pool = np.arange(80_000, 100_000)
    country = ["GB"] * 6 + ["DE"] * 6
    a = rng.integers(4_000, 9_000, 12)
    audiences = [
        np.concatenate(
            [
                rng.choice(own[c], int(0.7 * x), replace=False),
                rng.choice(shared_pool, int(0.3 * x), replace=False),
            ]
        )
        for c, x in zip(country, a, strict=True)
    ]
    samples = [rng.choice(m, size=600, replace=False) for m in audiences]
    ids = pa.table(
        {
            "set_id": pa.array(np.repeat([f"c{i}" for i in range(12)], 600)),
            "member_id": pa.array([f"p{x}" for x in np.concatenate(samples)]),
        }
    )
    cands = replace(
        cands,
        country=country,
        language=["en"] * 6 + ["de"] * 6,
        followers=a / 0.8,
        real_share=np.full(12, 0.8),
    )
    return cands, a, ids, audiences


def test_cross_pool_gives_the_overlap_across_countries() -> None:
    cands, _, ids, audiences = two_countries(0)
    sk = build_sketches(ids)
    n_ids = np.array([sk[x].estimate() for x in cands.account_id])
    segs = estimate_segments(cands, pairwise_overlaps(sk), coverage_of(cands, n_ids))
    assert segs.keys == ["ibd/DE/de", "ibd/GB/en"]
    assert segs.group_of is not None and segs.cross_rate is not None
    assert segs.cross_rate[0] > 0  # the samples share ids across the two countries
    target = np.array([True, True])
    # True overlap of a GB and a DE creator, summed over all 36 such pairs.
    true_cross = sum(np.intersect1d(audiences[i], audiences[j]).size for i in range(6) for j in range(6, 12))

    def cross_overlap(cross_share: float) -> float:
        panel = virtual_panel(cands, segs, target, seed=1, rate_spread=0.0, cross_share=cross_share)
        total = 0.0
        for i in range(6):
            for j in range(6, 12):
                both = np.intersect1d(panel.members(i), panel.members(j))
                total += float(panel.weight[both].sum())
        return total

    assert cross_overlap(0.0) == 0.0  # without the pool, countries share nobody
    got = cross_overlap(0.3)
    assert got == pytest.approx(true_cross, rel=0.35)


def test_cross_pool_keeps_each_audience_and_the_within_overlap() -> None:
    cands, a, ids, _ = two_countries(1)
    sk = build_sketches(ids)
    n_ids = np.array([sk[x].estimate() for x in cands.account_id])
    segs = estimate_segments(cands, pairwise_overlaps(sk), coverage_of(cands, n_ids))
    on = virtual_panel(cands, segs, np.array([True, True]), seed=2, rate_spread=0.0, cross_share=0.3)
    off = virtual_panel(cands, segs, np.array([True, True]), seed=2, rate_spread=0.0, cross_share=0.0)
    for panel in (on, off):
        sizes = np.array([panel.weight[panel.members(i)].sum() for i in range(12)])
        assert sizes.sum() == pytest.approx(a.sum() * 1.0, rel=0.05)  # real audiences kept

    def within(panel: Panel) -> float:
        return sum(
            float(panel.weight[np.intersect1d(panel.members(i), panel.members(j))].sum())
            for i in range(6)
            for j in range(i + 1, 6)
        )

    assert within(on) == pytest.approx(within(off), rel=0.2)


def test_macro_pool_keeps_its_own_segment_without_a_niche() -> None:
    from covey.planning.planner import Brief, build_model
    from covey.planning.segments import MACRO_NICHE

    cands, _, ids = world(6, 30_000, seed=4)
    # Five micro candidates with no niche and one macro account of the pool, all GB/en.
    cands = replace(cands, niche=[None] * 5 + [MACRO_NICHE], tier=["micro"] * 5 + ["macro"])
    model = build_model(cands, ids, Brief(text="x", budget=1000.0, country="GB", language="en"))
    keys = model.segments.keys
    assert keys == [f"{MACRO_NICHE}/GB/en", "any/GB/en"]
    assert model.segments.of_creator[5] != model.segments.of_creator[0]
    assert model.target_segments.all()  # both count toward the brief's audience
    # With a niche in the brief, the macro segment is still in the target, another niche is not.
    other = replace(cands, niche=["ibd"] * 5 + [MACRO_NICHE])
    m2 = build_model(other, ids, Brief(text="x", budget=1000.0, niche="fitness"))
    assert list(m2.target_segments) == [True, False]
