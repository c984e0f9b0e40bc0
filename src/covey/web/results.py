"""Inputs of the web forms, and the library's typed results the pages and the API show.

The results live in the library next to what produces them (:mod:`covey.planning.result`,
:mod:`covey.discovery.result`); the CLI, the API and the pages all use the same types. Only
the plan form, a web input with its bounds, is defined here; its defaults are the library's
(:data:`covey.planning.defaults.PLAN_DEFAULTS`).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from covey.discovery.result import DiscoverHit, DiscoverView, discovery_view
from covey.planning.defaults import PLAN_DEFAULTS as D
from covey.planning.result import PlanItem, PlanOption, PlanResult, PlanView, SavedPlanRow

__all__ = [
    "DiscoverHit",
    "DiscoverView",
    "PlanForm",
    "PlanItem",
    "PlanOption",
    "PlanResult",
    "PlanView",
    "SavedPlanRow",
    "discovery_view",
]


class PlanForm(BaseModel):
    """What the plan form asks (defaults: the library's plan defaults)."""

    brief: str = Field(min_length=1, max_length=500)
    budget: float = Field(gt=0, le=1e9)
    currency: str = Field(default=D.currency, min_length=3, max_length=3)
    frequency: int = Field(default=D.frequency, ge=1, le=20)
    max_frequency: int = Field(default=D.max_frequency, ge=1, le=50)
    min_creators: int = Field(default=D.min_creators, ge=0, le=500)
    max_creators: int = Field(default=D.max_creators, ge=1, le=500)
    max_posts: int = Field(default=D.max_posts, ge=1, le=20)
    niche: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, max_length=60)
