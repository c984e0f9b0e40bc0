"""Delivered reach at 1+ and 3+ with the plan's own audience model.

The saved plan's inputs (brief, candidates, priors) rebuild the same audience model the planner
used (``covey.planning``), reach rates included; the delivered posts replace the planned ones.

A creator's reach rate is measured from the people their delivered posts reached: the reach
they reported in their insights (``covey.campaigns.insights``: unique accounts per post), else
the platform's views (TikTok, YouTube), else it stays the plan's prior.

People reached turn into reach rates only where the creator's real audience is known from vetting, the
candidate list or the account's own follower sample (``covey.planning.sample_share``), not
from the prior. A post's reach or views measure rate x real audience; split with
the prior real share (70 %), an account with 85 % fake followers gets a rate five times too high,
and 3+ grows like rate³. On the exploration world (300 creators, seed 5) rates from views with
prior audiences took the delivered 3+ from +48 % to +140 % of the simulated truth; with vetted
audiences the same step removes most of the error the reach-rate prior leaves (docs/campaigns.md
has the figures). Reach and views still give each creator's impressions in the report either way. A measured
rate is the creator's own, so the prior's spread around the platform rate (which
the planner integrates over) is dropped for that creator (:func:`measured_panel`).
"""

from __future__ import annotations

import logging
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

from covey.planning.candidates import Candidates, listed_ids, load_candidates, measured_mask
from covey.planning.learned_rates import LearnedRates, apply_learned
from covey.planning.planner import AudienceModel, Brief, build_model, identifiers_table
from covey.planning.plans import load_plan
from covey.planning.reach import exposure_distribution, load_priors
from covey.planning.result import PlanResult
from covey.planning.sample_share import sample_counts, with_sample_shares
from covey.planning.segments import measured_panel
from covey.planning.session import BRIEF_NICHE, gather
from covey.store import Store

log = logging.getLogger("covey.campaigns.reach")


def _brief(inputs: dict[str, Any]) -> Brief:
    kw: dict[str, Any] = {f.name: inputs[f.name] for f in fields(Brief) if f.name in inputs}
    for k in ("must", "exclude"):
        kw[k] = tuple(kw.get(k) or ())
    return Brief(**kw)


def plan_model(store: Store, plan_id: int) -> tuple[PlanResult, Candidates, AudienceModel, str]:
    """The saved plan, its candidates and the audience model the planner built, rebuilt.

    Returns the plan, the candidates, the model and a phrase saying where the candidates came from.
    """
    plan = load_plan(store, plan_id)
    inputs = plan.inputs
    brief = _brief(inputs)
    priors_path = Path(inputs["priors"]) if inputs.get("priors", "").endswith(".toml") else None
    cand_file = Path(inputs["candidates_file"]) if inputs.get("candidates_file") else None
    # The rates the plan learned from earlier campaigns, as saved with it (none for older plans),
    # not what was imported since: this campaign's own insights are the delivered side's.
    learned = LearnedRates.from_dict(inputs.get("learned_rates"))
    if cand_file is not None and cand_file.exists():
        cands, _, _ = gather(store, brief, cand_file, priors_path, learned=learned)
        how = f"the plan's candidate file {cand_file}"
    else:
        # The file is gone (or discovery chose): the plan's own list of candidates, labelled as planned.
        niche = brief.niche or (BRIEF_NICHE if plan.summary.get("candidate_source") == "discovery" else None)
        ids = list(inputs.get("candidate_ids") or [])
        ids += [str(it["account_id"]) for it in plan.items if it["account_id"] not in set(ids)]
        listed = listed_ids(ids, niche)
        cands = load_candidates(store, load_priors(priors_path), listed=listed, source="saved plan")
        # As the plan had them (covey.planning.session.gather): the follower sample's real share
        # where the prior was the only other guess, then the learned rates.
        cands = apply_learned(with_sample_shares(cands, sample_counts(store, cands.account_id)), learned)
        how = "the plan's saved candidate list"
    model = build_model(cands, identifiers_table(store, cands.account_id), brief)
    return plan, cands, model, how


def delivered_reach(
    store: Store,
    plan_id: int,
    posts: dict[str, int],
    views_per_post: dict[str, float],
    *,
    reach_per_post: dict[str, float] | None = None,
    calibrate_views: bool | None = None,
    interval: bool = True,
) -> dict[str, Any]:
    """Planned and delivered reach (1+, 3+) under the plan's model, with a 90 % interval.

    A creator's reach rate is measured from the people their delivered posts reached: the
    reach they reported (``reach_per_post``, mean unique accounts per post from their insights)
    where given, else the platform's views (``views_per_post``), divided by their real
    audience; else it is the plan's prior. ``calibrate_views`` (the report's
    ``--rates-from-views``): True measures every creator with reach or views, False none, None
    (the default) only creators whose real audience is known (vetting, the candidate list or
    the follower sample), since otherwise the people reached cannot tell a low rate from a small
    real audience. ``rate_sources`` says per creator which one was used.
    """
    reported = reach_per_post or {}
    plan, cands, model, how = plan_model(store, plan_id)
    index = {a: i for i, a in enumerate(cands.account_id)}
    planned = np.zeros(len(cands), dtype=np.int64)
    for it in plan.items:
        if it["account_id"] in index:
            planned[index[it["account_id"]]] = int(it["posts"])
    delivered = np.zeros(len(cands), dtype=np.int64)
    rates = np.array(cands.rate, dtype=float).copy()
    measured = measured_mask(cands).copy()  # measured in earlier campaigns, as the plan had them
    factors = LearnedRates.from_dict(plan.inputs.get("learned_rates")).factors
    sources: dict[str, dict[str, Any]] = {}
    for a, n in posts.items():
        if a not in index:
            continue
        i = index[a]
        delivered[i] = n
        known = cands.real_share_source[i] != "prior" if cands.real_share_source else False
        use = calibrate_views if calibrate_views is not None else known
        kind, people = (
            ("reported reach", reported.get(a)) if a in reported else ("views", views_per_post.get(a))
        )
        # The plan's rate, said briefly (base) and in full (before).
        learned = None if measured[i] else factors.get(cands.platform[i] or "default")
        base = "measured in earlier campaigns" if measured[i] else "prior"
        if learned is not None:
            base = f"prior x {learned[0]:.2f}"
        before = base if learned is None else f"{base} (learned from past campaigns)"
        if not n:
            source = f"{base} (no post delivered)"
        elif people is None:
            source = before
        elif use and cands.real_audience[i] > 0:
            rates[i] = min(1.0, people / float(cands.real_audience[i]))
            measured[i] = True
            source = kind
        else:
            why = (
                "--rates-from-views off"
                if calibrate_views is False
                else "real audience not known; vet the creator"
            )
            source = f"{base} (the {kind} not used: {why})"
        sources[a] = {"rate": float(rates[i]), "source": source}
    plan_rep = exposure_distribution(model.panel, np.array(cands.rate, dtype=float), planned)
    got_rep = exposure_distribution(measured_panel(model.panel, measured), rates, delivered)
    n_reach = sum(1 for a in posts if a in index and sources[a]["source"] == "reported reach")
    n_views = sum(1 for a in posts if a in index and sources[a]["source"] == "views")
    out: dict[str, Any] = {
        "planned": {"1+": plan_rep.reach_at(1), "3+": plan_rep.reach_at(3)},
        "delivered": {"1+": got_rep.reach_at(1), "3+": got_rep.reach_at(3)},
        "creators_with_views": sum(1 for a in posts if a in views_per_post),
        "creators_with_reported_reach": sum(1 for a in posts if a in reported),
        "rates_from_views": n_views,
        "rates_from_reported_reach": n_reach,
        "rate_sources": sources,
        "model": f"the plan's audience model rebuilt from {how}, with its reach rates; the delivered posts "
        "per creator in place of the planned ones"
        + (
            f"; for {n_reach + n_views} creator(s) whose real audience is known, reach rates measured "
            f"from their posts (people reached per post / real audience: {n_reach} from the reach "
            f"they reported, {n_views} from views), taken as known (no spread around the prior)"
            if n_reach + n_views
            else ""
        ),
    }
    if interval:
        from covey.campaigns.intervals import delivered_intervals
        from covey.planning.intervals import LEVEL

        out["interval"] = {
            "level": LEVEL,
            "delivered": delivered_intervals(
                model, rates, delivered, measured, seed=_brief(plan.inputs).seed
            ),
            "definition": "5th to 95th percentile of the delivered reach re-evaluated with the plan's "
            "uncertain parts drawn again (real-audience shares, segment sizes, the cross pool, "
            "the reach rates not measured; covey.planning.intervals); measured rates held to the "
            "people reached per post",
        }
    return out
