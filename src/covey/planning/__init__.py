"""Campaign planning: the audience model, prices, the optimizer and its certificate.

The journey: candidates (``candidates``) -> audience sketches and overlaps (``sketches``,
``overlap``) -> segment model and panel (``segments``, ``reach``) -> rate card
(``ratecard``) -> surrogate objective (``objective``) -> lazy greedy (``greedy``) or exact
MILP (``milp``) -> certificate (``certificate``) -> baselines and saved plans.
"""

from covey.planning.certificate import Certificate
from covey.planning.feasibility import InfeasiblePlanError
from covey.planning.greedy import Constraints, GreedyResult, plan_greedy
from covey.planning.objective import ExpectedCoverage, ScenarioCoverage
from covey.planning.ratecard import RateCard, load_rate_card
from covey.planning.reach import (
    Panel,
    Priors,
    ReachReport,
    exposure_distribution,
    load_priors,
    panel_from_pairs,
)
from covey.planning.sizing import size_plan

__all__ = [
    "Certificate",
    "Constraints",
    "ExpectedCoverage",
    "GreedyResult",
    "InfeasiblePlanError",
    "Panel",
    "Priors",
    "RateCard",
    "ReachReport",
    "ScenarioCoverage",
    "exposure_distribution",
    "load_priors",
    "load_rate_card",
    "panel_from_pairs",
    "plan_greedy",
    "size_plan",
]
