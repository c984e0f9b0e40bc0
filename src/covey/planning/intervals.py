"""How sure a plan's predicted reach is: an interval from re-drawing the model's uncertain parts.

The point prediction uses one value of each uncertain input. The interval re-evaluates the
plan's creators ``DRAWS`` times, each time with

- reach rates: the prior by platform and tier is a guess (no platform publishes it): one
  log-normal factor per platform and tier shared by its creators (sd ``RATE_SHARED``) and one
  per creator with the model's own spread (the priors' ``reach_spread``, mean 1: the point
  prediction averages over this spread, a draw takes one rate per creator as the world does,
  so all of a creator's followers share its luck);
- real-audience share: the 0.70 prior varies by a shared and an own normal term (sd
  ``SHARE_PRIOR_SD`` each); a vetting estimate by ``SHARE_VETTED_SD``; a follower sample's
  real-looking share (``covey.planning.sample_share``) by a shared term for the profile rule's
  error (``SHARE_SAMPLE_SD``) and its own binomial error; a candidate file's value is taken
  as given;
- segment sizes (how much the audiences overlap): every shared-id rate drawn from its gamma
  posterior (``covey.planning.pooling``: shape = the segment's own shared ids + the one pseudo
  id its niche lends, so log N_g has sd about 1 / sqrt(shape): ~1 on no ids of its own, ~0.1
  on 100), times a log-normal factor of sd ``SEGMENT_SD_MIN`` for the model's own
  simplification (independent subsets of exchangeable people); ``SEGMENT_SD_GUESSED`` where
  there were no sampled ids at all (chance overlap); the niche's cross rate likewise, and the
  cross share re-estimated from the drawn rates;
- and a fresh virtual panel (the model's own sampling noise),

except that a creator whose reach per post was measured (``measured``: a campaign's reported
reach or views, :mod:`covey.campaigns.reach`; by default the candidates' ``rate_measured``, from
past campaigns' insights, :mod:`covey.planning.learned_rates`) has no unknown rate: what was measured is the
people reached per post, rate times real audience, so in each draw its rate is that figure
divided by the drawn real audience (the audience's uncertainty moves the overlaps, not the
people reached per post),

and reports the 5th and 95th percentiles: a 90 % interval under these assumptions. The
spreads are planning assumptions stated here, not fitted to any evaluation world.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt

from covey.planning.candidates import measured_mask, take
from covey.planning.planner import AudienceModel
from covey.planning.pooling import draw_rates
from covey.planning.reach import FloatArray, IntArray, exposure_distribution
from covey.planning.sample_share import SOURCE
from covey.planning.segments import MAX_POOL, Segments, niche_shares, virtual_panel

DRAWS = 40
RATE_SHARED = 0.30
SHARE_PRIOR_SD = 0.08
SHARE_VETTED_SD = 0.04
SHARE_SAMPLE_SD = 0.04
SAMPLE_SIZE = 200  # binomial spread of a sample's share: the usual follower sample
SEGMENT_SD_MIN = 0.10
SEGMENT_SD_GUESSED = 0.6
LEVEL = 0.90
SOURCES = frozenset({"rates", "shares", "overlaps"})


def reach_intervals(
    model: AudienceModel,
    posts: IntArray,
    k: int,
    high: int,
    seed: int = 0,
    draws: int = DRAWS,
    rates: FloatArray | None = None,
    measured: npt.NDArray[np.bool_] | None = None,
) -> dict[str, list[float]]:
    """90 % intervals of the plan's reach at 1+, k+ and within the k..high window, in people.

    ``rates`` (over the model's candidates) replace the candidates' reach rates, and the rates
    of the creators marked ``measured`` are held to the people reached per post they imply.
    """
    if not np.any(posts):
        return _by_figure(k, [[0.0, 0.0] for _ in range(3)])
    got = reach_draws(model, posts, k, high, seed, draws, rates, measured)
    lo, hi = np.percentile(got, [50 * (1 - LEVEL), 50 * (1 + LEVEL)], axis=0)
    return _by_figure(k, [[float(a), float(b)] for a, b in zip(lo, hi, strict=True)])


def _by_figure(k: int, ranges: list[list[float]]) -> dict[str, list[float]]:
    """The three ranges (1+, k+, window: the columns of :func:`reach_draws`) by name."""
    return dict(zip(("1+", f"{k}+", "window"), ranges, strict=True))


def spread_with_known_rates(
    model: AudienceModel, posts: IntArray, k: int, high: int, seed: int = 0, draws: int = DRAWS
) -> dict[str, list[float]]:
    """The 90 % range of the reach at 1+, k+ and in the window as shares of its median, were
    every creator's reach per post known: the draws keep the rates and vary the rest.

    ``[-0.2, 0.3]`` reads "from 20 % below to 30 % above": what the range would shrink to with
    the creators' post insights, set beside today's range to say how much of it is the rates.
    """
    if not np.any(posts):
        return _by_figure(k, [[0.0, 0.0] for _ in range(3)])
    got = reach_draws(model, posts, k, high, seed, draws, vary=SOURCES - {"rates"})
    lo, mid, hi = np.percentile(got, [50 * (1 - LEVEL), 50, 50 * (1 + LEVEL)], axis=0)
    return _by_figure(
        k,
        [
            [float(a / m - 1), float(b / m - 1)] if m > 0 else [0.0, 0.0]
            for a, m, b in zip(lo, mid, hi, strict=True)
        ],
    )


def reach_draws(
    model: AudienceModel,
    posts: IntArray,
    k: int,
    high: int,
    seed: int = 0,
    draws: int = DRAWS,
    rates: FloatArray | None = None,
    measured: npt.NDArray[np.bool_] | None = None,
    vary: frozenset[str] = SOURCES,
) -> npt.NDArray[np.float64]:
    """The plan's reach at 1+, k+ and in the k..high window (columns) over ``draws`` draws.

    ``vary`` names the uncertain parts drawn (``SOURCES``); the others keep their estimates.
    """
    unknown = set(vary) - SOURCES
    if unknown:
        raise ValueError(f"unknown sources of uncertainty: {sorted(unknown)}")
    chosen = np.flatnonzero(posts)
    sub = take(model.cands, chosen.astype(np.int64))
    if rates is not None:
        sub = replace(sub, rate=np.asarray(rates, dtype=float)[chosen])
    held = measured_mask(sub) if measured is None else np.asarray(measured, bool)[chosen]
    per_post = sub.rate * sub.real_audience  # measured people reached per post (used where held)
    segs = model.segments
    uniq, inv = np.unique(segs.of_creator[chosen], return_inverse=True)
    everyone = np.bincount(segs.of_creator, weights=model.cands.real_audience, minlength=len(segs.keys))
    kinds = np.array([f"{p}/{t}" for p, t in zip(sub.platform, sub.tier, strict=True)])
    _, pt = np.unique(kinds, return_inverse=True)
    source = np.array(sub.real_share_source or ["prior"] * len(sub))
    rng = np.random.default_rng(seed + 7919)
    n = len(sub)
    got = np.zeros((draws, 3))
    own_sd = model.rate_spread
    for d in range(draws):
        own = rng.normal(-own_sd * own_sd / 2, own_sd, n) if own_sd > 0 else np.zeros(n)
        rate = sub.rate * np.exp(rng.normal(0, RATE_SHARED, pt.max() + 1)[pt] + own)
        if "rates" not in vary:
            # Known rates: each creator's at its estimate (spread_with_known_rates reads the
            # draws relative to their median, so the rates' level does not matter there).
            rate = sub.rate.copy()
        share = sub.real_share.copy()
        prior = source == "prior"
        share[prior] += rng.normal(0, SHARE_PRIOR_SD) + rng.normal(0, SHARE_PRIOR_SD, int(prior.sum()))
        vetted = source == "vetting"
        share[vetted] += rng.normal(0, SHARE_VETTED_SD, int(vetted.sum()))
        sampled = source == SOURCE
        binom = np.sqrt(share[sampled] * (1 - share[sampled]) / SAMPLE_SIZE)
        share[sampled] += rng.normal(0, SHARE_SAMPLE_SD) + rng.normal(0, 1, int(sampled.sum())) * binom
        share = np.clip(share, 0.05, 1.0) if "shares" in vary else sub.real_share.copy()
        rate = np.where(held, per_post / np.maximum(sub.followers * share, 1.0), rate)
        cands = replace(sub, rate=np.clip(rate, 0.005, 0.95), real_share=share)
        lam, cross, phi = 1.0 / segs.size, segs.cross_rate, segs.phi
        if segs.rates is not None and segs.group_of is not None and "overlaps" in vary:
            # Every segment's rate is drawn (the cross share rests on all of the niche's).
            drawn_rates = draw_rates(segs.rates, rng)
            lam = np.where(segs.from_overlaps, drawn_rates.within, lam)
            cross = drawn_rates.cross
            phi = niche_shares(lam, segs.group_of, cross)
        sd = np.where(segs.from_overlaps[uniq], SEGMENT_SD_MIN, SEGMENT_SD_GUESSED) * ("overlaps" in vary)
        size = np.exp(rng.normal(0, 1, uniq.size) * sd) / np.maximum(lam[uniq], 1e-300)
        a = cands.real_audience
        largest = np.zeros(uniq.size)
        np.maximum.at(largest, inv, a)
        if segs.blind is not None:
            # As estimate_segments: a segment without evidence of overlap holds the audiences of
            # all its creators, the plan's at their drawn shares (the plan's alone would put far
            # more overlap among them than the point model does).
            whole = everyone[uniq] + np.bincount(inv, weights=a - sub.real_audience, minlength=uniq.size)
            largest = np.where(segs.blind[uniq], whole, largest)
        cap = MAX_POOL * np.maximum(
            segs.size[uniq] / MAX_POOL, np.bincount(inv, weights=a, minlength=uniq.size)
        )
        drawn = Segments(
            [segs.keys[g] for g in uniq],
            inv.astype(np.int64),
            np.maximum(np.minimum(size, cap), largest),
            segs.pairs_seen[uniq],
            segs.from_overlaps[uniq],
            None if segs.shared_ids is None else segs.shared_ids[uniq],
            None if segs.group_of is None else segs.group_of[uniq],
            cross,
            None,
            phi,
        )
        panel = virtual_panel(
            cands, drawn, model.target_segments[uniq], people_per_segment=2000, seed=seed + 1000 + d,
            rate_spread=0.0,
        )  # fmt: skip
        rep = exposure_distribution(panel, cands.rate, posts[chosen], max_count=max(10, high + 1))
        got[d] = rep.reach_at(1), rep.reach_at(k), rep.in_window(k, high)
    return got
