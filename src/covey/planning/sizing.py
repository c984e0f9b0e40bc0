"""Sizing: how many creators and posts reach a share of an audience k+ times?

The segment model of ``covey.planning.segments`` with identical creators: an audience of N
people, creators with ``followers`` followers of which ``real_share`` are real, each a random
subset of the audience (independent across creators), each post reaching a real follower
with probability ``rate``. A person's exposures are then a sum over creators of
Bernoulli(q) x Binomial(n, rate), q = followers x real_share / N; the answer is exact (a
truncated convolution), not simulated.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

import numpy as np

from covey.planning.reach import FloatArray


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
