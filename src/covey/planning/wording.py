"""What a marketer reads first: the plan in one plain paragraph, money left and why, risky picks.

Technical detail (certificate, segments, price formula) stays in the JSON and ``--details``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from covey.planning.reach import FloatArray, IntArray
from covey.planning.sample_share import SOURCE as SAMPLE_SOURCE

# A vetting estimate at or above this share of fake-looking followers gets a warning.
FAKE_WARNING = 0.30
# Said when vetting has no estimate (NULL): the prior the audience model uses instead.
UNKNOWN_FAKE = (
    "no vetting estimate of fake followers (unknown); the plan assumes {real:.0%} real followers, "
    "the prior from SRF Data's 2017 audit (~30 % fake on average)"
)


def finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by None, so JSON stays strict."""
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def _people(x: float) -> str:
    """A count of people rounded as a person would say it."""
    if x >= 10_000:
        return f"{round(x, -3):,.0f}"
    if x >= 1_000:
        return f"{round(x, -2):,.0f}"
    return f"{x:,.0f}"


def _goal_reach(summary: dict[str, Any], goal_kind: str) -> tuple[str, float, str]:
    """The goal's key in the intervals, its predicted people and how often, in words."""
    k, kmax = summary["frequency_window"]
    if goal_kind == "reach1":
        return "1+", summary["reach"]["reach"]["1+"], "at least once"
    if goal_kind == "atleast":
        return f"{k}+", summary["reach"]["reach"][f"{k}+"], f"{k} or more times"
    return "window", summary["in_window"], f"{k} to {kmax} times"


def headline(summary: dict[str, Any], goal_kind: str) -> str:
    """One plain sentence: who the plan reaches how often, against the naive choice and macro option."""
    k, kmax = summary["frequency_window"]
    total = summary["reach"]["target_size"]
    key, got, what = _goal_reach(summary, goal_kind)
    share = f", {got / total:.1%} of it" if total > 0 else ""
    band = summary.get("intervals", {}).get("people", {})
    likely = f" (likely {_people(band[key][0])} to {_people(band[key][1])})" if key in band else ""
    text = f"This plan reaches about {_people(got)}{likely} people of your audience {what}{share}"
    others = []
    for o in summary["options"][1:]:
        hist = o["reach"]["histogram"]
        val = {
            "reach1": o["reach"]["reach"]["1+"],
            "atleast": float(sum(hist[k:])),
            "window": float(sum(hist[k : kmax + 1])),
        }[goal_kind]
        others.append(f"{o['name']} {_people(val)}")
    if others:
        text += "; with the same budget: " + ", ".join(others)
    return text + "."


def rates_sentence(summary: dict[str, Any], goal_kind: str) -> str | None:
    """How much of the headline's range is the creators' unknown reach rates, in one sentence.

    Compares the range as shown (around the prediction) with the range the same draws give when
    every creator's reach per post is known (``intervals.spread_with_known_rates``).
    """
    key, got, _ = _goal_reach(summary, goal_kind)
    band = summary.get("intervals", {}).get("people", {}).get(key)
    known = summary.get("intervals", {}).get("known_rates", {}).get(key)
    if not band or not known or got <= 0:
        return None
    now = (band[0] / got - 1, band[1] / got - 1)
    if now[1] - now[0] <= 0:
        return None
    most = (known[1] - known[0]) < 0.5 * (now[1] - now[0])
    return (
        f"{'Most' if most else 'Part'} of this range comes from the creators' reach per post, which no "
        f"platform publishes; with each creator's known (from its post insights) the range would be about "
        f"{known[0]:+.0%} to {known[1]:+.0%} of the prediction, instead of {now[0]:+.0%} to {now[1]:+.0%}."
    )


def unspent(
    budget: float,
    spent: float,
    currency: str,
    cost: FloatArray,
    posts: IntArray,
    caps: IntArray,
    max_creators: int,
) -> str:
    """How much of the budget is left, and why the plan does not spend it."""
    left = budget - spent
    text = f"It spends {spent:,.0f} of {budget:,.0f} {currency}"
    if left < max(1.0, 0.005 * budget):
        return text + "."
    open_ = (posts < caps) & ((posts > 0) | (int((posts > 0).sum()) < max_creators))
    fits = open_ & (cost <= left + 1e-9)
    if not fits.any():
        why = "no further post fits in what is left (or the creator and post limits are used up)"
    else:
        why = (
            "more posts would not add people in the window in the model: the best creators are at "
            "their post limit and the rest would add exposures to people already past it or outside "
            "the target audience"
        )
    return f"{text}; {left:,.0f} {currency} is left because {why}."


def pick_warning(item: dict[str, Any]) -> str | None:
    """A warning for a risky pick (a high fake share from vetting or from the account's sampled
    followers), or the prior used when unknown."""
    source = item.get("real_share_source")
    real = item.get("real_share")
    if source == "vetting" and real is not None and 1 - real >= FAKE_WARNING:
        return f"vetting says {1 - real:.0%} of followers look fake"
    if source == SAMPLE_SOURCE and real is not None and 1 - real >= FAKE_WARNING:
        # Not vetted: the sampled followers are the only evidence, and as much a risk signal.
        return f"{1 - real:.0%} of its sampled followers look fake (not vetted yet)"
    if source == "prior" and real is not None:
        return UNKNOWN_FAKE.format(real=real)
    return None
