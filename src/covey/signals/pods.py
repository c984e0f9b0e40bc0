"""Engagement pods: the same commenters across a ring of creators, within minutes.

A *ring commenter* is an author (not the creator) who wrote fast comments (within
``comments.FAST_MINUTES`` of the post) under posts of at least ``RING_MIN_ACCOUNTS``
different accounts, with at least ``RING_MIN_FAST_SHARE`` of all their comments fast. Real
fans comment on several creators too, but not, as a habit, within minutes of each post.

Per account, ``pod_share`` is the share of audience comments that are fast comments by ring
commenters; ``pod_generic_share`` the part of those that are also generic or emoji-only.
"""

from __future__ import annotations

import ibis
from ibis import _

from covey.signals.backend import Sources
from covey.signals.comments import comment_features

RING_MIN_ACCOUNTS = 3
RING_MIN_FAST_SHARE = 0.5


def ring_commenters(src: Sources) -> ibis.Table:
    """author_id, ring_accounts (accounts commented on fast) and fast_share of ring commenters."""
    return src.shared("ring_commenters", lambda: _ring_commenters(src))


def _ring_commenters(src: Sources) -> ibis.Table:
    f = comment_features(src).filter(~_.by_creator)
    per = f.group_by("author_id").aggregate(
        ring_accounts=f.account_id.nunique(where=f.is_fast),
        fast_share=f.is_fast.cast("float64").mean(),
    )
    return per.filter((per.ring_accounts >= RING_MIN_ACCOUNTS) & (per.fast_share >= RING_MIN_FAST_SHARE))


def pod_comments(src: Sources) -> ibis.Table:
    """Fast comments by ring commenters: the evidence behind ``pod_share``."""
    f = comment_features(src).filter(~_.by_creator & _.is_fast)
    r = ring_commenters(src).select("author_id", "ring_accounts")
    urls = src.posts.select("post_id", post_url=_.url)
    return f.join(r, "author_id").join(urls, "post_id").select(
        "account_id", "comment_id", "post_id", "post_url", "author_id", "ring_accounts",
        "minutes_after", "is_generic", "is_emoji_only",
    )  # fmt: skip


def pods(src: Sources) -> ibis.Table:
    """Per account: pod_share, pod_generic_share and pod_commenters."""
    f = comment_features(src).filter(~_.by_creator)
    total = f.group_by("account_id").aggregate(n=_.comment_id.count())
    pc = pod_comments(src)
    per = pc.group_by("account_id").aggregate(
        pod_n=_.comment_id.count(),
        pod_generic_n=(pc.is_generic | pc.is_emoji_only).cast("int64").sum(),
        pod_commenters=_.author_id.nunique(),
    )
    t = total.left_join(per, "account_id").drop("account_id_right")
    n = t.n.cast("float64")
    return t.select(
        "account_id",
        pod_share=t.pod_n.fill_null(0).cast("float64") / n,
        pod_generic_share=t.pod_generic_n.fill_null(0).cast("float64") / n,
        pod_commenters=t.pod_commenters.fill_null(0),
    )
