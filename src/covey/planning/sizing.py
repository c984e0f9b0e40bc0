"""Sizing: how many creators and posts reach a share of an audience k+ times?

The segment model of ``covey.planning.segments`` with identical creators: an audience of N
people, creators with ``followers`` followers of which ``real_share`` are real, each a random
subset of the audience (independent across creators), each post reaching a real follower
with probability ``rate``. A person's exposures are then a sum over creators of
Bernoulli(q) x Binomial(n, rate), q = followers x real_share / N; the answer is exact (a
truncated convolution), not simulated.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from math import comb
from typing import Any

import numpy as np

from covey.errors import InputError
from covey.planning.defaults import PLAN_DEFAULTS
from covey.planning.ratecard import RateCard, load_rate_card
from covey.planning.reach import FloatArray, Priors, load_priors
from covey.tiers import DEFAULT_TIERS, Tiers


@dataclass(frozen=True)
class SizeRow:
    """Creators needed with a given number of posts each, and what it gives."""

    posts_per_creator: int
    creators: int | None  # None: not reachable within max_creators
    share_reached: float  # share of the audience reached k+ times with that many creators
    share_1plus: float


def _per_creator(q: float, n: int, rate: float, top: int) -> FloatArray:
    """Distribution of one creator's exposures to a person, truncated into bin ``top``."""
    d = np.zeros(top + 1)
    d[0] = 1.0 - q
    for m in range(n + 1):
        d[min(m, top)] += q * comb(n, m) * rate**m * (1.0 - rate) ** (n - m)
    return d


def size_plan(
    audience: float,
    k: int,
    share: float,
    *,
    followers: float = 20_000,
    real_share: float = 0.7,
    rate: float = 0.22,
    max_posts: int = 3,
    max_creators: int = 2_000,
) -> list[SizeRow]:
    """For 1..max_posts posts per creator, the fewest creators giving ``share`` of ``audience`` k+ times."""
    if audience <= 0 or not 0 < share <= 1 or k < 1:
        raise ValueError("audience must be positive, share in (0, 1] and k >= 1")
    q = min(1.0, followers * real_share / audience)
    rows: list[SizeRow] = []
    for n in range(1, max_posts + 1):
        one = _per_creator(q, n, rate, k)
        dist = np.zeros(k + 1)
        dist[0] = 1.0
        found: int | None = None
        reached = first = 0.0
        for c in range(1, max_creators + 1):  # one tiny convolution per creator added
            new = np.convolve(dist, one)[: k + 1]
            new[k] += np.convolve(dist, one)[k + 1 :].sum()
            dist = new
            reached, first = float(dist[k]), float(1.0 - dist[0])
            if reached >= share:
                found = c
                break
        rows.append(SizeRow(n, found, reached, first))
    return rows


@dataclass(frozen=True)
class SizeOption:
    """One line of ``covey plan size``: posts per creator, creators, posts and their cost."""

    posts_per_creator: int
    creators: int | None  # None: not reachable within the creator cap
    posts: int | None
    cost: float | None  # at the rate card's price per post for the platform and tier
    share_reached: float
    share_1plus: float


@dataclass(frozen=True)
class SizeResult:
    """What ``covey plan size`` answers: the options and every assumption behind them."""

    audience: float
    frequency: int
    share: float
    followers: float
    real_share: float
    reach_rate: float
    platform: str
    tier: str
    price_per_post: float
    currency: str
    rows: list[SizeOption]
    model: str = (
        "independent random audiences of followers x real_share people within the audience; "
        "each post reaches a real follower with probability reach_rate"
    )

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``covey plan size --json``: ``assumptions`` and ``rows``."""
        assumptions = {k: v for k, v in asdict(self).items() if k != "rows"}
        return {"assumptions": assumptions, "rows": [asdict(r) for r in self.rows]}


def size_campaign(
    audience: float,
    frequency: int = PLAN_DEFAULTS.frequency,
    share: float = PLAN_DEFAULTS.size_share,
    *,
    followers: float = PLAN_DEFAULTS.size_followers,
    real_share: float | None = None,
    reach_rate: float | None = None,
    platform: str = PLAN_DEFAULTS.size_platform,
    max_posts: int = PLAN_DEFAULTS.max_posts,
    priors: Priors | None = None,
    card: RateCard | None = None,
    tiers: Tiers = DEFAULT_TIERS,
) -> SizeResult:
    """Creators and posts needed to reach ``share`` of ``audience`` ``frequency``+ times, priced.

    ``real_share`` and ``reach_rate`` default to the priors for the platform and the tier of
    ``followers``; the price is the rate card's base price for them. InputError on bad input.
    """
    if audience <= 0 or not 0 < share <= 1 or frequency < 1:
        raise InputError("--audience must be positive, --share in (0, 1] and --frequency >= 1")
    pri = priors if priors is not None else load_priors()
    card = card if card is not None else load_rate_card()
    tier = tiers.of(int(followers)) or "micro"
    rs = pri.real_share if real_share is None else real_share
    rate = pri.reach_rate(platform, tier) if reach_rate is None else reach_rate
    rows = size_plan(
        audience, frequency, share, followers=followers, real_share=rs, rate=rate, max_posts=max_posts
    )
    price = card.base(platform, tier)
    return SizeResult(
        audience=audience,
        frequency=frequency,
        share=share,
        followers=followers,
        real_share=rs,
        reach_rate=rate,
        platform=platform,
        tier=tier,
        price_per_post=price,
        currency=card.currency,
        rows=[
            SizeOption(
                posts_per_creator=r.posts_per_creator,
                creators=r.creators,
                posts=r.creators * r.posts_per_creator if r.creators else None,
                cost=r.creators * r.posts_per_creator * price if r.creators else None,
                share_reached=r.share_reached,
                share_1plus=r.share_1plus,
            )
            for r in rows
        ],
    )
