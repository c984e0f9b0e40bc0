"""Follower series over time: weekly snapshots with organic growth, bursts, bought jumps and purges.

Real followers grow smoothly (a monthly rate per account), and accounts with an organic
burst (a viral post, a press mention) gain a share of them all at once; fake followers track
the smooth curve (they do not join a burst), plus one jump for accounts that bought followers
and one drop for accounts a platform purged. The last snapshot equals the account's current
count exactly (the truth's ``followers``). Posts draw their engagement from :func:`real_at`,
so it rises after a burst and stays level across a bought jump.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from covey.world.creators import Cast
from covey.world.writer import canonical_schema

US_PER_DAY = 86_400_000_000


def snapshot_times(end_us: int, months: int, every_days: int) -> np.ndarray:
    """Snapshot times (µs since 1970), oldest first, the last one at ``end_us``."""
    k = months * 30 // every_days + 1
    return end_us - (k - 1 - np.arange(k, dtype=np.int64)) * every_days * US_PER_DAY


def smooth_real_at(c: Cast, acct: np.ndarray, t_us: np.ndarray, end_us: int) -> np.ndarray:
    """Real followers on the account's smooth growth curve (no burst), ``c.real`` at the end."""
    months_before = (end_us - t_us) / (30 * US_PER_DAY)
    return np.asarray(c.real[acct] * np.exp(-c.growth[acct] * months_before))


def real_at(c: Cast, acct: np.ndarray, t_us: np.ndarray, end_us: int) -> np.ndarray:
    """Real followers of each account at each time (float): the smooth curve, short of the
    organic burst's share before the burst."""
    before_burst = (end_us - t_us) / US_PER_DAY > c.organic_days[acct]
    return np.asarray(
        smooth_real_at(c, acct, t_us, end_us) * np.where(before_burst, 1 - c.organic_share[acct], 1)
    )


def post_key(acct: np.ndarray, t_us: np.ndarray, origin_us: int) -> np.ndarray:
    """A sortable (account, time) key: account in the high bits, seconds since origin below."""
    return np.asarray((acct.astype(np.int64) << 32) + (t_us - origin_us) // 1_000_000 + 1)


def snapshots(
    rng: np.random.Generator,
    c: Cast,
    acct_ids: pa.Array,
    accounts: np.ndarray,
    times: np.ndarray,
    end_us: int,
    post_keys: np.ndarray,
    prior_posts: np.ndarray,
) -> pa.Table:
    """account_snapshots rows for the given accounts.

    ``acct_ids`` holds the account_id string of every account (indexed by account);
    ``post_keys`` are sorted :func:`post_key` values of the accounts' posts, so
    the posts count is what was published up to each snapshot.
    """
    k = len(times)
    acct = np.repeat(accounts, k)
    step = np.tile(np.arange(k), len(accounts))
    t = times[step]
    smooth = smooth_real_at(c, acct, t, end_us)
    real = np.where(step < c.organic_step[acct], smooth * (1 - c.organic_share[acct]), smooth)
    base_fake = (c.fake[acct] - c.bought[acct]) * smooth / np.maximum(c.real[acct], 1)
    followers = real + base_fake
    followers += np.where(step >= c.bought_step[acct], c.bought[acct], 0)
    followers += np.where(step < c.purge_step[acct], c.purged[acct], 0)
    followers *= 1 + rng.normal(0, 0.001, len(acct))  # read noise
    last = step == k - 1
    followers = np.where(last, c.followers[acct], np.maximum(np.round(followers), 0)).astype(np.int64)

    base_following = np.round(rng.lognormal(np.log(600), 0.9, len(accounts))).astype(np.int64)
    following = np.repeat(base_following, k)
    following = following + np.round(step * rng.uniform(0, 3, len(acct))).astype(np.int64)
    # YouTube shows no "following"; other platforms' reads sometimes miss it.
    following_known = (c.platform[acct] != 2) & (rng.random(len(acct)) > 0.08)

    query = post_key(acct, t, times[0])
    published = np.searchsorted(post_keys, query, side="right") - np.searchsorted(
        post_keys, acct.astype(np.int64) << 32, side="left"
    )
    posts = np.repeat(prior_posts, k) + published
    posts_known = rng.random(len(acct)) > 0.1  # the media count is often missing from saved profiles

    return pa.table(
        {
            "account_id": acct_ids.take(pa.array(acct)),
            "taken_at": pa.array(t, type=pa.timestamp("us")),
            "followers": pa.array(followers),
            "following": pa.array(following, mask=~following_known),
            "posts": pa.array(posts.astype(np.int64), mask=~posts_known),
        },
        schema=canonical_schema("account_snapshots"),
    )


def growth_events(c: Cast, acct_ids: pa.Array, times: np.ndarray) -> pa.Table:
    """Truth: one row per bought jump and organic burst (followers_added > 0) and per purge (< 0)."""
    bought = np.flatnonzero(c.bought > 0)
    purged = np.flatnonzero(c.purged > 0)
    organic = np.flatnonzero(c.organic_share > 0)
    # The burst adds its share of the smooth real curve at the moment it happens.
    burst_us = times[-1] - np.round(c.organic_days[organic] * US_PER_DAY).astype(np.int64)
    joined = np.round(c.organic_share[organic] * smooth_real_at(c, organic, burst_us, int(times[-1])))
    acct = np.concatenate([bought, purged, organic])
    at = np.concatenate(
        [times[c.bought_step[bought]], times[c.purge_step[purged]], times[c.organic_step[organic]]]
    )
    added = np.concatenate([c.bought[bought], -c.purged[purged], joined.astype(np.int64)])
    kind = ["bought"] * len(bought) + ["purge"] * len(purged) + ["organic"] * len(organic)
    order = np.lexsort((at, acct))
    return pa.table(
        {
            "account_id": acct_ids.take(pa.array(acct[order])),
            "at": pa.array(at[order], type=pa.timestamp("us")),
            "followers_added": pa.array(added[order].astype(np.int64)),
            "kind": pa.array(np.array(kind, dtype=object)[order] if len(kind) else [], type=pa.string()),
        }
    )
