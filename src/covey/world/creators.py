"""Creators and their accounts: who they are, how big, and what is planted in them.

Everything here is per creator or per account (a few hundred thousand rows at most), held
as numpy arrays in :class:`Cast`; posts, comments and audiences are built from it chunk by
chunk elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from covey.tiers import DEFAULT_TIERS
from covey.world.config import MARKETS, PLATFORM_WEIGHTS, WorldConfig
from covey.world.engagement import PLATFORMS, reach_table
from covey.world.vocab_niches import HEALTH_NICHES, LANGUAGES, NICHE_WEIGHTS, NICHES

MARKET_LANG = np.array([LANGUAGES.index(m[1]) for m in MARKETS])
MARKET_P = np.array([m[2] for m in MARKETS]) / sum(m[2] for m in MARKETS)
NICHE_P = np.array(NICHE_WEIGHTS) / sum(NICHE_WEIGHTS)
HEALTH = np.array([n in HEALTH_NICHES for n in NICHES])


@dataclass
class Cast:
    """Every creator and account of a world, as parallel arrays (account arrays are per account)."""

    n_creators: int
    creator_market: np.ndarray
    creator_bilingual: np.ndarray  # also publishes in English
    # per account
    creator: np.ndarray
    platform: np.ndarray
    niche: np.ndarray
    market: np.ndarray
    language: np.ndarray
    followers: np.ndarray  # latest, = real + fake
    real: np.ndarray
    fake: np.ndarray
    tier: np.ndarray
    reach: np.ndarray
    growth: np.ndarray  # monthly organic growth of real followers
    community: np.ndarray
    lived: np.ndarray
    pod: np.ndarray  # pod index or -1
    bought: np.ndarray  # followers bought in one jump (0 if none)
    bought_step: np.ndarray  # snapshot index of the first snapshot after the jump
    purged: np.ndarray  # fake followers removed in one purge (0 if none)
    purge_step: np.ndarray
    # Organic bursts (a viral post, a press mention): real people who all follow at once.
    organic_share: np.ndarray  # share of the account's smooth real-follower curve joining in the burst
    organic_step: np.ndarray  # snapshot index of the first snapshot after the burst
    organic_days: np.ndarray  # when the burst happened, in days before the end of the window
    irregular: np.ndarray
    drift: np.ndarray
    drift_niche: np.ndarray
    sponsored_share: np.ndarray
    sloppy_disclosure: np.ndarray  # probability a paid post lacks a proper disclosure
    claims: np.ndarray  # probability a paid post carries a health claim
    rx: np.ndarray  # probability a post mentions a prescription medicine
    insights: np.ndarray  # shares and saves are known

    @property
    def n_accounts(self) -> int:
        return len(self.creator)


def _fake_share(rng: np.random.Generator, n: int) -> np.ndarray:
    """Mostly 5-35 %, some clean accounts, a few far worse (SRF 2017 found ~30 % on average)."""
    kind = rng.random(n)
    share = rng.beta(2.2, 8.0, n)
    share = np.where(kind < 0.10, rng.uniform(0.0, 0.02, n), share)
    return np.where(kind > 0.94, rng.uniform(0.40, 0.80, n), share)


def _pods(
    rng: np.random.Generator, eligible: np.ndarray, platform: np.ndarray, niche: np.ndarray
) -> np.ndarray:
    """Rings of 5-15 accounts of one platform, mostly of one niche; -1 outside any pod."""
    pod = np.full(len(platform), -1, dtype=np.int64)
    idx = np.flatnonzero(eligible)
    # Sort by platform then niche (with a little mixing) so a ring shares a platform and mostly a niche.
    key = platform[idx] * 100.0 + niche[idx] + rng.uniform(0, 1.5, len(idx))
    idx = idx[np.argsort(key, kind="stable")]
    start, p = 0, 0
    while start < len(idx):
        size = int(rng.integers(5, 16))
        members = idx[start : start + size]
        members = members[platform[members] == platform[members[0]]]
        if len(members) >= 5:
            pod[members] = p
            p += 1
        start += size
    return pod


def _organic_bursts(
    config: WorldConfig,
    n_snap: int,
    fake: np.ndarray,
    real: np.ndarray,
    bought: np.ndarray,
    purged: np.ndarray,
    purge_step: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Organic bursts: (share of the smooth real curve joining at once, snapshot step, days before end).

    A burst brings 15-60 % of the followers the account has right after it (18-150 % more than
    just before), the sizes bought jumps come in, all real people, at a random moment between
    two snapshots. Bought accounts get none (one planted jump each) and a burst never falls
    between the same two snapshots as a purge. Drawn from a stream of its own so that turning
    bursts on or off leaves every account's other traits unchanged.
    """
    rng = np.random.default_rng([config.seed, 1, 2])
    na = len(fake)
    lo, hi = max(n_snap // 5, 1), max(n_snap - 2, 2)
    step = rng.integers(lo, hi, na)
    # Move a burst off a purge's step (to the next step, wrapping inside [lo, hi)).
    step = np.where((purged > 0) & (step == purge_step), lo + (step - lo + 1) % (hi - lo), step)
    mask = (
        (rng.random(na) < config.organic_burst_share) & (bought == 0) & ~((purged > 0) & (step == purge_step))
    )
    jump = rng.uniform(0.15, 0.6, na)
    # On the smooth curve (fakes do not join a burst) followers right after are R + F and the
    # burst is s R of them, so s = jump (1 + F/R); at most 80 % of the real followers.
    share = np.where(mask & (real > 0), np.minimum(jump * (1 + fake / np.maximum(real, 1)), 0.8), 0.0)
    days = ((n_snap - 1 - step) + rng.uniform(0.05, 0.95, na)) * config.snapshot_every_days
    return share, np.where(share > 0, step, 0), np.where(share > 0, days, 0.0)


def cast(config: WorldConfig) -> Cast:
    """Draw every creator and account of the world (deterministic for the config's seed)."""
    rng = np.random.default_rng([config.seed, 1])
    nc = config.creators
    c_market = rng.choice(len(MARKETS), size=nc, p=MARKET_P)
    c_niche = rng.choice(len(NICHES), size=nc, p=NICHE_P)
    c_bilingual = (MARKET_LANG[c_market] != 0) & (rng.random(nc) < 0.15)
    n_acc = 1 + (rng.random(nc) < config.second_account_share)
    creator = np.repeat(np.arange(nc), n_acc)
    second = np.concatenate([[False], creator[1:] == creator[:-1]])
    na = len(creator)

    pw = np.array([PLATFORM_WEIGHTS[p] for p in PLATFORMS])
    first_platform = rng.choice(3, size=nc, p=pw / pw.sum())
    platform = first_platform[creator]
    # A second account is on another platform.
    platform = np.where(second, (platform + rng.integers(1, 3, na)) % 3, platform)

    log_f = rng.normal(config.log10_followers_mean, config.log10_followers_sd, nc)
    log_f = log_f[creator] + np.where(second, rng.normal(-0.4, 0.6, na), 0.0)
    followers = np.round(10 ** np.clip(log_f, 1.5, 7.9)).astype(np.int64)
    tier = np.searchsorted(np.array(DEFAULT_TIERS.bounds), followers, side="right")

    niche = c_niche[creator]
    market = c_market[creator]
    health = HEALTH[niche]
    fake_share = _fake_share(rng, na)
    irregular = rng.random(na) < config.irregular_share
    drift = rng.random(na) < config.drift_share
    drift_niche = (niche + rng.integers(1, len(NICHES), na)) % len(NICHES)

    # Bought followers: one jump of 15-60 % of the final count, all fake; engagement stays flat.
    n_snap = config.months * 30 // config.snapshot_every_days + 1
    bought_mask = rng.random(na) < config.bought_share
    jump = rng.uniform(0.15, 0.6, na)
    fake_share = np.where(bought_mask, np.minimum(fake_share + jump, 0.9), fake_share)
    fake = np.round(followers * fake_share).astype(np.int64)
    bought = np.where(bought_mask, np.minimum(np.round(followers * jump), fake), 0).astype(np.int64)
    bought_step = rng.integers(max(n_snap // 5, 1), max(n_snap - 2, 2), na)
    purge_mask = rng.random(na) < config.purge_share
    # A purge removes fakes that were there before it: 40-120 % of today's fakes plus 2-8 % of followers.
    purged = np.where(
        purge_mask, np.round(fake * rng.uniform(0.4, 1.2, na) + followers * rng.uniform(0.02, 0.08, na)), 0
    )
    purged = purged.astype(np.int64)
    purge_step = rng.integers(1, max(n_snap - 1, 2), na)
    real = followers - fake

    community = rng.random(na) < np.clip(config.community_share + 0.25 * health - 0.08 * tier, 0.02, 0.95)
    pod_eligible = (platform != 2) & (tier <= 2) & (rng.random(na) < config.pod_share)
    reach = np.clip(reach_table(platform, tier) * rng.lognormal(0.0, 0.25, na), 0.01, 0.9)
    sponsored_share = np.clip(rng.beta(1.2, 12.0, na) * (1 + 0.4 * tier), 0.0, 0.6)
    sloppy = np.where(rng.random(na) < 0.3, rng.uniform(0.3, 1.0, na), 0.0)
    claims_niche = health | np.isin(niche, [NICHES.index("fitness"), NICHES.index("beauty")])
    claims = np.where(claims_niche & (rng.random(na) < 0.15), rng.uniform(0.3, 0.8, na), 0.0)
    claims = np.where(~claims_niche & (rng.random(na) < 0.01), 0.3, claims)
    rx_niche = health | np.isin(niche, [NICHES.index("fitness"), NICHES.index("beauty")])
    rx = np.where(
        rx_niche & (rng.random(na) < np.where(health, 0.15, 0.015)), rng.uniform(0.05, 0.25, na), 0.0
    )
    organic_share, organic_step, organic_days = _organic_bursts(
        config, n_snap, fake, real, bought, purged, purge_step
    )
    return Cast(
        n_creators=nc,
        creator_market=c_market,
        creator_bilingual=c_bilingual,
        creator=creator,
        platform=platform,
        niche=niche,
        market=market,
        language=MARKET_LANG[market],
        followers=followers,
        real=real,
        fake=fake,
        tier=tier,
        reach=reach,
        growth=rng.lognormal(np.log(0.02), 0.8, na),
        community=community,
        lived=health & (rng.random(na) < 0.55),
        pod=_pods(rng, pod_eligible, platform, niche),
        bought=bought,
        bought_step=bought_step,
        purged=purged,
        purge_step=purge_step,
        organic_share=organic_share,
        organic_step=organic_step,
        organic_days=organic_days,
        irregular=irregular,
        drift=drift,
        drift_niche=drift_niche,
        sponsored_share=sponsored_share,
        sloppy_disclosure=sloppy,
        claims=claims,
        rx=rx,
        insights=(platform == 0) & (rng.random(na) < 0.12),
    )
