"""A niche's segments in other countries share part of their audiences: its people anywhere."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyarrow as pa
import pytest

from covey.planning.candidates import Candidates, take
from covey.planning.overlap import pairwise_overlaps
from covey.planning.reach import Panel, exposure_distribution, panel_from_pairs
from covey.planning.segments import Segments, coverage_of, estimate_segments, virtual_panel
from covey.planning.sketches import build_sketches
from test_plan_segments import world

POOLS = {"GB": 30_000, "DE": 60_000, "FR": 90_000}  # the niche's people per country
LANG = {"GB": "en", "DE": "de", "FR": "fr"}


def niche_world(seed: int, own: float = 0.65) -> tuple[Candidates, np.ndarray, pa.Table, list[np.ndarray]]:
    """18 creators of one niche, 6 per country: ``own`` of each audience from its country's
    people, the rest from the niche's people anywhere (every country's, in proportion to its
    size): the same people the other countries' creators draw from, as the world generator
    draws a following. 800 sampled ids per creator."""
    rng = np.random.default_rng(seed)
    cands, _, _ = world(18, 20_000, seed=seed)  # the candidate columns; audiences below
    start = np.cumsum([0, *POOLS.values()])
    people = {c: np.arange(start[k], start[k + 1]) for k, c in enumerate(POOLS)}
    anywhere = np.arange(start[-1])
    country = [c for c in POOLS for _ in range(6)]
    a = rng.integers(4_000, 9_000, 18)
    audiences = [
        np.union1d(
            rng.choice(people[c], int(own * x), replace=False),
            rng.choice(anywhere, int((1 - own) * x), replace=False),
        )
        for c, x in zip(country, a, strict=True)
    ]
    samples = [rng.choice(m, size=800, replace=False) for m in audiences]
    ids = pa.table(
        {
            "set_id": pa.array(np.repeat([f"c{i}" for i in range(18)], 800)),
            "member_id": pa.array([f"p{x}" for x in np.concatenate(samples)]),
        }
    )
    sizes = np.array([m.size for m in audiences])
    cands = replace(
        cands,
        country=country,
        language=[LANG[c] for c in country],
        followers=sizes / 0.8,
        real_share=np.full(18, 0.8),
    )
    return cands, sizes, ids, audiences


def estimated(cands: Candidates, ids: pa.Table) -> Segments:
    """The planner's segments from the samples."""
    sk = build_sketches(ids)
    n_ids = np.array([sk[x].estimate() for x in cands.account_id])
    return estimate_segments(cands, pairwise_overlaps(sk), coverage_of(cands, n_ids))


def test_cross_draws_give_the_overlap_across_countries() -> None:
    cands, _, ids, audiences = niche_world(0)
    segs = estimated(cands, ids)
    assert segs.keys == ["ibd/DE/de", "ibd/FR/fr", "ibd/GB/en"]
    assert segs.group_of is not None and segs.cross_rate is not None and segs.phi is not None
    assert segs.cross_rate[0] > 0  # the samples share ids across the countries
    assert segs.phi[0] == pytest.approx(0.35, abs=0.12)  # the share drawn from the niche anywhere
    target = np.ones(3, dtype=bool)
    other = [(i, j) for i in range(18) for j in range(i + 1, 18) if cands.country[i] != cands.country[j]]
    true_cross = sum(np.intersect1d(audiences[i], audiences[j]).size for i, j in other)

    def cross_overlap(cross_share: float | None) -> float:
        panel = virtual_panel(cands, segs, target, seed=1, rate_spread=0.0, cross_share=cross_share)
        both = [np.intersect1d(panel.members(i), panel.members(j)) for i, j in other]
        return sum(float(panel.weight[x].sum()) for x in both)

    assert cross_overlap(0.0) == 0.0  # without cross draws, countries share nobody
    assert cross_overlap(None) == pytest.approx(true_cross, rel=0.25)


def test_people_followed_across_countries_are_reached_three_times() -> None:
    # Issue #9/#12: world-wide lists were under-predicted at 3+. A creator's cross draws land on
    # the people the other countries' creators draw from, so the people who follow creators of
    # several countries are the same people: 3+ follows the truth, and lies above the model
    # without cross draws (the countries' people disjoint).
    cands, _, ids, audiences = niche_world(2)
    segs = estimated(cands, ids)
    target = np.ones(3, dtype=bool)
    owner = np.repeat(np.arange(18), [m.size for m in audiences])
    truth = panel_from_pairs(cands.account_id, owner, np.concatenate(audiences), np.ones(sum(POOLS.values())))
    posts = np.full(18, 3, dtype=np.int64)
    rate = np.full(18, 0.3)
    true3 = exposure_distribution(truth, rate, posts).reach_at(3)
    model = virtual_panel(cands, segs, target, seed=3, rate_spread=0.0)
    apart = virtual_panel(cands, segs, target, seed=3, rate_spread=0.0, cross_share=0.0)
    got = exposure_distribution(model, rate, posts).reach_at(3)
    assert got == pytest.approx(true3, rel=0.12)
    assert got > exposure_distribution(apart, rate, posts).reach_at(3) * 1.05


def test_a_subset_of_the_niche_keeps_each_audience() -> None:
    # The intervals draw a panel of the chosen creators' segments only: the cross draws that
    # land in the niche's other segments must stay in the audiences (a pool of their own).
    cands, _, ids, _ = niche_world(1)
    segs = estimated(cands, ids)
    keep = [0, 1]  # DE and FR only
    chosen = np.flatnonzero(np.isin(segs.of_creator, keep))
    assert segs.group_of is not None
    sub = Segments(
        [segs.keys[g] for g in keep],
        segs.of_creator[chosen],
        segs.size[keep],
        segs.pairs_seen[keep],
        segs.from_overlaps[keep],
        None,
        segs.group_of[keep],
        segs.cross_rate,
        None,
        segs.phi,
    )
    sub_cands = take(cands, chosen)
    panel = virtual_panel(sub_cands, sub, np.ones(2, dtype=bool), seed=4, rate_spread=0.0)
    sizes = np.array([panel.weight[panel.members(i)].sum() for i in range(chosen.size)])
    assert sizes.sum() == pytest.approx(sub_cands.real_audience.sum(), rel=0.05)


def test_cross_pool_keeps_each_audience_and_the_within_overlap() -> None:
    cands, a, ids, _ = niche_world(1)
    segs = estimated(cands, ids)
    on = virtual_panel(cands, segs, np.ones(3, dtype=bool), seed=2, rate_spread=0.0, cross_share=0.3)
    off = virtual_panel(cands, segs, np.ones(3, dtype=bool), seed=2, rate_spread=0.0, cross_share=0.0)
    for panel in (on, off):
        sizes = np.array([panel.weight[panel.members(i)].sum() for i in range(18)])
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
