"""The audience model: who a plan's posts reach, and how often.

A plan chooses creators i and a number of posts n_i for each. Person j's exposures are
X_j = sum over chosen creators with j in their real audience of Binomial(n_i, p_i): each
post reaches each real follower independently with the account's organic reach rate p_i
(a Poisson-binomial count). Fake followers are reached by nobody, so audiences hold real
people only. Everything here works on a :class:`Panel`: people (real or virtual, each
standing for ``weight`` people of the population) and, per creator, the people in its
real audience.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from covey.errors import InputError
from covey.planning.settings import read_settings

log = logging.getLogger("covey.planning.reach")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Log-sd of one creator's reach rate around its platform-and-tier prior (priors.toml
# ``reach_spread``): creators of one tier differ, and people reached 3+ times grow like the
# rate cubed, so the prediction integrates over the spread instead of using the mean rate.
RATE_SPREAD = 0.25


@dataclass(frozen=True)
class Priors:
    """Organic reach rates by platform and tier, and the real-audience share prior."""

    organic_reach: dict[str, dict[str, float]]
    real_share: float
    reach_prior_posts: float
    use_views: bool = False
    reach_spread: float = RATE_SPREAD
    learn_from_insights: bool = True  # past campaigns' reported reach (covey.planning.learned_rates)

    def reach_rate(self, platform: str | None, tier: str | None) -> float:
        """Prior share of real followers one organic post reaches."""
        table = self.organic_reach.get(platform or "default", self.organic_reach["default"])
        return float(table.get(tier or "micro", table["micro"]))


def load_priors(path: Path | None = None) -> Priors:
    """Read the priors TOML: the one shipped with Covey, or the user's copy."""
    data = read_settings(path, "priors.toml", "priors")
    reach = {
        str(k): {str(t): float(v) for t, v in tiers.items()} for k, tiers in data["organic_reach"].items()
    }
    if "default" not in reach:
        raise InputError("the priors need an [organic_reach.default] table", path=path)
    return Priors(
        reach,
        float(data.get("real_share", 0.7)),
        float(data.get("reach_prior_posts", 5)),
        _flag(data, "use_views", False, path),
        _spread(data.get("reach_spread", RATE_SPREAD), path),
        _flag(data, "learn_from_insights", True, path),
    )


def _flag(data: dict[str, Any], key: str, default: bool, path: Path | None) -> bool:
    """A true/false setting of the priors; anything else is refused (a quoted "false" is not false)."""
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise InputError(f"{key} must be true or false (no quotes), not {value!r}", path=path, field=key)
    return value


def _spread(value: Any, path: Path | None) -> float:
    """The priors' reach_spread: a log-sd in [0, 1]."""
    try:
        got = float(value)
    except (TypeError, ValueError):
        raise InputError(
            f"reach_spread must be a number, not {value!r}", path=path, field="reach_spread"
        ) from None
    if not 0.0 <= got <= 1.0:
        raise InputError(f"reach_spread must be between 0 and 1, not {got}", path=path, field="reach_spread")
    return got


@dataclass(frozen=True)
class Panel:
    """People and, per creator, which of them are in its real audience.

    ``indptr``/``indices`` are creator-major CSR: creator c's audience is
    ``indices[indptr[c]:indptr[c + 1]]``. ``weight[j]`` is how many people of the
    population person j stands for; ``target[j]`` whether j belongs to the target audience.
    """

    creators: tuple[str, ...]
    indptr: IntArray
    indices: IntArray
    weight: FloatArray
    target: npt.NDArray[np.bool_]
    # Per membership entry: the multiplier of its creator's reach rate (None: all 1). The
    # virtual panel spreads them over each creator's members to integrate over the creator's
    # unknown rate (see covey.planning.segments.rate_factors).
    factor: FloatArray | None = None

    @property
    def n_people(self) -> int:
        return int(self.weight.shape[0])

    def members(self, c: int) -> IntArray:
        """Panel rows of creator c's real audience."""
        return self.indices[self.indptr[c] : self.indptr[c + 1]]

    def owners(self) -> IntArray:
        """Creator of every membership entry."""
        return np.repeat(np.arange(len(self.creators)), np.diff(self.indptr)).astype(np.int64)

    def entry_rates(self, rates: FloatArray) -> FloatArray:
        """Per-post reach rate of every membership entry: its creator's rate times its factor."""
        r = np.asarray(rates, dtype=np.float64)[self.owners()]
        return r if self.factor is None else np.clip(r * self.factor, 0.0, 1.0)

    def member_rates(self, c: int, rates: FloatArray) -> FloatArray:
        """Per-post reach rate of each of creator c's members (aligned with ``members(c)``)."""
        a, b = int(self.indptr[c]), int(self.indptr[c + 1])
        if self.factor is None:
            return np.full(b - a, float(rates[c]))
        return np.clip(float(rates[c]) * self.factor[a:b], 0.0, 1.0)

    def target_size(self) -> float:
        """People in the target audience (population scale)."""
        return float(self.weight[self.target].sum())

    def audience_sizes(self) -> FloatArray:
        """Weighted target-audience size of every creator."""
        w = np.where(self.target, self.weight, 0.0)[self.indices]
        sums = np.add.reduceat(w, self.indptr[:-1]) if w.size else np.zeros(len(self.creators))
        # reduceat repeats the next value for empty slices; zero them.
        sums[np.diff(self.indptr) == 0] = 0.0
        return sums.astype(np.float64)


def panel_from_pairs(
    creators: list[str],
    creator_idx: IntArray,
    person_idx: IntArray,
    weight: FloatArray,
    target: npt.NDArray[np.bool_] | None = None,
) -> Panel:
    """Build a panel from (creator, person) membership pairs, deduplicated."""
    n_c = len(creators)
    key = np.unique(creator_idx.astype(np.int64) * (weight.shape[0] + 1) + person_idx.astype(np.int64))
    c = key // (weight.shape[0] + 1)
    p = key % (weight.shape[0] + 1)
    indptr = np.zeros(n_c + 1, dtype=np.int64)
    np.cumsum(np.bincount(c, minlength=n_c), out=indptr[1:])
    tgt = np.ones(weight.shape[0], dtype=bool) if target is None else target.astype(bool)
    return Panel(tuple(creators), indptr, p.astype(np.int64), weight.astype(np.float64), tgt)


@dataclass(frozen=True)
class ReachReport:
    """Expected reach of a plan on the target audience.

    ``histogram[m]`` is the expected number of target people exposed exactly m times
    (the last bin is "m or more"); ``reach_at(k)`` the expected number exposed k+ times.
    """

    histogram: FloatArray
    target_size: float
    impressions: float

    def reach_at(self, k: int) -> float:
        """Expected target people exposed at least k times."""
        return float(self.histogram[k:].sum()) if k < self.histogram.size else 0.0

    def in_window(self, low: int, high: int) -> float:
        """Expected target people exposed between low and high times (inclusive)."""
        return (
            float(self.histogram[low : high + 1].sum())
            if high + 1 < self.histogram.size
            else self.reach_at(low)
        )

    def share_at(self, k: int) -> float:
        """reach_at(k) as a share of the target audience."""
        return self.reach_at(k) / self.target_size if self.target_size > 0 else 0.0

    def to_dict(self, ks: tuple[int, ...] = (1, 3, 5)) -> dict[str, Any]:
        """Plain figures for JSON and the database."""
        return {
            "target_size": self.target_size,
            "impressions": self.impressions,
            "reach": {f"{k}+": self.reach_at(k) for k in ks},
            "share": {f"{k}+": self.share_at(k) for k in ks},
            "histogram": [float(x) for x in self.histogram],
        }


def exposure_distribution(
    panel: Panel, rates: FloatArray, posts: IntArray, max_count: int = 10
) -> ReachReport:
    """Exact expected frequency histogram of a plan (Poisson-binomial per person).

    ``rates[c]`` is creator c's per-post reach rate among its real followers (times each
    member's factor where the panel has them), ``posts[c]`` its number of posts (0 = not
    chosen). Counts above ``max_count`` pile up in the last bin. Work is one vectorised
    update per post over that creator's audience.
    """
    n = panel.n_people
    dist = np.zeros((n, max_count + 1), dtype=np.float64)
    dist[:, 0] = 1.0
    impressions = 0.0
    tw = np.where(panel.target, panel.weight, 0.0)
    for c in np.flatnonzero(posts > 0):
        m = panel.members(int(c))
        p = panel.member_rates(int(c), rates)[:, None]
        impressions += float(posts[c]) * float((p[:, 0] * tw[m]).sum())
        for _ in range(int(posts[c])):
            d = dist[m]
            new = d * (1.0 - p)
            new[:, 1:] += d[:, :-1] * p
            new[:, -1] += d[:, -1] * p[:, 0]  # the top bin absorbs further exposures
            dist[m] = new
    hist = (dist * tw[:, None]).sum(axis=0)
    return ReachReport(hist, float(tw.sum()), impressions)
