"""Parameters of a sample world, and the summary a generation run hands back."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from covey.errors import InputError

# Markets: (country, language, weight). English comes in several national flavours.
MARKETS: tuple[tuple[str, str, float], ...] = (
    ("US", "en", 0.22),
    ("GB", "en", 0.11),
    ("IE", "en", 0.03),
    ("AU", "en", 0.05),
    ("CA", "en", 0.03),
    ("ES", "es", 0.07),
    ("MX", "es", 0.06),
    ("AR", "es", 0.02),
    ("FR", "fr", 0.08),
    ("DE", "de", 0.08),
    ("AT", "de", 0.02),
    ("IT", "it", 0.07),
    ("PT", "pt", 0.03),
    ("BR", "pt", 0.13),
)

PLATFORM_WEIGHTS: dict[str, float] = {"instagram": 0.55, "tiktok": 0.28, "youtube": 0.17}


@dataclass(frozen=True)
class WorldConfig:
    """Everything that shapes a generated world; the same config and seed give the same bytes."""

    creators: int = 400
    seed: int = 0
    # The observation window: posts and weekly snapshots over `months` ending at `end`.
    end: datetime = datetime(2026, 6, 30)
    months: int = 6
    snapshot_every_days: int = 7
    # Followers: log10(followers) ~ Normal(mean, sd), clipped; heavy-tailed across every tier.
    log10_followers_mean: float = 3.9
    log10_followers_sd: float = 0.8
    second_account_share: float = 0.3
    # Mean posts per week by platform (per account; a lognormal spread around it).
    posts_per_week: dict[str, float] = field(
        default_factory=lambda: {"instagram": 1.9, "tiktok": 2.6, "youtube": 0.9}
    )
    # At most this many top-level comments are stored per post (the data holds a sample).
    max_comments_per_post: int = 3
    # Profiles in each account's follower sample (capped by followers).
    audience_sample_size: int = 200
    # Fraction of every account's real followers present in the panel; None = automatic.
    audience_scale: float | None = None
    # Automatic audience_scale keeps the membership table near this many rows.
    membership_budget: int = 20_000_000
    membership_per_account: int = 3_000
    # Mean number of the world's accounts a panel person follows.
    follows_per_person: float = 6.0
    # Planted behaviours (shares of accounts).
    community_share: float = 0.45
    pod_share: float = 0.04
    bought_share: float = 0.06
    purge_share: float = 0.04
    # Organic bursts: one jump of real followers (a viral post, press) that engagement follows.
    organic_burst_share: float = 0.05
    irregular_share: float = 0.15
    drift_share: float = 0.06
    # Accounts generated together; bounds memory (rows per row group follow from it).
    chunk_accounts: int = 4_000
    # Data shape (covey.world.partial): 'full', 'youtube', 'instagram-business', 'spreadsheet'
    # or 'mixed'. Only what the files hold changes; the world and its truth stay the same.
    profile: str = "full"

    def __post_init__(self) -> None:
        if self.creators < 1:
            raise InputError("a world needs at least one creator", field="creators")
        if self.months < 1 or self.snapshot_every_days < 1:
            raise InputError("months and snapshot_every_days must be positive", field="months")
        if self.audience_scale is not None and not 0 < self.audience_scale <= 1:
            raise InputError("audience_scale must be in (0, 1]", field="audience_scale")
        from covey.world.partial import check_profile

        check_profile(self.profile)
        if self.audience_sample_size < 0 or self.max_comments_per_post < 0:
            raise InputError("sample sizes cannot be negative", field="audience_sample_size")

    @classmethod
    def demo(cls, seed: int = 0) -> WorldConfig:
        """About 400 creators, generated in a few seconds: the world the demo and tutorials use."""
        return cls(creators=400, seed=seed)

    @classmethod
    def benchmark(cls, seed: int = 0) -> WorldConfig:
        """100,000 creators (>= 5M posts, >= 10M comments) with a 40-profile follower sample."""
        return cls(creators=100_000, seed=seed, audience_sample_size=40)

    def to_json(self) -> dict[str, Any]:
        """The config as plain JSON values (recorded in truth/world.json)."""
        out = asdict(self)
        out["end"] = self.end.isoformat()
        return out


@dataclass(frozen=True)
class WorldSummary:
    """What a generation run wrote: where, row counts per table, and the panel's scale."""

    out_dir: str
    seed: int
    creators: int
    audience_scale: float
    counts: dict[str, int]
    seconds: float
