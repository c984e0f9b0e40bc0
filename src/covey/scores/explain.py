"""Plain sentences that say why a component scored what it did, one per component."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from covey.audience.share import DEFINITIONS, ShareEstimate, describe_precision
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
        if _num(r.get("band")) is None:
            return "Unknown: no follower count up to the scoring date, so engagement cannot be measured."
        return "Unknown: no recent post with likes and comments, so engagement cannot be measured."
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


NO_FOLLOWER_SAMPLE = "Unknown: no follower sample, so the share of fake followers cannot be estimated."


def fake_share_estimate(r: Mapping[str, Any]) -> ShareEstimate | None:
    """One account's stored fake share (signals ``fake_*``) as the classifier's estimate; None
    without a follower sample. A share too few followers could give stays unknown (NaN), and
    runs stored before the sampling part was kept give NaN for it."""
    n = _num(r.get("fake_n"))
    if not n:
        return None
    method = _method(r.get("fake_method")) or str(r.get("fake_method") or "")
    share, low, high = (_num(r.get(k)) for k in ("fake_share", "fake_low", "fake_high"))
    if share is None:
        return ShareEstimate(float("nan"), 0.0, 1.0, int(n), method)
    nan = float("nan")
    s_low, s_high = (_num(r.get(k)) for k in ("fake_sampling_low", "fake_sampling_high"))
    return ShareEstimate(
        share, 0.0 if low is None else low, 1.0 if high is None else high, int(n), method,
        nan if s_low is None else s_low, nan if s_high is None else s_high,
    )  # fmt: skip


def _method(label: Any) -> str | None:
    """The estimator ('mle', 'acc') in a stored ``fake_method`` label such as
    'covey.audience classifier (mle)' (written by covey.signals.audience); None for the fallback."""
    found = re.search(r"\((\w+)\)\s*$", str(label or ""))
    return found.group(1) if found and found.group(1) in DEFINITIONS else None


def fake_share_definition(r: Mapping[str, Any]) -> str | None:
    """What the stored fake share and its interval are (the classifier's definition, else the
    stored method's own label); None without a follower sample."""
    if fake_share_estimate(r) is None:
        return None
    method = _method(r.get("fake_method"))
    return DEFINITIONS[method] if method else (str(r.get("fake_method") or "") or None)


def fake_share_precision(r: Mapping[str, Any]) -> str:
    """How precise the stored fake share is, in plain words (:func:`covey.audience.describe_precision`);
    an unknown share says why it is unknown."""
    est = fake_share_estimate(r)
    return NO_FOLLOWER_SAMPLE if est is None else describe_precision(est)


def _audience(r: Mapping[str, Any]) -> str:
    est = fake_share_estimate(r)
    if est is None or math.isnan(est.share):  # no sample, or too small a one
        return fake_share_precision(r)
    return (
        f"An estimated {_pct(r.get('fake_share'))} of followers look fake (95 % interval "
        f"{_pct(r.get('fake_low'))}-{_pct(r.get('fake_high'))}, {_int(r.get('fake_n'))} sampled followers); "
        f"{_pct(r.get('reachable_share'))} of sampled followers follow fewer than 1,500 accounts. "
        + describe_precision(est)
    )


def _authenticity(r: Mapping[str, Any]) -> str:
    has_comments = _int(r.get("audience_comments")) > 0
    reads = _int(r.get("follower_reads"))
    if not has_comments and reads < 2:
        return (
            "Unknown: no audience comments and fewer than two follower counts, so pods, generic "
            "comments and bought followers cannot be checked."
        )
    parts = []
    if reads < 2:
        parts.append("bought followers not checked (fewer than two follower counts)")
    elif _int(r.get("bought_events")):
        parts.append(
            f"{_int(r.get('bought_events'))} follower jump(s) without matching engagement "
            f"(+{_int(r.get('bought_followers')):,} followers)"
        )
    else:
        parts.append(f"no bought followers seen in {reads} follower counts")
    if not has_comments:
        parts.append("pods and generic comments not checked (no audience comments stored)")
    else:
        if _num(r.get("pod_share")):
            parts.append(
                f"{_pct(r.get('pod_share'))} of comments come within minutes from "
                f"{_int(r.get('pod_commenters'))} accounts that do the same across a ring of creators"
            )
        parts.append(f"{_pct(r.get('low_content_share'))} of comments are generic or emoji-only")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _community(r: Mapping[str, Any]) -> str:
    if not _int(r.get("commenters")):
        return "Unknown: no audience comments stored, so replies and returning commenters cannot be judged."
    latency = _num(r.get("reply_latency_min"))
    return (
        f"The creator answered {_pct(r.get('reply_rate'), 0)} of top-level comments"
        + (f" (median {latency:.0f} min later)" if latency is not None else "")
        + f"; {_num(r.get('thread_turns')) or 1:.1f} comments per thread; "
        f"{_pct(r.get('returning_share'), 0)} of {_int(r.get('commenters'))} commenters came back; "
        f"{_pct(r.get('comments_per_like'), 2)} comments per like."
    )


def _consistency(r: Mapping[str, Any]) -> str:
    if not _int(r.get("posts")):
        return "Unknown: no posts up to the scoring date."
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
    if not _int(r.get("posts")):
        return "Unknown: no posts to check for disclosures and claims."
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
    if not _int(r.get("posts")):
        return "Unknown: no posts to check for profanity, hate or sensitive topics."
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


def known_components(r: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(components with a score, components unknown) for one account's row."""
    known = [c for c in SENTENCES if _num(r.get(c)) is not None]
    return known, [c for c in SENTENCES if c not in known]


def coverage_sentence(r: Mapping[str, Any]) -> str:
    """What the overall score rests on: the share of the weight with evidence, and what is unknown."""
    cov = _num(r.get("coverage"))
    known, unknown = known_components(r)
    text = f"Evidence behind {_pct(cov, 0)} of the weight" + (f": {', '.join(known)}" if known else "")
    if unknown:
        text += f"; unknown: {', '.join(unknown)}"
    half = [c for c in known if (_num(r.get(f"{c}_evidence")) or 0.0) < 1.0]
    if half:
        text += f"; partly known: {', '.join(half)}"
    return text + "."


def overall_sentence(r: Mapping[str, Any], flags: list[str], cap: float, min_coverage: float = 0.0) -> str:
    """Why the overall score is what it is: which components it averages, how much of the weight
    had evidence, and any red flag capping it."""
    score = _num(r.get("overall"))
    known, unknown = known_components(r)
    if score is None:
        if not known:
            return "Unknown: no component could be computed."
        return (
            f"Unknown: only {_pct(r.get('coverage'), 0)} of the weight has evidence "
            f"({', '.join(known)}), less than the {100 * min_coverage:.0f} % an overall score needs."
        )
    basis = (
        "all components"
        if not unknown
        else f"{len(known)} of {len(SENTENCES)} components ({_pct(r.get('coverage'), 0)} of the weight; "
        f"unknown: {', '.join(unknown)})"
    )
    if not flags:
        return f"Weighted mean of {basis}: {score:.0f}/100."
    names = ", ".join(f.removeprefix("flag_").replace("_", " ") for f in flags)
    text = (
        f"Weighted mean of {basis} ({100 * score / cap:.0f}/100) scaled into 0-{cap:.0f} "
        f"by red flag(s): {names}; overall {score:.0f}/100."
    )
    return text
