"""`covey discover`: a brief (and/or trusted creators) in, ranked creators with evidence out.

A brief is searched two ways over the creators passing the filters, and the two rankings are
fused by reciprocal rank (Cormack et al. 2009: each creator gets the sum of w / (60 + rank), with
w = 1 for the meaning and 2 for the words, see ``FUSION_WEIGHTS``):

1. meaning: the cosine of the brief's embedding and each creator's profile (the IVF index);
2. words: BM25 over every word the creator wrote (titles, captions, hashtags, bio), for the
   brief's content words plus the model's vocabulary neighbours of the brief
   (``covey.discovery.lexical``), which carries a brief across the lexicon's languages.

The brief is read by the shipped model plus its multilingual words (``covey.discovery.multilingual``):
creators' profiles and words stay the shipped model's.

Then one round of pseudo-relevance feedback (Rocchio 1971): the brief's embedding plus twice
the mean profile of the ten best fused creators, less twice the mean profile of every indexed
creator (what all creators share says nothing about this brief), re-ranks the candidates of both
searches, which are fused again with the words. A creator's ``fit`` stays the cosine with the
brief itself.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from covey.countries import require_country
from covey.discovery.brief import Brief, parse_brief
from covey.discovery.catalog import Catalog, Filters
from covey.discovery.embedder import StaticEmbedder, load_embedder
from covey.discovery.index import Hits
from covey.discovery.indexer import open_index
from covey.discovery.lexical import reciprocal_rank_fusion
from covey.discovery.lookalike import audience_overlap, lookalike_scores, resolve_handles, seed_vector
from covey.discovery.multilingual import brief_reader
from covey.discovery.profiles import has_quality
from covey.discovery.rank import WELL_FIT_SHARE, Result, attach_evidence, rank
from covey.errors import InputError
from covey.store import Store

log = logging.getLogger("covey.discovery.search")

CANDIDATES_PER_RESULT = 4  # fetched by fit, then re-ranked by fit x quality
CANDIDATES_MIN = 200  # each ranking fused is at least this long
FEEDBACK_ROWS = 10  # best fused creators whose mean profile expands the brief
# Rocchio's weights, relative to the brief's own embedding (1): the feedback creators' mean profile
# counts FEEDBACK_WEIGHT, less FEEDBACK_NEGATIVE x the mean profile of every indexed creator
# (``Catalog.mean_vector``). Chosen on the real YouTube channels of half the countries
# (benchmarks/discovery_feedback.py); see docs/discovery.md for what it gave on the other half.
FEEDBACK_WEIGHT = 2.0
FEEDBACK_NEGATIVE = 1.0
# The words' ranking counts twice the meaning's in the fusion: chosen on the real YouTube
# channels of half the countries (benchmarks/discovery_tune.py), checked on the other half.
FUSION_WEIGHTS = (1.0, 2.0)  # (meaning, words)


@dataclass
class Discovery:
    """The answer to one discovery query."""

    brief: Brief | None
    filters: Filters
    results: list[Result]
    passing: int  # creators passing the filters
    indexed: int
    quality_available: bool
    notes: list[str] = field(default_factory=list)

    @property
    def well(self) -> int:
        """How many results fit the brief well (the rest fit loosely)."""
        return sum(1 for r in self.results if r.fits_well)


def merge_brief_filters(brief: Brief | None, filters: Filters) -> Filters:
    """Filters named in the brief apply where the user gave none of that kind."""
    if brief is None:
        return filters
    return dataclasses.replace(
        filters,
        countries=filters.countries or brief.countries,
        languages=filters.languages or brief.languages,
        platforms=filters.platforms or brief.platforms,
    )


def why_empty(catalog: Catalog, filters: Filters) -> str:
    """A message naming the filters that leave no creator, each counted on its own."""
    parts = []
    base = Filters(tier=None, tiers=filters.tiers)
    for name in (
        "platforms",
        "tier",
        "min_followers",
        "max_followers",
        "min_engagement",
        "min_authenticity",
        "countries",
        "languages",
        "lived_experience",
    ):
        value = getattr(filters, name)
        if value in (None, (), False):
            continue
        alone = dataclasses.replace(base, **{name: value})
        parts.append(f"{'; '.join(alone.describe())}: {int(catalog.mask(alone).sum()):,}")
    return (
        f"no creator among {len(catalog):,} indexed passes all filters together "
        f"({', '.join(filters.describe())}). Creators passing each filter alone: " + " | ".join(parts)
    )


def discover(
    store: Store,
    brief: str | None,
    filters: Filters,
    *,
    like: Sequence[str] = (),
    exclude: Sequence[str] = (),
    top: int = 20,
    catalog: Catalog | None = None,
    embedder: StaticEmbedder | None = None,
    evidence: bool = True,
) -> Discovery:
    """Find creators for ``brief`` (and/or like the ``like`` handles) passing ``filters``."""
    if top < 1:
        raise InputError("--top must be at least 1", field="--top")
    if not (brief and brief.strip()) and not like:
        parse_brief(brief or "")  # raises the empty-brief message
    embedder = embedder or load_embedder()
    reader = brief_reader(embedder)
    catalog = catalog or open_index(store)
    parsed = parse_brief(brief) if brief and brief.strip() else None
    notes = list(parsed.notes) if parsed else []
    seeds = resolve_handles(store, like) if like else []
    excluded = resolve_handles(store, exclude) if exclude else []
    filters = dataclasses.replace(
        filters,
        countries=tuple(require_country(c, field="--country") for c in filters.countries),
        exclude=frozenset([*filters.exclude, *seeds, *excluded]),
    )
    filters = merge_brief_filters(parsed, filters)
    query = np.zeros(embedder.dims, dtype=np.float32)
    brief_vec = None
    if parsed is not None:
        if not reader.is_meaningful(parsed.topic):
            if not seeds:
                raise InputError(
                    f"nothing to match in the brief {brief!r}: say what the creators talk about "
                    "(a topic, condition, interest)",
                    field="BRIEF",
                )
            notes.append("the brief names no topic: matching on the --like creators only")
        else:
            brief_vec = reader.embed(parsed.topic)
            query += brief_vec
    if seeds:
        missing = [s for s in seeds if s not in catalog.row_of]
        if missing:
            notes.append(f"not in the index yet (run 'covey index'): {', '.join(missing)}")
        query += seed_vector(catalog, seeds)
    norm = float(np.linalg.norm(query))
    if norm == 0:
        raise InputError("nothing to match: the --like creators have no indexed posts", field="--like")
    query /= norm

    mask = catalog.mask(filters)
    passing = int(mask.sum())
    quality_available = has_quality(store)
    if not quality_available:
        notes.append("quality unavailable: no vetting scores in this database (run 'covey score')")
    if passing == 0:
        empty = "the index holds no creators: import data, then run 'covey index'"
        notes.append(why_empty(catalog, filters) if len(catalog) else empty)
        return Discovery(parsed, filters, [], 0, len(catalog), quality_available, notes)
    k = max(top * CANDIDATES_PER_RESULT, CANDIDATES_MIN)
    relevance = None
    if brief_vec is not None and parsed is not None:
        weights = reader.terms(parsed.topic).weights(parsed.topic, query)
        hits, relevance = hybrid(catalog, weights, query, k, mask)
    else:
        hits = catalog.index.search(query, k, mask)
    if seeds:
        ids = [catalog.account_ids[int(r)] for r in hits.rows]
        overlap = audience_overlap(store, seeds, ids)
        audience = np.array([overlap.get(a, 0.0) for a in ids])
        hits.scores = lookalike_scores(hits.scores.astype(np.float64), audience).astype(np.float32)
    if seeds:
        relevance = None  # content and audience: the lookalike score orders them
    results = rank(catalog, hits, top, filters.tiers, relevance=relevance)
    loose = len(results) - sum(r.fits_well for r in results)
    if loose:
        well = len(results) - loose
        notes.append(
            f"only {well} creator{'s' if well != 1 else ''} fit{'s' if well == 1 else ''} this brief well; "
            f"{loose} more fit loosely (fit below {WELL_FIT_SHARE:.0%} of the best)"
        )
    if seeds:
        for r in results:
            r.extra["audience_overlap"] = round(overlap.get(r.account_id, 0.0), 4)
            r.extra["content_similarity"] = round(
                float(catalog.vector(r.account_id) @ seed_vector(catalog, seeds)), 4
            )
    if evidence:
        attach_evidence(store, embedder, results, brief_vec if brief_vec is not None else query)
    return Discovery(parsed, filters, results, passing, len(catalog), quality_available, notes)


def lexical_top(catalog: Catalog, weights: dict[int, float], k: int, mask: np.ndarray) -> np.ndarray:
    """Rows passing ``mask`` with a positive BM25 score, best first, at most ``k``."""
    hit, scores = catalog.lexical.scored(weights, mask)
    keep = scores > 0
    hit, scores = hit[keep], scores[keep]
    if len(hit) > k:
        top = np.argpartition(-scores, k)[:k]
        hit, scores = hit[top], scores[top]
    return hit[np.argsort(-scores, kind="stable")].astype(np.int64)


def feedback_query(query: np.ndarray, feedback: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Rocchio's expanded query, unit length: ``query`` + FEEDBACK_WEIGHT x (the mean of the
    ``feedback`` rows - FEEDBACK_NEGATIVE x ``mean``, the mean profile of every creator).

    Without the subtraction the feedback mostly adds what every creator's profile shares (the
    model's common direction), which favours generic creators over on-topic ones. The brief itself
    is returned when the expansion cancels out.
    """
    if not len(feedback):
        return query
    expanded = query + FEEDBACK_WEIGHT * (feedback.mean(axis=0) - FEEDBACK_NEGATIVE * mean)
    norm = float(np.linalg.norm(expanded))
    return (expanded / norm).astype(np.float32) if norm > 0 else query


def hybrid(
    catalog: Catalog, weights: dict[int, float], query: np.ndarray, k: int, mask: np.ndarray
) -> tuple[Hits, np.ndarray]:
    """Meaning and words fused, with one round of feedback: hits (fit = cosine) and relevance.

    ``weights`` are the brief's BM25 terms (``QueryTerms.weights``), ``query`` its embedding.
    """
    words = lexical_top(catalog, weights, k, mask)
    dense = catalog.index.search(query, k, mask)
    fused = reciprocal_rank_fusion([dense.rows, words], weights=FUSION_WEIGHTS)
    best = sorted(fused, key=lambda r: -fused[r])[:FEEDBACK_ROWS]
    if best:
        expanded = feedback_query(query, catalog.index.vectors[np.asarray(best)], catalog.mean_vector)
        # Feedback re-ranks the candidates both searches found; it brings in no new creator, which
        # keeps it cheap (no second index search) and keeps it from drifting off the brief.
        candidates = np.unique(np.concatenate([dense.rows, words]))
        again = catalog.index.vectors[candidates] @ expanded
        fused = reciprocal_rank_fusion(
            [candidates[np.argsort(-again, kind="stable")], words], weights=FUSION_WEIGHTS
        )
    rows = np.fromiter(fused, dtype=np.int64, count=len(fused))
    score = np.fromiter(fused.values(), dtype=np.float64, count=len(fused))
    if not len(rows):
        return Hits(rows, np.empty(0, np.float32), dense.scanned), score
    order = np.argsort(-score, kind="stable")[:k]
    rows, score = rows[order], score[order]
    fit = (catalog.index.vectors[rows] @ query).astype(np.float32)
    return Hits(rows, fit, dense.scanned), score / score[0]


NICHE_RELATIVE_FIT = 0.6  # a creator is in a niche when its fit is this share of the best fit or more
NICHE_MAX_ACCOUNTS = 5_000


def niche_accounts(store: Store, niche: str, *, catalog: Catalog | None = None) -> list[str]:
    """Accounts whose posts fit ``niche`` (a topic in words), best first."""
    embedder = load_embedder()
    topic = parse_brief(niche).topic
    if not embedder.is_meaningful(topic):
        raise InputError(f"nothing to match in the niche {niche!r}", field="--niche")
    catalog = catalog or open_index(store)
    hits = catalog.index.exact(embedder.embed_one(topic), NICHE_MAX_ACCOUNTS)
    if not len(hits.scores) or hits.scores[0] <= 0:
        return []
    keep = hits.scores >= NICHE_RELATIVE_FIT * hits.scores[0]
    return [catalog.account_ids[int(r)] for r in hits.rows[keep]]
