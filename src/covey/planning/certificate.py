"""An online upper bound on the optimum, from any point of a greedy run.

For a monotone submodular F and any plan S, every optimal plan O satisfies
F(O) <= F(S) + sum over e in O \\ S of delta_e(S) (Leskovec et al. 2007). O's posts cost at
most the budget and O holds at most ``cap_c`` posts of creator c and at most
``max_creators * cap`` posts in all, so the sum is at most the best fractional knapsack of
the current gains (each creator offering its remaining posts at gain delta_c each, since a
creator's later posts gain no more than its next one), and at most the sum of the largest
gains that many posts could take. Both are valid; the certificate keeps the smaller, and the
smallest over the run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from covey.planning.reach import FloatArray, IntArray


@dataclass(frozen=True)
class Certificate:
    """The plan's value, an upper bound on the optimum, and their ratio.

    Nothing here clips: a bound below the value is a bug in the bound, and shows as a ratio
    above 1 and ``valid`` False, never as a reassuring 100 %.
    """

    value: float
    upper_bound: float

    @property
    def ratio(self) -> float:
        """value / upper bound: the plan is at least this fraction of optimal (> 1 means a broken bound)."""
        if self.upper_bound > 0:
            return self.value / self.upper_bound
        return 1.0 if self.value <= 0 else float("inf")

    @property
    def valid(self) -> bool:
        """Whether the bound holds the plan's own value below it (up to rounding)."""
        return self.value <= self.upper_bound * (1 + 1e-9) + 1e-9


def knapsack_bound(gains: FloatArray, cost: FloatArray, copies: IntArray, budget: float) -> float:
    """Best fractional knapsack: ``copies[c]`` items of gain ``gains[c]`` and cost ``cost[c]``."""
    ok = (copies > 0) & (gains > 0)
    g, c, n = gains[ok], cost[ok], copies[ok]
    free = c <= 0
    total = float((g[free] * n[free]).sum())
    g, c, n = g[~free], c[~free], n[~free]
    order = np.argsort(-(g / c), kind="stable")
    g, c, n = g[order], c[order], n[order]
    spend = np.cumsum(c * n)
    full = spend <= budget
    total += float((g[full] * n[full]).sum())
    rest = np.flatnonzero(~full)
    if rest.size:
        i = int(rest[0])
        left = budget - (float(spend[i - 1]) if i > 0 else 0.0)
        total += float(g[i]) * left / float(c[i])
    return total


def cardinality_bound(gains: FloatArray, copies: IntArray, max_items: int) -> float:
    """Sum of the largest gains, counting each creator's copies, over at most max_items posts."""
    ok = (copies > 0) & (gains > 0)
    g, n = gains[ok], copies[ok]
    order = np.argsort(-g, kind="stable")
    g, n = g[order], n[order]
    taken = np.minimum(n, np.maximum(0, max_items - np.concatenate(([0], np.cumsum(n)[:-1]))))
    return float((g * taken).sum())


def upper_bound(
    value: float,
    gains: FloatArray,
    cost: FloatArray,
    remaining_posts: IntArray,
    budget: float,
    max_posts_total: int,
) -> float:
    """F(S) plus the smaller of the knapsack and cardinality bounds on what O adds."""
    add = min(
        knapsack_bound(gains, cost, remaining_posts, budget),
        cardinality_bound(gains, remaining_posts, max_posts_total),
    )
    return value + add
