"""Engagement by followers and by views, organic and sponsored apart.

Definitions (the denominator is part of each column's name):

* ``er_followers_last12``: mean over the account's last 12 posts of
  (likes + comments) / followers, followers from the latest snapshot (HypeAuditor, GRIN);
* ``er_followers_median90``: median over posts of the last 90 days of the same ratio (Modash);
* ``er_views_last12``: mean of (likes + comments) / views over the last 12 posts that have views;
* ``er_followers_organic`` / ``er_followers_sponsored``: the last-12 mean on organic posts and on
  sponsored posts (platform label or an up-front disclosure) separately;
* ``likes_per_comment``: total likes / total comments over the last 12 posts.

Posts with unknown likes or comments are left out rather than counted as zero.
"""

from __future__ import annotations

from datetime import timedelta

import ibis
from ibis import _

from covey.signals.backend import Sources
from covey.signals.lexicons import DISCLOSURE_STRONG, words_regex

RECENT_POSTS = 12
MEDIAN_WINDOW_DAYS = 90
# A disclosure counts as "up front" inside the first characters a feed shows before "more".
UP_FRONT_CHARS = 100


def latest_snapshot(src: Sources) -> ibis.Table:
    """account_id, followers, following and taken_at from each account's newest snapshot."""
    s = src.snapshots.filter(_.followers.notnull() & (_.taken_at <= src.as_of))
    ranked = s.mutate(rn=ibis.row_number().over(group_by=_.account_id, order_by=[ibis.desc(_.taken_at)]))
    return ranked.filter(_.rn == 0).select("account_id", "followers", "following", "taken_at")


# The block of hashtags that often closes a caption; a label inside it is not "up front".
TRAILING_HASHTAGS = r"([\s\p{P}\p{So}]*#[\p{L}\p{N}_]+)+[\s\p{P}\p{So}]*$"


def up_front(caption: ibis.Value) -> ibis.Value:
    """The lower-cased first characters of a caption, before any trailing block of hashtags."""
    body = caption.fill_null("").lower().re_replace(TRAILING_HASHTAGS, "")
    return body.substr(0, UP_FRONT_CHARS)


def sponsored_posts(src: Sources) -> ibis.Table:
    """Posts (key, counts, url, hashtags) with an ``is_sponsored`` flag (see :func:`is_sponsored`)."""
    return src.shared("sponsored_posts", lambda: _sponsored_posts(src))


def is_sponsored(posts: ibis.Table) -> ibis.Value:
    """The platform's paid-partnership label, or a proper label up front in the caption."""
    strong = words_regex(DISCLOSURE_STRONG)
    caption = posts.caption.fill_null("").lower()
    # Cut the trailing hashtags only where a label appears at all: each regex costs a pass.
    labelled = ibis.ifelse(caption.re_search(strong), up_front(posts.caption).re_search(strong), False)
    return posts.sponsored.fill_null(False) | labelled


def _sponsored_posts(src: Sources) -> ibis.Table:
    p = src.posts
    # Kept slim (no caption text): it is materialised once and read by several signals.
    return p.select(
        "post_id", "account_id", "posted_at", "likes", "comments", "views", "url", "hashtags",
        is_sponsored=is_sponsored(p),
    )  # fmt: skip


def post_rates(src: Sources) -> ibis.Table:
    """One row per post of the scoring window with its engagement ratios and recency rank."""
    return src.shared("post_rates", lambda: _post_rates(src))


def _post_rates(src: Sources) -> ibis.Table:
    p = sponsored_posts(src).filter(_.posted_at <= src.as_of).drop("hashtags")
    f = latest_snapshot(src)
    p = p.join(f.select("account_id", "followers"), "account_id")
    eng = (p.likes + p.comments).cast("float64")
    p = p.mutate(
        eng=eng,
        er_followers=ibis.ifelse(p.followers > 0, eng / p.followers.cast("float64"), None),
        er_views=ibis.ifelse(p.views > 0, eng / p.views.cast("float64"), None),
    )
    by_recency = ibis.window(group_by=p.account_id, order_by=[ibis.desc(p.posted_at), p.post_id])
    return p.mutate(
        recent_rank=ibis.row_number().over(by_recency),
        views_rank=ibis.row_number().over(
            group_by=[p.account_id, p.views.notnull() & (p.views > 0)],
            order_by=[ibis.desc(p.posted_at), p.post_id],
        ),
        kind_rank=ibis.row_number().over(
            group_by=[p.account_id, p.is_sponsored], order_by=[ibis.desc(p.posted_at), p.post_id]
        ),
    )


def engagement(src: Sources) -> ibis.Table:
    """Per account: the engagement columns described in the module docstring."""
    p = post_rates(src)
    since = src.as_of - timedelta(days=MEDIAN_WINDOW_DAYS)
    last12 = p.recent_rank < RECENT_POSTS
    agg = p.group_by("account_id").aggregate(
        followers=p.followers.max(),
        posts_scored=last12.sum(),
        er_followers_last12=p.er_followers.mean(where=last12),
        # ifelse, not median(where=...): Spark's percentile() rejects a conditional argument.
        er_followers_median90=ibis.ifelse(p.posted_at >= since, p.er_followers, None).median(),
        posts_90d=(p.posted_at >= since).sum(),
        er_views_last12=p.er_views.mean(where=(p.views_rank < RECENT_POSTS) & p.er_views.notnull()),
        er_followers_organic=p.er_followers.mean(where=~p.is_sponsored & (p.kind_rank < RECENT_POSTS)),
        er_followers_sponsored=p.er_followers.mean(where=p.is_sponsored & (p.kind_rank < RECENT_POSTS)),
        likes_12=p.likes.sum(where=last12),
        comments_12=p.comments.sum(where=last12),
    )
    return agg.mutate(
        likes_per_comment=ibis.ifelse(
            agg.comments_12 > 0, agg.likes_12.cast("float64") / agg.comments_12.cast("float64"), None
        )
    ).drop("likes_12", "comments_12")
