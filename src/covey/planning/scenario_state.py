"""The local search's state on drawn scenarios: the objective the exact MILP solves.

:class:`ScenarioState` has the interface of :class:`~covey.planning.window.WindowState`,
but a person's "distribution" is her exposure count in each of S drawn scenarios (the draws
of :class:`~covey.planning.objective.ScenarioCoverage`, where post t of creator c reaches
member j in scenario s or not), and her value is the share of scenarios in which she is
reached within the goal's window. Running the same local search on it and comparing with
``milp.solve_goal_milp`` on the same draws measures the search against an exact optimum.
"""

from __future__ import annotations

import numpy as np

from covey.planning.objective import ScenarioCoverage
from covey.planning.reach import FloatArray, IntArray
from covey.planning.window import Goal, WindowState


class ScenarioState(WindowState):
    """Exposure counts per person and scenario; bundle gains from the drawn hits."""

    def __init__(self, sc: ScenarioCoverage, goal: Goal, max_bundle: int) -> None:
        self.sc = sc
        # cum[e, t, s]: hits of entry e's first t posts in scenario s.
        self.cum = np.concatenate(
            (np.zeros((sc.hits.shape[0], 1, sc.n_scenarios), np.int64), np.cumsum(sc.hits, axis=1)), axis=1
        )
        self.top_post = sc.max_posts
        self.ready = False
        super().__init__(sc.panel, np.zeros(len(sc.panel.creators)), goal, max_bundle)
        self.dist = np.zeros((sc.panel.n_people, sc.n_scenarios))
        self.ready = True
        self.reset_deltas()

    def _value_rows(self, dist: FloatArray) -> FloatArray:
        k = 1 if self.goal.kind == "reach1" else self.goal.k
        ok = dist >= k
        if self.goal.kind == "window":
            ok &= dist <= self.goal.high
        return np.asarray(ok.mean(axis=1), dtype=np.float64)

    def _hits(self, entries: IntArray, first: IntArray, last: IntArray) -> FloatArray:
        """Hits of posts first..last-1 of each entry's creator, per scenario."""
        last = np.minimum(last, self.top_post)
        first = np.minimum(first, self.top_post)
        hi = np.asarray(self.cum[entries, last], dtype=np.float64)
        return hi - np.asarray(self.cum[entries, first], dtype=np.float64)

    def _entry_deltas(self, entries: IntArray, dist: FloatArray) -> FloatArray:
        if not self.ready:
            return np.zeros((entries.size, self.bundle))  # the base class's first call
        j = self.panel.indices[entries]
        base = self._value_rows(dist)
        p = self.posts[self.owner[entries]]
        out = np.empty((entries.size, self.bundle))
        for t in range(self.bundle):
            out[:, t] = (self._value_rows(dist + self._hits(entries, p, p + t + 1)) - base) * self.tw[j]
        return out

    def dist_without(self, c: int, fewer: int) -> tuple[IntArray, FloatArray]:
        people = self.panel.members(c)
        sl = np.arange(int(self.panel.indptr[c]), int(self.panel.indptr[c + 1]))
        p = np.full(sl.size, int(self.posts[c]))
        return people, self.dist[people] - self._hits(sl, p - fewer, p)

    def _without_rows(self, pairs: list[tuple[int, int]]) -> tuple[IntArray, FloatArray, IntArray]:
        parts = [self.dist_without(c, r) for c, r in pairs]
        ids = [np.full(people.size, i) for i, (people, _) in enumerate(parts)]
        return (
            np.concatenate([p for p, _ in parts]),
            np.concatenate([d for _, d in parts]),
            np.concatenate(ids),
        )

    def add(self, c: int, n: int) -> None:
        people = self.panel.members(c)
        sl = np.arange(int(self.panel.indptr[c]), int(self.panel.indptr[c + 1]))
        p = np.full(sl.size, int(self.posts[c]))
        self.posts[c] += n  # first: the new deltas of c's entries start after these posts
        self.set_people(people, self.dist[people] + self._hits(sl, p, p + n))

    def remove(self, c: int, n: int) -> None:
        people, d = self.dist_without(c, n)
        self.posts[c] -= n
        self.set_people(people, d)
