"""One planning run against the store: gather candidates, model, optimise, save.

The CLI, the API and the pages call :func:`run_plan`; it returns a
:class:`covey.planning.result.PlanResult` (the figures with their definitions, the chosen
creators, the inputs) and saves the plan with its inputs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from covey import __version__
from covey.planning.candidates import (
    Candidates,
    concat,
    listed_ids,
    load_candidates,
    read_candidate_file,
    take,
)
from covey.planning.feasibility import InfeasiblePlanError
from covey.planning.inputs import check_brief
from covey.planning.intervals import DRAWS, reach_intervals, spread_with_known_rates
from covey.planning.learned_rates import (
    LearnedRates,
    apply_learned,
    learn_rates,
    learned_note,
    rate_source,
)
from covey.planning.planner import Brief, build_model, identifiers_table, make_plan
from covey.planning.plans import save_plan
from covey.planning.ratecard import in_currency, load_rate_card
from covey.planning.reach import load_priors
from covey.planning.result import PlanResult
from covey.planning.sample_share import sample_counts, with_sample_shares
from covey.planning.segments import MACRO_NICHE
from covey.planning.wording import finite, headline, pick_warning, rates_sentence, unspent
from covey.store import Store
from covey.tiers import DEFAULT_TIERS

log = logging.getLogger("covey.planning.session")

MACRO_POOL = 5
DISCOVERY_POOL = 300  # creators discovery ranks for the planner to choose from
RELEVANT_FIT = 0.6  # share of the best fit a creator needs to count as on the brief
# Niche of discovered candidates when the brief names none: they are the brief's community.
BRIEF_NICHE = "brief"
BOUND_TEXT = {
    "window": "no tight bound exists for the window objective (it is not submodular); this is a loose "
    "one: people reached {k}+ times by any plan <= F_{k}(best plan) / {k}, with F_{k} = sum over target "
    "people of E[min(exposures, {k})] bounded by the greedy's online bound",
    "atleast": "no tight bound exists for reach at {k}+ (it is not submodular); this is a loose one: "
    "people reached {k}+ times by any plan <= F_{k}(best plan) / {k}, with F_{k} = sum over target "
    "people of E[min(exposures, {k})] bounded by the greedy's online bound",
    "reach1": "reach at 1+ is submodular: the greedy's online bound (knapsack and cardinality) holds",
}
# The optimizer against the exact optimum, measured by benchmarks/planning_eval.py (docs/planning.md).
MEASURED_GAP = (
    "on 10 instances of 7 candidates (every plan enumerated) the search found the optimum in all 10; "
    "on 10 of 200 candidates (exact MILP on drawn scenarios) median 100 %, worst 95.7 % of the optimum "
    "(benchmarks/planning_eval.py --unseen, docs/planning.md)"
)


def gather(
    store: Store,
    brief: Brief,
    candidates: Path | None,
    priors_path: Path | None,
    *,
    learned: LearnedRates | None = None,
) -> tuple[Candidates, int, list[str]]:
    """Candidates (listed, or a filter on the store) followed by the macro pool; count of candidates.

    Reach rates take what past campaigns' insights showed (``learned``; None: learned from the
    store now, where the priors' ``learn_from_insights`` allows).
    """
    priors = load_priors(priors_path)
    if learned is None:
        learned = learn_rates(store, priors)
    notes: list[str] = []
    if candidates is not None:
        listed = read_candidate_file(candidates)
        cands = load_candidates(store, priors, listed=listed, source=f"candidate list {candidates}")
        if len(cands) < listed.num_rows:
            notes.append(
                f"{listed.num_rows - len(cands)} listed candidates are not in the store (or lack followers)"
            )
    else:
        found = _discovered(store, brief)
        if found is not None:
            listed, note = found
            cands = load_candidates(store, priors, listed=listed, source="discovery")
            notes.append(note)
        else:
            low, high = DEFAULT_TIERS.range("micro")
            cands = load_candidates(
                store,
                priors,
                min_followers=low,
                max_followers=high,
                country=brief.country,
                language=brief.language,
                source="store filter",
            )
            notes.append(
                f"no --candidates given and no discovery index ('covey index'): planned over every micro "
                f"account in the store ({low:,}-{high:,} followers"
                + (f", country {brief.country}" if brief.country else "")
                + (f", language {brief.language}" if brief.language else "")
                + f"): {len(cands)} accounts"
            )
    if len(cands) == 0:
        raise InfeasiblePlanError(
            "no candidates to plan with: pass --candidates FILE (CSV/JSONL of handles or account_ids), "
            "or import accounts with follower counts ('covey import DIR')"
        )
    pool = load_candidates(
        store, priors, min_followers=DEFAULT_TIERS.bounds[2], country=brief.country, language=brief.language
    )
    known = set(cands.account_id)
    keep = [i for i in np.argsort(-pool.followers) if pool.account_id[i] not in known][:MACRO_POOL]
    pool = take(pool, np.array(keep, dtype=np.int64))
    # A macro account's audience spans niches: it gets its own segment (niche MACRO_NICHE),
    # which the target includes, so its reach is counted without overlap with the micro segments.
    pool = Candidates(**{**asdict(pool), "niche": [MACRO_NICHE] * len(pool)})
    both = concat(cands, pool)  # shares the prior only guessed: from the follower sample (issue #9)
    both = apply_learned(with_sample_shares(both, sample_counts(store, both.account_id)), learned)
    said = learned_note(learned, both)
    return both, len(cands), notes + ([said] if said else [])


def _discovered(store: Store, brief: Brief) -> tuple[pa.Table, str] | None:
    """Candidates for the brief from discovery, or None where there is no index to ask.

    Discovery ranks every indexed micro creator by fit to the brief; the planner takes those
    whose fit is at least ``RELEVANT_FIT`` of the best one's, so a brief about Crohn's plans
    over the creators who post about it rather than over every micro creator.

    That fit is the evidence of a niche (discovery's own rule for "in a niche",
    ``covey.discovery.search.NICHE_RELATIVE_FIT``): the kept creators are labelled with the
    brief's ``--niche``, else :data:`BRIEF_NICHE`, so their audiences form one community per
    country and language, apart from the macro pool's niche-less segments. The vetting run's
    per-account niche is a single hashtag (#crohns, #colitis, #ibdwarrior, ...), which splits one
    community over many labels, so it is not used.
    """
    from covey.discovery import Filters, discover, index_dir

    if not brief.text.strip() or store.path is None or not index_dir(store.path).exists():
        return None
    filters = Filters(
        tier="micro",
        countries=(brief.country,) if brief.country else (),
        languages=(brief.language,) if brief.language else (),
    )
    found = discover(store, brief.text, filters, top=DISCOVERY_POOL, evidence=False)
    if not found.results:
        return None
    best = max(r.fit for r in found.results)
    kept = [r.account_id for r in found.results if r.fit >= RELEVANT_FIT * best]
    niche = brief.niche or BRIEF_NICHE
    note = (
        f"candidates from discovery: the {len(kept)} micro creators whose posts fit the brief best "
        f"(fit >= {RELEVANT_FIT:.0%} of the best, {best:.2f}; {found.passing:,} passed the filters), "
        f"modelled as one niche, {niche!r}; pass --candidates FILE to choose them yourself"
    )
    listed = listed_ids(kept, niche)
    return listed, note


def run_plan(
    store: Store,
    brief: Brief,
    *,
    candidates: Path | None = None,
    rate_card: Path | None = None,
    priors: Path | None = None,
    save: bool = True,
    curve: bool = True,
    interval_draws: int = DRAWS,
    progress: Callable[[str, int, int], None] | None = None,
) -> PlanResult:
    """Plan a campaign for the brief and return (and save) everything a user sees.

    ``curve=False`` leaves the budget curve out (empty) and ``interval_draws`` sets how many
    redraws the 90 % interval takes: cheaper settings for callers that need the plan only;
    the plan itself does not depend on either. ``progress(step, done, total)`` is called as
    the run advances (the web app's background job shows it).

    The brief is checked first (:func:`covey.planning.inputs.check_brief`); the rate card is
    shown in the brief's currency (converted with the shipped, dated table, or refused).
    Every float in the result is finite or None.
    """

    def step(name: str, done: int) -> None:
        if progress is not None:
            progress(name, done, 5)

    step("checking the brief and gathering candidates", 0)
    brief = check_brief(brief)
    card, fx_note = in_currency(load_rate_card(rate_card), brief.currency)
    loaded = load_priors(priors)
    learned = learn_rates(store, loaded)
    allc, n_cands, notes = gather(store, brief, candidates, priors, learned=learned)
    if fx_note:
        notes.append(fx_note)
    plannable = np.arange(len(allc)) < n_cands
    big = np.array([t in ("macro", "mega") for t in allc.tier])
    macro = np.flatnonzero(big)
    macro = macro[np.argsort(-allc.followers[macro], kind="stable")]
    step("modelling the candidates' audiences", 1)
    model = build_model(
        allc, identifiers_table(store, allc.account_id), brief, rate_spread=loaded.reach_spread
    )
    step("choosing creators and posts", 2)
    out = make_plan(model, brief, card, plannable, macro, curve=curve)
    k = brief.frequency
    chosen = np.flatnonzero(out.result.posts)
    a = allc.real_audience
    tw = np.where(model.panel.target, model.panel.weight, 0.0)
    items = []
    for c in chosen[np.argsort(-out.cost[chosen] * out.result.posts[chosen], kind="stable")]:
        in_target = float(tw[model.panel.members(int(c))].sum())
        items.append(
            {
                "account_id": allc.account_id[c],
                "handle": allc.handle[c],
                "platform": allc.platform[c],
                "tier": allc.tier[c],
                "followers": float(allc.followers[c]),
                "real_share": float(allc.real_share[c]),
                "real_share_source": allc.real_share_source[c] if allc.real_share_source else "prior",
                "real_audience": float(a[c]),
                "reach_rate": float(allc.rate[c]),
                "reach_rate_source": rate_source(learned, allc, int(c)),
                "posts": int(out.result.posts[c]),
                "cost_per_post": float(out.cost[c]),
                "cost": float(out.cost[c] * out.result.posts[c]),
                "reach_per_post": in_target * float(allc.rate[c]),
                "engagements": float(np.nan_to_num(allc.engagements_per_post[c]) * out.result.posts[c]),
                "price_note": out.price_notes[c],
            }
        )
        items[-1]["warning"] = pick_warning(items[-1])
    options = [o.summary(k) for o in out.options]
    cert = out.result.certificate
    summary: dict[str, Any] = {
        **options[0],
        "frequency_window": [k, brief.max_frequency],
        "in_window": float(sum(options[0]["reach"]["histogram"][k : brief.max_frequency + 1])),
        "objective": {"kind": out.goal.kind, "description": out.goal.describe(), "value": cert.value},
        "certificate": {
            "objective": out.goal.describe(),
            "value": cert.value,
            "upper_bound": cert.upper_bound,
            "ratio": cert.ratio,
            "valid": cert.valid,
            "bound": BOUND_TEXT[out.goal.kind].format(k=k),
            "measured_gap": MEASURED_GAP,
            "method": out.result.method,
        },
        "warnings": out.warnings
        + [
            f"@{it['handle'] or it['account_id']}: {it['warning']}"
            for it in items
            if it["warning"] and it["real_share_source"] == "vetting"
        ],
        "budget_curve": out.curve,
        "marginal_cost_per_person": out.marginal_cost,
        "options": options,
        "notes": notes + out.notes,
        "definitions": {
            "audience": "expected people in the target audience: segments "
            + ", ".join(
                k_
                for g, (k_, t) in enumerate(zip(model.segments.keys, model.target_segments, strict=True))
                if t and plannable[model.segments.of_creator == g].any()
            )
            + " (segment sizes from the followers their sampled audiences share; see docs/planning.md)",
            "reach": "expected people exposed k+ times, exact Poisson-binomial under the segment model",
            "cpm": "money spent per thousand target people reached at least once",
            "cost_per_effective_person": f"money spent per target person reached {k}+ times",
            "engagements": "posts x mean (likes + comments) per post over each account's last 12 posts",
            "reach_rates": "per-post organic reach among real followers: priors.toml by platform and tier, "
            "blended with median views / real followers where views exist; a creator who reported its "
            "reach in a past campaign's insights plans on its own measured rate (people reached per post / "
            "real audience), and each platform's prior moves toward what those creators showed",
        },
        "currency": card.currency,
        "candidates": n_cands,
        "candidate_source": allc.source,
    }
    inputs = {
        **asdict(brief),
        "candidates_file": str(candidates) if candidates else None,
        "candidate_ids": allc.account_id[:n_cands],
        "rate_card": card.source,
        "priors": str(priors) if priors else "covey default priors",
        "learned_rates": learned.as_dict(),  # the report rebuilds the plan's model with these
        "covey_version": __version__,
    }
    step("intervals around the reach", 3)
    summary["intervals"] = {
        "level": 0.9,
        "people": reach_intervals(
            model, out.result.posts, k, brief.max_frequency, seed=brief.seed, draws=interval_draws
        ),
        "definition": "5th to 95th percentile of the plan's reach re-evaluated with the reach rates, "
        "real-audience shares and segment sizes drawn around their estimates (covey.planning.intervals)",
        "known_rates": spread_with_known_rates(
            model, out.result.posts, k, brief.max_frequency, seed=brief.seed, draws=interval_draws
        ),
        "known_rates_definition": "the same range as shares of its median (-0.2 = 20 % below) were every "
        "creator's reach per post known: the draws keep the reach rates and vary the rest",
    }
    summary["headline"] = headline(summary, out.goal.kind)
    summary["rates_note"] = rates_sentence(summary, out.goal.kind)
    summary["unspent"] = unspent(
        brief.budget,
        summary["spent"],
        card.currency,
        out.cost,
        out.result.posts,
        np.where(plannable, brief.max_posts, 0).astype(np.int64),
        brief.max_creators,
    )
    summary, items, inputs = finite(summary), finite(items), finite(inputs)
    step("saving the plan", 4)
    if save:
        summary["plan_id"] = save_plan(store, brief.text, inputs, summary, items)
    return PlanResult(
        brief=brief.text, summary=summary, items=items, inputs=inputs, plan_id=summary.get("plan_id")
    )
