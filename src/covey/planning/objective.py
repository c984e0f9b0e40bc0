"""The planning objective: a monotone submodular surrogate of effective reach.

People reached between k and K times is neither monotone nor submodular; the surrogate

    F_k(S) = sum_j w_j E[min(X_j(S), k)]

is both (each post adds an independent Bernoulli to X_j, and min(., k) is concave), so
greedy guarantees hold. The window's upper end K is enforced by per-creator post caps.
A ground-set element is "one more post by creator c": posts of a creator are identical
elements, so the greedy always adds creator c's next post.

Two implementations share one interface: :class:`ExpectedCoverage` (the exact expectation,
used to plan) and :class:`ScenarioCoverage` (a sample-average over drawn exposures, the
objective the exact MILP solves, so the two optimizers can be compared on one function).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from covey.planning.reach import FloatArray, IntArray, Panel


class Coverage(Protocol):
    """A monotone submodular set function over posts, evaluated incrementally."""

    panel: Panel
    k: int
    posts: IntArray
    value: float

    def gain(self, c: int) -> float:
        """F(S + next post of c) - F(S)."""
        ...

    def gains(self) -> FloatArray:
        """gain(c) for every creator at once (vectorised)."""
        ...

    def add(self, c: int) -> None:
        """Add creator c's next post to S."""
        ...

    def copy(self) -> Coverage:
        """An independent copy of the current state."""
        ...


def _segment_sums(values: FloatArray, indptr: IntArray) -> FloatArray:
    """Sum of values over each CSR segment (0 for empty ones)."""
    n = indptr.size - 1
    if values.size == 0:
        return np.zeros(n)
    out = np.add.reduceat(values, np.minimum(indptr[:-1], values.size - 1))
    out[np.diff(indptr) == 0] = 0.0
    return out.astype(np.float64)


class ExpectedCoverage:
    """F_k with exact expectations: per person, P(X_j = m) for m < k."""

    def __init__(self, panel: Panel, rates: FloatArray, k: int) -> None:
        if k < 1:
            raise ValueError("k must be at least 1")
        self.panel = panel
        self.rates = rates.astype(np.float64)
        self.entry_rate = panel.entry_rates(self.rates)
        self.k = k
        self.tw = np.where(panel.target, panel.weight, 0.0)
        self.dist = np.zeros((panel.n_people, k), dtype=np.float64)
        self.dist[:, 0] = 1.0
        self.below = np.ones(panel.n_people)  # P(X_j < k)
        self.posts = np.zeros(len(panel.creators), dtype=np.int64)
        self.value = 0.0

    def gain(self, c: int) -> float:
        # E[min(X + B, k)] - E[min(X, k)] = p * P(X < k) for B ~ Bernoulli(p).
        m = self.panel.members(c)
        p = self.entry_rate[self.panel.indptr[c] : self.panel.indptr[c + 1]]
        return float((p * self.tw[m] * self.below[m]).sum())

    def gains(self) -> FloatArray:
        vals = (self.tw * self.below)[self.panel.indices] * self.entry_rate
        return _segment_sums(vals, self.panel.indptr)

    def add(self, c: int) -> None:
        m = self.panel.members(c)
        p = self.entry_rate[self.panel.indptr[c] : self.panel.indptr[c + 1]][:, None]
        self.value += float((p[:, 0] * self.tw[m] * self.below[m]).sum())
        d = self.dist[m]
        new = d * (1.0 - p)
        new[:, 1:] += d[:, :-1] * p
        self.dist[m] = new
        self.below[m] = new.sum(axis=1)
        self.posts[c] += 1

    def copy(self) -> ExpectedCoverage:
        other = ExpectedCoverage.__new__(ExpectedCoverage)
        other.panel, other.rates, other.k, other.tw = self.panel, self.rates, self.k, self.tw
        other.entry_rate = self.entry_rate
        other.dist, other.below = self.dist.copy(), self.below.copy()
        other.posts, other.value = self.posts.copy(), self.value
        return other


class ScenarioCoverage:
    """F_k as a sample average over ``n_scenarios`` drawn exposure outcomes.

    ``hits[e, t, s]`` says whether post t (0-based) of the creator owning membership entry e
    reaches that member in scenario s; drawn once, so the MILP sees the same outcomes.
    """

    def __init__(
        self, panel: Panel, rates: FloatArray, k: int, max_posts: int, n_scenarios: int, seed: int = 0
    ) -> None:
        rng = np.random.default_rng(seed)
        self.panel = panel
        self.k = k
        self.n_scenarios = n_scenarios
        self.max_posts = max_posts
        self.tw = np.where(panel.target, panel.weight, 0.0)
        owner = np.repeat(np.arange(len(panel.creators)), np.diff(panel.indptr))
        self.owner = owner
        p = panel.entry_rates(rates)
        self.hits = rng.random((panel.indices.size, max_posts, n_scenarios)) < p[:, None, None]
        self.count = np.zeros((panel.n_people, n_scenarios), dtype=np.int64)
        self.posts = np.zeros(len(panel.creators), dtype=np.int64)
        self.value = 0.0

    def _entries(self, c: int) -> tuple[IntArray, slice]:
        return self.panel.members(c), slice(int(self.panel.indptr[c]), int(self.panel.indptr[c + 1]))

    def gain(self, c: int) -> float:
        t = int(self.posts[c])
        if t >= self.max_posts:
            return 0.0
        m, sl = self._entries(c)
        useful = self.hits[sl, t, :] & (self.count[m] < self.k)
        return float((useful.sum(axis=1) * self.tw[m]).sum()) / self.n_scenarios

    def gains(self) -> FloatArray:
        t = self.posts[self.owner]
        entries = np.arange(self.owner.size)
        hit = self.hits[entries, np.minimum(t, self.max_posts - 1), :]
        useful = (hit & (self.count[self.panel.indices] < self.k)).sum(axis=1) * self.tw[self.panel.indices]
        useful = np.where(t < self.max_posts, useful, 0.0)
        return _segment_sums(useful.astype(np.float64), self.panel.indptr) / self.n_scenarios

    def add(self, c: int) -> None:
        t = int(self.posts[c])
        if t >= self.max_posts:
            raise ValueError(f"creator {c} already has {t} posts, the scenario maximum")
        self.value += self.gain(c)
        m, sl = self._entries(c)
        self.count[m] += self.hits[sl, t, :]
        self.posts[c] += 1

    def copy(self) -> ScenarioCoverage:
        other = ScenarioCoverage.__new__(ScenarioCoverage)
        other.__dict__.update(self.__dict__)
        other.count, other.posts = self.count.copy(), self.posts.copy()
        return other
