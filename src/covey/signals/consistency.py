"""Consistency and belief: staying on the topic, posting regularly, advocating not advertising.

Per account, over all its posts up to the scoring date:

* ``niche_share``: share of posts carrying one of the account's niche tags (``peers``);
* ``niche_share_early`` / ``niche_share_late``: the same over the older and the newer half of
  the posts, so ``topic_drift`` = early - late shows an account leaving its topic;
* ``niche_tenure_days``: days from the first on-niche post to the scoring date;
* ``cadence_cv``: coefficient of variation of the gaps between posts (0 = clockwork);
* ``sponsored_share``: share of posts that are sponsored (platform label or up-front label).
"""

from __future__ import annotations

import ibis
from ibis import _

from covey.signals.backend import Sources, seconds
from covey.signals.engagement import sponsored_posts
from covey.signals.peers import niche_tags


def consistency(src: Sources) -> ibis.Table:
    """Per account: the consistency columns in the module docstring."""
    p = sponsored_posts(src).filter(_.posted_at <= src.as_of)
    p = p.select("account_id", "post_id", "posted_at", "hashtags", "is_sponsored")
    tags = niche_tags(src)
    post_tags = p.select("account_id", "post_id", tag=p.hashtags.unnest())
    hits = post_tags.join(tags, ["account_id", "tag"]).select("post_id").distinct()
    hits = hits.mutate(on_niche=ibis.literal(True))
    p = p.left_join(hits, "post_id").drop("post_id_right")
    on = p.on_niche.fill_null(False)
    w = ibis.window(group_by=p.account_id, order_by=[p.posted_at, p.post_id])
    secs = seconds(p.posted_at)
    p = p.mutate(
        on=on,
        gap_days=(secs - secs.lag().over(w)) / 86400.0,
        order=ibis.row_number().over(w),
        n_posts=p.post_id.count().over(group_by=p.account_id),
    )
    early = p.order < p.n_posts / 2
    agg = p.group_by("account_id").aggregate(
        posts=_.post_id.count(),
        niche_share=p.on.cast("float64").mean(),
        niche_share_early=p.on.cast("float64").mean(where=early),
        niche_share_late=p.on.cast("float64").mean(where=~early),
        first_niche_at=p.posted_at.min(where=p.on),
        gap_mean=p.gap_days.mean(),
        gap_std=p.gap_days.std(how="pop"),
        sponsored_share=p.is_sponsored.cast("float64").mean(),
    )
    as_of = seconds(ibis.literal(src.as_of))
    return agg.select(
        "account_id",
        "posts",
        "niche_share",
        "niche_share_early",
        "niche_share_late",
        topic_drift=agg.niche_share_early - agg.niche_share_late,
        niche_tenure_days=(as_of - seconds(agg.first_niche_at)) / 86400.0,
        cadence_cv=ibis.ifelse(agg.gap_mean > 0, agg.gap_std / agg.gap_mean, None),
        sponsored_share=agg.sponsored_share,
    )
