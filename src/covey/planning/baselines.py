"""What the same budget would buy without the optimizer: the naive and the macro choice.

Naive: creators in order of engagement rate (by followers), each with as many posts as the
per-creator cap allows, until the budget or the creator limit runs out (the habit the
planner should beat). Macro: the budget spent on the one or two biggest macro or mega
accounts (the celebrity option), whichever of the two gives more people 3+ times.
"""

from __future__ import annotations

import numpy as np

from covey.planning.reach import FloatArray, IntArray, Panel, exposure_distribution


def naive_choice(
    engagement_rate: FloatArray, cost: FloatArray, max_posts: IntArray, budget: float, max_creators: int
) -> IntArray:
    """Posts per creator when picking the most engaging creators first."""
    posts = np.zeros(cost.size, dtype=np.int64)
    er = np.where(np.isfinite(engagement_rate), engagement_rate, -np.inf)
    order = np.argsort(-er, kind="stable")
    left, chosen = budget, 0
    for c in order[max_posts[order] > 0]:  # at most one pass over candidates, stops early
        if chosen >= max_creators:
            break
        n = int(max_posts[c]) if cost[c] <= 0 else int(min(max_posts[c], left // cost[c]))
        if n <= 0:
            continue
        posts[c] = n
        left -= n * float(cost[c])
        chosen += 1
    return posts


def macro_choice(
    panel: Panel,
    rates: FloatArray,
    macro: IntArray,
    cost: FloatArray,
    budget: float,
    max_posts: int,
    k: int,
) -> IntArray:
    """Posts for the best of: the biggest macro account alone, or the two biggest together.

    ``macro`` lists panel indexes of macro/mega accounts, biggest first. Posts are split as
    evenly as the budget allows, up to ``max_posts`` each.
    """
    best = np.zeros(rates.size, dtype=np.int64)
    best_reach = -1.0
    for group in ([macro[:1]], [macro[:2]]):
        idx = group[0]
        if idx.size == 0 or (idx.size == 2 and macro.size < 2):
            continue
        posts = np.zeros(rates.size, dtype=np.int64)
        left = budget
        for _ in range(max_posts):  # round-robin: one more post each while affordable
            for c in idx:
                if cost[c] <= left and posts[c] < max_posts:
                    posts[c] += 1
                    left -= float(cost[c])
        if posts.sum() == 0:
            continue
        reach = exposure_distribution(panel, rates, posts, max_count=k).reach_at(k)
        if reach > best_reach:
            best, best_reach = posts, reach
    return best
