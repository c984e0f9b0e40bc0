"""Peer groups and percentiles computed from the data itself.

A creator is compared with accounts on the same platform, in the same fine follower band
and, where enough exist, the same niche. Bands are log-spaced, four per decade
(1,000-1,778, 1,778-3,162, 3,162-5,623, 5,623-10,000, ...), close to the 150+ bands vendors use.

The niche is inferred from hashtags: each account's most *specific* frequent hashtag, i.e.
the one maximising ``posts with the tag x ln(accounts / accounts using the tag)`` among tags
used by at least ``MIN_NICHE_ACCOUNTS`` accounts (so generic tags such as #love score ~0 and
personal tags never define a niche). The account's best tag and up to two runners-up with at
least half its weight are its niche tags; a post is "on the niche" when it carries one of them.

When a group holds fewer than ``MIN_PEERS`` accounts with a value, the comparison falls back
to a coarser group: (platform, band, niche) -> (platform, band) -> (platform, decade of
followers) -> (platform). Every percentile comes with the level used and the number of peers.
"""

from __future__ import annotations

import ibis
from ibis import _

from covey.signals.backend import Sources

BANDS_PER_DECADE = 4
MIN_PEERS = 30
MIN_NICHE_ACCOUNTS = 5
NICHE_TAGS = 3
NICHE_TAG_SHARE = 0.5

PEER_LEVELS: tuple[tuple[str, ...], ...] = (
    ("platform", "band", "niche"),
    ("platform", "band"),
    ("platform", "decade"),
    ("platform",),
)
LEVEL_NAMES = (
    "platform, follower band and niche",
    "platform and follower band",
    "platform and decade",
    "platform",
)


def band_bounds(band: int) -> tuple[int, int]:
    """Follower range [low, high) of a fine band number."""
    return round(10 ** (band / BANDS_PER_DECADE)), round(10 ** ((band + 1) / BANDS_PER_DECADE))


def niche_tags(src: Sources) -> ibis.Table:
    """account_id, tag, tag_rank (0 = the niche) for each account's most specific frequent tags."""
    return src.shared("niche_tags", lambda: _niche_tags(src))


def _niche_tags(src: Sources) -> ibis.Table:
    p = src.posts.filter(_.posted_at <= src.as_of)
    tags = p.select("account_id", "post_id", tag=p.hashtags.unnest()).filter(_.tag.notnull())
    tags = tags.mutate(tag=tags.tag.lower()).distinct()
    per_account = tags.group_by(["account_id", "tag"]).aggregate(n=_.post_id.count())
    n_accounts = per_account.account_id.nunique().as_scalar()
    usage = per_account.mutate(accounts_using=_.account_id.count().over(group_by=_.tag))
    usage = usage.filter(_.accounts_using >= MIN_NICHE_ACCOUNTS)
    usage = usage.mutate(
        weight=usage.n.cast("float64")
        * (n_accounts.cast("float64") / usage.accounts_using.cast("float64")).ln()
    )
    ranked = usage.mutate(
        tag_rank=ibis.row_number().over(
            group_by=_.account_id, order_by=[ibis.desc(_.weight), ibis.desc(_.n), _.tag]
        )
    )
    # Runners-up count as niche tags only when nearly as specific as the best one, so that
    # a generic tag (#love: weight ~0) never makes an off-topic post look on the niche.
    ranked = ranked.mutate(best=ranked.weight.max().over(group_by=ranked.account_id))
    keep = (
        (ranked.tag_rank < NICHE_TAGS)
        & (ranked.weight > 0)
        & (ranked.weight >= NICHE_TAG_SHARE * ranked.best)
    )
    return ranked.filter(keep).select("account_id", "tag", "tag_rank")


def peer_keys(src: Sources, followers: ibis.Table) -> ibis.Table:
    """account_id, platform, band, decade and niche ('' when none) of every account with followers."""
    a = src.accounts.select("account_id", "platform")
    t = followers.select("account_id", "followers").join(a, "account_id")
    lf = t.followers.cast("float64").log10()
    t = t.mutate(
        band=(lf * BANDS_PER_DECADE).floor().cast("int64"),
        decade=lf.floor().cast("int64"),
    )
    top = niche_tags(src).filter(_.tag_rank == 0).select("account_id", niche=_.tag)
    t = t.left_join(top, "account_id").drop("account_id_right")
    return t.mutate(niche=t.niche.fill_null(""))


def peer_percentiles(t: ibis.Table, metric: str, min_peers: int = MIN_PEERS) -> ibis.Table:
    """Percentile of ``metric`` among peers, with fallback to coarser groups.

    ``t`` holds account_id, the keys of :data:`PEER_LEVELS` and ``metric``. Returns account_id,
    ``{metric}_pct`` (mid-rank percentile, 0-1: share of peers with a lower value plus half
    of those with the same value), ``{metric}_peer_median``,
    ``{metric}_peer_p99``, ``{metric}_peers`` and ``{metric}_peer_level`` (index into
    :data:`LEVEL_NAMES`). Accounts whose value is unknown get no row.
    """
    v = t.filter(t[metric].notnull())
    cols: dict[str, ibis.Value] = {}
    for i, keys in enumerate(PEER_LEVELS):
        group = [v[k] for k in keys]
        ordered = ibis.window(group_by=group, order_by=v[metric])
        whole = ibis.window(group_by=group)
        # Mid-rank percentile: (peers below + half the peers tied) / peers, so a value shared by
        # the whole group sits at the 50th, not the 0th (percent_rank alone counts ties as below).
        n = v[metric].count().over(whole).cast("float64")
        below = v[metric].percent_rank().over(ordered) * (n - 1)
        upto = v[metric].cume_dist().over(ordered) * n
        cols[f"pct{i}"] = (below + upto) / (2 * n)
        cols[f"n{i}"] = v[metric].count().over(whole)
        cols[f"med{i}"] = v[metric].median().over(whole)
        cols[f"p99{i}"] = v[metric].quantile(0.99).over(whole)
    w = v.select("account_id", metric, **cols)
    last = len(PEER_LEVELS) - 1
    level = ibis.cases(*((w[f"n{i}"] >= min_peers, i) for i in range(last)), else_=last)

    def pick(prefix: str) -> ibis.Value:
        return ibis.cases(*((level == i, w[f"{prefix}{i}"]) for i in range(last)), else_=w[f"{prefix}{last}"])

    return w.select(
        "account_id",
        **{
            f"{metric}_pct": pick("pct"),
            f"{metric}_peer_median": pick("med"),
            f"{metric}_peer_p99": pick("p99"),
            f"{metric}_peers": pick("n"),
            f"{metric}_peer_level": level,
        },
    )
