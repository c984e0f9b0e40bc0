"""Checks before planning: each failure says what would make the plan feasible."""

from __future__ import annotations

import numpy as np

from covey.errors import CoveyError
from covey.planning.greedy import Constraints


class InfeasiblePlanError(CoveyError):
    """No plan can meet the brief as stated; the message says what to change."""


def check(cons: Constraints, names: list[str], k: int, k_max: int, currency: str) -> None:
    """Raise :class:`InfeasiblePlanError` when no plan can reach anyone k times within the brief."""
    if k < 1 or k_max < k:
        raise InfeasiblePlanError(
            f"the frequency window {k}-{k_max} is empty: --max-frequency must be at least --frequency ({k})"
        )
    open_ = np.flatnonzero(cons.max_posts > 0)
    if open_.size == 0:
        raise InfeasiblePlanError(
            "no candidates to plan with: pass --candidates FILE, import accounts with 'covey import', "
            "or remove some --exclude entries"
        )
    if cons.max_creators < 1:
        raise InfeasiblePlanError("--creators allows no creator: use a range such as 15-30")
    cheapest = float(cons.cost[open_].min())
    if cheapest > cons.budget:
        i = int(open_[np.argmin(cons.cost[open_])])
        raise InfeasiblePlanError(
            f"the budget {cons.budget:,.0f} {currency} buys no post: the cheapest candidate post "
            f"({names[i]}) costs {cheapest:,.0f} {currency}; "
            f"raise --budget to at least {cheapest:,.0f} {currency}, "
            "or add cheaper (smaller) creators or product-only deals to the rate card"
        )
    must_cost = float(sum(cons.cost[c] for c in cons.must))
    if must_cost > cons.budget:
        raise InfeasiblePlanError(
            f"one post by each --must creator costs {must_cost:,.0f} {currency}, over the budget of "
            f"{cons.budget:,.0f}: raise --budget to at least {must_cost:,.0f} or drop some --must creators"
        )
    if len(cons.must) > cons.max_creators:
        raise InfeasiblePlanError(
            f"{len(cons.must)} --must creators exceed the creator limit {cons.max_creators}: raise --creators"
        )
    # Most exposures one person can get: every post of the creators allowed, and of those
    # the budget affords, each reaching them.
    max_posts = int(cons.max_posts[open_].max())
    cap = cons.post_cap()
    free = cons.cost[open_] <= 0
    affordable = int(cons.max_posts[open_][free].sum())
    paid = np.sort(np.repeat(cons.cost[open_][~free], cons.max_posts[open_][~free]))
    affordable += int(np.searchsorted(np.cumsum(paid), cons.budget, side="right"))
    if cap < k:
        per_creator = -(-k // max(1, min(cons.max_creators, open_.size)))
        raise InfeasiblePlanError(
            f"nobody can be reached {k} times: at most {cons.max_creators} creators x {max_posts} posts "
            f"= {cap} exposures per person; allow --max-posts {per_creator} "
            f"or more, more creators (--creators), or lower --frequency to {cap}"
        )
    if affordable < k:
        need = float(np.cumsum(paid)[k - 1]) if paid.size >= k else float("nan")
        more = f"raise --budget to at least {need:,.0f} {currency}" if np.isfinite(need) else "add candidates"
        raise InfeasiblePlanError(
            f"nobody can be reached {k} times: the budget of {cons.budget:,.0f} {currency} buys only "
            f"{affordable} posts; {more}, or lower --frequency to {max(1, affordable)}"
        )
    if cons.min_creators > open_.size:
        raise InfeasiblePlanError(
            f"--creators asks for at least {cons.min_creators} creators but only {open_.size} candidates "
            "remain: widen the candidate list or lower the minimum"
        )
