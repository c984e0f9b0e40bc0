"""Follower tiers: configurable thresholds, with the field's common defaults."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

TIER_NAMES = ("nano", "micro", "mid", "macro", "mega")


@dataclass(frozen=True)
class Tiers:
    """Lower bounds (inclusive) of every tier above nano.

    The default follows the domain primer: nano < 1k, micro 1k-100k, mid 100k-500k,
    macro 500k-1M, mega >= 1M. A campaign may pass its own bounds.
    """

    bounds: tuple[int, int, int, int] = (1_000, 100_000, 500_000, 1_000_000)
    names: tuple[str, ...] = field(default=TIER_NAMES)

    def __post_init__(self) -> None:
        if list(self.bounds) != sorted(self.bounds) or len(set(self.bounds)) != len(self.bounds):
            raise ValueError(f"tier bounds must increase strictly, got {self.bounds}")

    def of(self, followers: int | None) -> str | None:
        """Tier name for a follower count; None when the count is unknown."""
        if followers is None:
            return None
        return self.names[bisect_right(self.bounds, followers)]

    def range(self, name: str) -> tuple[int, int | None]:
        """(lowest, highest-exclusive) follower counts of a tier; None means unbounded."""
        if name not in self.names:
            raise ValueError(f"unknown tier {name!r}; expected one of {', '.join(self.names)}")
        i = self.names.index(name)
        low = 0 if i == 0 else self.bounds[i - 1]
        high = self.bounds[i] if i < len(self.bounds) else None
        return low, high


DEFAULT_TIERS = Tiers()


def parse_tier_bounds(text: str, option: str = "--tier-bounds") -> Tiers:
    """Tiers from four comma-separated, strictly increasing lower bounds (micro,mid,macro,mega),
    e.g. ``"1000,100_000,500000,1000000"``; InputError naming ``option`` otherwise."""
    from covey.errors import InputError

    try:
        low = [int(x.strip().replace("_", "")) for x in text.split(",")]
        if len(low) != 4:
            raise ValueError(f"got {len(low)} numbers")
        return Tiers(bounds=(low[0], low[1], low[2], low[3]))
    except ValueError as exc:
        raise InputError(
            f"{option} wants four increasing counts (micro,mid,macro,mega): {exc}", field=option
        ) from exc


def parse_tier(name: str, tiers: Tiers = DEFAULT_TIERS, option: str = "--tier") -> str | None:
    """A tier name in lower case, or None for ``"any"``; InputError naming ``option`` if unknown."""
    from covey.errors import InputError

    tier = name.strip().lower()
    if tier == "any":
        return None
    if tier not in tiers.names:
        raise InputError(
            f"unknown tier {name!r}; expected one of {', '.join(tiers.names)} or 'any'", field=option
        )
    return tier
