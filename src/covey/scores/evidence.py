"""Evidence behind each component: the posts, comments, events and samples a score rests on.

One Ibis expression (a union) yields rows of account_id, component, kind, item_id, url and
detail; it runs on the same backend as the signals. Lists are limited per account and kind
(``MAX_ITEMS``) so that the stored evidence stays small; counts are in the sentences.
"""

from __future__ import annotations

import ibis
from ibis import _

from covey.signals.backend import Sources
from covey.signals.comments import comment_features
from covey.signals.credibility import caption_flags
from covey.signals.engagement import RECENT_POSTS, post_rates, sponsored_posts
from covey.signals.growth import growth_events
from covey.signals.peers import niche_tags
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


def _day(ts: ibis.Value) -> ibis.Value:
    """A timestamp as people read it in evidence: the day (2026-04-23)."""
    return ts.date().cast("string")


def _minute(ts: ibis.Value) -> ibis.Value:
    """A timestamp to the minute (2026-04-23 10:20 UTC), not 2026-04-23 10:20:27.67233."""
    return ts.strftime("%Y-%m-%d %H:%M") + ibis.literal(" UTC")


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
        ibis.literal("followers ") + ibis.ifelse(g.followers_added > 0, "+", "")
        + g.followers_added.cast("string")
        + ibis.literal(" between ") + _day(g.prev_at) + ibis.literal(" and ") + _day(g.at)
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
    return ibis.union(
        engagement,
        audience,
        growth,
        pods,
        *_comment_evidence(src),
        *_post_evidence(src),
        *_caption_evidence(src),
    )


def _comment_evidence(src: Sources) -> list[ibis.Table]:
    """Generic or emoji-only audience comments (authenticity) and the creator's replies (community)."""
    f = comment_features(src)
    posts = src.posts.select("post_id", post_url=_.url)
    text = src.comments.select("comment_id", text=_.text)
    f = f.join(posts, "post_id").join(text, "comment_id")
    generic = _first(
        f.filter(~f.by_creator & (f.is_generic | f.is_emoji_only)), ibis.desc(_.comment_at), ["account_id"]
    )
    replies = _first(f.filter(f.by_creator & ~f.top_level), ibis.desc(_.comment_at), ["account_id"])
    return [
        _rows(
            generic, "authenticity",
            ibis.ifelse(generic.is_emoji_only, "emoji_only_comment", "generic_comment"),
            generic.comment_id, generic.post_url, generic.text.substr(0, 80),
        ),
        _rows(
            replies, "community", "creator_reply", replies.comment_id, replies.post_url,
            replies.text.substr(0, 80),
        ),
    ]  # fmt: skip


def _post_evidence(src: Sources) -> list[ibis.Table]:
    """Newest on-niche posts with the niche tag they carry, and newest sponsored posts (consistency)."""
    p = sponsored_posts(src).filter(_.posted_at <= src.as_of)
    tagged = p.select("account_id", "post_id", "url", "posted_at", tag=p.hashtags.unnest())
    on = tagged.join(niche_tags(src), ["account_id", "tag"])
    on = on.group_by(["account_id", "post_id", "url", "posted_at"]).aggregate(tag=on.tag.min())
    on = _first(on, ibis.desc(_.posted_at), ["account_id"])
    sponsored = _first(p.filter(p.is_sponsored), ibis.desc(_.posted_at), ["account_id"])
    return [
        _rows(on, "consistency", "on_niche_post", on.post_id, on.url,
              ibis.literal("#") + on.tag + ibis.literal(", ") + on.posted_at.date().cast("string")),
        _rows(sponsored, "consistency", "sponsored_post", sponsored.post_id, sponsored.url,
              sponsored.posted_at.date().cast("string")),
    ]  # fmt: skip


def _caption_evidence(src: Sources) -> list[ibis.Table]:
    """Disclosure, health-claim and lived-experience posts (credibility); flagged items (safety)."""
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
        cred_parts.append(_rows(sel, "credibility", kind, sel.post_id, sel.url, _minute(sel.posted_at)))
    sf = safety_flags(src)
    sf = sf.mutate(what=ibis.cases((sf.hate, "hate"), (sf.profanity, "profanity"), else_="sensitive_topic"))
    sf = _first(sf, _.item_id, ["account_id", "what"])
    safety = _rows(sf, "safety", sf.what, sf.item_id, sf.url, sf.source)
    return [*cred_parts, safety]
