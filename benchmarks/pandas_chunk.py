"""The pandas baseline's per-chunk step (``pandas_signals``): every per-account signal of one chunk
of accounts, and the slim counts the global steps need from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from pandas_global import post_tags
from pandas_text import contains

from covey.signals.comments import FAST_MINUTES
from covey.signals.growth import (
    BOUGHT_PRIOR_ODDS,
    ENGAGEMENT_WINDOW_DAYS,
    JUMP_MIN_MEDIANS,
    JUMP_MIN_SHARE,
    MATCHING_SHARE,
    MIN_POST_SD,
)


@dataclass
class Chunk:
    """What one chunk of accounts leaves behind: account-level rows and the slim pod counts."""

    signals: pd.DataFrame  # one row per account of the chunk
    latest: pd.DataFrame  # latest followers and platform per account
    authors: pd.DataFrame  # per author: comments ("size") and fast comments ("sum")
    fast: pd.Series  # fast comments per (account_id, author_id)
    commented: pd.Series  # comments by others per account


def chunk_signals(t: dict[str, pd.DataFrame], as_of: datetime, niche: pd.DataFrame) -> Chunk:
    """Every per-account signal of one chunk (pod share and peer percentile after all chunks)."""
    snaps, posts, comments, aud = t["account_snapshots"], t["posts"], t["comments"], t["audience_samples"]
    snaps = snaps[snaps.followers.notna() & (snaps.taken_at <= as_of)].sort_values(["account_id", "taken_at"])
    latest = snaps.groupby("account_id").tail(1).set_index("account_id")[["followers", "following"]]
    p = posts.merge(
        latest[["followers"]].rename(columns={"followers": "followers_f"}),
        left_on="account_id",
        right_index=True,
    )
    eng = (p.likes + p.comments).astype(float)
    p["er_f"] = np.where(p.followers_f > 0, eng / p.followers_f, np.nan)
    p["er_v"] = np.where(p.views > 0, eng / p.views, np.nan)
    p = p.sort_values(["account_id", "posted_at", "post_id"], ascending=[True, False, False])
    p["rank"] = p.groupby("account_id").cumcount()
    p["vrank"] = p.groupby(["account_id", p.views.fillna(0) > 0]).cumcount()
    p["krank"] = p.groupby(["account_id", "is_sponsored"]).cumcount()
    last12 = p["rank"] < 12
    g = p.assign(
        e12=p.er_f.where(last12),
        m90=p.er_f.where(p.posted_at >= as_of - timedelta(days=90)),
        v12=p.er_v.where((p.vrank < 12) & p.er_v.notna()),
        org=p.er_f.where(~p.is_sponsored & (p.krank < 12)),
        spo=p.er_f.where(p.is_sponsored & (p.krank < 12)),
        l12=p.likes.where(last12),
        c12=p.comments.where(last12),
    ).groupby("account_id")
    out = pd.DataFrame(
        {
            "er_followers_last12": g.e12.mean(),
            "er_followers_median90": g.m90.median(),
            "er_views_last12": g.v12.mean(),
            "er_followers_organic": g.org.mean(),
            "er_followers_sponsored": g.spo.mean(),
            "likes_per_comment": g.l12.sum() / g.c12.sum().replace(0, np.nan),
        }
    )
    # Every account gets a row, as in account_signals, even without followers or posts.
    out = pd.DataFrame(index=pd.Index(t["accounts"].account_id.unique(), name="account_id")).join(out)
    # audience: reachability and the rule-of-signs fake share
    f = aud[aud.relation == "follower"]
    known = f.following.notna()
    signs = (
        (~f.has_profile_pic.fillna(True).astype(bool)).astype(int)
        + (f.following.fillna(0) > 1500).astype(int)
        + (f.following.fillna(0) > 10 * f.followers.fillna(0) + 10).astype(int)
        + (f.posts.fillna(1) == 0).astype(int)
        + (f.bio.fillna("").str.strip().str.len() == 0).astype(int)
        + contains(f.username.fillna(""), r"[0-9].*[0-9].*[0-9]").astype(int)
    )
    fa = f.assign(reach=(known & (f.following < 1500)).astype(int), known=known.astype(int), fake=signs >= 3)
    ga = fa.groupby("account_id")
    out = out.join(
        pd.DataFrame({"reachable_share": ga.reach.sum() / ga.known.sum(), "fake_share": ga.fake.mean()})
    )
    # comments: features, quality, pod counts, community
    c = comments.merge(posts[["post_id", "account_id", "posted_at"]].rename(columns={"posted_at": "post_at"}))
    c["minutes"] = (c.posted_at - c.post_at).dt.total_seconds() / 60
    c["fast"] = c.minutes.between(0, FAST_MINUTES)
    c["by_creator"] = c.by_creator.fillna(False).astype(bool)
    c["top"] = c.reply_to.isna() | (c.reply_to == "")
    a = c[~c.by_creator]
    ga = a.groupby("account_id")
    out = out.join(pd.DataFrame({"generic_share": ga.generic.mean(), "emoji_share": ga.emoji.mean()}))
    commented = ga.size()
    authors = a.groupby("author_id").fast.agg(["size", "sum"])
    fast = a[a.fast].groupby(["account_id", "author_id"]).size()
    replies = c[~c.top & c.by_creator].groupby("reply_to").posted_at.min().rename("reply_at")
    top = a[a.top].join(replies, on="comment_id")
    gt = top.groupby("account_id")
    lat = (top.reply_at - top.posted_at).dt.total_seconds() / 60
    ret = a.groupby(["account_id", "author_id"]).post_id.nunique()
    gr = (ret >= 2).groupby(level=0)
    threads = c.groupby("account_id")
    out = out.join(
        pd.DataFrame(
            {
                "reply_rate": gt.reply_at.count() / gt.size(),
                "reply_latency_min": lat.groupby(top.account_id).median(),
                "thread_turns": threads.size() / threads.top.sum().replace(0, np.nan),
                "returning_share": gr.mean(),
            }
        )
    )
    # consistency: on-niche share (niche tags are global), cadence, sponsored share
    on_posts = post_tags(posts).merge(niche[["account_id", "tag"]]).post_id.unique()
    q = posts[["account_id", "post_id", "posted_at", "is_sponsored"]].sort_values(
        ["account_id", "posted_at", "post_id"]
    )
    q["on"] = q.post_id.isin(on_posts)
    q["gap"] = q.groupby("account_id").posted_at.diff().dt.total_seconds() / 86400
    q["order"] = q.groupby("account_id").cumcount()
    q["early"] = q["order"] < q.groupby("account_id").post_id.transform("count") / 2
    gq = q.groupby("account_id")
    out = out.join(
        pd.DataFrame(
            {
                "niche_share": gq.on.mean(),
                "topic_drift": q[q.early].groupby("account_id").on.mean()
                - q[~q.early].groupby("account_id").on.mean(),
                "cadence_cv": gq.gap.std(ddof=0) / gq.gap.mean(),
                "sponsored_share": gq.is_sponsored.mean(),
            }
        )
    )
    # credibility and safety: caption classes counted per account
    cred = (
        pd.DataFrame(
            {
                "account_id": posts.account_id,
                "undisclosed": posts.disclosure == "none",
                "health": posts.health,
                "rx": posts.rx,
                "profanity": posts.profanity,
                "hate": posts.hate,
            }
        )
        .groupby("account_id")
        .sum()
    )
    out = out.join(cred)
    # growth: jumps beyond the organic trend, engagement (log, trend removed) not following
    s = snaps.copy()
    s["prev"] = s.groupby("account_id").followers.shift()
    s["prev_at"] = s.groupby("account_id").taken_at.shift()
    s = s[s.prev.notna()]
    s["added"] = s.followers - s.prev
    s["med"] = s.added.abs().groupby(s.account_id).transform("median")
    days = (s.taken_at - s.prev_at).dt.total_seconds() / 86400
    ok = (s.prev > 0) & (s.followers > 0) & (days > 0)
    s["step"] = np.log((s.followers / s.prev).where(ok)) / days
    s["trend"] = s.step.groupby(s.account_id).transform("median").fillna(0.0)
    jumps = s[
        (s.added.abs() >= JUMP_MIN_SHARE * s.prev)
        & (s.added.abs() >= JUMP_MIN_MEDIANS * s.med)
        & (s.prev > 0)
    ]
    jumps = jumps[jumps.followers > 0].copy()
    gap = (jumps.taken_at - jumps.prev_at).dt.total_seconds() / 86400
    jumps["excess"] = np.log(jumps.followers / jumps.prev) - jumps.trend * gap
    w = timedelta(days=ENGAGEMENT_WINDOW_DAYS)
    plain = posts.loc[~posts.is_sponsored & posts.likes.notna() & (posts.disclosure == "")]
    plain = plain.assign(eng=plain.likes + plain.comments.fillna(0))[["account_id", "posted_at", "eng"]]
    jp = jumps.merge(plain)
    jp = jp[(jp.posted_at >= jp.prev_at - w) & (jp.posted_at < jp.taken_at + w)]
    jp["y"] = (
        np.log1p(jp.eng.astype(float)) - jp.trend * (jp.posted_at - jp.prev_at).dt.total_seconds() / 86400
    )
    key = ["account_id", "taken_at"]
    yb = jp[jp.posted_at < jp.prev_at].groupby(key).y.agg(["count", "mean", "var"])
    ya = jp[jp.posted_at >= jp.taken_at].groupby(key).y.agg(["count", "mean", "var"])
    ev = jumps.set_index(key).join(yb.add_suffix("_b")).join(ya.add_suffix("_a"))
    nb, na = ev.count_b.fillna(0), ev.count_a.fillna(0)
    dof = nb + na - 2
    resid = ev.var_b.fillna(0) * (nb - 1).clip(lower=0) + ev.var_a.fillna(0) * (na - 1).clip(lower=0)
    var = np.maximum((resid / dof).where(dof > 0), MIN_POST_SD**2)
    shift = ev.mean_a - ev.mean_b
    se = np.sqrt(var * (1 / nb + 1 / na))
    cut = MATCHING_SHARE * ev.excess + np.log(BOUGHT_PRIOR_ODDS) * se**2 / ev.excess
    bought = (ev.added > 0) & ~(shift.notna() & (shift >= cut))
    out = out.join(bought.groupby(level=0).sum().astype(float).rename("bought_events"))
    platform = t["accounts"].drop_duplicates("account_id").set_index("account_id").platform
    return Chunk(
        signals=out,
        latest=latest[["followers"]].join(platform),
        authors=authors,
        fast=fast,
        commented=commented,
    )
