"""Shared-id rates pooled over a niche's segments: sizes honest about sparse evidence."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyarrow as pa
import pytest

from covey.planning.candidates import Candidates
from covey.planning.overlap import pairwise_overlaps
from covey.planning.planner import Brief, build_model
from covey.planning.pooling import Rates, cross_share, draw_rates, pooled_rates
from covey.planning.segments import MAX_POOL, coverage_of, estimate_segments
from covey.planning.sketches import build_sketches
from test_plan_segments import world


def countries(seed: int, pools: dict[str, int], per: int, sample: int) -> tuple[Candidates, pa.Table]:
    """``per`` creators in each country, audiences random subsets of that country's pool."""
    rng = np.random.default_rng(seed)
    names = list(pools)
    n_c = per * len(names)
    cands, _, _ = world(n_c, 20_000, seed=seed, sample=10)
    country = [c for c in names for _ in range(per)]
    start = dict(zip(names, np.cumsum([0, *pools.values()])[:-1], strict=True))
    a = rng.integers(3_000, 9_000, n_c)
    audiences = [
        start[c] + rng.choice(pools[c], int(x), replace=False) for c, x in zip(country, a, strict=True)
    ]
    samples = [rng.choice(m, size=sample, replace=False) for m in audiences]
    ids = pa.table(
        {
            "set_id": pa.array(np.repeat([f"c{i}" for i in range(n_c)], sample)),
            "member_id": pa.array([f"p{x}" for x in np.concatenate(samples)]),
        }
    )
    cands = replace(cands, country=country, language=["en"] * n_c, followers=a / 0.8)
    return cands, ids


def segments_of(cands: Candidates, ids: pa.Table):  # type: ignore[no-untyped-def]
    sk = build_sketches(ids)
    n_ids = np.array([sk[x].estimate() if x in sk else 0.0 for x in cands.account_id])
    return estimate_segments(cands, pairwise_overlaps(sk), coverage_of(cands, n_ids))


def test_zero_shared_ids_do_not_shrink_the_segment_to_the_audiences_side_by_side() -> None:
    # GB's 4 creators with 150-id samples of a 500,000-person pool share (almost surely) no id;
    # DE and FR, pools of 60,000, share many. GB must not fall back to N = sum a_i (~24,000).
    pools = {"DE": 60_000, "FR": 60_000, "GB": 500_000}
    cands, ids = countries(0, pools, per=4, sample=150)
    segs = segments_of(cands, ids)
    g = segs.keys.index("ibd/GB/en")
    gb = np.array(cands.country) == "GB"
    assert segs.shared_ids is not None and segs.shared_ids[g] == 0
    assert segs.from_overlaps[g] and segs.rates is not None and segs.rates.basis[g] == "niche"
    assert segs.size[g] > 2 * cands.real_audience[gb].sum()
    # and at least the niche's pooled size: no own ids never makes a segment smaller than its niche's
    others = [segs.keys.index(k) for k in ("ibd/DE/en", "ibd/FR/en")]
    assert segs.size[g] >= 0.9 * segs.size[others].min()


def test_zero_shared_ids_anywhere_still_means_a_large_pool() -> None:
    # One segment, samples that share nothing: the Jeffreys rate (1/2) / sum n_i n_j.
    cands, _, ids = world(5, 10_000_000, seed=5, sample=200)
    segs = segments_of(cands, ids)
    assert segs.shared_ids is not None and segs.shared_ids[0] == 0
    n = 200.0  # 10 pairs of 200 sampled ids each, no shared id: N = 10 n^2 / (1/2) ...
    jeffreys = 10 * n * n / 0.5
    # ... unless that is beyond MAX_POOL audiences side by side, where overlaps are negligible
    assert segs.size[0] == pytest.approx(min(jeffreys, MAX_POOL * cands.real_audience.sum()), rel=0.05)
    assert segs.size[0] > 10 * cands.real_audience.sum()


def test_many_ids_keep_the_maximum_likelihood_size() -> None:
    cands, _, ids = world(40, 60_000, seed=0)
    segs = segments_of(cands, ids)
    assert segs.shared_ids is not None and segs.shared_ids[0] > 100
    assert segs.size[0] == pytest.approx(60_000, rel=0.15)


def test_shrinkage_pulls_a_sparse_segment_towards_its_niche() -> None:
    # Five well-measured segments of one niche (~20 shared ids each at a rate of 2e-5) and one
    # sparse one, no shared id on a twentieth of the pairs: it takes the niche's rate.
    shared = np.array([18.0, 22.0, 20.0, 25.0, 19.0, 0.0])
    pairs = np.array([1e6] * 5 + [5e4])
    rates = pooled_rates(shared, pairs, np.zeros(6, dtype=np.int64), np.zeros(1), np.zeros(1))
    ml = shared / pairs
    assert rates.within[5] == pytest.approx(2.1e-5, rel=0.25)  # not 0, not sum a_i: the niche's
    assert np.allclose(rates.within[:5], ml[:5], rtol=0.2)  # the measured ones move little
    assert rates.within[:5].std() < ml[:5].std()  # but towards each other
    assert rates.basis == ["own ids"] * 5 + ["niche"]
    # segments that disagree far beyond Poisson noise are pooled less (a weaker prior)
    wild = pooled_rates(
        np.array([2.0, 60.0, 5.0, 90.0, 1.0, 0.0]),
        pairs,
        np.zeros(6, dtype=np.int64),
        np.zeros(1),
        np.zeros(1),
    )
    assert wild.within_shape[5] < rates.within_shape[5]


def test_draws_spread_more_on_fewer_ids() -> None:
    rng = np.random.default_rng(0)
    base = Rates(np.array([1e-5, 1e-5]), np.array([2.0, 101.0]), ["own ids"] * 2, np.zeros(1), np.zeros(1))
    logs = np.log([draw_rates(base, rng).within for _ in range(4000)])
    sd = logs.std(axis=0)
    assert sd[0] > 4 * sd[1]
    assert sd[1] == pytest.approx(1 / np.sqrt(101), rel=0.15)


def test_cross_share_recovered_when_the_niche_pool_is_its_segments() -> None:
    # Three countries' people P_g; each audience 35 % from the niche's people anywhere (the
    # same people, in proportion to each country's size): across countries the rate is
    # phi (2 - phi) / T, within a country (1 - phi)^2 / P_g plus that.
    phi, p = 0.35, np.array([40_000.0, 80_000.0, 120_000.0])
    mu = phi * (2 - phi) / p.sum()
    within = (1 - phi) ** 2 / p + mu
    assert cross_share(within, mu) == pytest.approx(phi, rel=1e-6)
    assert cross_share(within[:1], mu) == 0.0  # one segment: nothing to tell it by


def test_interval_widens_when_the_overlaps_rest_on_fewer_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    from covey.planning import intervals

    # Rates and shares known (no spread): what is left is the segment size's uncertainty.
    monkeypatch.setattr(intervals, "RATE_SHARED", 0.0)
    widths = []
    for sample in (1_500, 150):
        cands, _, ids = world(12, 150_000, seed=7, sample=sample)
        cands = replace(cands, real_share_source=["candidate file"] * 12)
        model = build_model(cands, ids, Brief(text="x", budget=1000.0), rate_spread=0.0)
        posts = np.full(12, 3, dtype=np.int64)
        band = intervals.reach_intervals(model, posts, 3, 5, draws=30)
        widths.append(np.log(band["3+"][1] / band["3+"][0]))
    assert widths[1] > 2 * widths[0]


def test_ids_shared_by_unrelated_niches_are_background_not_overlap() -> None:
    # Cross-segment ids at the rate unrelated creators (other niches) share them: no cross pool.
    shared, pairs = np.array([30.0, 30.0]), np.array([1e6, 1e6])
    group = np.array([0, 0], dtype=np.int64)
    plain = pooled_rates(shared, pairs, group, np.array([20.0]), np.array([1e7]))
    # fakes: a tenth of the sampled ids, so sum f_i f_j is 1/100 of sum n_i n_j
    noisy = pooled_rates(
        shared, pairs, group, np.array([20.0]), np.array([1e7]),
        background=(40.0, 2e5), fake_pairs=(pairs / 100, np.array([1e5])),
    )  # fmt: skip
    assert plain.cross[0] == pytest.approx(2e-6, rel=0.1)
    assert noisy.background == pytest.approx(2e-4, rel=0.05)
    assert noisy.cross[0] < 0.3 * plain.cross[0]  # little left above the background
    assert noisy.within == pytest.approx(plain.within - 2e-6, rel=0.1)  # 3e-5 - 2e-6 stays


def test_range_with_known_rates_is_narrower_and_said_in_a_sentence() -> None:
    from covey.planning import intervals
    from covey.planning.wording import rates_sentence

    cands, _, ids = world(12, 150_000, seed=7, sample=1_500)
    cands = replace(cands, real_share_source=["candidate file"] * 12)
    model = build_model(cands, ids, Brief(text="x", budget=1000.0))
    posts = np.full(12, 3, dtype=np.int64)
    band = intervals.reach_intervals(model, posts, 3, 5, draws=30)
    known = intervals.spread_with_known_rates(model, posts, 3, 5, draws=30)
    # Overlaps well measured and shares given: without the rates' uncertainty little is left.
    assert known["3+"][0] < 0 < known["3+"][1]
    assert np.log1p(known["3+"][1]) - np.log1p(known["3+"][0]) < 0.5 * np.log(band["3+"][1] / band["3+"][0])
    with pytest.raises(ValueError, match="unknown sources"):
        intervals.reach_draws(model, posts, 3, 5, vary=frozenset({"weather"}))
    mid = float(np.sqrt(band["3+"][0] * band["3+"][1]))
    summary = {
        "frequency_window": [3, 5],
        "reach": {"reach": {"1+": 2 * mid, "3+": mid}},
        "intervals": {"people": band, "known_rates": known},
    }
    said = rates_sentence(summary, "atleast")
    assert said is not None and said.startswith("Most of this range comes from the creators' reach per post")
    assert f"{known['3+'][0]:+.0%} to {known['3+'][1]:+.0%}" in said
    summary["intervals"]["known_rates"] = {"3+": [-0.9, 2.0]}  # the rest as wide as today: only part
    assert str(rates_sentence(summary, "atleast")).startswith("Part of this range")
    assert rates_sentence({**summary, "intervals": {}}, "atleast") is None  # a plan saved without it
