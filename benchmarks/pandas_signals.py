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

The steps live apart: the text flags in ``pandas_text``, one chunk's signals in ``pandas_chunk``,
the global steps in ``pandas_global``; this module streams the tables and puts them together.
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from pandas_chunk import chunk_signals
from pandas_global import niche_tags, peer_percentile, pod_share, post_tags
from pandas_text import caption_features, comment_features

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
