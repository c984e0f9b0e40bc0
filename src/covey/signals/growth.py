"""Follower-growth anomalies between snapshots: bought followers and purges.

For each pair of consecutive snapshots of an account, ``followers_added`` is the change.
A change is a *jump* when it is at least ``JUMP_MIN_SHARE`` of the previous count and at
least ``JUMP_MIN_MEDIANS`` times the account's median absolute change between snapshots.
A falling jump is a *purge*. A rising jump is *bought* when engagement did not follow:

* the account's organic ``trend`` is the median log growth per day over its steps, and the
  jump's ``excess`` is its log rise beyond that trend;
* every organic post (no label, nothing that looks paid) within ``ENGAGEMENT_WINDOW_DAYS``
  gives y = ln(1 + likes + comments) − trend × days; real new followers raise the mean of y
  after the jump by the excess, bought ones leave it level (they never engage);
* the shift (mean after − mean before) is weighed by a likelihood-ratio test between those two
  hypotheses with its standard error (pooled per-post spread, at least ``MIN_POST_SD``), so
  the test is as strong as the number of posts allows: with many posts the cut is halfway
  (``MATCHING_SHARE``), with few it leans on the prior odds ``BOUGHT_PRIOR_ODDS``. A jump with
  no posts on one side has no evidence that engagement followed and counts as bought.
"""

from __future__ import annotations

import math
from datetime import timedelta

import ibis
from ibis import _

from covey.signals.backend import Sources, seconds
from covey.signals.credibility import caption_flags
from covey.signals.engagement import sponsored_posts

JUMP_MIN_SHARE = 0.08
JUMP_MIN_MEDIANS = 5.0
MATCHING_SHARE = 0.5
MIN_POST_SD = 0.3
# An isolated jump of >= 5x the account's usual change is taken to be bought e:1 against a real
# burst of followers before the engagement evidence is weighed.
BOUGHT_PRIOR_ODDS = math.e
ENGAGEMENT_WINDOW_DAYS = 180  # long: one post says little (±45 % per post)


def follower_changes(src: Sources) -> ibis.Table:
    """Consecutive snapshots: account_id, at, prev_at, prev_followers, followers, followers_added,
    median_change (the account's median absolute change) and trend (its median log growth per day)."""
    s = src.snapshots.filter(_.followers.notnull() & (_.taken_at <= src.as_of))
    w = ibis.window(group_by=s.account_id, order_by=s.taken_at)
    s = s.mutate(prev_followers=s.followers.lag().over(w), prev_at=s.taken_at.lag().over(w))
    s = s.filter(s.prev_followers.notnull())
    s = s.mutate(followers_added=s.followers - s.prev_followers)
    days = (seconds(s.taken_at) - seconds(s.prev_at)) / 86_400.0
    log_step = ibis.ifelse(
        (s.prev_followers > 0) & (s.followers > 0) & (days > 0),
        (s.followers.cast("float64") / s.prev_followers.cast("float64")).ln() / days,
        None,
    )
    # Medians, so the one jump (or purge) among an account's steps does not set its trend.
    s = s.mutate(
        median_change=s.followers_added.abs().median().over(group_by=s.account_id),
        trend=log_step.median().over(group_by=s.account_id),
    )
    return s.select(
        "account_id",
        at=s.taken_at,
        prev_at=s.prev_at,
        prev_followers=s.prev_followers,
        followers=s.followers,
        followers_added=s.followers_added,
        median_change=s.median_change,
        trend=s.trend.fill_null(0.0),
    )


def growth_events(src: Sources) -> ibis.Table:
    """Jumps with their kind ('bought' | 'purge' | 'organic') and the engagement evidence around them.

    Columns: the jump (``at``, ``prev_at``, ``prev_followers``, ``followers_added``,
    ``follower_rise``), the account's organic ``trend`` (log growth per day) and the jump's
    ``excess`` over it (log), the posts weighed (``posts_before``, ``posts_after``),
    ``engagement_shift`` (mean log engagement per post after minus before, trend removed),
    its standard error ``shift_se``, ``like_ratio`` (exp of the shift) and ``kind``.
    """
    c = follower_changes(src)
    size = c.followers_added.abs().cast("float64")
    jump = (size >= JUMP_MIN_SHARE * c.prev_followers.cast("float64")) & (
        size >= JUMP_MIN_MEDIANS * c.median_change.cast("float64")
    )
    jumps = c.filter(jump & (c.prev_followers > 0) & (c.followers > 0))
    gap = (seconds(jumps.at) - seconds(jumps.prev_at)) / 86_400.0
    # The jump beyond what the organic trend would have added over the same days.
    excess = (jumps.followers.cast("float64") / jumps.prev_followers.cast("float64")).ln() - jumps.trend * gap
    jumps = jumps.mutate(excess=excess)
    window = timedelta(days=ENGAGEMENT_WINDOW_DAYS)
    # Organic posts only: paid posts, labelled or not, engage less and would pass for a fall.
    looks_paid = caption_flags(src).filter(_.disclosure.notnull()).select("post_id")
    p = sponsored_posts(src).filter(_.likes.notnull() & ~_.is_sponsored).anti_join(looks_paid, "post_id")
    # Likes and comments together: all the engagement evidence a post carries.
    p = p.select("account_id", "posted_at", eng=p.likes + p.comments.fill_null(0))
    j = jumps.left_join(
        p,
        [
            jumps.account_id == p.account_id,
            p.posted_at >= jumps.prev_at - window,
            p.posted_at < jumps.at + window,
        ],
    )
    # Log engagement per post with the organic trend taken out: if the new followers are fake
    # it stays level across the jump; if they are real people it rises by the jump's excess.
    days = (seconds(j.posted_at) - seconds(j.prev_at)) / 86_400.0
    y = (j.eng.cast("float64") + 1.0).ln() - j.trend * days
    y_b = ibis.ifelse((j.posted_at < j.prev_at) & (j.posted_at >= j.prev_at - window), y, None)
    y_a = ibis.ifelse(j.posted_at >= j.at, y, None)
    keys = ["account_id", "at", "prev_at", "prev_followers", "followers_added", "trend", "excess"]
    agg = j.group_by(keys).aggregate(
        posts_before=y_b.count(),
        posts_after=y_a.count(),
        sum_b=y_b.sum(),
        sum_a=y_a.sum(),
        sq_b=(y_b * y_b).sum(),
        sq_a=(y_a * y_a).sum(),
    )
    n_b, n_a = agg.posts_before.cast("float64"), agg.posts_after.cast("float64")
    mean_b, mean_a = agg.sum_b / n_b, agg.sum_a / n_a
    # Pooled per-post variance (each side about its own mean), floored: a handful of posts can
    # look deceptively regular.
    resid = (agg.sq_b - n_b * mean_b * mean_b) + (agg.sq_a - n_a * mean_a * mean_a)
    dof = n_b + n_a - 2.0
    var = ibis.greatest(ibis.ifelse(dof > 0, resid / dof, None), MIN_POST_SD**2)
    shift = mean_a - mean_b
    se = (var * (1.0 / n_b + 1.0 / n_a)).sqrt()
    agg = agg.mutate(
        engagement_shift=ibis.ifelse((n_b > 0) & (n_a > 0), shift, None),
        shift_se=ibis.ifelse((n_b > 0) & (n_a > 0), se, None),
    ).drop("sum_b", "sum_a", "sq_b", "sq_a")
    rise = agg.followers_added.cast("float64") / agg.prev_followers.cast("float64")
    # Real followers lift engagement by the excess, bought ones not at all. Likelihood-ratio
    # test between the two with prior odds BOUGHT_PRIOR_ODDS: the cut sits halfway when many
    # posts pin the shift down and moves toward "real" as the standard error grows.
    cut = MATCHING_SHARE * agg.excess + math.log(BOUGHT_PRIOR_ODDS) * agg.shift_se**2 / agg.excess
    matched = agg.engagement_shift.notnull() & (agg.engagement_shift >= cut)
    kind = ibis.cases(
        (agg.followers_added < 0, "purge"),
        (matched, "organic"),
        else_="bought",
    )
    return agg.mutate(follower_rise=rise, like_ratio=agg.engagement_shift.exp(), kind=kind)


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
