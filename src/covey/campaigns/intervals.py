"""How sure the report's delivered reach is: the plan's interval, with measured rates held.

The plan's interval (:func:`covey.planning.intervals.reach_intervals`) re-draws the model's
uncertain parts: reach rates (a shared factor per platform and tier and one per creator),
real-audience shares, segment sizes, the cross pool and the virtual panel. The delivered
reach has the same uncertain parts except one: a creator whose reach per post was measured
(reported reach from their insights, or views) has no unknown rate. What was measured is the
people reached per post, r x A (rate times real audience), so in each draw that creator's rate
is the measured reach per post divided by the drawn real audience: the audience's
uncertainty moves the overlaps, not the people reached per post.

:func:`delivered_intervals` is ``reach_intervals`` draw for draw (the same assumptions, the
same random stream, tested equal when nothing was measured) with that one change. It is a copy
because the planner's function draws every rate and ``covey.planning`` is not this package's
to change; the test ``test_without_measured_rates_it_is_the_plans_interval`` fails if the two
drift apart.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt

from covey.planning.candidates import take
from covey.planning.intervals import (
    DRAWS,
    LEVEL,
    RATE_SHARED,
    SAMPLE_SIZE,
    SEGMENT_SD_GUESSED,
    SEGMENT_SD_MIN,
    SHARE_PRIOR_SD,
    SHARE_SAMPLE_SD,
    SHARE_VETTED_SD,
)
from covey.planning.planner import AudienceModel
from covey.planning.reach import FloatArray, IntArray, exposure_distribution
from covey.planning.sample_share import SOURCE
from covey.planning.segments import CROSS_SHARE, Segments, virtual_panel


def delivered_intervals(
    model: AudienceModel,
    rates: FloatArray,
    posts: IntArray,
    measured: npt.NDArray[np.bool_],
    seed: int = 0,
    draws: int = DRAWS,
) -> dict[str, list[float]]:
    """90 % intervals of the delivered reach at 1+ and 3+, in people.

    ``rates`` are the report's per-creator rates over the model's candidates (measured where
    ``measured``, else the plan's), ``posts`` the delivered posts per candidate.
    """
    chosen = np.flatnonzero(posts)
    if chosen.size == 0:
        return {"1+": [0.0, 0.0], "3+": [0.0, 0.0]}
    sub = take(model.cands, chosen.astype(np.int64))
    sub = replace(sub, rate=np.asarray(rates, dtype=float)[chosen])
    held = np.asarray(measured, dtype=bool)[chosen]
    per_post = sub.rate * sub.real_audience  # measured people reached per post (used where held)
    segs = model.segments
    uniq, inv = np.unique(segs.of_creator[chosen], return_inverse=True)
    kinds = np.array([f"{p}/{t}" for p, t in zip(sub.platform, sub.tier, strict=True)])
    _, pt = np.unique(kinds, return_inverse=True)
    source = np.array(sub.real_share_source or ["prior"] * len(sub))
    rng = np.random.default_rng(seed + 7919)
    n = len(sub)
    got = np.zeros((draws, 2))
    own_sd = model.rate_spread
    for d in range(draws):
        # Draw for draw as reach_intervals (k=3, high=3), so the random stream stays the same.
        own = rng.normal(-own_sd * own_sd / 2, own_sd, n) if own_sd > 0 else np.zeros(n)
        rate = sub.rate * np.exp(rng.normal(0, RATE_SHARED, pt.max() + 1)[pt] + own)
        share = sub.real_share.copy()
        prior = source == "prior"
        share[prior] += rng.normal(0, SHARE_PRIOR_SD) + rng.normal(0, SHARE_PRIOR_SD, int(prior.sum()))
        vetted = source == "vetting"
        share[vetted] += rng.normal(0, SHARE_VETTED_SD, int(vetted.sum()))
        sampled = source == SOURCE
        binom = np.sqrt(share[sampled] * (1 - share[sampled]) / SAMPLE_SIZE)
        share[sampled] += rng.normal(0, SHARE_SAMPLE_SD) + rng.normal(0, 1, int(sampled.sum())) * binom
        share = np.clip(share, 0.05, 1.0)
        # The one change: a measured creator reaches the measured people per post.
        rate = np.where(held, per_post / np.maximum(sub.followers * share, 1.0), rate)
        cands = replace(sub, rate=np.clip(rate, 0.005, 0.95), real_share=share)
        shared = segs.shared_ids[uniq] if segs.shared_ids is not None else np.zeros(uniq.size)
        poisson = np.maximum(SEGMENT_SD_MIN, 1.0 / np.sqrt(np.maximum(shared, 1.0)))
        sd = np.where(segs.from_overlaps[uniq], poisson, SEGMENT_SD_GUESSED)
        size = segs.size[uniq] * np.exp(rng.normal(0, 1, uniq.size) * sd)
        a = cands.real_audience
        largest = np.zeros(uniq.size)
        np.maximum.at(largest, inv, a)
        drawn = Segments(
            [segs.keys[g] for g in uniq],
            inv.astype(np.int64),
            np.maximum(size, largest),
            segs.pairs_seen[uniq],
            segs.from_overlaps[uniq],
            None if segs.shared_ids is None else segs.shared_ids[uniq],
            None if segs.group_of is None else segs.group_of[uniq],
            segs.cross_rate,
        )
        panel = virtual_panel(
            cands, drawn, model.target_segments[uniq], people_per_segment=2000, seed=seed + 1000 + d,
            rate_spread=0.0, cross_share=CROSS_SHARE * rng.uniform(0.5, 1.5),
        )  # fmt: skip
        rep = exposure_distribution(panel, cands.rate, posts[chosen], max_count=10)
        got[d] = rep.reach_at(1), rep.reach_at(3)
    lo, hi = np.percentile(got, [50 * (1 - LEVEL), 50 * (1 + LEVEL)], axis=0)
    return {"1+": [float(lo[0]), float(hi[0])], "3+": [float(lo[1]), float(hi[1])]}
