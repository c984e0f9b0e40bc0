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
from covey.planning.defaults import PLAN_DEFAULTS
from covey.planning.feasibility import InfeasiblePlanError, check
from covey.planning.greedy import Constraints
from covey.planning.optimize import Chosen, minimum_budget, optimize, value_of
from covey.planning.overlap import pairwise_overlaps
from covey.planning.pooling import BORROWED
from covey.planning.ratecard import RateCard
from covey.planning.reach import RATE_SPREAD, FloatArray, IntArray, Panel, exposure_distribution
from covey.planning.segments import (
    MACRO_NICHE,
    Segments,
    coverage_of,
    estimate_segments,
    key_part,
    virtual_panel,
)
from covey.planning.sketches import DEFAULT_K, build_sketches
from covey.planning.window import Goal
from covey.store import Store

log = logging.getLogger("covey.planning.planner")


@dataclass(frozen=True)
class Brief:
    """What the user asks for."""

    text: str
    budget: float
    currency: str = PLAN_DEFAULTS.currency
    frequency: int = PLAN_DEFAULTS.frequency
    max_frequency: int = PLAN_DEFAULTS.max_frequency
    min_creators: int = PLAN_DEFAULTS.min_creators
    max_creators: int = PLAN_DEFAULTS.max_creators
    max_posts: int = PLAN_DEFAULTS.max_posts
    must: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    niche: str | None = None
    country: str | None = None
    language: str | None = None
    spread: str | None = None  # "region" or "community"
    seed: int = 0
    objective: str = PLAN_DEFAULTS.objective  # window | atleast | reach1 (covey.planning.window)
    strict_creators: bool = False  # keep --creators LOW even where it costs reach in the window


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
    rate_spread: float = RATE_SPREAD  # log-sd of a creator's reach rate around its prior


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

    def reach_at(self, k: int) -> float:
        """Expected people reached k+ times."""
        return float(sum(self.reach["histogram"][k:]))

    def posts_count_text(self) -> str:
        """'N creators, M posts' for sentences."""
        return f"{int((self.posts > 0).sum())} creators, {int(self.posts.sum())} posts"


def identifiers_table(store: Store, account_ids: list[str], *, drop_bots: bool = True) -> pa.Table:
    """(set_id, member_id): the accounts' real-looking sampled followers, from the store.

    With ``drop_bots`` the ids two of these accounts share are checked by the fake-profile
    model and the likely bots among them dropped (:mod:`covey.planning.bots`).
    """
    from covey.planning.bots import drop_shared_bots
    from covey.planning.overlap import audience_identifiers_sql

    wanted = pa.table({"account_id": pa.array(account_ids, pa.string())})
    ids = store.sql(audience_identifiers_sql("wanted"), wanted=wanted)
    return drop_shared_bots(store, ids)[0] if drop_bots else ids


def build_model(
    cands: Candidates,
    ids: pa.Table,
    brief: Brief,
    *,
    people_per_segment: int = 4000,
    k: int = DEFAULT_K,
    rate_spread: float = RATE_SPREAD,
) -> AudienceModel:
    """Sketch the audiences, estimate overlaps and segment sizes, and draw the panel.

    ``rate_spread`` (priors.toml ``reach_spread``) is how much creators' reach rates spread
    around their prior; the panel integrates over it (``segments.rate_factors``).
    """
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
                want is None or have in (key_part(want), "any", MACRO_NICHE)
                for want, have in zip((brief.niche, brief.country, brief.language), p, strict=True)
            )
            for p in parts
        ]
    )
    # Segments resting on no shared id at all are sized as chance overlap (segments.no_evidence).
    blind = segs.blind if segs.blind is not None else np.zeros(len(segs.keys), dtype=bool)
    borrowed = [
        segs.keys[g]
        for g, b in enumerate(segs.rates.basis if segs.rates else [])
        if b in BORROWED and not blind[g]
    ]
    if borrowed:
        notes.append(
            f"no shared audience identifiers of their own in {len(borrowed)} segment(s) "
            f"({segment_names(borrowed)}): their overlaps are estimated from similar segments"
            " (wider intervals)"
        )
    if not segs.from_overlaps.all() or blind.any():
        guessed = [segs.keys[g] for g in np.flatnonzero(~segs.from_overlaps | blind)]
        notes.append(
            f"no shared audience identifiers in {len(guessed)} segment(s) ({segment_names(guessed)}):"
            " their audiences are assumed to overlap no more than by chance"
        )
    panel = virtual_panel(
        cands, segs, target, people_per_segment=people_per_segment, seed=brief.seed, rate_spread=rate_spread
    )
    return AudienceModel(cands, segs, panel, coverage, n_ids, target, notes, rate_spread)


def segment_names(keys: list[str], shown: int = 3) -> str:
    """Segments as a marketer would name them: "brief/GB/en, macro creators in AU/en, CA/en, ...".

    The macro pool's segments are grouped under one "macro creators in", not named by the
    internal key ("(macro)/AU/en") nor repeated per segment.
    """
    macro = [k.split("/", 1)[1] for k in keys if k.startswith(f"{MACRO_NICHE}/")]
    other = [k for k in keys if not k.startswith(f"{MACRO_NICHE}/")]
    parts = other[:shown]
    if macro and len(parts) < shown:
        parts.append("macro creators in " + ", ".join(macro[: shown - len(parts)]))
    more = len(other) + len(macro) > shown
    return ", ".join(parts) + (", ..." if more else "")


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


@dataclass
class Outcome:
    """The chosen plan, the options side by side, prices, warnings (said first) and notes."""

    result: Chosen
    goal: Goal
    options: list[Option]
    cost: FloatArray
    price_notes: list[str]
    notes: list[str]
    warnings: list[str] = field(default_factory=list)
    curve: list[dict[str, float]] = field(default_factory=list)
    marginal_cost: float | None = None


CURVE_FACTORS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def _creators(posts: IntArray) -> int:
    return int((posts > 0).sum())


def make_plan(
    model: AudienceModel,
    brief: Brief,
    card: RateCard,
    plannable: np.ndarray,
    macro: IntArray,
    *,
    curve: bool = True,
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
    goal = Goal(brief.objective, brief.frequency, brief.max_frequency)
    panel, rates = model.panel, cands.rate
    naive = naive_choice(cands.engagement_rate, cost, cons.max_posts, brief.budget, brief.max_creators)
    notes = list(model.notes)
    macro_posts: IntArray | None = None
    if macro.size:
        m = macro_choice(panel, rates, macro, cost, brief.budget, brief.max_posts, brief.frequency)
        if m.sum():
            macro_posts = m
        else:
            notes.append(
                "the budget buys no post by a macro creator "
                f"(cheapest {cost[macro].min():,.0f} {card.currency})"
            )
    else:
        notes.append("no macro or mega account in the store to compare with")
    starts: list[tuple[str, IntArray]] = [("naive choice", naive)]
    if macro_posts is not None and value_of(panel, rates, goal, macro_posts) > value_of(
        panel, rates, goal, naive
    ):
        # Where the celebrity option would win in the model, the plan may start from it.
        is_macro = np.isin(np.arange(len(cands)), macro)
        cons = replace(cons, max_posts=np.where(is_macro, brief.max_posts, cons.max_posts).astype(np.int64))
        starts.append(("macro option", macro_posts))
    free = prefer_more_reach(
        panel, rates, goal, optimize(panel, rates, goal, cons, starts), starts, brief.frequency
    )
    if free.posts.sum() == 0:
        raise InfeasiblePlanError(
            "no post reaches anyone in the target audience: widen --niche/--country/--language "
            "or the candidate list"
        )
    if macro_posts is not None and free.posts[macro].sum():
        notes.append("the plan books macro creators: in the model they reach more people in the window")
    chosen, other = free, None
    if _creators(free.posts) < brief.min_creators:
        other = optimize(panel, rates, goal, cons, starts, min_creators=brief.min_creators)
        if brief.strict_creators:
            chosen, other = other, free
    people = addressable(model, plannable)
    options = [evaluate(model, "plan", chosen.posts, cost, people)]
    if other is not None:
        label = "best plan, fewer creators" if brief.strict_creators else "keeping the creator minimum"
        options.append(evaluate(model, label, other.posts, cost, people))
    options.append(evaluate(model, "top engagement (naive)", naive, cost, people))
    if macro_posts is not None:
        options.append(evaluate(model, "1-2 macro creators", macro_posts, cost, people))
    warnings = _minimum_warning(brief, cons, cost, options, card.currency) if other is not None else []
    for i in np.flatnonzero(np.isfinite(cands.fee)):
        price_notes[i] = "quoted fee (candidate list)"
    out = Outcome(chosen, goal, options, cost, price_notes, notes, warnings)
    if curve:
        out.curve, out.marginal_cost = budget_curve(model, brief, cons, goal, starts, people, chosen)
    return out


TIE = 1e-3  # plans whose objective differs by less than this share are ties in the model


def prefer_more_reach(
    panel: Panel, rates: FloatArray, goal: Goal, got: Chosen, starts: list[tuple[str, IntArray]], k: int
) -> Chosen:
    """The plan, or a baseline start that ties it on the objective (within ``TIE``) and reaches more at k+.

    The window objective stops adding posts once they push as many people past the window's
    top as they bring into it, so a plan can tie the naive choice in the model and reach fewer
    people k+ times; the model's reach at k+ breaks such ties.
    """
    best, best_k = got, exposure_distribution(panel, rates, got.posts, max(10, k + 1)).reach_at(k)
    for name, posts in starts:
        v = value_of(panel, rates, goal, posts)
        if v < got.value - TIE * max(abs(got.value), 1e-9):
            continue
        rk = exposure_distribution(panel, rates, posts, max(10, k + 1)).reach_at(k)
        if rk > best_k * (1 + 1e-9):
            why = f"the {name}: it ties the search's plan on the objective and reaches more people {k}+ times"
            best = Chosen(posts.copy(), v, replace(got.certificate, value=v), why)
            best_k = rk
    return best


def _minimum_warning(
    brief: Brief, cons: Constraints, cost: FloatArray, options: list[Option], currency: str
) -> list[str]:
    """Say first that the creator minimum and the frequency pull apart, with both plans' reach."""
    k, low = brief.frequency, brief.min_creators
    plan, alt = options[0], options[1]
    posts = min(k, brief.max_posts)
    need = minimum_budget(cost, cons.max_posts, low, posts)
    if need is None:
        head = f"there are fewer than {low} candidates that can post {posts} times"
    elif need > brief.budget:
        head = (
            f"the budget cannot buy {low} creators at {posts} posts each: that needs at least "
            f"{need:,.0f} {currency}"
        )
    else:
        head = f"at this budget more posts by fewer creators reach more people {k}+ times than {low} creators"
    strict, loose = (plan, alt) if brief.strict_creators else (alt, plan)
    relaxed = "the frequency goal" if brief.strict_creators else f"the creator minimum ({low})"
    return [
        f"{head}. Keeping the minimum: {strict.posts_count_text()} reach {strict.reach_at(k):,.0f} people "
        f"{k}+ times; without it: {loose.posts_count_text()} reach {loose.reach_at(k):,.0f}. "
        f"The plan shown relaxes {relaxed}"
        + ("" if brief.strict_creators else " (--strict-creators keeps it)")
        # Only a budget short of the minimum can be named: when it already buys the minimum,
        # fewer creators win on reach, not on money, and a smaller figure would mislead.
        + (f"; a budget of {need:,.0f} {currency} would allow both" if need and need > brief.budget else "")
        + "."
    ]


def budget_curve(
    model: AudienceModel,
    brief: Brief,
    cons: Constraints,
    goal: Goal,
    starts: list[tuple[str, IntArray]],
    people: float,
    at_budget: Chosen,
) -> tuple[list[dict[str, float]], float | None]:
    """Budget -> expected people reached k+ times (re-optimised at each budget), and the marginal cost.

    The marginal cost of one more person at k+ is the extra money between this budget and
    1.25 x it divided by the extra people reached k+ times (None when they reach no more).
    """
    k = brief.frequency
    rows: list[dict[str, float]] = []
    # Warm starts: above the budget each point starts from the plan one step below (it stays
    # affordable, so the curve never falls); below it, from the surrogate alone. No baseline
    # starts and a short search: the points are re-plans of one state, not fresh plans.
    factors = sorted(CURVE_FACTORS)
    got_at: dict[float, Chosen] = {1.0: at_budget}
    for f in [x for x in factors if x > 1.0]:
        prev = got_at[max(x for x in got_at if x < f)]
        sub = replace(cons, budget=brief.budget * f)
        warm = [("plan one step below", prev.posts)]
        got_at[f] = optimize(model.panel, model.cands.rate, goal, sub, warm, quick=True, warm=True)
    for f in [x for x in factors if x < 1.0]:
        sub = replace(cons, budget=brief.budget * f)
        trimmed = [(n, p) for n, p in starts if float((p * cons.cost).sum()) <= sub.budget]
        got_at[f] = optimize(model.panel, model.cands.rate, goal, sub, trimmed[:1], quick=True)
    for f in factors:
        budget = brief.budget * f
        got = got_at[f]
        rep = exposure_distribution(model.panel, model.cands.rate, got.posts, max(10, k + 1))
        rows.append(
            {
                "budget": budget,
                "spent": float((got.posts * cons.cost).sum()),
                f"reach_{k}plus": rep.reach_at(k),
                f"share_{k}plus": rep.reach_at(k) / people if people > 0 else 0.0,
                "in_window": rep.in_window(k, brief.max_frequency),
            }
        )
    at = {r["budget"]: r[f"reach_{k}plus"] for r in rows}
    extra = at[brief.budget * 1.25] - at[brief.budget]
    marginal = brief.budget * 0.25 / extra if extra > 1e-9 else None
    return rows, marginal
