"""A creator as what they post over time: recency-weighted sums of post embeddings.

Each post (title, caption and hashtags) is embedded and added to its account's vector with
weight 2^((posted_at - 2020-01-01) / half-life). Because every weight is measured from one
fixed date, a new post only adds to the sum (the newer posts still dominate: scaling a sum
does not change its direction), so the index grows incrementally without re-reading old
posts. The bio is added as a post dated 2020-01-01: it only matters when there are no posts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from covey.discovery.embedder import StaticEmbedder
from covey.discovery.lexical import IntArray, count_terms
from covey.scores.read import component_scores, latest_run_id
from covey.store import Store

log = logging.getLogger("covey.discovery.profiles")

HALF_LIFE_DAYS = 180.0
REFERENCE_DATE = "2020-01-01"
BATCH_ROWS = 50_000

# A post told in the first person about a condition: "my Crohn's", "vivo con diabetes".
_CONDITIONS = (
    r"(crohn|colitis|colite|rectocolite|ibd|eii|mici|ced|stoma|ostomy|ostomia|stomie|diabetes|diabete|"
    r"t1d|t2d|insulin|insulina|insuline|anxiety|ansiedad|ansia|ansiedade|angst|anxiete|depression|"
    r"depresion|depressione|depressao|panic|panico|panique|chronic|cronica|chronique|chronisch)"
)
LIVED_PATTERN = (
    r"(?i)\b(my|mi|mis|mon|ma|mes|mein|meine|meinen|meiner|mio|mia|il mio|la mia|meu|minha)\s+(\w+\s+){0,2}"
    + _CONDITIONS
    + r"|\b(diagnosed|living with|i live with|vivo con|vivir con|je vis avec|vivre avec|ich lebe mit|"
    r"leben mit|vivo com|viver com|diagnosticad|diagnostiqu|diagnostiziert|diagnosticat)"
)

POST_TEXT_SQL = (
    "concat_ws(' ', p.title, p.caption, array_to_string(coalesce(p.hashtags, []::VARCHAR[]), ' '))"
)


@dataclass
class ProfileSums:
    """Unnormalised, recency-weighted embedding sums of the accounts that got new posts."""

    account_ids: list[str]
    sums: npt.NDArray[np.float32]
    post_ids: list[str]
    # Word counts of the new posts: (position in account_ids, hashed term, count).
    terms: tuple[IntArray, IntArray, IntArray] | None = None


def _weights(days: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.exp2(np.clip(days, -3650.0, 36500.0) / HALF_LIFE_DAYS)


def new_post_sums(
    store: Store,
    embedder: StaticEmbedder,
    indexed_posts: str | None,
    *,
    on_batch: Callable[[int], None] | None = None,
) -> ProfileSums:
    """Embed the posts not yet indexed and sum them per account.

    ``indexed_posts`` is a glob of Parquet files holding the post_id column of posts already
    in the index (None on a first build); those posts are skipped by an anti-join.
    """
    skip = f"ANTI JOIN read_parquet('{indexed_posts}') i ON i.post_id = p.post_id" if indexed_posts else ""
    sql = f"""
        SELECT p.post_id, p.account_id,
               date_diff('second', TIMESTAMP '{REFERENCE_DATE}', p.posted_at) / 86400.0 AS days,
               {POST_TEXT_SQL} AS text
        FROM posts p {skip}
        ORDER BY p.account_id
    """
    accounts: dict[str, int] = {}
    sums = np.zeros((1024, embedder.dims), dtype=np.float64)  # grows by doubling
    post_ids: list[str] = []
    term_parts: list[tuple[IntArray, IntArray, IntArray]] = []
    for batch in store.batches(sql, rows=BATCH_ROWS):
        acct = batch.column("account_id").to_pylist()
        if not acct:
            continue
        codes = np.fromiter(
            (accounts.setdefault(a, len(accounts)) for a in acct), dtype=np.int64, count=len(acct)
        )
        texts = batch.column("text").to_pylist()
        term_parts.append(count_terms(codes.tolist(), texts))
        vecs = embedder.embed(texts).astype(np.float64)
        vecs *= _weights(batch.column("days").to_numpy(zero_copy_only=False))[:, None]
        if len(accounts) > len(sums):
            grown = np.zeros((max(len(accounts), 2 * len(sums)), embedder.dims), dtype=np.float64)
            grown[: len(sums)] = sums
            sums = grown
        # Rows come ordered by account: sum each run of one account's posts, then add the runs.
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        np.add.at(sums, codes[starts], np.add.reduceat(vecs, starts, axis=0))
        post_ids.extend(batch.column("post_id").to_pylist())
        if on_batch:
            on_batch(len(acct))
    terms = tuple(
        np.concatenate([p[k] for p in term_parts]) if term_parts else np.empty(0, np.int64) for k in range(3)
    )
    return ProfileSums(
        list(accounts), sums[: len(accounts)].astype(np.float32), post_ids, (terms[0], terms[1], terms[2])
    )


def bio_sums(
    store: Store, embedder: StaticEmbedder, account_ids: list[str]
) -> tuple[npt.NDArray[np.float32], tuple[IntArray, IntArray, IntArray]]:
    """Bio embeddings (weight 1, dated at the reference date) for ``account_ids``, in order,
    and the bios' word counts (position in ``account_ids``, term, count)."""
    if not account_ids:
        return np.zeros((0, embedder.dims), dtype=np.float32), count_terms([], [])
    found = store.sql(
        "SELECT account_id, bio FROM accounts WHERE account_id IN (SELECT account_id FROM _ids)",
        _ids=pa.table({"account_id": pa.array(account_ids, pa.string())}),
    )
    bios = {
        a: b or ""
        for a, b in zip(found.column("account_id").to_pylist(), found.column("bio").to_pylist(), strict=True)
    }
    texts = [bios.get(a, "") for a in account_ids]
    return embedder.embed(texts, normalize=True), count_terms(list(range(len(texts))), texts)


def account_metadata(store: Store) -> pa.Table:
    """One row per account: the fields discovery filters on, newest values.

    ``engagement`` is (likes + comments) / followers, the mean over the last 12 posts (the
    by-followers denominator); ``lived_share`` is the share of posts told in the first person
    about a condition. ``quality`` and ``authenticity`` come from the latest vetting run
    (0-100) and are NULL when the account was never scored.
    """
    # The latest run's scores, through the score read API (empty when nothing was scored).
    latest = component_scores(store, ["overall", "authenticity"])
    scores = """, scores AS (SELECT account_id, overall AS quality, authenticity FROM latest_scores)"""
    pattern_sql = "'" + LIVED_PATTERN.replace("'", "''") + "'"
    sql = f"""
        WITH latest AS (
            SELECT account_id, arg_max(followers, taken_at) AS followers
            FROM account_snapshots WHERE followers IS NOT NULL GROUP BY account_id),
        recent AS (
            SELECT account_id, likes, comments,
                   row_number() OVER (PARTITION BY account_id ORDER BY posted_at DESC) AS n
            FROM posts),
        eng AS (
            SELECT r.account_id,
                   avg((coalesce(r.likes, 0) + coalesce(r.comments, 0)) / l.followers) AS engagement
            FROM recent r JOIN latest l USING (account_id)
            WHERE r.n <= 12 AND l.followers > 0 AND (r.likes IS NOT NULL OR r.comments IS NOT NULL)
            GROUP BY r.account_id),
        lived AS (
            SELECT account_id,
                   avg(CASE WHEN regexp_matches(coalesce(caption, ''), {pattern_sql}) THEN 1 ELSE 0 END)
                   AS lived_share, count(*) AS posts
            FROM posts GROUP BY account_id)
        {scores}
        SELECT a.account_id, a.creator_id, a.handle, a.platform,
               upper(coalesce(a.country, c.country)) AS country,
               lower(coalesce(a.language, c.languages[1])) AS language,
               l.followers, e.engagement, coalesce(v.lived_share, 0.0) AS lived_share,
               coalesce(v.posts, 0) AS posts, s.quality, s.authenticity
        FROM accounts a
        LEFT JOIN creators c USING (creator_id)
        LEFT JOIN latest l USING (account_id)
        LEFT JOIN eng e USING (account_id)
        LEFT JOIN lived v USING (account_id)
        LEFT JOIN scores s USING (account_id)
        ORDER BY a.account_id
    """
    return store.sql(sql, latest_scores=latest)


def has_quality(store: Store) -> bool:
    """True when the database holds at least one vetting run."""
    return latest_run_id(store) is not None
