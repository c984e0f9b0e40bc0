"""The segment model: sizes from sampled overlaps, and the virtual panel's reach."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyarrow as pa
import pytest

from covey.planning.candidates import Candidates
from covey.planning.overlap import pairwise_overlaps
from covey.planning.reach import exposure_distribution, panel_from_pairs
from covey.planning.segments import coverage_of, estimate_segments, virtual_panel
from covey.planning.sketches import build_sketches


def world(n_c: int, n_people: int, seed: int, sample: int = 300) -> tuple[Candidates, np.ndarray, pa.Table]:
    """Creators whose real audiences are random subsets of one segment; uniform id samples of each."""
    rng = np.random.default_rng(seed)
    a = rng.integers(2_000, 12_000, n_c)
    audiences = [rng.choice(n_people, size=int(x), replace=False) for x in a]
    samples = [rng.choice(m, size=sample, replace=False) for m in audiences]
    ids = pa.table(
        {
            "set_id": pa.array(np.repeat([f"c{i}" for i in range(n_c)], sample)),
            "member_id": pa.array([f"p{x}" for x in np.concatenate(samples)]),
        }
    )
    cands = Candidates(
        account_id=[f"c{i}" for i in range(n_c)],
        handle=[f"h{i}" for i in range(n_c)],
        platform=["instagram"] * n_c,
        country=["GB"] * n_c,
        language=["en"] * n_c,
        niche=["ibd"] * n_c,
        tier=["micro"] * n_c,
        followers=a / 0.8,
        real_share=np.full(n_c, 0.8),
        rate=np.full(n_c, 0.25),
        engagement_rate=np.full(n_c, 0.03),
        engagements_per_post=np.full(n_c, 100.0),
        fee=np.full(n_c, np.nan),
        source="test",
    )
    members = np.concatenate(audiences)
    owners = np.repeat(np.arange(n_c), a)
    return cands, np.stack([owners, members]), ids


def test_segment_size_recovered_from_sampled_overlaps() -> None:
    cands, _, ids = world(40, 60_000, seed=0)
    sk = build_sketches(ids)
    n_ids = np.array([sk[x].estimate() for x in cands.account_id])
    segs = estimate_segments(cands, pairwise_overlaps(sk), coverage_of(cands, n_ids))
    assert segs.keys == ["ibd/GB/en"] and segs.from_overlaps.all()
    assert segs.size[0] == pytest.approx(60_000, rel=0.15)


def test_no_identifiers_falls_back_to_chance_overlap() -> None:
    cands, _, _ = world(5, 60_000, seed=1)
    segs = estimate_segments(cands, None, coverage_of(cands, np.zeros(5)))
    assert not segs.from_overlaps[0]
    assert segs.size[0] == pytest.approx(cands.real_audience.sum())


def test_virtual_panel_predicts_true_reach() -> None:
    # 1,000-id samples: the pooled size estimate is then within a few percent.
    cands, pairs, ids = world(30, 50_000, seed=2, sample=1_000)
    sk = build_sketches(ids)
    n_ids = np.array([sk[x].estimate() for x in cands.account_id])
    segs = estimate_segments(cands, pairwise_overlaps(sk), coverage_of(cands, n_ids))
    model = virtual_panel(cands, segs, np.array([True]), people_per_segment=4000, seed=0)
    truth = panel_from_pairs(cands.account_id, pairs[0], pairs[1], np.ones(50_000))
    posts = np.zeros(30, dtype=np.int64)
    posts[:20] = 3
    pred = exposure_distribution(model, cands.rate, posts)
    true = exposure_distribution(truth, cands.rate, posts)
    for k in (1, 3, 5):
        assert pred.reach_at(k) / 50_000 == pytest.approx(true.reach_at(k) / 50_000, abs=0.03)


def test_sparse_overlaps_give_a_segment_larger_than_the_audiences_side_by_side() -> None:
    # 10 creators in a pool of 400,000: the audiences (2-12k each) overlap far less than
    # N = sum a_i would imply; the estimate must not be capped there (issue #9 diagnostic).
    cands, _, ids = world(10, 400_000, seed=3, sample=1_500)
    sk = build_sketches(ids)
    n_ids = np.array([sk[x].estimate() for x in cands.account_id])
    segs = estimate_segments(cands, pairwise_overlaps(sk), coverage_of(cands, n_ids))
    assert segs.size[0] > cands.real_audience.sum()
    assert segs.size[0] == pytest.approx(400_000, rel=0.2)
    assert segs.shared_ids is not None and segs.shared_ids[0] > 0


def test_size_does_not_depend_on_the_real_share_guess() -> None:
    # The estimate uses sampled ids and shared ids only: a wrong real-share prior for some
    # creators (their audiences mis-sized) leaves N_g where it was.
    cands, _, ids = world(40, 60_000, seed=0)
    sk = build_sketches(ids)
    n_ids = np.array([sk[x].estimate() for x in cands.account_id])
    ov = pairwise_overlaps(sk)
    base = estimate_segments(cands, ov, coverage_of(cands, n_ids)).size[0]
    share = np.where(np.arange(40) % 3 == 0, 0.5, 0.95)
    wrong = replace(cands, real_share=share)
    assert estimate_segments(wrong, ov, coverage_of(wrong, n_ids)).size[0] == pytest.approx(base, rel=1e-9)


def test_macro_accounts_whose_samples_share_nothing_are_not_one_audience() -> None:
    """150 sampled ids of 600,000 followers each, none shared and no other segment to borrow
    from: the data cannot tell full overlap from none, so the segment is not set by the
    samples' size (Jeffreys alone gave about 2 x 10 pairs x 150^2 = 450,000 people, floored at
    one audience: five macros as one following). It holds at least the audiences side by side."""
    from covey.planning.segments import MACRO_NICHE

    n_c, sample = 5, 150
    ids = pa.table(
        {
            "set_id": pa.array(np.repeat([f"m{i}" for i in range(n_c)], sample)),
            "member_id": pa.array([f"p{x}" for x in range(n_c * sample)]),
        }
    )
    cands = Candidates(
        account_id=[f"m{i}" for i in range(n_c)], handle=[None] * n_c, platform=["instagram"] * n_c,
        country=["DE"] * n_c, language=["de"] * n_c, niche=[MACRO_NICHE] * n_c, tier=["macro"] * n_c,
        followers=np.full(n_c, 750_000.0), real_share=np.full(n_c, 0.8), rate=np.full(n_c, 0.12),
        engagement_rate=np.full(n_c, 0.01), engagements_per_post=np.full(n_c, 5000.0),
        fee=np.full(n_c, np.nan), source="test",
    )  # fmt: skip
    sk = build_sketches(ids)
    n_ids = np.array([sk[x].estimate() for x in cands.account_id])
    segs = estimate_segments(cands, pairwise_overlaps(sk), coverage_of(cands, n_ids))
    assert segs.size[0] >= cands.real_audience.sum()
    # One id shared among them is evidence of overlap: then the samples set the size again.
    member = ids.column("member_id").to_pylist()
    member[sample] = "p0"  # the second account's first sampled id is the first account's
    shared = ids.set_column(1, "member_id", pa.array(member))
    sk = build_sketches(shared)
    segs = estimate_segments(cands, pairwise_overlaps(sk), coverage_of(cands, n_ids))
    assert segs.size[0] < cands.real_audience.sum()


def test_a_segments_panel_does_not_change_when_another_segment_is_added() -> None:
    """Each pool draws its own stream: adding a macro pool (sorted first, "(macro)/...") leaves
    the other segment's people and memberships as they were, so a plan's figures do not move
    with the comparison pool."""
    from covey.planning.segments import MACRO_NICHE

    cands, _, ids = world(12, 60_000, seed=5)
    sk = build_sketches(ids)
    n_ids = np.array([sk[x].estimate() for x in cands.account_id])
    segs = estimate_segments(cands, pairwise_overlaps(sk), coverage_of(cands, n_ids))
    alone = virtual_panel(cands, segs, np.array([True]), seed=4)

    n = len(cands) + 2
    grow = lambda arr, extra: np.concatenate([arr, np.asarray(extra)])  # noqa: E731
    both = replace(
        cands,
        account_id=[*cands.account_id, "m0", "m1"], handle=[*cands.handle, None, None],
        platform=[*cands.platform, "instagram", "instagram"], country=[*cands.country, "GB", "GB"],
        language=[*cands.language, "en", "en"], niche=[*cands.niche, MACRO_NICHE, MACRO_NICHE],
        tier=[*cands.tier, "macro", "macro"], followers=grow(cands.followers, [900_000.0, 700_000.0]),
        real_share=grow(cands.real_share, [0.8, 0.8]), rate=grow(cands.rate, [0.12, 0.12]),
        engagement_rate=grow(cands.engagement_rate, [0.01, 0.01]),
        engagements_per_post=grow(cands.engagements_per_post, [5000.0, 5000.0]),
        fee=grow(cands.fee, [np.nan, np.nan]),
    )  # fmt: skip
    covered = coverage_of(both, np.append(n_ids, [150.0, 150.0]))
    segs2 = estimate_segments(both, pairwise_overlaps(sk), covered)
    assert segs2.keys[0].startswith(MACRO_NICHE) and len(segs2.keys) == 2
    panel = virtual_panel(both, segs2, np.array([True, True]), seed=4)
    assert panel.n_people > alone.n_people
    posts = np.zeros(n, dtype=np.int64)
    posts[:12] = 3
    got = exposure_distribution(panel, both.rate, posts)
    want = exposure_distribution(alone, cands.rate, posts[:12])
    for k in (1, 3, 5):
        assert got.reach_at(k) == pytest.approx(want.reach_at(k), rel=1e-9)
