"""Comment features: who wrote it, how soon after the post, and whether it says anything.

* generic: the whole comment is one or two stock phrases ("nice post", "love it", "top",
  "me encanta"...) with optional punctuation or emoji (``lexicons.GENERIC_COMMENTS``);
* emoji-only: non-empty text with no letter or digit in any script;
* fast: written within ``FAST_MINUTES`` of the post (pods comment within minutes).
"""

from __future__ import annotations

import ibis
from ibis import _

from covey.signals.backend import Sources, seconds
from covey.signals.lexicons import GENERIC_COMMENTS

# Pods answer within minutes; a real follower's comment comes hours later (median ~6 h).
FAST_MINUTES = 30.0

_NON_WORD = r"[^\p{L}\p{N}]*"
_PHRASE = "(" + "|".join(sorted(GENERIC_COMMENTS, key=len, reverse=True)) + ")"
GENERIC_REGEX = rf"^{_NON_WORD}{_PHRASE}({_NON_WORD}{_PHRASE})?{_NON_WORD}$"


def comment_features(src: Sources) -> ibis.Table:
    """One row per comment with the post's account and the flags described above."""
    return src.shared("comment_features", lambda: _comment_features(src))


def _comment_features(src: Sources) -> ibis.Table:
    p = src.posts.filter(_.posted_at <= src.as_of).select("post_id", "account_id", post_at=_.posted_at)
    c = src.comments.join(p, "post_id")
    text = c.text.fill_null("").lower()
    minutes = (seconds(c.posted_at) - seconds(c.post_at)).cast("float64") / 60.0
    by_creator = c.by_creator.fill_null(False)
    return c.select(
        "comment_id",
        "post_id",
        "account_id",
        "author_id",
        "reply_to",
        comment_at=c.posted_at,
        by_creator=by_creator,
        top_level=c.reply_to.isnull() | (c.reply_to == ""),
        minutes_after=minutes,
        is_fast=minutes.notnull() & (minutes >= 0) & (minutes <= FAST_MINUTES),
        is_generic=text.re_search(GENERIC_REGEX),
        is_emoji_only=(text.strip().length() > 0) & ~text.re_search(r"[\p{L}\p{N}]"),
    )


def comment_quality(src: Sources) -> ibis.Table:
    """Per account: audience comments seen, generic share and emoji-only share."""
    f = comment_features(src)
    f = f.filter(~f.by_creator)
    agg = f.group_by("account_id").aggregate(
        audience_comments=_.comment_id.count(),
        generic_n=_.is_generic.cast("int64").sum(),
        emoji_n=_.is_emoji_only.cast("int64").sum(),
    )
    n = agg.audience_comments.cast("float64")
    return agg.select(
        "account_id",
        "audience_comments",
        generic_share=agg.generic_n.cast("float64") / n,
        emoji_share=agg.emoji_n.cast("float64") / n,
        low_content_share=(agg.generic_n + agg.emoji_n).cast("float64") / n,
    )
