"""The main per-account signals of ``covey.signals`` written in plain pandas: score_bench's baseline.

Written the way an analyst with limited memory would: idiomatic and vectorised
(groupby/merge/``str.contains``), reading the world's Parquet files with pyarrow, only the
columns it uses, and working on one chunk of accounts at a time:

1. *split*: each large table is streamed once in batches of ``BATCH_ROWS`` rows; captions and
   comment texts are turned into their flags (sponsored, disclosure class, health claim,
   generic, emoji-only...) and dropped, and each row is written to a Parquet file of its
   account's chunk (a stable hash of ``account_id``; a comment goes with its post);
2. *chunks*: each chunk's files are read back and every per-account signal is computed on
   them; only the account-level rows are kept;
3. *global steps*, for the three signals that compare accounts with each other, over slim
   data: niche tags weigh a tag by how many accounts use it (posts per (account, tag) are
   counted during the split); comment pods need each author's comments under every account
   (each chunk keeps per-author comment and fast-comment counts, and fast comments per
   (account, author)); peer percentiles rank the accounts' engagement at the end.

Python's ``re`` has no ``\\p{..}`` classes, so the lexicons' RE2/Java patterns are translated.
"""

from __future__ import annotations

import re
import tempfile
import time
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from covey.signals import lexicons as lx
from covey.signals.comments import FAST_MINUTES, GENERIC_REGEX
from covey.signals.engagement import TRAILING_HASHTAGS, UP_FRONT_CHARS
from covey.signals.growth import (
    BOUGHT_PRIOR_ODDS,
    ENGAGEMENT_WINDOW_DAYS,
    JUMP_MIN_MEDIANS,
    JUMP_MIN_SHARE,
    MATCHING_SHARE,
    MIN_POST_SD,
)
from covey.signals.pods import RING_MIN_ACCOUNTS, RING_MIN_FAST_SHARE

# Bounds the memory: a chunk of the benchmark world holds about 150 comments per account.
ACCOUNTS_PER_PARTITION = 20_000
BATCH_ROWS = 500_000  # rows per batch while splitting the tables into chunks
SPLIT = ("account_snapshots", "audience_samples", "posts", "comments")

COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts": ("account_id", "platform"),
    "account_snapshots": ("account_id", "taken_at", "followers", "following"),
    "posts": ("post_id", "account_id", "title", "caption", "hashtags", "posted_at", "likes", "comments",
              "views", "sponsored"),
    "comments": ("comment_id", "post_id", "author_id", "text", "posted_at", "reply_to", "by_creator"),
    "audience_samples": ("account_id", "relation", "username", "followers", "following", "posts",
                         "has_profile_pic", "bio"),
}  # fmt: skip


def py_regex(rx: str) -> str:
    """Translate the signals' RE2/Java patterns to Python `re` ([^\\W_] is "letter or digit")."""
    for a, b in (
        (r"[^\p{L}\p{N}]", r"[\W_]"),
        (r"[\p{L}\p{N}_]", r"\w"),
        (r"[\p{L}\p{N}]", r"[^\W_]"),
        (r"[\s\p{P}\p{So}]", r"[\W_]"),
    ):
        rx = rx.replace(a, b)
    return rx


def words(ws: tuple[str, ...]) -> str:
    return py_regex(lx.words_regex(ws))


def contains(s: pd.Series, rx: str) -> pd.Series:
    with warnings.catch_warnings():  # the lexicons' groups are for alternation, not extraction
        warnings.filterwarnings("ignore", "This pattern is interpreted", UserWarning)
        return s.str.contains(rx, regex=True, flags=re.IGNORECASE)


def caption_features(posts: pd.DataFrame) -> pd.DataFrame:
    """Per post, the caption classes the signals use; title and caption are dropped after."""
    cap = posts.caption.fillna("").str.lower()
    head = cap.str.replace(py_regex(TRAILING_HASHTAGS), "", regex=True).str.slice(0, UP_FRONT_CHARS)
    full = (posts.title.fillna("") + " " + posts.caption.fillna("")).str.lower()
    is_sponsored = posts.sponsored.fillna(False).astype(bool) | contains(head, words(lx.DISCLOSURE_STRONG))
    strong = contains(full, words(lx.DISCLOSURE_STRONG))
    weak = contains(full, words(lx.DISCLOSURE_WEAK)) | contains(full, lx.THANKS_MENTION)
    paid = contains(full, words(lx.PAID_SIGNALS)) | (
        full.str.contains("@", regex=False) & contains(full, words(lx.PRODUCT_TALK))
    )
    disclosure = np.select(
        [is_sponsored, strong, weak, paid], ["proper", "buried", "weak", "none"], default=""
    )
    return posts.drop(columns=["title", "caption"]).assign(
        is_sponsored=is_sponsored,
        disclosure=pd.Categorical(disclosure, categories=["", "proper", "buried", "weak", "none"]),
        health=contains(full, words(lx.HEALTH_CLAIMS)),
        rx=contains(full, words(lx.PRESCRIPTION_MEDICINES)),
        profanity=contains(full, words(lx.PROFANITY)),
        hate=contains(full, words(lx.HATE)),
    )


def comment_features(comments: pd.DataFrame) -> pd.DataFrame:
    """Per comment, generic and emoji-only; the text is dropped after."""
    text = comments.text.fillna("").str.lower()
    return comments.drop(columns=["text"]).assign(
        generic=contains(text, py_regex(GENERIC_REGEX)),
        emoji=(text.str.strip().str.len() > 0) & ~contains(text, r"[^\W_]"),
    )


# --------------------------------------------------------------------------------------------
# Global steps


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


# --------------------------------------------------------------------------------------------
# One chunk of accounts


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


def chunk_of(account_id: pd.Series, n: int) -> np.ndarray:
    """Each account's chunk: a stable hash of its id, so chunks are about the same size."""
    return pd.util.hash_pandas_object(account_id, index=False).to_numpy() % n


def split(world: Path, tmp: Path, n: int, as_of: datetime) -> pd.DataFrame:
    """Stream each table once, reduce text to flags, write rows to their account's chunk.

    Comments have no account: they go to the chunk of their post (posts after ``as_of`` are
    dropped here, with their comments). Returns posts per (account, tag) over the whole
    world, counted on the way, for the niche tags.
    """
    tags: list[pd.Series] = []
    post_chunks: list[pd.Series] = []
    for name in SPLIT:
        if name == "comments":
            post_chunk: pd.Series = pd.concat(post_chunks)
        batches = pq.ParquetFile(world / f"{name}.parquet").iter_batches(
            BATCH_ROWS, columns=list(COLUMNS[name])
        )
        for i, batch in enumerate(batches):
            df = batch.to_pandas()
            if name == "posts":
                df = caption_features(df[df.posted_at <= as_of])
                tags.append(post_tags(df).groupby(["account_id", "tag"]).post_id.count())
                chunk = chunk_of(df.account_id, n)
                post_chunks.append(pd.Series(chunk, index=df.post_id))
            elif name == "comments":
                on: pd.Series = post_chunk.reindex(df.post_id)
                df = comment_features(df[on.notna().to_numpy()])
                chunk = on.dropna().to_numpy().astype("int64")
            else:
                chunk = chunk_of(df.account_id, n)
            for k, part in df.groupby(chunk):
                (tmp / name / str(k)).mkdir(parents=True, exist_ok=True)
                part.to_parquet(tmp / name / str(k) / f"{i:05d}.parquet", index=False)
    counts: pd.DataFrame = pd.concat(tags).groupby(level=[0, 1]).sum().rename("n").reset_index()
    return counts


def pandas_signals(
    world: Path,
    as_of: datetime,
    accounts_per_partition: int = ACCOUNTS_PER_PARTITION,
    timings: dict[str, float] | None = None,
) -> pd.DataFrame:
    """The main signals of ``covey.signals`` in pandas, one row per account, chunk by chunk.

    ``timings`` (if given) receives the seconds spent splitting (reading, text, writing the
    chunks), in the chunks, and in the global steps after them.
    """
    clock, timings = time.perf_counter(), {} if timings is None else timings
    accounts = pd.read_parquet(world / "accounts.parquet", columns=list(COLUMNS["accounts"]))
    n = max(1, -(-accounts.account_id.nunique() // accounts_per_partition))
    accounts["chunk"] = chunk_of(accounts.account_id, n)
    with tempfile.TemporaryDirectory(prefix="chunks-", dir=world.parent) as tmp:
        niche = niche_tags(split(world, Path(tmp), n, as_of))
        timings["split_s"], clock = time.perf_counter() - clock, time.perf_counter()
        chunks = []
        for k in range(n):
            t = {name: pd.read_parquet(Path(tmp) / name / str(k)) for name in SPLIT}
            t["accounts"] = accounts[accounts.chunk == k].drop(columns="chunk")
            chunks.append(chunk_signals(t, as_of, niche))
            del t
    timings["chunks_s"], clock = time.perf_counter() - clock, time.perf_counter()
    out = pd.concat([c.signals for c in chunks])
    authors = pd.concat([c.authors for c in chunks]).groupby(level=0).sum()
    fast = pd.concat([c.fast for c in chunks])
    out = out.join(pod_share(authors, fast, pd.concat([c.commented for c in chunks])))
    out = out.join(peer_percentile(out, pd.concat([c.latest for c in chunks]), niche))
    timings["global_s"] = time.perf_counter() - clock
    timings["partitions"] = n
    return out
