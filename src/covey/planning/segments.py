"""The predicted audience: segments of exchangeable people, sized from the overlaps.

A segment is a community a creator addresses: (niche, country, language), parts left
"any" where unknown. Inside segment g of N_g people, creator i's real audience a_i is
modelled as a random subset, independent across creators: a person is in it with
probability q_i = a_i / N_g. Then overlaps are a_i a_j / N_g. Creator i's n_i real-looking
sampled ids cover a share c_i = n_i / a_i of its audience, so the ids two creators share
are Poisson with mean c_i c_j a_i a_j / N_g = n_i n_j / N_g, and the maximum-likelihood
size pools every within-segment pair:

    N_g = sum_{i<j} n_i n_j / sum_{i<j} shared_ij.

It needs neither the audiences a_i nor the real-share guesses behind them, and weighs every
shared id alike. (The earlier ratio of coverage-corrected overlaps weighed a shared id by
1 / (c_i c_j): off by 2-4x on a world of seed 71; see benchmarks/planning_diagnose.py.) Few
segments have many shared ids, so the rate 1 / N_g is a gamma-Poisson posterior pooled with
the niche's other segments, its uncertainty the posterior's (``covey.planning.pooling``): a
segment without shared ids takes its niche's rate, not chance overlap. Only with no sampled
ids at all is N_g = sum_i a_i (said in the plan's notes). A creator draws a share phi of its
audience from its niche's people anywhere, the people of all the niche's segments (its share
estimated from the rates across countries); people of other niches are distinct.

The segment model is realised as a virtual panel (``people_per_segment`` people per
segment, each standing for N_g / M people) so the same exact Poisson-binomial machinery
plans on it and on the true audiences of a sample world.

A creator's reach rate is not known, only its platform-and-tier prior (the mean) and how
much creators spread around it (``reach_spread``, a log-sd). Expected reach is linear in
people, so the exact expectation over a creator's unknown rate is the average over its
members of each member's reach with a rate drawn from that spread: the panel gives every
membership a rate factor, stratified over the log-normal's quantiles within each creator
(:func:`rate_factors`). The 1+ reach barely moves; reach at 3+ (about the rate cubed for one
creator's three posts) rises by exp(3 sd^2), ~20 % at sd 0.25.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass, replace
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

from covey.planning.candidates import Candidates, measured_mask
from covey.planning.overlap import Overlaps
from covey.planning.pooling import Rates, cross_share, pooled_rates
from covey.planning.reach import RATE_SPREAD, FloatArray, IntArray, Panel, panel_from_pairs

log = logging.getLogger("covey.planning.segments")

# Niche label of the macro pool: its accounts' audiences span niches, so they get segments
# of their own, apart from the micro candidates' even when those carry no niche (with both
# "any", macro audiences of ~1M people were overlapped with the micro ones: 3+ +226 %).
MACRO_NICHE = "(macro)"


MAX_POOL = 20.0  # a segment's size in audiences side by side, at most


@dataclass(frozen=True)
class Segments:
    """Segment of every creator, and each segment's estimated size and evidence."""

    keys: list[str]
    of_creator: IntArray
    size: FloatArray  # N_g, people
    pairs_seen: IntArray  # within-segment pairs sharing identifiers
    from_overlaps: np.ndarray  # bool: N_g estimated from overlaps (else the fallback)
    shared_ids: FloatArray | None = None  # within-segment shared sampled ids (the evidence)
    # Segments of one niche in other countries/languages share part of their audiences: per
    # segment its niche group, per group the shared ids per pair of sampled ids across its
    # segments (lambda_x = sum shared / sum n_i n_j over cross pairs; 0 = none seen).
    group_of: IntArray | None = None
    cross_rate: FloatArray | None = None
    rates: Rates | None = None  # the pooled rates behind size and cross_rate, with their shapes
    phi: FloatArray | None = None  # per niche group: share of audiences from the niche anywhere
    # bool per segment: its rate rests on no shared id at all (no_evidence); its size is at
    # least the audiences of all its creators side by side, in the point model and every draw.
    blind: np.ndarray | None = None


def key_part(value: str | None) -> str:
    """One part of a segment key: 'any' when unknown; a '/' inside (a niche 'ibd/crohns') becomes '-'."""
    return value.replace("/", "-") if value else "any"


def segment_key(niche: str | None, country: str | None, language: str | None) -> str:
    """'niche/country/language' with 'any' for unknown parts."""
    return "/".join(key_part(x) for x in (niche, country, language))


def estimate_segments(cands: Candidates, overlaps: Overlaps | None, coverage: FloatArray) -> Segments:
    """Assign creators to segments and estimate every segment's size N_g from sample overlaps.

    ``coverage[i]`` is the share of creator i's real audience in its sample
    (:func:`coverage_of`), so n_i = coverage_i a_i sampled ids. N_g = 1 / lambda_g, the
    segment's shared-id rate pooled with its niche's and every segment's
    (:func:`covey.planning.pooling.pooled_rates`): a segment without shared ids of its own
    takes its niche's rate, not chance overlap. Only without any sampled ids at all (no
    ``overlaps``) does N_g fall back to sum a_i.
    """
    keys_per = [
        segment_key(n, c, lang) for n, c, lang in zip(cands.niche, cands.country, cands.language, strict=True)
    ]
    keys, seg = np.unique(np.array(keys_per, dtype=object), return_inverse=True)
    n_g = keys.size
    a = cands.real_audience
    sum_a = np.bincount(seg, weights=a, minlength=n_g)
    pooled: FloatArray = np.zeros(n_g)
    seen: IntArray = np.zeros(n_g, dtype=np.int64)
    # Niche groups: segments whose niche part agrees ("fitness/DE/de" and "fitness/US/en").
    groups, group_of = np.unique(
        np.array([str(k).split("/")[0] for k in keys], dtype=object), return_inverse=True
    )
    gi = group_of[seg]
    n_x = groups.size
    cross_shared = np.zeros(n_x)
    bg_shared = 0.0  # ids shared by creators of different niche groups: the background
    if overlaps is not None and len(overlaps):
        pos = {x: i for i, x in enumerate(cands.account_id)}
        ia = np.array([pos.get(x, -1) for x in overlaps.a])
        ib = np.array([pos.get(x, -1) for x in overlaps.b])
        ok = (ia >= 0) & (ib >= 0)
        ia, ib, shared = ia[ok], ib[ok], overlaps.shared[ok]
        same = seg[ia] == seg[ib]
        pooled = np.bincount(seg[ia[same]], weights=shared[same], minlength=n_g).astype(np.float64)
        seen = np.bincount(seg[ia[same]], minlength=n_g).astype(np.int64)
        across = (~same) & (gi[ia] == gi[ib])
        cross_shared = np.bincount(gi[ia[across]], weights=shared[across], minlength=n_x).astype(np.float64)
        # Macro audiences span niches: their ids shared with a niche's creators are overlap.
        macro_x = np.array([str(x) == MACRO_NICHE for x in groups], dtype=bool)
        unrelated = (gi[ia] != gi[ib]) & ~macro_x[gi[ia]] & ~macro_x[gi[ib]]
        bg_shared = float(shared[unrelated].sum())
    # Sampled real-looking ids per creator; none at all when there are no samples to compare.
    n = coverage * a if overlaps is not None else np.zeros(len(cands))
    sum_n = np.bincount(seg, weights=n, minlength=n_g)
    pair_nn = (sum_n**2 - np.bincount(seg, weights=n * n, minlength=n_g)) / 2.0
    sum_nx = np.bincount(group_of, weights=sum_n, minlength=n_x)
    cross_nn = (sum_nx**2 - np.bincount(group_of, weights=sum_n**2, minlength=n_x)) / 2.0
    macro = np.array([str(k).split("/")[0] == MACRO_NICHE for k in keys], dtype=bool)
    # Sampled fakes the filters let through, expected: the sample's ids over the real-looking
    # share, minus the real-looking ones (where the share is the sample's own, exactly its
    # fake-looking part). Bot farms make their shared ids; pairs of other niches measure them.
    share = np.clip(cands.real_share, 0.05, 1.0)
    f = n * (1.0 - share) / share
    sum_f = np.bincount(seg, weights=f, minlength=n_g)
    ff_g = (sum_f**2 - np.bincount(seg, weights=f * f, minlength=n_g)) / 2.0
    sum_fx = np.bincount(group_of, weights=sum_f, minlength=n_x)
    ff_x = (sum_fx**2 - np.bincount(group_of, weights=sum_f**2, minlength=n_x)) / 2.0
    micro_fx = np.where(np.array([str(x) == MACRO_NICHE for x in groups], dtype=bool), 0.0, sum_fx)
    bg = (float(bg_shared), float((micro_fx.sum() ** 2 - (micro_fx**2).sum()) / 2.0))
    rates = pooled_rates(
        pooled, pair_nn, group_of.astype(np.int64), cross_shared, cross_nn, macro, bg, (ff_g, ff_x)
    )
    max_a = np.zeros(n_g)
    np.maximum.at(max_a, seg, a)
    has = rates.within > 0
    # Without a shared id of its own or in any segment it borrows from, a segment's rate is
    # priors alone (Jeffreys' 1 / (2 sum n_i n_j), or pseudo ids lent among segments that all
    # share nothing): a size set by how few ids were sampled, not by the audiences. Macro
    # accounts' samples (about 150 ids of 800,000 followers each) then made a country's macros
    # one pool barely larger than the biggest, as if they shared their followers. Zero shared
    # ids never argue for more overlap than chance among the audiences side by side: such a
    # segment holds at least sum a_i.
    blind = no_evidence(rates, pooled, macro)
    floor = np.where(blind, sum_a, max_a)
    # A segment holds at least its largest audience. No cap at sum a_i: audiences that overlap
    # less than N_g = sum a_i implies are common (part of a following comes from outside the
    # niche's own pool; seed 71: capping raised 3+ from -2 % to +40 %).
    # At most MAX_POOL x sum a_i: beyond it a segment's overlaps are negligible (each audience
    # shares under 1/MAX_POOL of itself with the rest), and the panel would stand for each
    # audience with a handful of heavily weighted people.
    size = np.where(has, 1.0 / np.maximum(rates.within, 1e-300), sum_a)
    size = np.maximum(np.minimum(size, MAX_POOL * sum_a), floor)
    for g in np.flatnonzero(~has & (np.bincount(seg, minlength=n_g) > 1)):
        log.info("segment %s: no sampled identifiers; assuming chance overlap", keys[g])
    return Segments(
        [str(k) for k in keys],
        seg.astype(np.int64),
        size,
        seen,
        has,
        pooled,
        group_of.astype(np.int64),
        rates.cross,
        rates,
        niche_shares(1.0 / size, group_of.astype(np.int64), rates.cross),
        blind,
    )


def no_evidence(rates: Rates, shared: FloatArray, kind: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Segments with a rate that rests on no shared id: none in any segment of their ``kind``.

    A segment borrows only from segments of its own kind (the macro pool or the rest,
    :func:`covey.planning.pooling.pooled_rates`), so with no shared id anywhere in its kind its
    rate is priors alone, whatever its posterior shape says: Jeffreys' where it has no other
    segment, the pseudo ids its kind's other segments lend where it has (a world-wide list's
    macros of several countries). The shape cannot tell: a learned prior strength may be
    1/2 or less while the niche lends a rate resting on real ids.
    """
    k = np.asarray(kind, dtype=np.int64)
    kind_ids = np.bincount(k, weights=shared, minlength=2)[k]
    return np.asarray((kind_ids <= 0) & (rates.within > 0), dtype=bool)


def niche_shares(within: FloatArray, group_of: IntArray, cross: FloatArray) -> FloatArray:
    """Per niche group, the cross share phi from all its segments' rates (pooling.cross_share)."""
    return np.array([cross_share(within[group_of == x], float(cross[x])) for x in range(cross.size)])


def coverage_of(cands: Candidates, identifiers: FloatArray) -> FloatArray:
    """Share of each creator's real audience its observed (real-looking) identifiers cover."""
    return np.clip(identifiers / np.maximum(cands.real_audience, 1.0), 1e-9, 1.0)


def virtual_panel(
    cands: Candidates,
    segs: Segments,
    target_segments: np.ndarray,
    *,
    people_per_segment: int = 4000,
    seed: int = 0,
    block: int = 256,
    rate_spread: float = RATE_SPREAD,
    cross_share: float | None = None,
) -> Panel:
    """Draw the segment model as a panel: memberships Bernoulli(q_i), M people per pool.

    The M people are drawn among the pool's people in some audience (:func:`touched_hits`), and
    one more person with no membership stands for the pool's other people.

    With ``rate_spread`` > 0 every membership carries a rate factor (:func:`rate_factors`).
    Where a niche's segments share ids across countries, a share phi of every audience
    (estimated, or ``cross_share`` when given) is drawn from the niche's people anywhere: the
    people of all its segments, in proportion to their sizes, so a person in one country's
    segment can follow creators of several countries.
    """
    a = cands.real_audience
    creators: list[IntArray] = []
    people: list[IntArray] = []
    weights: list[FloatArray] = []
    target: list[np.ndarray] = []
    offset = 0
    phi, cross = _cross_shares(segs, cross_share)
    # (members, audience share drawn here, people, target, members drawn sparsely)
    pools: list[tuple[str, IntArray, FloatArray, float, bool, np.ndarray]] = []
    # Own pools N'_g: within-segment overlaps stay what the samples say,
    # own^2 / N'_g + mu_x = lambda_g = 1 / N_g (the niche's cross draws give the rest).
    own = 1.0 - phi
    lam = 1.0 / segs.size
    sizes = np.where(phi > 0, own * own / np.maximum(lam - cross, 0.25 * lam), segs.size)
    largest = np.zeros(len(segs.keys))
    np.maximum.at(largest, segs.of_creator, a)
    sizes = np.maximum(sizes, own * largest)
    group_of = segs.group_of if segs.group_of is not None else np.arange(len(segs.keys))
    # The niche's people are the people of its segments: a creator's cross share phi lands in
    # every segment of its niche in proportion to its size, on the same people its creators
    # draw from (as a following drawn from its country's niche pool plus the niche anywhere).
    # The niche holds T = phi (2 - phi) / mu_x people (the rate across segments); the part of
    # it in segments this panel does not draw (an interval's subset, a capped phi) is a pool
    # of its own that only cross draws reach.
    whole = np.where(phi > 0, phi * (2.0 - phi) / np.where(cross > 0, cross, 1.0), 0.0)
    drawn = np.bincount(group_of, weights=np.where(phi > 0, sizes, 0.0))[group_of]
    total = np.maximum(whole, drawn)
    for g in range(len(segs.keys)):
        mine = segs.of_creator == g
        members = np.flatnonzero(mine | ((group_of[segs.of_creator] == group_of[g]) & (phi[g] > 0)))
        f = phi[segs.of_creator[members]]
        aud = a[members] * (np.where(mine[members], 1.0 - f, 0.0) + f * sizes[g] / max(total[g], 1.0))
        pools.append((segs.keys[g], members, aud, float(sizes[g]), bool(target_segments[g]), ~mine[members]))
    for x in np.unique(group_of[phi > 0]):
        in_x = group_of == x
        g0 = int(np.flatnonzero(in_x)[0])
        rest = float(total[g0] - drawn[g0])
        if rest > 1.0:
            members = np.flatnonzero(in_x[segs.of_creator])
            aud = phi[segs.of_creator[members]] * a[members] * rest / total[g0]
            tgt = bool(np.asarray(target_segments)[in_x].any())
            niche = segs.keys[g0].split("/")[0]
            pools.append((f"{niche}/anywhere", members, aud, rest, tgt, np.ones(members.size, bool)))
    for key, members, aud, size, tgt, sparse in pools:
        m = int(min(people_per_segment, max(1, np.ceil(size))))
        q = np.clip(aud / size, 0.0, 1.0)
        # Each pool draws from its own stream, seeded by the seed and the pool's name: a pool's
        # people do not change when another pool is added, resized or dropped (a macro pool's
        # new size used to reshuffle every niche segment's panel after it).
        rng = np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))])
        ci, pj, touched = touched_hits(rng, q, m, sparse & (q < SPARSE_Q), block)
        creators.append(members[ci])
        people.append(pj + offset)
        # The m people stand for the pool's people in some audience; the rest, in none, are
        # one person of the panel with no membership, so the pool keeps its size.
        rest = size * (1.0 - touched)
        extra = int(rest > 0)
        weights.append(np.full(m, size * touched / m))
        weights.append(np.full(extra, rest))
        target.append(np.full(m + extra, tgt))
        offset += m + extra
    panel = panel_from_pairs(
        list(cands.account_id),
        np.concatenate(creators) if creators else np.zeros(0, np.int64),
        np.concatenate(people) if people else np.zeros(0, np.int64),
        np.concatenate(weights),
        np.concatenate(target),
    )
    if rate_spread <= 0:
        return panel
    stream = np.random.default_rng([seed, zlib.crc32(b"rate factors")])
    factors = rate_factors(panel.indptr, rate_spread, stream)
    spread = replace(panel, factor=factors)
    return measured_panel(spread, measured_mask(cands))


def measured_panel(panel: Panel, measured: npt.NDArray[np.bool_]) -> Panel:
    """The panel with no rate spread for the creators whose reach rate was measured.

    The panel gives every membership a rate factor so that its figures integrate over a
    creator's unknown rate around the platform prior (:func:`rate_factors`). A rate measured
    from the creator's own posts (a past campaign's insights, a delivered campaign's reach) is
    no longer unknown: keeping the spread would integrate over an uncertainty that is gone,
    and since 3+ grows like the rate cubed it adds about exp(3 sd^2) - 1 (+20 % at sd 0.25)
    to those creators' 3+.
    """
    if panel.factor is None or not measured.any():
        return panel
    factor = panel.factor.copy()
    factor[measured[panel.owners()]] = 1.0
    return replace(panel, factor=factor)


def touched_hits(
    rng: np.random.Generator, q: FloatArray, m: int, sparse: np.ndarray, block: int = 256
) -> tuple[IntArray, IntArray, float]:
    """Bernoulli(q_i) memberships of a pool's people, drawn among the people in some audience.

    People in no audience reach nobody's plan, yet a plain draw of m people spends most of
    them there when the audiences are small against the pool (a country's fitness followers
    against its whole fitness public): a creator then gets a few dozen members and its 3+
    reach rests on them. Here the m people are drawn from the law of the memberships given at
    least one: person's first membership is creator i with probability q_i prod_{j<i} (1 - q_j)
    / P1 (P1 = 1 - prod (1 - q_j), the share of the pool in some audience), and every later
    creator j is Bernoulli(q_j) as before. The same law, exactly, with q_i / P1 times the members
    per creator. Returns (row of q, person, P1); each person stands for P1 / m of the pool.
    ``sparse`` rows' later memberships are drawn by count (:func:`sparse_hits`).
    """
    n = q.size
    with np.errstate(divide="ignore"):
        log_none = np.log1p(-q)  # -inf where q = 1: nobody after it is first
    before = np.concatenate([[0.0], np.cumsum(log_none)])
    first_p = q * np.exp(before[:-1])
    touched = float(-np.expm1(before[-1])) if np.isfinite(before[-1]) else 1.0
    if n == 0 or touched <= 0.0 or first_p.sum() <= 0.0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), 0.0
    first = np.sort(rng.choice(n, size=m, p=first_p / first_p.sum()))
    earlier = np.searchsorted(first, np.arange(n), side="left")  # people whose first is before j
    rows = [first.astype(np.int64)]
    persons = [np.arange(m, dtype=np.int64)]
    dense = np.flatnonzero(~sparse & (earlier > 0))
    for s in range(0, dense.size, block):  # blocks bound memory, not a per-person loop
        j = dense[s : s + block]
        hit = (rng.random((j.size, m)) < q[j, None]) & (np.arange(m)[None, :] < earlier[j, None])
        ci, pj = np.nonzero(hit)
        rows.append(j[ci])
        persons.append(pj)
    few = np.flatnonzero(sparse & (earlier > 0))
    if few.size:
        ci, pj = sparse_hits(rng, q[few], earlier[few])
        rows.append(few[ci])
        persons.append(pj)
    return np.concatenate(rows), np.concatenate(persons), touched


def sparse_hits(rng: np.random.Generator, q: FloatArray, m: int | IntArray) -> tuple[IntArray, IntArray]:
    """Bernoulli(q_i) memberships of m people, drawn by count: (row of q, person) of every hit.

    ``m`` may differ by row (the people 0..m_i-1 are row i's).

    The same law as one uniform draw per (creator, person) (a Binomial(m, q_i) count, then a
    uniformly random set of that many people), at a cost of the hits instead of m per creator:
    a niche's cross draws reach every one of its segments with small q, where drawing the whole
    grid cost 3-4x the panel (plan_bench --niches 4). Repeated people are drawn again until
    each creator's are distinct (draws and redraws treat every person alike, so the set is
    uniform).
    """
    high = np.broadcast_to(np.asarray(m, dtype=np.int64), q.shape)
    k = rng.binomial(high, q)
    row = np.repeat(np.arange(q.size, dtype=np.int64), k)
    person = rng.integers(0, high[row])
    while True:
        order = np.lexsort((person, row))
        row, person = row[order], person[order]
        again = np.flatnonzero((row[1:] == row[:-1]) & (person[1:] == person[:-1])) + 1
        if again.size == 0:
            return row, person
        person[again] = rng.integers(0, high[row[again]])


def _cross_shares(segs: Segments, share: float | None) -> tuple[FloatArray, FloatArray]:
    """Per segment: the share phi of its creators' audiences from the niche anywhere, and mu_x.

    phi is estimated per niche from its segments' rates (:func:`covey.planning.pooling.cross_share`)
    unless ``share`` fixes it (tests; 0 turns the cross draws off).
    """
    n_g = len(segs.keys)
    if segs.group_of is None or segs.cross_rate is None or (share is not None and share <= 0):
        return np.zeros(n_g), np.zeros(n_g)
    mu = segs.cross_rate[segs.group_of]
    if share is not None:
        phi = np.full(n_g, share)
    elif segs.phi is not None:
        phi = segs.phi[segs.group_of]
    else:
        phi = niche_shares(1.0 / segs.size, segs.group_of, segs.cross_rate)[segs.group_of]
    phi = np.where(mu > 0, phi, 0.0)
    return phi, np.where(phi > 0, mu, 0.0)


# Cross draws below this chance per person are drawn by count (sparse_hits): the redraws of
# repeated people stay few while a creator reaches a small share of a pool.
SPARSE_Q = 0.05
FACTOR_LEVELS = 64  # quantile levels of the rate spread


def rate_factors(indptr: IntArray, spread: float, rng: np.random.Generator) -> FloatArray:
    """Per membership entry, a rate factor exp(sd z - sd^2 / 2) with mean 1 over each creator.

    Stratified: a creator's m members take the log-normal's quantiles at (r + 0.5) / m
    (r = 0..m-1, in random order, rounded to ``FACTOR_LEVELS`` levels), so the factors of
    every creator follow the spread closely and average to 1, and no creator's prediction
    rests on a lucky draw.
    """
    n = int(indptr[-1])
    if n == 0:
        return np.ones(0)
    dist = NormalDist()
    z = np.array([dist.inv_cdf((i + 0.5) / FACTOR_LEVELS) for i in range(FACTOR_LEVELS)])
    level = np.exp(spread * z)
    level /= level.mean()  # the discrete levels' mean is exactly 1, as the prior is the mean rate
    sizes = np.diff(indptr)
    owner = np.repeat(np.arange(sizes.size), sizes)
    order = np.lexsort((rng.random(n), owner))  # a random order within each creator
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - np.repeat(indptr[:-1], sizes)
    idx = np.minimum(
        ((rank + 0.5) / np.maximum(sizes[owner], 1) * FACTOR_LEVELS).astype(np.int64), FACTOR_LEVELS - 1
    )
    return np.asarray(level[idx], dtype=np.float64)
