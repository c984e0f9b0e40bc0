"""Segments whose rate rests on no shared id at all (segments.no_evidence): which, and how sized."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from covey.planning.candidates import Candidates
from covey.planning.intervals import reach_draws
from covey.planning.planner import Brief, build_model
from covey.planning.reach import exposure_distribution
from covey.planning.segments import MACRO_NICHE
from test_plan_pooling import segments_of

# (niche, country, language, real audience, sampled ids, id pool the sample is drawn from; None:
# ids of its own, shared with nobody)
Spec = tuple[str, str, str, float, int, int | None]


def listing(spec: list[Spec], seed: int = 0) -> tuple[Candidates, pa.Table]:
    """Candidates and follower samples; creators of one (niche, country, pool) draw from one id pool."""
    rng = np.random.default_rng(seed)
    sets: list[str] = []
    members: list[str] = []
    for i, (niche, country, _, _, sample, pool) in enumerate(spec):
        drawn = np.arange(sample) if pool is None else rng.choice(pool, sample, replace=False)
        sets += [f"c{i}"] * sample
        members += [f"{niche}{country}{x}" if pool is not None else f"own{i}-{x}" for x in drawn]
    n = len(spec)
    macro = [s[0] == MACRO_NICHE for s in spec]
    cands = Candidates(
        account_id=[f"c{i}" for i in range(n)], handle=[None] * n, platform=["instagram"] * n,
        country=[s[1] for s in spec], language=[s[2] for s in spec], niche=[s[0] for s in spec],
        tier=["macro" if m else "micro" for m in macro],
        followers=np.array([s[3] for s in spec]) / 0.8, real_share=np.full(n, 0.8),
        rate=np.where(macro, 0.12, 0.25), engagement_rate=np.full(n, 0.02),
        engagements_per_post=np.full(n, 100.0), fee=np.full(n, np.nan), source="test",
    )  # fmt: skip
    return cands, pa.table({"set_id": pa.array(sets), "member_id": pa.array(members)})


def macros(country: str, language: str, k: int) -> list[Spec]:
    """k macro accounts: 150 sampled ids of 640,000 real followers each, shared with nobody."""
    return [(MACRO_NICHE, country, language, 640_000.0, 150, None)] * k


def test_macro_segments_of_several_countries_sharing_nothing_are_not_one_audience() -> None:
    """A world-wide list: each country's macros form a segment, and they lend one another pseudo
    ids resting on no shared id anywhere. That is no evidence either: each country's macros hold
    at least their audiences side by side, as a one-country list's do."""
    spec: list[Spec] = []
    for country, language in (("DE", "de"), ("GB", "en"), ("BR", "pt")):
        spec += [("beauty", country, language, 20_000.0, 200, 60_000)] * 10 + macros(country, language, 4)
    cands, ids = listing(spec)
    segs = segments_of(cands, ids)
    a = cands.real_audience
    for g, key in enumerate(segs.keys):
        if key.startswith(MACRO_NICHE):
            assert segs.size[g] >= a[segs.of_creator == g].sum() * (1 - 1e-9), key


def test_a_segment_borrowing_its_niches_ids_is_not_without_evidence() -> None:
    """Countries of one niche where two share many ids and five share none: the five borrow the
    niche's rate (resting on real ids), so the plan says their overlaps come from similar segments,
    not that they are chance."""
    spec: list[Spec] = []
    for j, country in enumerate(["DE", "GB", "BR", "FR", "IT", "ES", "NL"]):
        spec += [("beauty", country, "xx", 20_000.0, 200, 8_000 if j < 2 else None)] * 4
    cands, ids = listing(spec)
    notes = build_model(cands, ids, Brief(text="beauty", budget=1.0)).notes
    assert any("estimated from similar segments" in n and "beauty/BR/xx" in n for n in notes), notes
    assert not any("chance" in n for n in notes), notes


def test_interval_draws_floor_a_blind_segment_as_the_point_does() -> None:
    """Five macros sharing no sampled id: the point model holds all five audiences side by side. A
    plan booking two of them must be drawn on the same segment, not on one just holding those two
    (far more overlap than the point assumes): with only the overlaps drawn, the draws' median 3+
    stays near the point's."""
    cands, ids = listing(macros("DE", "de", 5))
    model = build_model(cands, ids, Brief(text="x", budget=1.0))
    assert model.segments.size[0] >= cands.real_audience.sum() * (1 - 1e-9)
    assert any("no more than by chance" in n and "macro creators in DE/de" in n for n in model.notes)
    posts = np.array([3, 3, 0, 0, 0])
    point = exposure_distribution(model.panel, cands.rate, posts).reach_at(3)
    got = reach_draws(model, posts, 3, 5, draws=60, vary=frozenset({"overlaps"}))
    assert abs(float(np.median(got[:, 1])) / point - 1) < 0.2


def test_segment_names_group_the_macro_pool_once() -> None:
    from covey.planning.planner import segment_names

    keys = ["brief/GB/en", "(macro)/AU/en", "(macro)/CA/en", "(macro)/IE/en"]
    assert segment_names(keys) == "brief/GB/en, macro creators in AU/en, CA/en, ..."
    assert segment_names(keys[1:3]) == "macro creators in AU/en, CA/en"
    assert segment_names(["a/GB/en", "b/GB/en"]) == "a/GB/en, b/GB/en"
