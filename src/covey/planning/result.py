"""Typed plan results shared by the CLI, the API and the pages.

:func:`covey.planning.session.run_plan` and :func:`covey.planning.plans.load_plan` return a
:class:`PlanResult`: the figures as saved (``summary``, ``items``, ``inputs``; the JSON of
``covey plan --json`` and of a saved plan, unchanged) plus typed readings of what every
interface shows (:meth:`PlanResult.view`, :class:`PlanView`). The planner may add figures to
``summary``; they reach the JSON at once and the typed view when a field is added here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


def _clean(x: Any) -> Any:
    """NaN and infinities become None (unknown), so JSON never holds them."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


@dataclass(frozen=True)
class PlanOption:
    """One way to spend the budget (the plan, the naive choice, a macro creator)."""

    name: str
    creators: int
    posts: int
    spent: float
    reach_1: float  # expected target people reached at least once
    reach_k: float  # ... reached FREQUENCY+ times
    reach_5: float  # ... reached 5+ times
    cpm: float | None  # money per thousand target people reached at least once
    cost_per_effective_person: float | None  # money per target person reached FREQUENCY+ times


@dataclass(frozen=True)
class PlanItem:
    """A chosen creator and its posts; None is unknown (a saved plan may lack a figure)."""

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
    reach_rate: float | None = None  # share of real followers one post reaches
    reach_rate_source: str | None = None  # measured in past campaigns, prior x learned factor, prior

    @property
    def rate_label(self) -> str:
        """The reach rate and, briefly, where it came from: "25% (measured)", "24% (prior x 1.11)"."""
        return rate_label(self.reach_rate, self.reach_rate_source)


def rate_label(rate: float | None, source: str | None) -> str:
    """A reach rate with a short word on its source (the plan's ``reach_rate_source``)."""
    if rate is None:
        return "-"
    said = source or "platform prior"
    short = "measured" if said.startswith("its own") else said.split(",")[0].replace("platform ", "")
    return f"{rate:.0%} ({short})"


@dataclass(frozen=True)
class PlanView:
    """A plan as the pages, the API and a comparison show it."""

    plan_id: int | None
    brief: str
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
    created_at: str | None = None
    # Said first, then the plain sentences (None where a saved plan predates them).
    warnings: list[str] = field(default_factory=list)
    headline: str | None = None
    rates_note: str | None = None
    unspent: str | None = None


@dataclass(frozen=True)
class SavedPlanRow:
    """A saved plan in the list, with its headline figures."""

    plan_id: int
    created_at: datetime | None
    brief: str
    budget: float | None
    currency: str | None
    spent: float | None
    creators: int | None
    reach_3plus: float | None


@dataclass(frozen=True)
class PlanResult:
    """A plan: the brief, the figures as saved, the chosen creators and the inputs.

    ``plan_id`` is None for a plan that was not saved; ``created_at`` is set on a reopened one.
    """

    brief: str
    summary: dict[str, Any]
    items: list[dict[str, Any]]
    inputs: dict[str, Any] = field(default_factory=dict)
    plan_id: int | None = None
    created_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``covey plan --json``: ``summary``, ``items`` and ``inputs``."""
        return {"summary": self.summary, "items": self.items, "inputs": self.inputs}

    @property
    def currency(self) -> str:
        """The currency of every amount."""
        return str(self.summary["currency"])

    @property
    def frequency_window(self) -> tuple[int, int]:
        """(FREQUENCY, MAX_FREQUENCY): the exposures that count."""
        k, kmax = self.summary["frequency_window"]
        return int(k), int(kmax)

    def options(self) -> list[PlanOption]:
        """The plan and the choices it is compared with, typed."""
        k, _ = self.frequency_window
        out = []
        for o in self.summary["options"]:
            r = o["reach"]["reach"]
            out.append(
                PlanOption(
                    name=o["name"],
                    creators=int(o["creators"]),
                    posts=int(o["posts"]),
                    spent=float(o["spent"]),
                    reach_1=float(r["1+"]),
                    reach_k=float(r[f"{k}+"]),
                    reach_5=float(r.get("5+", 0.0)),
                    cpm=_clean(o.get("cpm")),
                    cost_per_effective_person=_clean(o.get("cost_per_effective_person")),
                )
            )
        return out

    def chosen(self) -> list[PlanItem]:
        """The chosen creators, typed."""
        return [
            PlanItem(**{f: _clean(it.get(f)) for f in PlanItem.__dataclass_fields__}) for it in self.items
        ]

    def view(self) -> PlanView:
        """The typed view every interface shows."""
        k, kmax = self.frequency_window
        cert = self.summary.get("certificate") or {}
        return PlanView(
            plan_id=self.plan_id if self.plan_id is not None else self.summary.get("plan_id"),
            brief=self.brief,
            created_at=self.created_at,
            currency=self.currency,
            frequency=k,
            max_frequency=kmax,
            target_size=float(self.summary["reach"]["target_size"]),
            audience_definition=str(self.summary.get("definitions", {}).get("audience", "")),
            options=self.options(),
            items=self.chosen(),
            histogram=[float(x) for x in self.summary["reach"]["histogram"]],
            certificate_ratio=_clean(cert.get("ratio")),
            certificate_method=cert.get("method"),
            notes=[str(n) for n in self.summary.get("notes", [])],
            warnings=[str(w) for w in self.summary.get("warnings", [])],
            headline=self.summary.get("headline"),
            rates_note=self.summary.get("rates_note"),
            unspent=self.summary.get("unspent"),
        )
