"""Typed discovery results shared by the CLI, the API and the pages.

:func:`covey.discovery.search.discover` answers with a :class:`~covey.discovery.search.Discovery`
(``DiscoveryResult`` here); :func:`discovery_view` is the typed view the pages and the API show,
and :func:`discovery_json` is the JSON of ``covey discover --json``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from covey.discovery.search import Discovery

DiscoveryResult = Discovery
"""The answer to one discovery query (the brief, the filters, the ranked creators, notes)."""


def _clean(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


@dataclass(frozen=True)
class DiscoverHit:
    """A creator found for a brief."""

    account_id: str
    handle: str
    platform: str
    country: str | None
    followers: int | None
    tier: str | None
    fit: float  # how well the creator's posts fit the brief, 0-1
    quality: float | None  # the latest vetting's overall score, 0-100; None when not vetted
    score: float  # what the ranking sorts by: fit x quality
    evidence: str | None  # the creator's post closest to the brief (first 300 characters)
    evidence_url: str | None


@dataclass(frozen=True)
class DiscoverView:
    """Creators for a brief, as the pages and the API show them."""

    brief: str
    topic: str | None
    filters: list[str]
    passing: int
    notes: list[str]
    results: list[DiscoverHit]


def discovery_view(brief: str, found: DiscoveryResult) -> DiscoverView:
    """The typed view of a discovery answer."""
    return DiscoverView(
        brief=brief,
        topic=found.brief.topic if found.brief else None,
        filters=found.filters.describe(),
        passing=found.passing,
        notes=list(found.notes),
        results=[
            DiscoverHit(
                account_id=r.account_id,
                handle=r.handle,
                platform=r.platform,
                country=r.country,
                followers=r.followers,
                tier=r.tier,
                fit=_clean(r.fit) or 0.0,
                quality=_clean(r.quality),
                score=_clean(r.score) or 0.0,
                evidence=r.evidence[0].text[:300] if r.evidence else None,
                evidence_url=r.evidence[0].url if r.evidence else None,
            )
            for r in found.results
        ],
    )


def discovery_json(brief: str, found: DiscoveryResult) -> dict[str, Any]:
    """The JSON of ``covey discover --json``: every result with its evidence and the counts."""
    return {
        "brief": brief,
        "topic": found.brief.topic if found.brief else None,
        "filters": found.filters.describe(),
        "passing_filters": found.passing,
        "indexed": found.indexed,
        "quality_available": found.quality_available,
        "fits_well": found.well,
        "fits_loosely": len(found.results) - found.well,
        "notes": found.notes,
        "results": [r.as_dict() for r in found.results],
    }
