"""Component scores 0-100 from the signals, defined as Ibis expressions (one definition).

Each component's formula is documented in docs/scores.md; the constants are here, named.
A component is NULL (unknown) when the data it needs is absent (no audience sample, no
comments, no posts), never 0 or 100. The overall score averages the components that exist and
states its ``coverage``: the share of the weight whose evidence the account has; below
``Weights.min_coverage`` the overall is unknown too.
"""

from __future__ import annotations

import ibis

from covey.scores.weights import COMPONENTS, Weights
from covey.signals.backend import Sources
from covey.signals.peers import peer_percentiles

# Red-flag thresholds: any one of them caps the overall score (Weights.red_flag_cap).
FAKE_SHARE_FLAG = 0.25  # Modash: credibility < 75 % is a sign of fraud
POD_SHARE_FLAG = 0.2
IMPLAUSIBLE_MIN_PEERS = 100
# Per-item penalties of the credibility and safety components (points out of 100).
PENALTY_UNDISCLOSED = 25.0
PENALTY_WEAK = 10.0
PENALTY_BURIED = 10.0
PENALTY_HEALTH_CLAIM = 25.0
PENALTY_PRESCRIPTION = 25.0
PENALTY_YOUNG_ACCOUNT = 20.0
BONUS_LIVED_EXPERIENCE = 10.0
YOUNG_ACCOUNT_DAYS = 365
PENALTY_PROFANITY = 15.0
PENALTY_HATE = 50.0
PENALTY_SENSITIVE = 5.0
MAX_COUNTED = 4  # a fifth flagged post adds nothing new about the account
# Growth can be judged from two follower counts on (one step between snapshots).
MIN_FOLLOWER_READS = 2

RED_FLAGS = (
    "flag_fake_followers",
    "flag_bought_growth",
    "flag_pod",
    "flag_undisclosed",
    "flag_health_claim",
    "flag_prescription",
    "flag_hate",
)


def _clip(x: ibis.Value) -> ibis.Value:
    return ibis.greatest(ibis.least(x, 100.0), 0.0)


def _capped(x: ibis.Value) -> ibis.Value:
    return ibis.least(x.fill_null(0), MAX_COUNTED).cast("float64")


def _ratio(x: ibis.Value, full: float) -> ibis.Value:
    """x / full, limited to [0, 1]: full marks at ``full``."""
    return ibis.greatest(ibis.least(x / full, 1.0), 0.0)


def _known(evidence: ibis.Value, value: ibis.Value) -> ibis.Value:
    """``value`` where there is evidence, else NULL (unknown, never 0 or 100).

    Needed around every formula: DuckDB's greatest/least skip NULLs, so a clipped formula over
    a missing value would otherwise come out as 0 or 100.
    """
    return ibis.ifelse(evidence.fill_null(False), value, ibis.null("float64"))


def evidence_shares(s: ibis.Table) -> dict[str, ibis.Value]:
    """Per component, the share (0-1) of its evidence the account has.

    Authenticity rests on two sources, comments (pods, generic comments) and a follower history
    (bought growth): each is half of it. Every other component has one source: 1 or 0.
    """
    has_comments = s.audience_comments.fill_null(0) > 0
    has_history = s.follower_reads.fill_null(0) >= MIN_FOLLOWER_READS
    has_posts = s.posts.fill_null(0) > 0
    one = ibis.literal(1.0)
    zero = ibis.literal(0.0)
    return {
        "engagement": ibis.ifelse(s.er_followers_last12.notnull(), one, zero),
        "audience": ibis.ifelse(s.fake_share.notnull(), one, zero),
        "authenticity": ibis.ifelse(has_comments, 0.5, 0.0) + ibis.ifelse(has_history, 0.5, 0.0),
        "community": ibis.ifelse(has_comments & (s.commenters.fill_null(0) > 0), one, zero),
        "consistency": ibis.ifelse(has_posts, one, zero),
        "credibility": ibis.ifelse(has_posts, one, zero),
        "safety": ibis.ifelse(has_posts, one, zero),
    }


def component_scores(signals: ibis.Table, weights: Weights) -> ibis.Table:
    """account_id, peer keys, one column per component (NULL = unknown), red-flag columns,
    ``coverage`` (0-1: share of the weight whose evidence the account has) and ``overall``."""
    s = signals
    shares = evidence_shares(s)
    has_comments = s.audience_comments.fill_null(0) > 0
    has_history = s.follower_reads.fill_null(0) >= MIN_FOLLOWER_READS
    er = s.er_followers_last12
    # With fewer than 100 peers the 99th percentile is the group's top value: no flag then.
    too_high = (er > s.er_followers_last12_peer_p99) & (s.er_followers_last12_peers >= IMPLAUSIBLE_MIN_PEERS)
    too_low = er < s.er_followers_last12_peer_median / 3.0
    base = 100.0 * s.er_followers_last12_pct
    engagement = _known(
        er.notnull() & base.notnull(),
        ibis.cases(
            (too_high.fill_null(False), ibis.least(base, 30.0)),
            (too_low.fill_null(False), ibis.least(base, 15.0)),
            else_=base,
        ),
    )

    fake = s.fake_share
    reach = ibis.coalesce(s.reachable_share, 1.0 - fake)
    audience = _known(
        fake.notnull(), _clip(100.0 * (0.8 * ibis.greatest(1.0 - 2.0 * fake, 0.0) + 0.2 * reach))
    )

    # Each part counts only where its data exist: no comments is no evidence of a pod.
    pod = ibis.ifelse(has_comments, s.pod_share.fill_null(0.0), 0.0)
    bought = ibis.ifelse(has_history, s.bought_events.fill_null(0) > 0, False)
    excess_generic = ibis.ifelse(
        has_comments,
        ibis.greatest(s.generic_share.fill_null(0.0) - s.generic_share_peer_median.fill_null(0.0), 0.0),
        0.0,
    )
    odd_ratio = (s.likes_per_comment_pct > 0.99) | (s.likes_per_comment_pct < 0.01)
    authenticity = _known(
        has_comments | has_history,
        100.0
        * (1.0 - ibis.least(2.0 * pod, 1.0))
        * ibis.ifelse(bought, 0.4, 1.0)
        * (1.0 - 0.5 * excess_generic)
        * ibis.ifelse(odd_ratio.fill_null(False), 0.8, 1.0),
    )

    community = _known(
        shares["community"] > 0,
        100.0
        * (
            0.4 * _ratio(s.reply_rate.fill_null(0.0), 0.5)
            + 0.2 * _ratio(s.thread_turns.fill_null(1.0) - 1.0, 1.0)
            + 0.2 * _ratio(s.returning_share.fill_null(0.0), 0.3)
            + 0.2 * _ratio(s.comments_per_like.fill_null(0.0), 0.05)
        ),
    )

    has_posts = shares["consistency"] > 0
    regularity = 1.0 / (1.0 + s.cadence_cv.fill_null(1.0))
    advocacy = 1.0 - _ratio(s.sponsored_share.fill_null(0.0) - 0.2, 0.3)
    consistency = _known(
        has_posts,
        100.0
        * (
            0.5 * s.niche_share_late.fill_null(0.0)
            + 0.2 * regularity
            + 0.15 * _ratio(s.niche_tenure_days.fill_null(0.0), 365.0)
            + 0.15 * advocacy
        ),
    )

    young = (s.account_age_days < YOUNG_ACCOUNT_DAYS).fill_null(False)
    credibility = _known(
        has_posts,
        _clip(
            100.0
            - PENALTY_UNDISCLOSED * _capped(s.undisclosed)
            - PENALTY_WEAK * _capped(s.disclosed_weak)
            - PENALTY_BURIED * _capped(s.disclosed_buried)
            - PENALTY_HEALTH_CLAIM * _capped(s.health_claim_posts)
            - PENALTY_PRESCRIPTION * _capped(s.prescription_posts)
            - ibis.ifelse(young, PENALTY_YOUNG_ACCOUNT, 0.0)
            + ibis.ifelse(s.first_person_posts.fill_null(0) > 0, BONUS_LIVED_EXPERIENCE, 0.0)
        ),
    )
    safety = _known(
        has_posts,
        _clip(
            100.0
            - PENALTY_PROFANITY * _capped(s.profanity_items)
            - PENALTY_HATE * _capped(s.hate_items)
            - PENALTY_SENSITIVE * _capped(s.sensitive_items)
        ),
    )

    scores = {
        "engagement": engagement,
        "audience": audience,
        "authenticity": authenticity,
        "community": community,
        "consistency": consistency,
        "credibility": credibility,
        "safety": safety,
    }
    flags = {
        # Only when the 95 % interval lies wholly above the line: sampling error is no evidence.
        "flag_fake_followers": (s.fake_low >= FAKE_SHARE_FLAG).fill_null(False),
        "flag_bought_growth": bought,
        "flag_pod": pod >= POD_SHARE_FLAG,
        # FTC: a weak or buried label is no disclosure either.
        "flag_undisclosed": (
            s.undisclosed.fill_null(0) + s.disclosed_weak.fill_null(0) + s.disclosed_buried.fill_null(0)
        )
        > 0,
        "flag_health_claim": s.health_claim_posts.fill_null(0) > 0,
        "flag_prescription": s.prescription_posts.fill_null(0) > 0,
        "flag_hate": s.hate_items.fill_null(0) > 0,
    }
    # Shown and penalised in the engagement component, but not a red flag on its own.
    implausible = too_high.fill_null(False)
    t = s.select(
        "account_id", "platform", "band", "decade", "niche", **scores, **flags,
        **{f"{c}_evidence": shares[c] for c in COMPONENTS},
        flag_implausible_engagement=implausible,
        flag_low_engagement=too_low.fill_null(False),
    )  # fmt: skip
    num = sum((t[c].fill_null(0.0) * weights.of(c) for c in COMPONENTS), ibis.literal(0.0))
    den = sum((ibis.ifelse(t[c].isnull(), 0.0, weights.of(c)) for c in COMPONENTS), ibis.literal(0.0))
    total = sum(weights.of(c) for c in COMPONENTS)
    coverage = sum((t[f"{c}_evidence"] * weights.of(c) for c in COMPONENTS), ibis.literal(0.0)) / total
    # Unknown components are left out of the mean (as if they scored the mean of the known
    # ones); below the minimum coverage there is too little evidence for an overall at all.
    mean = ibis.ifelse((den > 0) & (coverage >= weights.min_coverage - 1e-9), num / den, ibis.null("float64"))
    assert tuple(flags) == RED_FLAGS
    any_flag = ibis.or_(*(t[f] for f in flags))
    return t.mutate(
        red_flags=sum((t[f].cast("int64") for f in flags), ibis.literal(0)),
        coverage=coverage,
        # A red flag scales the mean into [0, cap]: below every clean account with a mean above
        # the cap, yet flagged accounts keep their order among themselves.
        overall=ibis.ifelse(any_flag, mean * (weights.red_flag_cap / 100.0), mean),
    )


def with_percentiles(src: Sources, scores: ibis.Table) -> ibis.Table:
    """Add ``{component}_pct``, ``_peers`` and ``_peer_level`` among peers for every component."""
    scores = src.materialize(scores, "covey_component_scores")  # read once per component
    t = scores
    for c in (*COMPONENTS, "overall"):
        p = peer_percentiles(scores, c).select("account_id", f"{c}_pct", f"{c}_peers", f"{c}_peer_level")
        t = t.left_join(p, "account_id").drop("account_id_right")
    return t
