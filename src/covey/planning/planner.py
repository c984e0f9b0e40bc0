"""A campaign plan from a brief: candidates -> audience model -> prices -> optimizer -> figures.

Every figure a plan reports is an expectation under the audience model of
``covey.planning.segments`` on the brief's target audience (the segments matching its niche,
country and language), with per-post reach rates from ``covey.planning.candidates``.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pyarrow as pa

from covey.planning.baselines import macro_choice, naive_choice
from covey.planning.candidates import Candidates
from covey.planning.feasibility import InfeasiblePlanError, check
from covey.planning.greedy import Constraints, GreedyResult, plan_greedy
from covey.planning.objective import ExpectedCoverage
from covey.planning.overlap import pairwise_overlaps
from covey.planning.ratecard import RateCard
from covey.planning.reach import FloatArray, IntArray, Panel, exposure_distribution
from covey.planning.segments import Segments, coverage_of, estimate_segments, key_part, virtual_panel
from covey.planning.sketches import DEFAULT_K, build_sketches

log = logging.getLogger("covey.planning.planner")


@dataclass(frozen=True)
class Brief:
    """What the user asks for."""

    text: str
    budget: float
    currency: str = "EUR"
    frequency: int = 3
    max_frequency: int = 5
    min_creators: int = 15
    max_creators: int = 30
    max_posts: int = 3
    must: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    niche: str | None = None
    country: str | None = None
    language: str | None = None
    spread: str | None = None  # "region" or "community"
    seed: int = 0


@dataclass(frozen=True)
class AudienceModel:
    """Candidates with their modelled audiences, ready to plan on."""

    cands: Candidates
    segments: Segments
    panel: Panel
    coverage: FloatArray
    identifiers: FloatArray
    target_segments: np.ndarray  # bool per segment: inside the brief's target audience
    notes: list[str] = field(default_factory=list)


@dataclass
class Option:
    """One way to spend the budget, with its figures."""

    name: str
    posts: IntArray
    spent: float
    reach: dict[str, Any]
    engagements: float

    def summary(self, k: int) -> dict[str, Any]:
        """Figures for display, JSON and the database."""
        r1, rk = self.reach["reach"]["1+"], self.reach["reach"][f"{k}+"]
        return {
            "name": self.name,
            "creators": int((self.posts > 0).sum()),
            "posts": int(self.posts.sum()),
            "spent": self.spent,
            "reach": self.reach,
            "cpm": self.spent / r1 * 1000 if r1 > 0 else None,
            "cost_per_effective_person": self.spent / rk if rk > 0 else None,
            "engagements": self.engagements,
        }


def identifiers_table(store: Any, account_ids: list[str]) -> pa.Table:
    """(set_id, member_id): the accounts' real-looking sampled followers, from the store."""
    from covey.planning.overlap import audience_identifiers_sql

    cur = store.cursor()
    try:
        cur.register("wanted", pa.table({"account_id": pa.array(account_ids, pa.string())}))
        return cur.sql(audience_identifiers_sql("wanted")).to_arrow_table()
    finally:
        cur.close()


def build_model(
    cands: Candidates,
    ids: pa.Table,
    brief: Brief,
    *,
    people_per_segment: int = 4000,
    k: int = DEFAULT_K,
) -> AudienceModel:
    """Sketch the audiences, estimate overlaps and segment sizes, and draw the panel."""
    notes: list[str] = []
    sketches = build_sketches(ids, k)
    n_ids = np.array([sketches[a].estimate() if a in sketches else 0.0 for a in cands.account_id])
    coverage = coverage_of(cands, n_ids)
    overlaps = pairwise_overlaps(sketches) if sketches else None
    segs = estimate_segments(cands, overlaps, coverage)
    parts = [s.split("/") for s in segs.keys]
    target = np.array(
        [
            all(
                want is None or have in (key_part(want), "any")
                for want, have in zip((brief.niche, brief.country, brief.language), p, strict=True)
            )
            for p in parts
        ]
    )
    if not segs.from_overlaps.all():
        guessed = [segs.keys[g] for g in np.flatnonzero(~segs.from_overlaps)]
        notes.append(
            f"no shared audience identifiers in {len(guessed)} segment(s) ({', '.join(guessed[:3])}"
            f"{', ...' if len(guessed) > 3 else ''}): their audiences are assumed to overlap by chance"
        )
    panel = virtual_panel(cands, segs, target, people_per_segment=people_per_segment, seed=brief.seed)
    return AudienceModel(cands, segs, panel, coverage, n_ids, target, notes)


def constraints_for(
    model: AudienceModel, brief: Brief, cost: FloatArray, plannable: np.ndarray
) -> Constraints:
    """The brief's limits as optimizer constraints over the model's creators."""
    cands = model.cands
    key = {x: i for i, x in enumerate(cands.account_id)} | {h: i for i, h in enumerate(cands.handle) if h}
    missing = [m for m in brief.must if m.lstrip("@") not in key]
    if missing:
        raise InfeasiblePlanError(
            f"--must {', '.join(missing)}: not among the candidates; add them to the candidate list"
        )
    must = tuple(key[m.lstrip("@")] for m in brief.must)
    caps = np.where(plannable, brief.max_posts, 0).astype(np.int64)
    for x in brief.exclude:
        if x.lstrip("@") in key:
            caps[key[x.lstrip("@")]] = 0
    group: IntArray | None = None
    per_group: int | None = None
    if brief.spread:
        labels = (
            cands.country
            if brief.spread == "region"
            else [model.segments.keys[g] for g in model.segments.of_creator]
        )
        _, inv = np.unique(np.array([x or "?" for x in labels], dtype=object), return_inverse=True)
        group = inv.astype(np.int64)
        n_groups = int(np.unique(group[caps > 0]).size) or 1
        per_group = max(1, math.ceil(brief.max_creators / n_groups))
    return Constraints(
        brief.budget, cost, caps, brief.max_creators, brief.min_creators, must, group, per_group
    )


def _engagements(cands: Candidates, posts: IntArray) -> float:
    return float(np.nansum(cands.engagements_per_post * posts))


def addressable(model: AudienceModel, plannable: np.ndarray) -> float:
    """People in the target segments that hold at least one plannable candidate.

    The shares' denominator: the macro pool's own segments (added only for comparison) are
    left out, so shares are of the audience the candidates address.
    """
    segs = np.unique(model.segments.of_creator[plannable])
    keep = np.zeros(len(model.segments.keys), dtype=bool)
    keep[segs] = True
    keep &= model.target_segments.astype(bool)
    return float(model.segments.size[keep].sum())


def evaluate(
    model: AudienceModel,
    name: str,
    posts: IntArray,
    cost: FloatArray,
    denominator: float | None = None,
    max_count: int = 10,
) -> Option:
    """Figures of one choice of posts under the model; shares of ``denominator`` people when given."""
    rep = exposure_distribution(model.panel, model.cands.rate, posts, max_count)
    figures = rep.to_dict()
    if denominator:
        figures["target_size"] = denominator
        figures["share"] = {k: v / denominator for k, v in figures["reach"].items()}
        hist = figures["histogram"]
        hist[0] = max(0.0, denominator - sum(hist[1:]))
    return Option(name, posts, float((posts * cost).sum()), figures, _engagements(model.cands, posts))


def _with_min_creators(obj: ExpectedCoverage, cons: Constraints, result: GreedyResult) -> GreedyResult:
    """Honour the creator minimum by lowering the per-creator post cap until the plan spreads.

    More posts by fewer creators can reach more people 3+ times; a brief that asks for at
    least LOW creators gets, instead, the best plan with a lower cap that reaches LOW. The
    certificate then refers to the capped problem (said in the notes).
    """
    chosen = int((result.posts > 0).sum())
    if chosen >= cons.min_creators:
        return result
    top = int(cons.max_posts.max()) if cons.max_posts.size else 0
    for cap in range(top - 1, 0, -1):
        capped = replace(cons, max_posts=np.minimum(cons.max_posts, cap))
        trial = plan_greedy(obj, capped)
        n = int((trial.posts > 0).sum())
        if n >= cons.min_creators:
            trial.notes = [n_ for n_ in trial.notes if "fewer than" not in n_] + [
                f"to use at least {cons.min_creators} creators the plan allows {cap} post(s) per creator; "
                f"uncapped, {chosen} creators would reach F = {result.value:,.0f} against {trial.value:,.0f}"
            ]
            return trial
    return result


@dataclass
class Outcome:
    """The optimizer's result, the options side by side, prices and notes."""

    result: GreedyResult
    options: list[Option]
    cost: FloatArray
    price_notes: list[str]
    notes: list[str]


def make_plan(
    model: AudienceModel, brief: Brief, card: RateCard, plannable: np.ndarray, macro: IntArray
) -> Outcome:
    """Optimise, then evaluate the plan, the naive choice and the macro option on one budget."""
    cands = model.cands
    cost, price_notes = card.prices(
        cands.account_id, cands.handle, cands.platform, cands.tier, cands.engagement_rate
    )
    cost = np.where(np.isfinite(cands.fee), cands.fee, cost)
    cons = constraints_for(model, brief, cost, plannable)
    names = [cands.label(i) for i in range(len(cands))]
    check(cons, names, brief.frequency, brief.max_frequency, card.currency)
    obj = ExpectedCoverage(model.panel, cands.rate, brief.frequency)
    result = _with_min_creators(obj, cons, plan_greedy(obj, cons))
    if result.posts.sum() == 0:
        raise InfeasiblePlanError(
            "no post reaches anyone in the target audience: widen --niche/--country/--language "
            "or the candidate list"
        )
    people = addressable(model, plannable)
    options = [evaluate(model, "plan", result.posts, cost, people)]
    naive = naive_choice(cands.engagement_rate, cost, cons.max_posts, brief.budget, brief.max_creators)
    options.append(evaluate(model, "top engagement (naive)", naive, cost, people))
    notes = list(model.notes) + list(result.notes)
    if macro.size:
        m = macro_choice(model.panel, cands.rate, macro, cost, brief.budget, brief.max_posts, brief.frequency)
        if m.sum():
            options.append(evaluate(model, "1-2 macro creators", m, cost, people))
        else:
            notes.append(
                "the budget buys no post by a macro creator "
                f"(cheapest {cost[macro].min():,.0f} {card.currency})"
            )
    else:
        notes.append("no macro or mega account in the store to compare with")
    for i in np.flatnonzero(np.isfinite(cands.fee)):
        price_notes[i] = "quoted fee (candidate list)"
    return Outcome(result, options, cost, price_notes, notes)
