"""Rank candidates: relevance to the brief x quality from vetting, with the posts that show the fit.

``fit`` is the cosine similarity of the brief and the creator's profile (0-1 in practice);
``relevance`` is the fused rank score of the hybrid search (meaning and words, see
``covey.discovery.search``) over the best one's, in (0, 1]. quality is the latest vetting
``overall`` score (0-100). The combined score is
``relevance * (QUALITY_FLOOR + (1 - QUALITY_FLOOR) * quality / 100)``: quality re-orders
creators of similar relevance but cannot lift an off-topic creator above an on-topic one.

Unknown quality is neither 0 nor 100: a creator the vetting run could not score (no evidence)
is ranked at the **prior**, the median quality of the vetted creators in the index, and says
so. Without any vetting run there is no prior and the score is the relevance alone.

Relevance floor: a creator whose fit is below ``WELL_FIT_SHARE`` of the best fit among the
results is set apart as a loose fit, listed after every creator who fits well.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from covey.discovery.catalog import LIVED_SHARE_MIN, Catalog
from covey.discovery.embedder import FloatArray, StaticEmbedder, highlight
from covey.discovery.index import Hits
from covey.discovery.profiles import POST_TEXT_SQL
from covey.store import Store
from covey.tiers import DEFAULT_TIERS, Tiers

log = logging.getLogger("covey.discovery.rank")

QUALITY_FLOOR = 0.6
WELL_FIT_SHARE = 0.6  # fits well: fit at least this share of the best fit (as "in a niche")
EVIDENCE_POSTS = 3
EVIDENCE_SCAN = 200  # newest posts per creator searched for evidence


@dataclass
class Evidence:
    """One post that matches the brief, with its best words marked **like this**."""

    post_id: str
    url: str | None
    posted_at: str | None
    similarity: float
    text: str
    highlighted: str


@dataclass
class Result:
    """One creator found for a brief."""

    account_id: str
    handle: str
    platform: str
    country: str | None
    language: str | None
    followers: int | None
    tier: str | None
    engagement: float | None
    fit: float
    quality: float | None
    authenticity: float | None
    score: float
    lived_experience: bool
    relevance: float = 1.0
    fits_well: bool = True
    quality_prior: float | None = None  # the quality ranked with when ``quality`` is unknown
    notes: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out = dict(self.__dict__)
        out["evidence"] = [e.__dict__ for e in self.evidence]
        return out


def _num(v: Any) -> float | None:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else float(v)


def quality_prior(catalog: Catalog) -> float | None:
    """The quality an unscored creator is ranked with: the median of the vetted ones (None: none)."""
    known = catalog.numeric("quality")
    known = known[~np.isnan(known)]
    return round(float(np.median(known)), 1) if len(known) else None


def combine(relevance: np.ndarray, quality: np.ndarray, prior: float | None = None) -> np.ndarray:
    """Combined score from relevance and quality; unknown quality takes ``prior``.

    With no prior (no vetting run at all) an unknown quality leaves the relevance alone.
    """
    filled = quality if prior is None else np.where(np.isnan(quality), prior, quality)
    factor = QUALITY_FLOOR + (1.0 - QUALITY_FLOOR) * np.clip(filled, 0, 100) / 100.0
    return np.where(np.isnan(filled), relevance, relevance * factor)


def rank(
    catalog: Catalog,
    hits: Hits,
    top: int,
    tiers: Tiers = DEFAULT_TIERS,
    *,
    relevance: np.ndarray | None = None,
) -> list[Result]:
    """Turn index hits into results: creators who fit well first, each group by combined score.

    ``hits.scores`` are the fits; ``relevance`` (default: the fits over the best fit) orders them.
    """
    rows = hits.rows
    fit = hits.scores.astype(np.float64)
    if not len(rows):
        return []
    best_fit = float(fit.max())
    if relevance is None:
        relevance = fit / best_fit if best_fit > 0 else np.ones_like(fit)
    prior = quality_prior(catalog)
    quality = catalog.numeric("quality")[rows]
    scores = combine(relevance, quality, prior)
    well = fit >= WELL_FIT_SHARE * best_fit
    order = np.lexsort((-scores, ~well))[:top]
    m = catalog.meta.take(pa.array(rows[order])).to_pylist()
    out = []
    for rec, i in zip(m, order, strict=True):
        followers = rec["followers"]
        notes = []
        if followers is None:
            notes.append("follower count unknown: tier and follower filters not applied")
        if rec["quality"] is None:
            notes.append(
                "quality unknown and no vetted creator to compare with: ranked by relevance alone "
                "(run 'covey score')"
                if prior is None
                else f"quality unknown: ranked at the prior {prior:g}, the median of the vetted creators"
            )
        if not well[i]:
            notes.append(f"loose fit: below {WELL_FIT_SHARE:.0%} of the best fit ({best_fit:.2f})")
        out.append(
            Result(
                account_id=rec["account_id"],
                handle=rec["handle"],
                platform=rec["platform"],
                country=rec["country"],
                language=rec["language"],
                followers=followers,
                tier=tiers.of(followers),
                engagement=_num(rec["engagement"]),
                fit=round(float(fit[i]), 4),
                quality=_num(rec["quality"]),
                authenticity=_num(rec["authenticity"]),
                score=round(float(scores[i]), 4),
                lived_experience=(rec["lived_share"] or 0.0) >= LIVED_SHARE_MIN,
                relevance=round(float(relevance[i]), 4),
                fits_well=bool(well[i]),
                quality_prior=prior if rec["quality"] is None else None,
                notes=notes,
            )
        )
    return out


def attach_evidence(store: Store, embedder: StaticEmbedder, results: list[Result], query: FloatArray) -> None:
    """Give each result its posts closest to ``query``, best words highlighted."""
    if not results:
        return
    ids = pa.table({"account_id": [r.account_id for r in results]})
    table = store.sql(
        f"""SELECT p.account_id, p.post_id, p.url, CAST(p.posted_at AS VARCHAR), {POST_TEXT_SQL} AS text,
                   coalesce(nullif(concat_ws(' ', p.title, p.caption), ''), {POST_TEXT_SQL}) AS shown
            FROM posts p JOIN _want w USING (account_id)
            QUALIFY row_number() OVER (PARTITION BY p.account_id ORDER BY p.posted_at DESC) <= ?""",
        [EVIDENCE_SCAN],
        _want=ids,
    )
    posts = list(zip(*(c.to_pylist() for c in table.columns), strict=True))
    if not posts:
        return
    texts = [p[4] for p in posts]
    sims = embedder.embed(texts) @ query
    by_account: dict[str, list[int]] = {}
    for i, p in enumerate(posts):
        by_account.setdefault(p[0], []).append(i)
    for r in results:
        idx = by_account.get(r.account_id, [])
        for i in sorted(idx, key=lambda j: -sims[j])[:EVIDENCE_POSTS]:
            _, post_id, url, posted_at, _, text = posts[i]  # shown: title and caption
            r.evidence.append(
                Evidence(
                    post_id=post_id,
                    url=url,
                    posted_at=posted_at,
                    similarity=round(float(sims[i]), 4),
                    text=text,
                    highlighted=highlight(text, embedder.word_matches(text, query)),
                )
            )
