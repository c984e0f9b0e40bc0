"""How often two audiences share a sampled id: rates pooled over segments, honest about few ids.

The evidence on audience overlaps is the sampled ids that two creators' follower samples
share. Creator i's n_i real-looking sampled ids cover a share n_i / a_i of its audience, so
if two audiences of a pool of N people are independent random subsets, the ids two samples
share are Poisson with mean n_i n_j / N: the *shared-id rate* lambda = 1 / N per pair of
sampled ids. Pairs fall in three classes here: both creators in one segment (niche, country,
language) g, rate lambda_g; in two segments of one niche, rate mu_x (people the niche's
countries share); and anything else, taken as disjoint.

A segment of 3-10 candidates with 200-id samples of 20,000-person audiences often shares no
id at all. Its maximum-likelihood rate is then 0 (an infinite segment), and the old fallback,
chance overlap with N_g = sum a_i, was far too small: zero shared ids is evidence of a *large*
pool. Here every rate is a gamma-Poisson posterior mean, shrunk towards the level above it
(capture-recapture's usual remedy for sparse recaptures, and the empirical-Bayes answer to
the optimizer's curse, which otherwise picks the segments whose noise made them look small):

    segment:  lambda_g = (S_g + A) / (E_g + A / lambda_niche without g)   (S shared ids,
    niche:    rate of the niche's other segments, shrunk (one pseudo id)    E = sum n_i n_j)
              towards every other segment of the same kind (macro or not)

Leaving the segment out of its own prior keeps its ids from counting twice; a unit with no
pairs outside itself stands alone with Jeffreys' prior, (S + 1/2) / E. The prior strength A
(pseudo shared ids) is empirical Bayes: the negative-binomial marginal likelihood of the
segments' shared ids, maximised over a grid (one pseudo id when there is too little to learn
from). The cross rate mu_x is shrunk the same way towards the other niches'. Ids shared by
creators of different niches measure the background, bots the fake-follower filters let
through (farms sell the same bots to many accounts); each rate is the posterior mean of its
excess over that background. The posterior's shape gives the spread: log lambda has sd about
1 / sqrt(shape), which the intervals draw from, so a size resting on no ids of its own is as
uncertain as one pseudo id says (sd ~1), one on 100 ids ~0.1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln
from scipy.stats import gamma as gamma_dist

from covey.planning.reach import FloatArray, IntArray

# Pseudo shared ids a level lends the one below it: one id, the weakest prior that still
# gives a segment without shared ids a finite size. Not tuned.
PRIOR_IDS = 1.0
BORROWED = ("niche", "all segments")  # bases of a rate resting on other segments' ids only
JEFFREYS = 0.5  # the root's prior shape when it has pairs but no shared id


@dataclass(frozen=True)
class Rates:
    """Per segment and per niche group: posterior shared-id rates and their gamma shapes."""

    within: FloatArray  # lambda_g per segment (0 = no evidence at any level)
    within_shape: FloatArray  # S_g + the prior's pseudo ids
    basis: list[str]  # per segment: "own ids", "niche", "all segments" or "none"
    cross: FloatArray  # mu_x per niche group (0 = no pairs across the niche's segments)
    cross_shape: FloatArray
    background: float = 0.0  # beta: shared ids per pair of sampled fakes (bots), not overlap


def shrink(shared: FloatArray, pairs: FloatArray, parent: FloatArray, prior: float = PRIOR_IDS) -> FloatArray:
    """Gamma-Poisson posterior mean of a rate: (shared + A) / (pairs + A / parent), A = ``prior``.

    Where the parent is unknown (0: no pairs outside this unit) the unit stands alone with
    Jeffreys' prior, (shared + 1/2) / pairs; without pairs either, 0 (no evidence).
    """
    alone = np.where(pairs > 0, (shared + JEFFREYS) / np.where(pairs > 0, pairs, 1.0), 0.0)
    lent = (shared + prior) / (pairs + prior / np.where(parent > 0, parent, 1.0))
    return np.where(parent > 0, lent, alone)


def shapes(shared: FloatArray, pairs: FloatArray, parent: FloatArray, prior: float = PRIOR_IDS) -> FloatArray:
    """The posterior's gamma shape, matching :func:`shrink` (0 where there is no evidence)."""
    return np.where(parent > 0, shared + prior, np.where(pairs > 0, shared + JEFFREYS, 0.0))


PRIOR_GRID = np.geomspace(0.25, 64.0, 25)  # candidate prior strengths A, in pseudo ids
MIN_UNITS = 4  # segments with pairs needed before A is estimated rather than taken as 1
MIN_IDS = 10  # and shared ids among them
MAX_CROSS_SHARE = 0.5  # a creator's own segment supplies at least half of its audience


def prior_strength(shared: FloatArray, pairs: FloatArray, parent: FloatArray) -> float:
    """Empirical-Bayes A: the gamma prior's shape that best explains the segments' shared ids.

    Each segment's S_g is negative binomial given its parent's rate m_g (prior Gamma(A, A / m_g)):
    a large A says segments' rates agree with their niche's (pool hard), a small one that they
    differ (pool little). Maximum marginal likelihood over ``PRIOR_GRID``; with fewer than
    ``MIN_UNITS`` segments or ``MIN_IDS`` shared ids to learn from, one pseudo id.
    """
    ok = (pairs > 0) & (parent > 0)
    # Zeros alone favour ever weaker priors (a gamma of shape -> 0 puts its mass at 0): with
    # fewer than MIN_IDS shared ids there is nothing to learn the spread from.
    if int(ok.sum()) < MIN_UNITS or float(shared[ok].sum()) < MIN_IDS:
        return PRIOR_IDS
    s, mu = shared[ok][:, None], (parent[ok] * pairs[ok])[:, None]
    a = PRIOR_GRID[None, :]
    ll = gammaln(s + a) - gammaln(a) + a * np.log(a / (a + mu)) + s * np.log(mu / (a + mu))
    return float(PRIOR_GRID[int(np.argmax(ll.sum(axis=0)))])


def _others(
    total_s: FloatArray | float, total_e: FloatArray | float, s: FloatArray, e: FloatArray
) -> FloatArray:
    """The pooled rate of everything but the unit itself, Jeffreys-smoothed (0 without pairs).

    Leaving the unit out keeps its own ids from being counted twice, as data and as prior.
    """
    rest_s, rest_e = np.asarray(total_s) - s, np.asarray(total_e) - e
    ok = rest_e > 1e-9 * np.maximum(np.asarray(total_e), 1.0)
    return np.where(ok, (np.maximum(rest_s, 0.0) + JEFFREYS) / np.where(ok, rest_e, 1.0), 0.0)


def pooled_rates(
    seg_shared: FloatArray,
    seg_pairs: FloatArray,
    group_of: IntArray,
    cross_shared: FloatArray,
    cross_pairs: FloatArray,
    kind: npt.NDArray[np.bool_] | None = None,
    background: tuple[float, float] = (0.0, 0.0),
    fake_pairs: tuple[FloatArray, FloatArray] | None = None,
) -> Rates:
    """Shrink each segment's and each niche's shared-id rate towards the level above.

    ``seg_shared``/``seg_pairs``: per segment, shared sampled ids and sum n_i n_j over its
    pairs; ``group_of``: each segment's niche group; ``cross_*``: per group, the same over
    pairs in two of its segments; ``kind`` marks segments of another kind (the macro pool),
    which neither lend to nor borrow from the rest. A segment's prior is its niche's other
    segments (leave one out), shrunk towards every other segment of its kind; a niche's cross
    rate is shrunk towards the other niches'.

    ``background`` (shared ids, sum f_i f_j) over pairs of creators in different niche groups,
    f_i the sampled fakes the filters are expected to let through: their samples share ids too,
    mostly bots (farms sell the same bots to many accounts), at beta per pair of sampled fakes.
    ``fake_pairs`` (sum f_i f_j per segment, per niche's cross pairs) turns it into each unit's
    expected noise, beta F / E per pair of sampled ids. The rates returned are the posterior
    means of the excess over it, E[(lambda - beta F / E)+]
    (:func:`excess`); without such pairs beta = 0.
    """
    n_x = int(cross_shared.size)
    x_shared = np.bincount(group_of, weights=seg_shared, minlength=n_x).astype(np.float64)
    x_pairs = np.bincount(group_of, weights=seg_pairs, minlength=n_x).astype(np.float64)
    kinds = np.zeros(seg_shared.size, dtype=bool) if kind is None else np.asarray(kind, dtype=bool)
    k_shared = np.array([seg_shared[kinds == k].sum() for k in (False, True)])[kinds.astype(np.int64)]
    k_pairs = np.array([seg_pairs[kinds == k].sum() for k in (False, True)])[kinds.astype(np.int64)]
    top = _others(k_shared, k_pairs, seg_shared, seg_pairs)
    rest_s = x_shared[group_of] - seg_shared
    rest_e = x_pairs[group_of] - seg_pairs
    niche = shrink(np.maximum(rest_s, 0.0), np.maximum(rest_e, 0.0), top)
    niche = np.where(rest_e > 1e-9 * np.maximum(x_pairs[group_of], 1.0), niche, top)
    strength = prior_strength(seg_shared, seg_pairs, niche)
    within = shrink(seg_shared, seg_pairs, niche, strength)
    shape = shapes(seg_shared, seg_pairs, niche, strength)
    basis = [
        "none" if w <= 0 else ("own ids" if s > 0 else ("niche" if rs > 0 else "all segments"))
        for s, w, rs in zip(seg_shared, within, rest_s, strict=True)
    ]
    c_top = _others(float(cross_shared.sum()), float(cross_pairs.sum()), cross_shared, cross_pairs)
    cross = np.where(cross_pairs > 0, shrink(cross_shared, cross_pairs, c_top), 0.0)
    c_shape = np.where(cross > 0, shapes(cross_shared, cross_pairs, c_top), 0.0)
    beta = (background[0] + JEFFREYS) / background[1] if background[1] > 0 else 0.0
    if beta <= 0 or fake_pairs is None:
        return Rates(within, shape, basis, cross, c_shape, 0.0)
    noise_g = beta * fake_pairs[0] / np.where(seg_pairs > 0, seg_pairs, np.inf)
    noise_x = beta * fake_pairs[1] / np.where(cross_pairs > 0, cross_pairs, np.inf)
    return Rates(excess(within, shape, noise_g), shape, basis, excess(cross, c_shape, noise_x), c_shape, beta)


def excess(mean: FloatArray, shape: FloatArray, beta: FloatArray) -> FloatArray:
    """E[(X - beta)+] for X ~ Gamma(shape, mean / shape): the rate above the background.

    Positive wherever the posterior leaves room above beta, however little: a rate near the
    background says "little overlap", not "none".
    """
    ok = (mean > 0) & (shape > 0) & (beta > 0)
    k = np.where(ok, shape, 1.0)
    scale = np.where(ok, mean, 1.0) / k
    got = k * scale * gamma_dist.sf(beta, k + 1, scale=scale) - beta * gamma_dist.sf(beta, k, scale=scale)
    return np.where(ok, np.maximum(got, 0.0), mean)


def cross_share(within: FloatArray, cross: float) -> float:
    """Share phi of a niche's audiences drawn from the niche's people of every country.

    A creator of segment g draws 1 - phi of its audience from g's pool of P_g people and phi
    from the niche's people anywhere, T = sum_g P_g, in proportion to each segment's size: the
    same people the other countries' creators draw from (not a separate pool). Then the rate
    across two segments is mu_x = phi (2 - phi) / T and within g it is
    lambda_g = (1 - phi)^2 / P_g + mu_x, so P_g = (1 - phi)^2 / (lambda_g - mu_x) and
    (1 - phi)^2 (1 + mu_x sum_g 1 / (lambda_g - mu_x)) = 1. Segments the candidate list does not
    reach are missing from the sum, so phi errs low. ``within`` holds the group's lambda_g.
    """
    if cross <= 0 or within.size < 2:
        return 0.0
    excess = np.maximum(within - cross, 0.25 * within)  # the own pools stay finite
    r = float(cross * np.sum(1.0 / excess))
    # At most half: where the cross rate comes near the within rates (bots and noise among the
    # many cross pairs can do that) the country split carries no information on phi, and the
    # formula would hand most of a niche's audiences to the niche at large (seed 202: 3+ +82 %).
    return min(1.0 - 1.0 / float(np.sqrt(1.0 + r)), MAX_CROSS_SHARE)


def draw_rates(rates: Rates, rng: np.random.Generator) -> Rates:
    """One draw of every rate from its gamma posterior (the spread the intervals use)."""

    def draw(mean: FloatArray, shape: FloatArray) -> FloatArray:
        ok = (mean > 0) & (shape > 0)
        k = np.where(ok, shape, 1.0)
        return np.where(ok, rng.gamma(k, 1.0) / k * mean, mean)

    return Rates(
        draw(rates.within, rates.within_shape),
        rates.within_shape,
        rates.basis,
        draw(rates.cross, rates.cross_shape),
        rates.cross_shape,
        rates.background,
    )
