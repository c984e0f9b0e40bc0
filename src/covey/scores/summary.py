"""A vetting result in plain words: the few sentences a marketer reads before any table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from covey.scores.weights import COMPONENTS

if TYPE_CHECKING:
    from covey.scores.result import VetResult

# Why a component can be unknown, in the words of the data a user would add.
MISSING: dict[str, str] = {
    "engagement": "no follower count or no recent post with likes",
    "audience": "no follower sample",
    "authenticity": "no audience comments and fewer than two follower counts",
    "community": "no audience comments",
    "consistency": "no posts",
    "credibility": "no posts",
    "safety": "no posts",
}

# Evidence kinds that back a warning, shown without --details.
WARNING_KINDS = frozenset(
    {
        "likely_fake_follower",
        "growth_bought",
        "pod_comment",
        "undisclosed_sponsorship",
        "weak_disclosure",
        "buried_disclosure",
        "health_claim",
        "prescription_medicine",
        "hate",
        "profanity",
    }
)


def _num(x: Any) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def _share(x: Any) -> str:
    v = _num(x)
    return "?" if v is None else f"{100 * v:.0f} %"


def warnings(signals: Mapping[str, Any]) -> list[str]:
    """One plain sentence per red flag the account carries."""
    s = signals
    out: list[str] = []
    if s.get("flag_fake_followers"):
        out.append(
            f"About {_share(s.get('fake_share'))} of its followers look fake "
            f"(95 % interval {_share(s.get('fake_low'))}-{_share(s.get('fake_high'))}); "
            "above 25 % is a common sign of bought followers."
        )
    if s.get("flag_bought_growth"):
        out.append(
            f"{int(_num(s.get('bought_events')) or 0)} sudden follower jump(s) that engagement did not "
            "follow: likely bought followers."
        )
    if s.get("flag_pod"):
        out.append(
            f"{_share(s.get('pod_share'))} of its comments come within minutes from accounts that do "
            "the same for a ring of creators (an engagement pod)."
        )
    if s.get("flag_undisclosed"):
        n = sum(int(_num(s.get(k)) or 0) for k in ("undisclosed", "disclosed_weak", "disclosed_buried"))
        out.append(f"{n} sponsored-looking post(s) without a clear #ad label up front (FTC/ASA rules).")
    if s.get("flag_health_claim"):
        out.append(f"{int(_num(s.get('health_claim_posts')) or 0)} post(s) with health claims.")
    if s.get("flag_prescription"):
        out.append(f"{int(_num(s.get('prescription_posts')) or 0)} post(s) naming prescription medicines.")
    if s.get("flag_hate"):
        out.append(f"{int(_num(s.get('hate_items')) or 0)} item(s) with hateful language.")
    return out


def _min_coverage(weights: Mapping[str, Any]) -> float:
    """The minimum coverage the run used (stored with its weights)."""
    return _num(weights.get("min_coverage")) or 0.0


def plain_summary(v: VetResult) -> list[str]:
    """Short sentences: the overall and what it rests on, warnings, what is unknown, best and worst."""
    scores = {c.component: _num(c.score) for c in v.components}
    overall, coverage = scores.get("overall"), scores.get("coverage")
    known = [c for c in COMPONENTS if scores.get(c) is not None]
    unknown = [c for c in COMPONENTS if scores.get(c) is None]
    cov = "?" if coverage is None else f"{coverage:.0f} %"
    lines: list[str] = []
    if overall is None:
        lines.append(
            f"Overall score unknown: the data hold evidence for only {cov} of what the score weighs "
            f"(at least {100 * _min_coverage(v.run.weights):.0f} % needed)."
            if known
            else "Overall score unknown: nothing about this account could be measured."
        )
    else:
        verdict = "looks sound" if overall >= 70 else ("is mixed" if overall >= 45 else "looks weak or risky")
        lines.append(
            f"Overall {overall:.0f}/100: this account {verdict} (0-100, higher is cleaner; "
            f"it rests on {len(known)} of {len(COMPONENTS)} checks, {cov} of the weight)."
        )
    lines.extend(f"Warning: {w}" for w in warnings(v.signals))
    if unknown:
        why = "; ".join(f"{c} ({MISSING[c]})" for c in unknown)
        lines.append(f"Not known, left out rather than guessed: {why}.")
    ranked = sorted(((scores[c], c) for c in known), key=lambda t: (t[0] or 0.0, t[1]))
    if len(ranked) >= 2:
        (low, low_c), (high, high_c) = ranked[0], ranked[-1]
        lines.append(f"Weakest check: {low_c} {low:.0f}/100; strongest: {high_c} {high:.0f}/100.")
    return lines
