"""Community: does the creator talk *with* the audience?

Per account, over comments under its posts:

* ``reply_rate``: share of top-level audience comments that the creator answered;
* ``reply_latency_min``: median minutes from such a comment to the creator's first answer;
* ``thread_turns``: comments per thread (all comments / top-level comments; 1 = nobody answers);
* ``returning_share``: share of distinct audience commenters who commented on 2+ posts;
* ``comments_per_like``: total comments / total likes over the last 12 posts (from posts).
"""

from __future__ import annotations

import ibis
from ibis import _

from covey.signals.backend import Sources, seconds
from covey.signals.comments import comment_features
from covey.signals.engagement import post_rates

RECENT_POSTS = 12


def community(src: Sources) -> ibis.Table:
    """Per account: the community columns in the module docstring."""
    f = comment_features(src)
    top = f.filter(f.top_level & ~f.by_creator)
    replies = f.filter(~f.top_level & f.by_creator).select(parent_id=_.reply_to, reply_at=_.comment_at)
    first_reply = replies.group_by("parent_id").aggregate(reply_at=_.reply_at.min())
    answered = top.left_join(first_reply, top.comment_id == first_reply.parent_id)
    latency = (seconds(answered.reply_at) - seconds(answered.comment_at)).cast("float64") / 60.0
    per_top = answered.group_by("account_id").aggregate(
        top_comments=_.comment_id.count(),
        answered_n=answered.reply_at.notnull().cast("int64").sum(),
        reply_latency_min=latency.median(),
    )
    threads = f.group_by("account_id").aggregate(
        all_comments=_.comment_id.count(), top_all=f.top_level.cast("int64").sum()
    )
    audience = f.filter(~f.by_creator)
    per_author = audience.group_by(["account_id", "author_id"]).aggregate(posts=_.post_id.nunique())
    returning = per_author.group_by("account_id").aggregate(
        commenters=_.author_id.count(), returning_n=(per_author.posts >= 2).cast("int64").sum()
    )
    p = post_rates(src)
    recent = p.filter(p.recent_rank < RECENT_POSTS)
    counts = recent.group_by("account_id").aggregate(likes=_.likes.sum(), comments=_.comments.sum())

    t = threads.left_join(per_top, "account_id").drop("account_id_right")
    t = t.left_join(returning, "account_id").drop("account_id_right")
    t = t.outer_join(counts, "account_id")
    t = t.mutate(account_id=ibis.coalesce(t.account_id, t.account_id_right)).drop("account_id_right")
    return t.select(
        "account_id",
        "top_comments",
        "commenters",
        reply_rate=ibis.ifelse(
            t.top_comments > 0, t.answered_n.cast("float64") / t.top_comments.cast("float64"), None
        ),
        reply_latency_min=t.reply_latency_min,
        thread_turns=ibis.ifelse(
            t.top_all > 0, t.all_comments.cast("float64") / t.top_all.cast("float64"), None
        ),
        returning_share=ibis.ifelse(
            t.commenters > 0, t.returning_n.cast("float64") / t.commenters.cast("float64"), None
        ),
        comments_per_like=ibis.ifelse(
            t.likes > 0, t.comments.cast("float64") / t.likes.cast("float64"), None
        ),
    )
