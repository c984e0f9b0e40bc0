"""Typed results for the pages and the API, wrapping library results that are still dicts.

``run_plan`` and ``load_plan`` return ``dict[str, Any]`` today; these models read the keys
the CLI prints, so the API has a schema. When the library returns typed results (issue
#10's groundwork: ``PlanResult``, ``DiscoveryResult``), these wrappers go away.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from covey.discovery.search import Discovery
from covey.web.queries import clean


class PlanForm(BaseModel):
    """What the plan form asks."""

    brief: str = Field(min_length=1, max_length=500)
    budget: float = Field(gt=0, le=1e9)
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    frequency: int = Field(default=3, ge=1, le=20)
    max_frequency: int = Field(default=5, ge=1, le=50)
    min_creators: int = Field(default=15, ge=0, le=500)
    max_creators: int = Field(default=30, ge=1, le=500)
    max_posts: int = Field(default=3, ge=1, le=20)
    niche: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, max_length=60)


class PlanOption(BaseModel):
    """One way to spend the budget (the plan, the naive choice, a macro creator)."""

    name: str
    creators: int
    posts: int
    spent: float
    reach_1: float
    reach_k: float
    reach_5: float
    cpm: float | None
    cost_per_effective_person: float | None


class PlanItem(BaseModel):
    """A chosen creator and its posts."""

    account_id: str
    handle: str
    platform: str
    tier: str | None
    followers: float | None
    posts: int
    cost_per_post: float | None
    cost: float | None
    reach_per_post: float | None
    price_note: str | None


class PlanView(BaseModel):
    """A plan as the page shows it."""

    plan_id: int | None
    brief: str
    created_at: str | None = None
    currency: str
    frequency: int
    max_frequency: int
    target_size: float
    audience_definition: str
    options: list[PlanOption]
    items: list[PlanItem]
    histogram: list[float]
    certificate_ratio: float | None
    certificate_method: str | None
    notes: list[str]


def _option(o: dict[str, Any], k: int) -> PlanOption:
    r = o["reach"]["reach"]
    return PlanOption(
        name=o["name"],
        creators=o["creators"],
        posts=o["posts"],
        spent=o["spent"],
        reach_1=r["1+"],
        reach_k=r[f"{k}+"],
        reach_5=r.get("5+", 0.0),
        cpm=clean(o.get("cpm")),
        cost_per_effective_person=clean(o.get("cost_per_effective_person")),
    )


def plan_view(
    brief: str, summary: dict[str, Any], items: list[dict[str, Any]], created_at: str | None = None
) -> PlanView:
    """The typed view of a plan's summary and items (from ``run_plan`` or ``load_plan``)."""
    k, kmax = summary["frequency_window"]
    cert = summary.get("certificate") or {}
    return PlanView(
        plan_id=summary.get("plan_id"),
        brief=brief,
        created_at=created_at,
        currency=summary["currency"],
        frequency=k,
        max_frequency=kmax,
        target_size=summary["reach"]["target_size"],
        audience_definition=summary.get("definitions", {}).get("audience", ""),
        options=[_option(o, k) for o in summary["options"]],
        items=[PlanItem(**{f: clean(it.get(f)) for f in PlanItem.model_fields}) for it in items],
        histogram=[float(x) for x in summary["reach"]["histogram"]],
        certificate_ratio=clean(cert.get("ratio")),
        certificate_method=cert.get("method"),
        notes=list(summary.get("notes", [])),
    )


class SavedPlanRow(BaseModel):
    """A saved plan in the list."""

    plan_id: int
    created_at: datetime | None
    brief: str
    budget: float | None
    currency: str | None
    spent: float | None
    creators: int | None
    reach_3plus: float | None


class DiscoverHit(BaseModel):
    """A creator found for a brief."""

    account_id: str
    handle: str
    platform: str
    country: str | None
    followers: int | None
    tier: str | None
    fit: float
    quality: float | None
    score: float
    evidence: str | None
    evidence_url: str | None


class DiscoverView(BaseModel):
    """Creators for a brief."""

    brief: str
    topic: str | None
    filters: list[str]
    passing: int
    notes: list[str]
    results: list[DiscoverHit]


def discover_view(brief: str, found: Discovery) -> DiscoverView:
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
                fit=clean(r.fit) or 0.0,
                quality=clean(r.quality),
                score=clean(r.score) or 0.0,
                evidence=r.evidence[0].text[:300] if r.evidence else None,
                evidence_url=r.evidence[0].url if r.evidence else None,
            )
            for r in found.results
        ],
    )
