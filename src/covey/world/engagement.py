"""Engagement and reach parameters: published benchmarks turned into smooth curves.

Like-rates are interpolated in log10(followers) between anchors placed mid-tier, so the
medians by tier follow the published order (Markerly 2016 for Instagram: < 1k ≈ 8 %,
1k–10k ≈ 4 %, 10k–100k 2.37 %, 1M–10M 1.66 %; HypeAuditor 2023: TikTok nano 12.6 %).
Sponsored posts multiply the organic rate by a factor that rises then falls with
followers (the inverted U of Wies et al. 2023), so sponsored engagement is not monotone.
"""

from __future__ import annotations

import numpy as np

from covey.tiers import TIER_NAMES

PLATFORMS: tuple[str, ...] = ("instagram", "tiktok", "youtube")

# Anchors near the typical account of each published band: 400, 3k, 30k, 300k, 3M followers.
_ANCHOR_LOG10 = np.array([2.6, 3.5, 4.5, 5.5, 6.5])
LIKE_RATE: dict[str, np.ndarray] = {
    "instagram": np.array([0.085, 0.040, 0.0237, 0.019, 0.0166]),
    "tiktok": np.array([0.126, 0.090, 0.060, 0.045, 0.035]),
    "youtube": np.array([0.030, 0.020, 0.012, 0.008, 0.005]),
}
SPONSORED_FACTOR = np.array([0.20, 0.55, 0.85, 0.75, 0.55])

# Niche multipliers: health communities talk back more, finance audiences mostly lurk.
NICHE_ENGAGEMENT: dict[str, float] = {
    "ibd": 1.25, "diabetes": 1.15, "mental_health": 1.2, "fitness": 1.0, "food": 0.9,
    "beauty": 0.85, "parenting": 1.1, "gaming": 0.95, "travel": 0.9, "finance": 0.7,
}  # fmt: skip

# Organic reach: per-post probability that one real follower sees a post, by platform and tier.
REACH_RATES: dict[str, dict[str, float]] = {
    "instagram": dict(zip(TIER_NAMES, (0.30, 0.22, 0.15, 0.12, 0.10), strict=True)),
    "tiktok": dict(zip(TIER_NAMES, (0.40, 0.30, 0.22, 0.18, 0.15), strict=True)),
    "youtube": dict(zip(TIER_NAMES, (0.25, 0.18, 0.12, 0.10, 0.08), strict=True)),
}

# Likes per view for video; comments per like by style; shares and saves per like.
LIKES_PER_VIEW: dict[str, float] = {"instagram": 0.06, "tiktok": 0.08, "youtube": 0.035}
COMMENTS_PER_LIKE = {"community": 0.045, "broadcast": 0.015}
SHARES_PER_LIKE = 0.05
SAVES_PER_LIKE = 0.08
# Typical fake share at which the published (by-followers) benchmarks were measured.
BENCHMARK_FAKE_SHARE = 0.2


def like_rate(platform: np.ndarray, followers: np.ndarray, sponsored: np.ndarray | None = None) -> np.ndarray:
    """Expected likes per follower for each row (platform index into PLATFORMS)."""
    x = np.log10(np.maximum(followers, 1).astype(np.float64))
    out = np.empty(len(x), dtype=np.float64)
    for i, name in enumerate(PLATFORMS):
        m = platform == i
        out[m] = np.interp(x[m], _ANCHOR_LOG10, LIKE_RATE[name])
    if sponsored is not None:
        out = np.where(sponsored, out * np.interp(x, _ANCHOR_LOG10, SPONSORED_FACTOR), out)
    return out


def reach_table(platform: np.ndarray, tier: np.ndarray) -> np.ndarray:
    """The reach rate of REACH_RATES for each row (tier index into TIER_NAMES)."""
    table = np.array([[REACH_RATES[p][t] for t in TIER_NAMES] for p in PLATFORMS])
    return np.asarray(table[platform, tier])


def niche_multiplier(niche: np.ndarray, niches: tuple[str, ...]) -> np.ndarray:
    """NICHE_ENGAGEMENT for each row's niche index."""
    return np.asarray(np.array([NICHE_ENGAGEMENT[n] for n in niches])[niche])
