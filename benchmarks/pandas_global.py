"""The pandas baseline's global steps (``pandas_signals``), the signals that compare accounts with
each other, over slim data: niche tags (a tag weighed by how many accounts use it), comment pods
(authors fast under many accounts), and the peer percentile of engagement."""

from __future__ import annotations

import numpy as np
import pandas as pd

from covey.signals.pods import RING_MIN_ACCOUNTS, RING_MIN_FAST_SHARE


def post_tags(posts: pd.DataFrame) -> pd.DataFrame:
    """One row per (post, lower-cased hashtag)."""
    tags = posts[["account_id", "post_id", "hashtags"]].explode("hashtags").dropna(subset=["hashtags"])
    tags["tag"] = tags.hashtags.str.lower()
    return tags.drop(columns="hashtags").drop_duplicates(["post_id", "tag"])


def niche_tags(per: pd.DataFrame) -> pd.DataFrame:
    """Each account's top tags (up to 3), weighed by how rare they are among accounts."""
    n_acc = per.account_id.nunique()
    per["using"] = per.groupby("tag").account_id.transform("count")
    per = per[per.using >= 5].copy()
    per["weight"] = per.n * np.log(n_acc / per.using)
    per = per.sort_values(["account_id", "weight", "n", "tag"], ascending=[True, False, False, True])
    per["rank"] = per.groupby("account_id").cumcount()
    per["best"] = per.groupby("account_id").weight.transform("max")
    return per[(per["rank"] < 3) & (per.weight > 0) & (per.weight >= 0.5 * per.best)]


def pod_share(authors: pd.DataFrame, fast: pd.Series, commented: pd.Series) -> pd.Series:
    """Share of an account's comments written fast by ring authors (fast under many accounts)."""
    fast_share = authors["sum"] / authors["size"]
    ring_n = fast.groupby(level="author_id").size()  # chunks hold disjoint accounts
    ring_n = ring_n.reindex(fast_share.index).fillna(0)
    ring = fast_share.index[(ring_n >= RING_MIN_ACCOUNTS) & (fast_share >= RING_MIN_FAST_SHARE)]
    pods = fast[fast.index.get_level_values("author_id").isin(ring)].groupby(level="account_id").sum()
    return (pods.reindex(commented.index).fillna(0) / commented).rename("pod_share")


def peer_percentile(out: pd.DataFrame, latest: pd.DataFrame, niche: pd.DataFrame) -> pd.Series:
    """Percentile of engagement among peers: (platform, band, niche) -> ... -> platform."""
    keys = latest[["followers", "platform"]].copy()
    lf = np.log10(keys.followers.astype(float))
    keys["band"], keys["decade"] = np.floor(lf * 4), np.floor(lf)
    keys = keys.join(niche[niche["rank"] == 0].set_index("account_id").tag.rename("niche")).fillna(
        {"niche": ""}
    )
    v = keys.join(out.er_followers_last12).dropna(subset=["er_followers_last12"])
    chosen = pd.Series(np.nan, index=v.index)
    for lv in (["platform", "band", "niche"], ["platform", "band"], ["platform", "decade"], ["platform"]):
        grp = v.groupby(lv).er_followers_last12
        n = grp.transform("count")
        # mid-rank: peers below plus half of those tied, so a shared value sits at 0.5
        pct = (grp.rank(method="min") - 1 + grp.rank(method="max")) / (2 * n)
        take = chosen.isna() & ((n >= 30) | (lv == ["platform"]))
        chosen[take] = pct[take]
    return chosen.rename("er_followers_last12_pct")
