"""Candidates for a plan: accounts with what planning needs, read from the store.

Per account: latest followers, tier, engagement by followers (mean (likes + comments) /
followers over its last 12 posts), mean engagements per post, median views, the real-audience
share (the candidate file's ``real_share`` column, else 1 - fake_share of the latest vetting
run, read with ``covey.scores.read.signal_values``, else the prior), and the per-post organic
reach rate among real followers: the platform/tier prior, blended with median(views) / real
followers when the priors say ``use_views`` (weight: the number of posts with views against
``reach_prior_posts``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from covey.errors import InputError
from covey.planning.reach import FloatArray, Priors
from covey.scores.read import signal_values
from covey.store import Store
from covey.tiers import DEFAULT_TIERS, Tiers

log = logging.getLogger("covey.planning.candidates")

_FILE_COLUMNS = ("account_id", "handle", "real_share", "niche", "fee")


@dataclass(frozen=True)
class Candidates:
    """Column arrays, one row per candidate account."""

    account_id: list[str]
    handle: list[str | None]
    platform: list[str | None]
    country: list[str | None]
    language: list[str | None]
    niche: list[str | None]
    tier: list[str | None]
    followers: FloatArray
    real_share: FloatArray
    rate: FloatArray
    engagement_rate: FloatArray  # by followers, mean of the last 12 posts; NaN unknown
    engagements_per_post: FloatArray  # mean likes + comments per post; NaN unknown
    fee: FloatArray  # quoted fee from the candidate file; NaN none
    source: str
    real_share_source: list[str] = field(default_factory=list)  # candidate list, vetting or prior
    # True where the rate was measured from the creator's own reported reach in past campaigns
    # (covey.planning.learned_rates): known, so planned without the spread around the prior.
    rate_measured: npt.NDArray[np.bool_] | None = None

    def __len__(self) -> int:
        return len(self.account_id)

    @property
    def real_audience(self) -> FloatArray:
        """Estimated real followers: followers x real-audience share."""
        return self.followers * self.real_share

    def label(self, i: int) -> str:
        """@handle (platform) for messages."""
        return f"@{self.handle[i] or self.account_id[i]} ({self.platform[i]})"


def read_candidate_file(path: Path) -> pa.Table:
    """A CSV or JSONL list of candidates: account_id and/or handle, optional extra columns."""
    if not path.is_file():
        raise InputError("no such candidate file", path=path)
    reader = "read_json_auto" if path.suffix.lower() in (".jsonl", ".json", ".ndjson") else "read_csv_auto"
    try:
        con = duckdb.connect()
        tbl = con.sql(f"SELECT * FROM {reader}(?)", params=[str(path)]).to_arrow_table()
        con.close()
    except duckdb.Error as exc:
        raise InputError(f"cannot read the candidate list: {exc}", path=path) from exc
    if "account_id" not in tbl.column_names and "handle" not in tbl.column_names:
        raise InputError("the candidate list needs an account_id or a handle column", path=path, line=1)
    cols = {}
    for c in _FILE_COLUMNS:
        if c in tbl.column_names:
            cols[c] = tbl.column(c).cast(pa.float64() if c in ("real_share", "fee") else pa.string())
        else:
            cols[c] = pa.nulls(tbl.num_rows, pa.float64() if c in ("real_share", "fee") else pa.string())
    if "handle" in tbl.column_names:
        cols["handle"] = pa.array(
            [h.lstrip("@") if h else h for h in cols["handle"].to_pylist()], pa.string()
        )
    return pa.table(cols)


def listed_ids(ids: list[str], niche: str | None = None) -> pa.Table:
    """A candidate list of account ids (the columns a candidate file has; the rest unknown)."""
    return pa.table(
        {
            "account_id": pa.array(ids, pa.string()),
            "handle": pa.nulls(len(ids), pa.string()),
            "real_share": pa.nulls(len(ids), pa.float64()),
            "niche": pa.array([niche] * len(ids), pa.string()),
            "fee": pa.nulls(len(ids), pa.float64()),
        }
    )


_SQL = """
WITH snap AS (
    SELECT account_id, arg_max(followers, taken_at) AS followers
    FROM account_snapshots WHERE followers IS NOT NULL GROUP BY 1
), recent AS (
    SELECT p.account_id, p.likes, p.comments, p.views,
           row_number() OVER (PARTITION BY p.account_id ORDER BY p.posted_at DESC) AS rn
    FROM posts p {post_filter}
), eng AS (
    SELECT account_id,
           avg(likes + coalesce(comments, 0)) AS eng_per_post,
           median(views) AS med_views,
           count(views) AS n_views
    FROM recent WHERE rn <= 12 GROUP BY 1
), vet AS (
    SELECT account_id, 1 - fake_share AS vet_real_share FROM vet_signals
)
SELECT a.account_id, a.handle, a.platform, a.country, a.language, s.followers,
       e.eng_per_post, e.med_views, e.n_views, v.vet_real_share{extra}
FROM accounts a JOIN snap s USING (account_id) LEFT JOIN eng e USING (account_id)
LEFT JOIN vet v USING (account_id) {join}
WHERE s.followers > 0 {where}
ORDER BY a.account_id
"""


def load_candidates(
    store: Store,
    priors: Priors,
    *,
    listed: pa.Table | None = None,
    min_followers: int | None = None,
    max_followers: int | None = None,
    country: str | None = None,
    language: str | None = None,
    tiers: Tiers = DEFAULT_TIERS,
    source: str = "",
) -> Candidates:
    """Candidates from the store: those in ``listed`` (by account_id or handle), else a filter."""
    if listed is not None:
        join = (
            "JOIN listed l ON l.account_id = a.account_id OR (l.account_id IS NULL AND l.handle = a.handle)"
        )
        extra = ", l.real_share AS file_real_share, l.niche, l.fee"
        post_filter = (
            "WHERE p.account_id IN (SELECT a2.account_id FROM accounts a2 JOIN listed l2 ON "
            "l2.account_id = a2.account_id OR (l2.account_id IS NULL AND l2.handle = a2.handle))"
        )
        where = ""
        params: list[object] = []
    else:
        join, post_filter = "", ""
        extra = ", NULL::DOUBLE AS file_real_share, NULL::VARCHAR AS niche, NULL::DOUBLE AS fee"
        conds, params = [], []
        for cond, value in (
            ("s.followers >= ?", min_followers),
            ("s.followers < ?", max_followers),
            ("a.country = ?", country),
            ("a.language = ?", language),
        ):
            if value is not None:
                conds.append(cond)
                params.append(value)
        where = "".join(f" AND {c}" for c in conds)
    sql = _SQL.format(post_filter=post_filter, extra=extra, join=join, where=where)
    # The latest vetting run's fake share, read through the score read API.
    tables = {"vet_signals": signal_values(store, ["fake_share"])}
    if listed is not None:
        tables["listed"] = listed
    t = store.sql(sql, params, **tables)
    if listed is not None and t.num_rows < listed.num_rows:
        log.warning(
            "%d of %d listed candidates are not in the store", listed.num_rows - t.num_rows, listed.num_rows
        )
    return _assemble(t, priors, tiers, source)


def _col(t: pa.Table, name: str) -> npt.NDArray[np.float64]:
    return np.asarray(t.column(name).to_numpy(zero_copy_only=False), dtype=np.float64)


def _assemble(t: pa.Table, priors: Priors, tiers: Tiers, source: str) -> Candidates:
    followers = _col(t, "followers")
    file_share = _col(t, "file_real_share")
    vet_share = _col(t, "vet_real_share")
    # The candidate list wins, then the latest vetting run's estimate, then the prior.
    real_share = np.clip(
        np.where(
            np.isfinite(file_share),
            file_share,
            np.where(np.isfinite(vet_share), vet_share, priors.real_share),
        ),
        0.0,
        1.0,
    )
    share_source = np.where(
        np.isfinite(file_share), "candidate list", np.where(np.isfinite(vet_share), "vetting", "prior")
    )
    platforms = t.column("platform").to_pylist()
    tier = [tiers.of(int(f)) for f in followers]
    prior_rate = np.array([priors.reach_rate(p, tr) for p, tr in zip(platforms, tier, strict=True)])
    n_views = np.nan_to_num(_col(t, "n_views"))
    med_views = _col(t, "med_views")
    observed = np.clip(med_views / np.maximum(followers * real_share, 1.0), 0.01, 0.95)
    m = priors.reach_prior_posts
    use = (n_views > 0) & priors.use_views
    rate = np.where(use, (n_views * np.nan_to_num(observed) + m * prior_rate) / (n_views + m), prior_rate)
    eng = _col(t, "eng_per_post")
    return Candidates(
        account_id=t.column("account_id").to_pylist(),
        handle=t.column("handle").to_pylist(),
        platform=platforms,
        country=t.column("country").to_pylist(),
        language=t.column("language").to_pylist(),
        niche=t.column("niche").to_pylist(),
        tier=tier,
        followers=followers,
        real_share=real_share,
        rate=rate,
        engagement_rate=eng / followers,
        engagements_per_post=eng,
        fee=_col(t, "fee"),
        source=source,
        real_share_source=[str(x) for x in share_source],
    )


def concat(a: Candidates, b: Candidates) -> Candidates:
    """Rows of a then rows of b (b's source is dropped)."""
    return Candidates(
        account_id=a.account_id + b.account_id,
        handle=a.handle + b.handle,
        platform=a.platform + b.platform,
        country=a.country + b.country,
        language=a.language + b.language,
        niche=a.niche + b.niche,
        tier=a.tier + b.tier,
        followers=np.concatenate([a.followers, b.followers]),
        real_share=np.concatenate([a.real_share, b.real_share]),
        rate=np.concatenate([a.rate, b.rate]),
        engagement_rate=np.concatenate([a.engagement_rate, b.engagement_rate]),
        engagements_per_post=np.concatenate([a.engagements_per_post, b.engagements_per_post]),
        fee=np.concatenate([a.fee, b.fee]),
        source=a.source,
        real_share_source=a.real_share_source + b.real_share_source,
        rate_measured=(
            None
            if a.rate_measured is None and b.rate_measured is None
            else np.concatenate([measured_mask(a), measured_mask(b)])
        ),
    )


def take(c: Candidates, idx: npt.NDArray[np.int64]) -> Candidates:
    """The rows idx of c."""
    pick = [int(i) for i in idx]
    return Candidates(
        account_id=[c.account_id[i] for i in pick],
        handle=[c.handle[i] for i in pick],
        platform=[c.platform[i] for i in pick],
        country=[c.country[i] for i in pick],
        language=[c.language[i] for i in pick],
        niche=[c.niche[i] for i in pick],
        tier=[c.tier[i] for i in pick],
        followers=c.followers[idx],
        real_share=c.real_share[idx],
        rate=c.rate[idx],
        engagement_rate=c.engagement_rate[idx],
        engagements_per_post=c.engagements_per_post[idx],
        fee=c.fee[idx],
        source=c.source,
        real_share_source=[c.real_share_source[i] for i in pick] if c.real_share_source else [],
        rate_measured=None if c.rate_measured is None else c.rate_measured[idx],
    )


def measured_mask(c: Candidates) -> npt.NDArray[np.bool_]:
    """Per candidate, whether its reach rate was measured (all False when none was)."""
    return np.zeros(len(c), dtype=bool) if c.rate_measured is None else np.asarray(c.rate_measured, bool)
