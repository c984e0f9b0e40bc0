"""Plain sentences that say why a component scored what it did, one per component."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from covey.signals.peers import LEVEL_NAMES, band_bounds


def _num(x: Any) -> float | None:
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if f != f else f  # NaN is unknown


def _pct(x: Any, digits: int = 1) -> str:
    v = _num(x)
    return "unknown" if v is None else f"{100 * v:.{digits}f} %"


def _ordinal(x: Any) -> str:
    """A 0-1 share as 'the 55th' percentile."""
    v = _num(x)
    if v is None:
        return "an unknown"
    n = round(100 * v)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"the {n}{suffix}"


def _int(x: Any) -> int:
    v = _num(x)
    return 0 if v is None else int(v)


def peer_group(row: Mapping[str, Any], level: Any) -> str:
    """Human description of the peer group a percentile was taken in."""
    lv = _int(level)
    parts = [str(row.get("platform") or "?")]
    band = _num(row.get("band"))
    if lv <= 1 and band is not None:
        low, high = band_bounds(int(band))
        parts.append(f"{low:,}-{high:,} followers")
    decade = _num(row.get("decade"))
    if lv == 2 and decade is not None:
        parts.append(f"{10 ** int(decade):,}-{10 ** (int(decade) + 1):,} followers")
    if lv == 0 and row.get("niche"):
        parts.append(f"#{row['niche']}")
    return ", ".join(parts) + f" ({LEVEL_NAMES[min(lv, len(LEVEL_NAMES) - 1)]})"


def _engagement(r: Mapping[str, Any]) -> str:
    er = _num(r.get("er_followers_last12"))
    if er is None:
        return "Engagement unknown: no recent post with likes, comments and a follower count."
    text = (
        f"Engagement by followers is {_pct(er, 2)} ((likes + comments) / followers, mean of the last "
        f"{_int(r.get('posts_scored'))} posts), {_ordinal(r.get('er_followers_last12_pct'))} percentile "
        f"among {_int(r.get('er_followers_last12_peers'))} peers "
        f"(median {_pct(r.get('er_followers_last12_peer_median'), 2)})."
    )
    if r.get("flag_implausible_engagement"):
        text += " It is above the peers' 99th percentile: implausibly high."
    elif (med := _num(r.get("er_followers_last12_peer_median"))) and er < med / 3:
        text += " It is below a third of the peer median."
    if _num(r.get("er_views_last12")) is not None:
        text += f" By views: {_pct(r.get('er_views_last12'), 2)}."
    return text


def _audience(r: Mapping[str, Any]) -> str:
    if _num(r.get("fake_share")) is None:
        return "No audience sample: the real-audience share cannot be estimated."
    return (
        f"An estimated {_pct(r.get('fake_share'))} of followers look fake (95 % interval "
        f"{_pct(r.get('fake_low'))}-{_pct(r.get('fake_high'))}, {_int(r.get('fake_n'))} sampled followers); "
        f"{_pct(r.get('reachable_share'))} of sampled followers follow fewer than 1,500 accounts."
    )


def _authenticity(r: Mapping[str, Any]) -> str:
    parts = []
    if _int(r.get("bought_events")):
        parts.append(
            f"{_int(r.get('bought_events'))} follower jump(s) without matching engagement "
            f"(+{_int(r.get('bought_followers')):,} followers)"
        )
    if _num(r.get("pod_share")):
        parts.append(
            f"{_pct(r.get('pod_share'))} of comments come within minutes from "
            f"{_int(r.get('pod_commenters'))} accounts that do the same across a ring of creators"
        )
    parts.append(f"{_pct(r.get('low_content_share'))} of comments are generic or emoji-only")
    return "; ".join(parts).capitalize() + "."


def _community(r: Mapping[str, Any]) -> str:
    if _num(r.get("commenters")) is None:
        return "No comments stored: community cannot be judged."
    latency = _num(r.get("reply_latency_min"))
    return (
        f"The creator answered {_pct(r.get('reply_rate'), 0)} of top-level comments"
        + (f" (median {latency:.0f} min later)" if latency is not None else "")
        + f"; {_num(r.get('thread_turns')) or 1:.1f} comments per thread; "
        f"{_pct(r.get('returning_share'), 0)} of {_int(r.get('commenters'))} commenters came back; "
        f"{_pct(r.get('comments_per_like'), 2)} comments per like."
    )


def _consistency(r: Mapping[str, Any]) -> str:
    niche = f"#{r['niche']}" if r.get("niche") else "no clear niche"
    cv = _num(r.get("cadence_cv"))
    regularity = "?" if cv is None else f"{cv:.2f}"
    return (
        f"{_pct(r.get('niche_share'), 0)} of {_int(r.get('posts'))} posts are on the niche ({niche}; "
        f"{_pct(r.get('niche_share_early'), 0)} in the older half, "
        f"{_pct(r.get('niche_share_late'), 0)} in the newer); gaps between posts vary by {regularity} (CV); "
        f"{_pct(r.get('sponsored_share'), 0)} of posts are sponsored."
    )


def _credibility(r: Mapping[str, Any]) -> str:
    age = _num(r.get("account_age_days"))
    parts = [f"account {'of unknown age' if age is None else f'{age / 365.25:.1f} years old'}"]
    paid = _int(r.get("paid_posts"))
    if paid:
        parts.append(
            f"of {paid} paid-looking posts {_int(r.get('disclosed_proper'))} disclosed up front, "
            f"{_int(r.get('disclosed_buried'))} buried, "
            f"{_int(r.get('disclosed_weak'))} weakly (#sp, #collab...), "
            f"{_int(r.get('undisclosed'))} not at all"
        )
    for key, label in (
        ("health_claim_posts", "health claim(s)"),
        ("prescription_posts", "prescription medicine mention(s)"),
    ):
        if _int(r.get(key)):
            parts.append(f"{_int(r.get(key))} {label}")
    if _int(r.get("first_person_posts")):
        parts.append(
            f"lived experience told in the first person in {_int(r.get('first_person_posts'))} posts"
        )
    return "; ".join(parts).capitalize() + "."


def _safety(r: Mapping[str, Any]) -> str:
    counts = [
        (_int(r.get(k)), w)
        for k, w in (
            ("profanity_items", "profanity"),
            ("hate_items", "hate"),
            ("sensitive_items", "sensitive topics"),
        )
    ]
    found = [f"{n} item(s) with {w}" for n, w in counts if n]
    return (
        ("Brand-safety flags: " + ", ".join(found) + ".")
        if found
        else "No profanity, hate or sensitive topics found."
    )


SENTENCES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "engagement": _engagement,
    "audience": _audience,
    "authenticity": _authenticity,
    "community": _community,
    "consistency": _consistency,
    "credibility": _credibility,
    "safety": _safety,
}


def overall_sentence(r: Mapping[str, Any], flags: list[str], cap: float) -> str:
    """Why the overall score is what it is: weighted mean, and any red flag capping it."""
    score = _num(r.get("overall"))
    if score is None:
        return "No component could be computed."
    if not flags:
        return f"Weighted mean of the component scores: {score:.0f}/100."
    names = ", ".join(f.removeprefix("flag_").replace("_", " ") for f in flags)
    text = (
        f"Weighted mean of the component scores ({100 * score / cap:.0f}/100) scaled into 0-{cap:.0f} "
        f"by red flag(s): {names}; overall {score:.0f}/100."
    )
    return text
