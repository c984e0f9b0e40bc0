"""How sure the report's delivered reach is: the plan's interval, with measured rates held.

The plan's interval (:func:`covey.planning.intervals.reach_intervals`) re-draws the model's
uncertain parts: reach rates (a shared factor per platform and tier and one per creator),
real-audience shares, segment sizes, the cross pool and the virtual panel. The delivered
reach has the same uncertain parts except one: a creator whose reach per post was measured
(reported reach from their insights, or views) has no unknown rate, which the planner's
function holds when it is told which rates were measured.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from covey.planning.intervals import DRAWS, reach_intervals
from covey.planning.planner import AudienceModel
from covey.planning.reach import FloatArray, IntArray


def delivered_intervals(
    model: AudienceModel,
    rates: FloatArray,
    posts: IntArray,
    measured: npt.NDArray[np.bool_],
    seed: int = 0,
    draws: int = DRAWS,
) -> dict[str, list[float]]:
    """90 % intervals of the delivered reach at 1+ and 3+, in people.

    ``rates`` are the report's per-creator rates over the model's candidates (measured where
    ``measured``, else the plan's), ``posts`` the delivered posts per candidate.
    """
    band = reach_intervals(model, posts, 3, 3, seed=seed, draws=draws, rates=rates, measured=measured)
    return {"1+": band["1+"], "3+": band["3+"]}
