"""Scoring speed: `covey score` on DuckDB against a straightforward pandas version of the signals.

    flock /tmp/covey-heavy.lock python benchmarks/score_bench.py --creators 100000 [--work DIR] [--json]

1. generates the world (``WorldConfig.benchmark()`` for 100,000 creators: 5M posts, 10M
   comments), unless DIR already holds it, and loads its Parquet files into a fresh DuckDB
   file with plain ``INSERT ... SELECT`` (the importer's own speed is import_bench's business);
2. times the full ``covey score`` (signals, components, percentiles, sentences, evidence and
   storage) on DuckDB;
3. times the same per-account signals two ways over the same data: the Ibis definitions on
   DuckDB (``account_signals`` plus the rule-based fake share) and an idiomatic pandas version
   (vectorised groupby/merge/str.contains, written the way an analyst would), and checks that
   they agree on a few columns.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from covey.model import TABLES
from covey.scores import score_store
from covey.signals import account_signals, duckdb_sources, fake_share
from covey.signals import lexicons as lx
from covey.signals.comments import FAST_MINUTES, GENERIC_REGEX
from covey.signals.engagement import TRAILING_HASHTAGS, UP_FRONT_CHARS
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
    return s.str.contains(rx, regex=True, flags=re.IGNORECASE)


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
    posts = posts[posts.posted_at <= as_of].copy()
    cap = posts.caption.fillna("").str.lower()
    head = cap.str.replace(py_regex(TRAILING_HASHTAGS), "", regex=True).str.slice(0, UP_FRONT_CHARS)
    posts["is_sponsored"] = posts.sponsored.fillna(False).astype(bool) | contains(
        head, words(lx.DISCLOSURE_STRONG)
    )
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
    # growth: jumps between snapshots without engagement following
    s = snaps.copy()
    s["prev"] = s.groupby("account_id").followers.shift()
    s["prev_at"] = s.groupby("account_id").taken_at.shift()
    s = s[s.prev.notna()]
    s["added"] = s.followers - s.prev
    s["med"] = s.added.abs().groupby(s.account_id).transform("median")
    jumps = s[(s.added.abs() >= 0.08 * s.prev) & (s.added.abs() >= 5 * s.med) & (s.prev > 0)]
    w = timedelta(days=180)
    jp = jumps.merge(
        posts.loc[~posts.is_sponsored & posts.likes.notna(), ["account_id", "posted_at", "likes"]]
    )
    jp = jp[(jp.posted_at >= jp.prev_at - w) & (jp.posted_at < jp.taken_at + w)]
    key = ["account_id", "taken_at"]
    lb = jp[jp.posted_at < jp.prev_at].groupby(key).likes.median().rename("lb")
    la = jp[jp.posted_at >= jp.taken_at].groupby(key).likes.median().rename("la")
    js = jumps[[*key, "prev_at"]].merge(snaps[["account_id", "taken_at", "followers"]], on="account_id")
    js = js[(js.taken_at_y >= js.prev_at - w) & (js.taken_at_y < js.taken_at_x + w)]
    fb = js[js.taken_at_y <= js.prev_at].groupby(["account_id", "taken_at_x"]).followers.median()
    fa_ = js[js.taken_at_y >= js.taken_at_x].groupby(["account_id", "taken_at_x"]).followers.median()
    ev = jumps.set_index(key).join([lb, la]).join(pd.DataFrame({"fb": fb, "fa": fa_}).rename_axis(key))
    rise = ev.added / ev.prev
    rate = (ev.la / ev.lb) / (ev.fa / ev.fb)
    bought = (ev.added > 0) & ~(rate.notna() & (rate >= (1 + 0.5 * rise) / (1 + rise)))
    out = out.join(bought.groupby(level=0).sum().rename("bought_events"))
    # comments: features, quality, pods, community
    c = comments.merge(posts[["post_id", "account_id", "posted_at"]].rename(columns={"posted_at": "post_at"}))
    text = c.text.fillna("").str.lower()
    c["minutes"] = (c.posted_at - c.post_at).dt.total_seconds() / 60
    c["fast"] = c.minutes.between(0, FAST_MINUTES)
    c["by_creator"] = c.by_creator.fillna(False).astype(bool)
    c["top"] = c.reply_to.isna() | (c.reply_to == "")
    c["generic"] = contains(text, py_regex(GENERIC_REGEX))
    c["emoji"] = (text.str.strip().str.len() > 0) & ~contains(text, r"[^\W_]")
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
    # credibility and safety: caption lexicons
    full = (posts.title.fillna("") + " " + posts.caption.fillna("")).str.lower()
    strong_head = posts.sponsored.fillna(False).astype(bool) | contains(head, words(lx.DISCLOSURE_STRONG))
    strong = contains(full, words(lx.DISCLOSURE_STRONG))
    weak = contains(full, words(lx.DISCLOSURE_WEAK)) | contains(full, lx.THANKS_MENTION)
    paid = contains(full, words(lx.PAID_SIGNALS)) | (
        full.str.contains("@", regex=False) & contains(full, words(lx.PRODUCT_TALK))
    )
    disclosure = np.select(
        [strong_head, strong, weak, paid], ["proper", "buried", "weak", "none"], default=None
    )
    cred = (
        pd.DataFrame(
            {
                "account_id": posts.account_id,
                "undisclosed": disclosure == "none",
                "health": contains(full, words(lx.HEALTH_CLAIMS)),
                "rx": contains(full, words(lx.PRESCRIPTION_MEDICINES)),
                "profanity": contains(full, words(lx.PROFANITY)),
                "hate": contains(full, words(lx.HATE)),
            }
        )
        .groupby("account_id")
        .sum()
    )
    out = out.join(cred)
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
        t0 = time.perf_counter()
        # Only the columns the signals read, as anyone would with read_parquet(columns=...).
        tables = {
            name: store.arrow(f"SELECT {', '.join(cols)} FROM {name}").to_pandas()
            for name, cols in PANDAS_COLUMNS.items()
        }
        note("pandas_read_s", time.perf_counter() - t0)
        t0 = time.perf_counter()
        pdf = pandas_signals(tables, src.as_of)
        note("signals_pandas_s", time.perf_counter() - t0)
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
    note("peak_rss_gib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20)
    store.close()
    if args.json:
        print(json.dumps(result, indent=2, default=str))
        return
    for k, v in result.items():
        print(f"{k:24s} {v:.2f}" if isinstance(v, float) else f"{k:24s} {v}")


if __name__ == "__main__":
    main()
