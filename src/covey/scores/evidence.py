"""Evidence behind each component: the posts, comments, events and samples a score rests on.

One Ibis expression (a union) yields rows of account_id, component, kind, item_id, url and
detail; it runs on the same backend as the signals. Lists are limited per account and kind
(``MAX_ITEMS``) so that the stored evidence stays small; counts are in the sentences.
"""

from __future__ import annotations

import ibis
from ibis import _

from covey.signals.backend import Sources
from covey.signals.credibility import caption_flags
from covey.signals.engagement import RECENT_POSTS, post_rates
from covey.signals.growth import growth_events
from covey.signals.pods import pod_comments
from covey.signals.safety import safety_flags

MAX_ITEMS = 5


def _rows(
    t: ibis.Table,
    component: str,
    kind: ibis.Value | str,
    item: ibis.Value,
    url: ibis.Value,
    detail: ibis.Value,
) -> ibis.Table:
    return t.select(
        account_id=t.account_id.cast("string"),
        component=ibis.literal(component).cast("string"),
        kind=(ibis.literal(kind) if isinstance(kind, str) else kind).cast("string"),
        item_id=item.cast("string"),
        url=url.cast("string"),
        detail=detail.cast("string"),
    )


def _first(t: ibis.Table, order: ibis.Value, by: list[str]) -> ibis.Table:
    ranked = t.mutate(_rank=ibis.row_number().over(group_by=[t[c] for c in by], order_by=order))
    return ranked.filter(ranked._rank < MAX_ITEMS).drop("_rank")


def evidence(src: Sources) -> ibis.Table:
    """Every evidence row for every account."""
    p = post_rates(src).filter(_.recent_rank < RECENT_POSTS)
    engagement = _rows(
        p, "engagement", "post", p.post_id, p.url,
        ibis.literal("(likes+comments)/followers = ") + p.er_followers.round(5).cast("string"),
    )  # fmt: skip
    a = src.audience.filter(_.relation == "follower").group_by("account_id").aggregate(n=_.member_id.count())
    audience = _rows(
        a, "audience", "audience_sample", ibis.null("string"), ibis.null("string"),
        a.n.cast("string") + ibis.literal(" sampled followers"),
    )  # fmt: skip
    g = growth_events(src).filter(_.kind != "organic")
    growth = _rows(
        g, "authenticity", "growth_" + g.kind, g.at.cast("string"), ibis.literal(None).cast("string"),
        ibis.literal("followers ") + g.followers_added.cast("string")
        + ibis.literal(" between ") + g.prev_at.cast("string") + ibis.literal(" and ") + g.at.cast("string")
        + (ibis.literal("; engagement per post x") + g.like_ratio.round(2).cast("string")
           + ibis.literal(" beyond the trend over ") + g.posts_before.cast("string") + ibis.literal(" + ")
           + g.posts_after.cast("string") + ibis.literal(" posts")
           ).fill_null("; no organic post on one side"),
    )  # fmt: skip
    pc = _first(pod_comments(src), _.comment_id, ["account_id"])
    pods = _rows(
        pc, "authenticity", "pod_comment", pc.comment_id, pc.post_url,
        ibis.literal("by ") + pc.author_id + ibis.literal(", ") + pc.minutes_after.round(1).cast("string")
        + ibis.literal(" min after the post; this author comments fast on ")
        + pc.ring_accounts.cast("string") + ibis.literal(" accounts"),
    )  # fmt: skip
    f = caption_flags(src)
    cred_parts = []
    for kind, cond in (
        ("undisclosed_sponsorship", f.disclosure == "none"),
        ("weak_disclosure", f.disclosure == "weak"),
        ("buried_disclosure", f.disclosure == "buried"),
        ("health_claim", f.health_claim),
        ("prescription_medicine", f.prescription),
        ("lived_experience", f.first_person),
    ):
        sel = _first(f.filter(cond), ibis.desc(_.posted_at), ["account_id"])
        cred_parts.append(_rows(sel, "credibility", kind, sel.post_id, sel.url, sel.posted_at.cast("string")))
    sf = safety_flags(src)
    sf = sf.mutate(what=ibis.cases((sf.hate, "hate"), (sf.profanity, "profanity"), else_="sensitive_topic"))
    sf = _first(sf, _.item_id, ["account_id", "what"])
    safety = _rows(sf, "safety", sf.what, sf.item_id, sf.url, sf.source)
    return ibis.union(engagement, audience, growth, pods, *cred_parts, safety)
