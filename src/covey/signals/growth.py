"""Follower-growth anomalies between snapshots: bought followers and purges.

For each pair of consecutive snapshots of an account, ``followers_added`` is the change.
A change is a *jump* when it is at least ``JUMP_MIN_SHARE`` of the previous count and at
least ``JUMP_MIN_MEDIANS`` times the account's median absolute change between snapshots.
A rising jump is *bought* when engagement did not follow. Over the ``ENGAGEMENT_WINDOW_DAYS``
before and after the jump, ``rate_ratio`` = (median likes per organic post after / before) /
(median followers after / before): real new followers keep likes per follower level (ratio
~1, organic growth cancels out), bought ones divide it by (1 + rise). The jump is bought when
the ratio is below (1 + ``MATCHING_SHARE`` x rise) / (1 + rise), halfway between the two.
A falling jump is a *purge*.
"""

from __future__ import annotations

from datetime import timedelta

import ibis
from ibis import _

from covey.signals.backend import Sources
from covey.signals.engagement import sponsored_posts

JUMP_MIN_SHARE = 0.08
JUMP_MIN_MEDIANS = 5.0
MATCHING_SHARE = 0.5
ENGAGEMENT_WINDOW_DAYS = 180  # long: a median over few posts is too noisy (±45 % per post)


def follower_changes(src: Sources) -> ibis.Table:
    """account_id, at, prev_at, prev_followers, followers, followers_added for consecutive snapshots."""
    s = src.snapshots.filter(_.followers.notnull() & (_.taken_at <= src.as_of))
    w = ibis.window(group_by=s.account_id, order_by=s.taken_at)
    s = s.mutate(prev_followers=s.followers.lag().over(w), prev_at=s.taken_at.lag().over(w))
    s = s.filter(s.prev_followers.notnull())
    s = s.mutate(followers_added=s.followers - s.prev_followers)
    s = s.mutate(median_change=s.followers_added.abs().median().over(group_by=s.account_id))
    return s.select(
        "account_id",
        at=s.taken_at,
        prev_at=s.prev_at,
        prev_followers=s.prev_followers,
        followers=s.followers,
        followers_added=s.followers_added,
        median_change=s.median_change,
    )


def growth_events(src: Sources) -> ibis.Table:
    """Jumps with their kind ('bought' | 'purge' | 'organic') and the engagement around them."""
    c = follower_changes(src)
    size = c.followers_added.abs().cast("float64")
    jump = (size >= JUMP_MIN_SHARE * c.prev_followers.cast("float64")) & (
        size >= JUMP_MIN_MEDIANS * c.median_change.cast("float64")
    )
    jumps = c.filter(jump & (c.prev_followers > 0))
    window = timedelta(days=ENGAGEMENT_WINDOW_DAYS)
    # Organic posts only: sponsored posts engage less and would pass for a fall in engagement.
    p = sponsored_posts(src).filter(_.likes.notnull() & ~_.is_sponsored)
    p = p.select("account_id", "posted_at", "likes")
    j = jumps.left_join(
        p,
        [
            jumps.account_id == p.account_id,
            p.posted_at >= jumps.prev_at - window,
            p.posted_at < jumps.at + window,
        ],
    )
    before = (j.posted_at < j.prev_at) & (j.posted_at >= j.prev_at - window)
    after = j.posted_at >= j.at
    agg = j.group_by(["account_id", "at", "prev_at", "prev_followers", "followers_added"]).aggregate(
        # Medians: one viral post must not pass for engagement that followed the jump.
        likes_before=ibis.ifelse(before, j.likes, None).median(),
        likes_after=ibis.ifelse(after, j.likes, None).median(),
    )
    # Followers in the same windows, to take out organic growth: likes that rise with it are
    # no evidence that the jump's followers were real.
    sn = src.snapshots.filter(_.followers.notnull()).select("account_id", "taken_at", "followers")
    js = jumps.join(
        sn,
        [
            jumps.account_id == sn.account_id,
            sn.taken_at >= jumps.prev_at - window,
            sn.taken_at < jumps.at + window,
        ],
    )
    fol = js.group_by(["account_id", "at"]).aggregate(
        followers_before=ibis.ifelse(js.taken_at <= js.prev_at, js.followers_right, None).median(),
        followers_after=ibis.ifelse(js.taken_at >= js.at, js.followers_right, None).median(),
    )
    agg = agg.join(fol, ["account_id", "at"])
    rise = agg.followers_added.cast("float64") / agg.prev_followers.cast("float64")
    like_ratio = agg.likes_after / agg.likes_before
    rate_ratio = like_ratio / (agg.followers_after / agg.followers_before)
    # Real followers keep likes per follower level; bought ones divide it by (1 + rise).
    matched = rate_ratio.notnull() & (rate_ratio >= (1 + MATCHING_SHARE * rise) / (1 + rise))
    kind = ibis.cases(
        (agg.followers_added < 0, "purge"),
        (matched, "organic"),
        else_="bought",
    )
    return agg.mutate(follower_rise=rise, like_ratio=like_ratio, rate_ratio=rate_ratio, kind=kind)


def growth(src: Sources) -> ibis.Table:
    """Per account with snapshots: bought_events, bought_followers, purge_events, snapshots_n."""
    e = growth_events(src)
    per = e.group_by("account_id").aggregate(
        bought_events=(e.kind == "bought").sum(),
        bought_followers=e.followers_added.sum(where=e.kind == "bought"),
        purge_events=(e.kind == "purge").sum(),
    )
    n = src.snapshots.group_by("account_id").aggregate(snapshots_n=_.taken_at.count())
    t = n.left_join(per, "account_id").drop("account_id_right")
    return t.mutate(
        bought_events=t.bought_events.fill_null(0),
        bought_followers=t.bought_followers.fill_null(0),
        purge_events=t.purge_events.fill_null(0),
    )
