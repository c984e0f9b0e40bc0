"""Scoring speed: `covey score` on DuckDB against a straightforward pandas version of the signals.

    flock /tmp/covey-heavy.lock python benchmarks/score_bench.py --creators 100000 [--work DIR] [--json]

1. generates the world (``WorldConfig.benchmark()`` for 100,000 creators: 5M posts, 10M
   comments), unless DIR already holds it, and loads its Parquet files into a fresh DuckDB
   file with plain ``INSERT ... SELECT`` (the importer's own speed is import_bench's business);
2. times the full ``covey score`` (signals, components, percentiles, sentences, evidence and
   storage) on DuckDB;
3. times the same per-account signals two ways over the same data: the Ibis definitions on
   DuckDB (``account_signals`` plus the rule-based fake share, reading the DuckDB file) and an
   idiomatic pandas version (vectorised groupby/merge/str.contains, written the way an analyst
   would, reading the world's Parquet files), and checks that they agree on a few columns.

The pandas version reads only the columns it uses and reduces text as it reads: captions and
comment texts come in batches of ``BATCH_ROWS`` (``pyarrow.parquet.ParquetFile.iter_batches``),
each batch is turned into its flags (sponsored, disclosure class, health claim, generic,
emoji...) and the text is dropped, the usual way to handle text larger than memory in
pandas. Everything after that works on the whole tables at once. Its time includes reading
(DuckDB's includes reading its file), and its peak memory is sampled during that phase alone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from covey.model import TABLES
from covey.scores import score_store
from covey.signals import account_signals, duckdb_sources, fake_share
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
from covey.store import DuckDBStore

# --------------------------------------------------------------------------------------------
# The pandas baseline. Python's `re` has no \p{..} classes: [^\W_] is "letter or digit".


def py_regex(rx: str) -> str:
    """Translate the signals' RE2/Java patterns to Python `re`."""
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


# Text is read a batch at a time and reduced to its features at once: the 20M comment texts
# and 6M captions of the 100k world would not fit in memory beside their copies.
FEATURES: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "posts": caption_features,
    "comments": comment_features,
}
BATCH_ROWS = 500_000


def read_tables(world: Path) -> dict[str, pd.DataFrame]:
    """The world's Parquet files, only the columns the signals use, text reduced batch by batch."""
    tables = {}
    for name, cols in PANDAS_COLUMNS.items():
        reduce = FEATURES.get(name)
        if reduce is None:
            tables[name] = pd.read_parquet(world / f"{name}.parquet", columns=list(cols))
            continue
        f = pq.ParquetFile(world / f"{name}.parquet")
        tables[name] = pd.concat(
            [reduce(b.to_pandas()) for b in f.iter_batches(batch_size=BATCH_ROWS, columns=list(cols))],
            ignore_index=True,
        )
    return tables


PANDAS_COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts": ("account_id", "platform"),
    "account_snapshots": ("account_id", "taken_at", "followers", "following"),
    "posts": ("post_id", "account_id", "title", "caption", "hashtags", "posted_at", "likes", "comments",
              "views", "sponsored"),
    "comments": ("comment_id", "post_id", "author_id", "text", "posted_at", "reply_to", "by_creator"),
    "audience_samples": ("account_id", "relation", "username", "followers", "following", "posts",
                         "has_profile_pic", "bio"),
}  # fmt: skip


def pandas_signals(t: dict[str, pd.DataFrame], as_of: datetime) -> pd.DataFrame:
    """The main signals of ``covey.signals`` in pandas, one row per account."""
    snaps, posts, comments, aud = t["account_snapshots"], t["posts"], t["comments"], t["audience_samples"]
    snaps = snaps[snaps.followers.notna() & (snaps.taken_at <= as_of)].sort_values(["account_id", "taken_at"])
    latest = snaps.groupby("account_id").tail(1).set_index("account_id")[["followers", "following"]]
    posts = posts[posts.posted_at <= as_of]
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
    # comments: features, quality, pods, community
    c = comments.merge(posts[["post_id", "account_id", "posted_at"]].rename(columns={"posted_at": "post_at"}))
    c["minutes"] = (c.posted_at - c.post_at).dt.total_seconds() / 60
    c["fast"] = c.minutes.between(0, FAST_MINUTES)
    c["by_creator"] = c.by_creator.fillna(False).astype(bool)
    c["top"] = c.reply_to.isna() | (c.reply_to == "")
    a = c[~c.by_creator]
    ga = a.groupby("account_id")
    out = out.join(pd.DataFrame({"generic_share": ga.generic.mean(), "emoji_share": ga.emoji.mean()}))
    per_author = a.groupby("author_id").fast.mean().rename("fast_share").to_frame()
    ring_n = a[a.fast].groupby("author_id").account_id.nunique()
    per_author["ring"] = ring_n.reindex(per_author.index).fillna(0)
    ring = per_author[
        (per_author.ring >= RING_MIN_ACCOUNTS) & (per_author.fast_share >= RING_MIN_FAST_SHARE)
    ].index
    pod = a.fast & a.author_id.isin(ring)
    out = out.join((pod.groupby(a.account_id).sum() / ga.size()).rename("pod_share"))
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
    # consistency: niche tags, on-niche share, cadence, sponsored share
    tags = posts[["account_id", "post_id", "hashtags"]].explode("hashtags").dropna(subset=["hashtags"])
    tags["tag"] = tags.hashtags.str.lower()
    tags = tags.drop_duplicates(["post_id", "tag"])
    per = tags.groupby(["account_id", "tag"]).post_id.count().rename("n").reset_index()
    n_acc = per.account_id.nunique()
    per["using"] = per.groupby("tag").account_id.transform("count")
    per = per[per.using >= 5].copy()
    per["weight"] = per.n * np.log(n_acc / per.using)
    per = per.sort_values(["account_id", "weight", "n", "tag"], ascending=[True, False, False, True])
    per["rank"] = per.groupby("account_id").cumcount()
    per["best"] = per.groupby("account_id").weight.transform("max")
    niche = per[(per["rank"] < 3) & (per.weight > 0) & (per.weight >= 0.5 * per.best)]
    on_posts = tags.merge(niche[["account_id", "tag"]]).post_id.unique()
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
    out = out.join(bought.groupby(level=0).sum().rename("bought_events"))
    # peers: percentile of engagement with fallback (platform, band, niche) -> ... -> platform
    keys = latest[["followers"]].join(t["accounts"].set_index("account_id")[["platform"]])
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
        pct = (grp.rank(method="min") - 1) / (n - 1).replace(0, np.nan)
        pct = pct.fillna(0.0)
        take = chosen.isna() & ((n >= 30) | (lv == ["platform"]))
        chosen[take] = pct[take]
    return out.join(chosen.rename("er_followers_last12_pct"))


# --------------------------------------------------------------------------------------------


class RssPeak:
    """Highest resident memory of this process while the block runs (sampled every 0.1 s).

    ``ru_maxrss`` alone would report DuckDB's earlier peak, not the pandas phase's.
    """

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    @staticmethod
    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _watch(self) -> None:
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, self.rss())

    def __enter__(self) -> RssPeak:
        self.peak = self.rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())


def load_world(world: Path, db: Path) -> DuckDBStore:
    """A fresh store with the world's Parquet files inserted as they are."""
    db.unlink(missing_ok=True)
    store = DuckDBStore(db)
    with store.transaction() as cur:
        for table in TABLES:
            cols = ", ".join(f'"{c}"' for c in table.column_names)
            cur.execute(
                f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM read_parquet(?)",
                [str(world / f"{table.name}.parquet")],
            )
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from covey.world import WorldConfig, generate

    work = args.work or Path(tempfile.mkdtemp(prefix="covey-score-bench-"))
    world = work / "world"
    result: dict[str, Any] = {"creators": args.creators}

    def note(key: str, value: Any) -> None:
        # Each figure goes to stderr as soon as it is known: a later phase may run out of memory.
        result[key] = value
        print(f"{key}: {value}", file=sys.stderr, flush=True)

    if not (world / "posts.parquet").exists():
        t0 = time.perf_counter()
        config = (
            WorldConfig.benchmark(seed=args.seed)
            if args.creators == 100_000
            else WorldConfig(creators=args.creators, seed=args.seed)
        )
        generate(config, world)
        note("generate_s", time.perf_counter() - t0)
    t0 = time.perf_counter()
    store = load_world(world, work / "bench.duckdb")
    note("load_s", time.perf_counter() - t0)
    note("rows", store.table_counts())

    t0 = time.perf_counter()
    run = score_store(store, classifier="rules")
    note("covey_score_s", time.perf_counter() - t0)
    note("accounts_scored", run.accounts)

    src = duckdb_sources(store)
    t0 = time.perf_counter()
    ibis_signals = src.to_pyarrow(account_signals(src)).to_pandas().set_index("account_id")
    fs = fake_share(src, classifier="rules").to_pandas().set_index("account_id")
    note("signals_duckdb_s", time.perf_counter() - t0)

    if not args.skip_pandas:
        # Hand DuckDB's buffer pool back before pandas loads everything into memory.
        store.connection.execute("SET memory_limit = '2GB'")
        with RssPeak() as mem:
            t0 = time.perf_counter()
            tables = read_tables(world)
            note("pandas_read_and_text_s", time.perf_counter() - t0)
            t1 = time.perf_counter()
            pdf = pandas_signals(tables, src.as_of)
            note("pandas_rest_s", time.perf_counter() - t1)
            note("signals_pandas_s", time.perf_counter() - t0)
        note("pandas_peak_rss_gib", mem.peak / 2**30)
        note("speedup", result["signals_pandas_s"] / result["signals_duckdb_s"])
        agree = {}
        both = pdf.reindex(ibis_signals.index)
        both["fake_share_ibis"] = fs.fake_share.reindex(ibis_signals.index)
        pairs = [
            (c, c) for c in ("er_followers_last12", "generic_share", "pod_share", "reply_rate", "niche_share")
        ]
        for ours, theirs in [*pairs, ("fake_share_ibis", "fake_share")]:
            a = both[ours] if ours == "fake_share_ibis" else ibis_signals[ours]
            a, b = a.astype(float), both[theirs].astype(float)
            same = ((a - b).abs() < 1e-6) | (a.isna() & b.isna())
            agree[theirs] = float(same.mean())
        a, b = ibis_signals.bought_events.fillna(0), both.bought_events.fillna(0)
        agree["bought_events"] = float((a == b).mean())
        note("agreement_share", agree)
    note("peak_rss_gib_whole_run", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20)
    store.close()
    if args.json:
        print(json.dumps(result, indent=2, default=str))
        return
    for k, v in result.items():
        print(f"{k:24s} {v:.2f}" if isinstance(v, float) else f"{k:24s} {v}")


if __name__ == "__main__":
    main()
