"""The one set of plan defaults, shared by the library's ``Brief``, the CLI and the web form.

Change a default here and ``covey plan``, ``covey plan size``, the API and the plan page all
follow; nothing else writes these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from covey.errors import InputError


@dataclass(frozen=True)
class PlanDefaults:
    """What a plan assumes when the user does not say."""

    currency: str = "EUR"
    frequency: int = 3  # exposures that count: the start of the frequency window
    max_frequency: int = 5  # the window's end: more exposures wear out
    min_creators: int = 15
    max_creators: int = 30
    max_posts: int = 3  # posts per creator at most
    objective: str = "window"  # window | atleast | reach1 (covey.planning.window)
    # `covey plan size`: the share of the audience to reach FREQUENCY+ times, typical followers.
    size_share: float = 0.3
    size_followers: float = 20_000
    size_platform: str = "instagram"

    @property
    def creators(self) -> str:
        """The creator range as the CLI writes it, e.g. ``"15-30"``."""
        return f"{self.min_creators}-{self.max_creators}"


PLAN_DEFAULTS = PlanDefaults()


def parse_creator_range(text: str, option: str = "--creators") -> tuple[int, int]:
    """``"N"`` or ``"LOW-HIGH"`` as (low, high); InputError naming ``option`` when malformed or empty.

    ``"20"`` means exactly 20 (low = high = 20).
    """
    parts = text.replace(" ", "").split("-")
    try:
        if len(parts) > 2:
            raise ValueError(text)
        low, high = (int(parts[0]), int(parts[-1]))
    except ValueError as exc:
        raise InputError(f"{option} takes N or LOW-HIGH, got {text!r}", field=option) from exc
    if low < 0 or high < max(low, 1):
        raise InputError(f"{option} range {text!r} is empty", field=option)
    return low, high
