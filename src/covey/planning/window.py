"""The objective the user asks for: expected target people reached within a frequency window.

    window   people exposed between k and K times (``--frequency`` to ``--max-frequency``)
    atleast  people exposed k or more times
    reach1   people exposed at least once

None of the first two is submodular (a person reached once is worth nothing until reached k
times), so greedy guarantees do not hold; :mod:`covey.planning.local` optimises them by local
search. :class:`WindowState` keeps each panel person's exposure distribution (bins 0..top,
the last absorbing "top or more") and, per membership entry (creator c, person j), the value
one, two, ... more posts by c would add through j, so the gain of every bundle of posts of
every creator is one segment sum, and the effect of a move is recomputed for the people it
touches only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from covey.planning.reach import FloatArray, IntArray, Panel

OBJECTIVES = ("window", "atleast", "reach1")


def _without_one_post(d: FloatArray, q: FloatArray, pq: FloatArray) -> FloatArray:
    """Exposure distributions (bins as rows, people as columns) with one post of rate p taken
    out: the inverse of one convolution step, d_m = (d'_m - p d'_{m-1}) / (1 - p), given
    q = 1 / (1 - p) and pq = p q; the last bin (the window's top, "or more") takes the rest."""
    out = np.empty_like(d)
    np.multiply(d[0], q, out=out[0])
    for m in range(1, d.shape[0] - 1):
        np.multiply(d[m], q, out=out[m])
        out[m] -= pq * out[m - 1]
    np.clip(out[:-1], 0.0, 1.0, out=out[:-1])
    np.subtract(1.0, out[:-1].sum(axis=0), out=out[-1])
    np.clip(out[-1], 0.0, 1.0, out=out[-1])
    return out


@dataclass(frozen=True)
class Goal:
    """What counts as reached: ``kind`` one of :data:`OBJECTIVES`, window k..high."""

    kind: str
    k: int
    high: int

    def __post_init__(self) -> None:
        if self.kind not in OBJECTIVES:
            raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}, not {self.kind!r}")

    @property
    def top(self) -> int:
        """Highest exposure bin kept apart; the last bin holds 'top or more'."""
        return {"window": self.high + 1, "atleast": self.k, "reach1": 1}[self.kind]

    def per_person(self, dist: FloatArray) -> FloatArray:
        """Probability each row's person counts as reached."""
        if self.kind == "window":
            return np.asarray(dist[:, self.k : self.high + 1].sum(axis=1), dtype=np.float64)
        return np.asarray(dist[:, -1], dtype=np.float64).copy()

    def describe(self) -> str:
        """The objective in words."""
        if self.kind == "window":
            return f"expected target people reached {self.k} to {self.high} times"
        if self.kind == "atleast":
            return f"expected target people reached {self.k} or more times"
        return "expected target people reached at least once"


def convolve(dist: FloatArray, p: FloatArray, times: int = 1) -> FloatArray:
    """Rows of ``dist`` after ``times`` more posts reaching each row with probability ``p`` (per row)."""
    q = p[:, None]
    for _ in range(times):
        new = dist * (1.0 - q)
        new[:, 1:] += dist[:, :-1] * q
        new[:, -1] += dist[:, -1] * q[:, 0]  # the top bin absorbs
        dist = new
    return dist


def _ranges(starts: IntArray, ends: IntArray) -> IntArray:
    """Concatenation of arange(s, e) for every pair, without a Python loop."""
    lens = ends - starts
    if lens.sum() == 0:
        return np.zeros(0, dtype=np.int64)
    offs = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens)
    return (np.arange(int(lens.sum())) + offs).astype(np.int64)


class WindowState:
    """A plan (posts per creator) with every person's exposure distribution and bundle gains."""

    def __init__(self, panel: Panel, rates: FloatArray, goal: Goal, max_bundle: int) -> None:
        self.panel, self.goal, self.rates = panel, goal, rates.astype(np.float64)
        self.bundle = max(1, int(max_bundle))
        self.n_c = len(panel.creators)
        self.tw = np.where(panel.target, panel.weight, 0.0)
        self.owner = panel.owners()
        self.entry_rate = panel.entry_rates(self.rates)
        # Person -> membership entries (CSC of the creator-major CSR).
        self.by_person = np.argsort(panel.indices, kind="stable").astype(np.int64)
        self.pptr = np.zeros(panel.n_people + 1, dtype=np.int64)
        np.cumsum(np.bincount(panel.indices, minlength=panel.n_people), out=self.pptr[1:])
        self.dist = np.zeros((panel.n_people, goal.top + 1))
        self.dist[:, 0] = 1.0
        self.reached = np.zeros(panel.n_people)
        self.posts = np.zeros(self.n_c, dtype=np.int64)
        self.value = 0.0
        # Scratch person -> row map, all -1 between calls (a fresh one per call cost more than
        # the evaluation on panels of 100,000+ people).
        self.local = np.full(panel.n_people, -1, dtype=np.int64)
        # stamp[c] changes whenever any of c's people changes: cached move evaluations of c stay
        # valid while it does not.
        self.clock = 0
        self.stamp = np.zeros(self.n_c, dtype=np.int64)
        self.journal: list[tuple[Any, ...]] | None = None
        self.reset_deltas()

    def reset_deltas(self) -> None:
        """Recompute every entry's bundle values and the gains (after the state was built)."""
        self.delta = self._entry_deltas(np.arange(self.owner.size), self.dist[self.panel.indices])
        self.gain = np.zeros((self.bundle, self.n_c))
        for t in range(self.bundle):
            self.gain[t] = np.bincount(self.owner, weights=self.delta[:, t], minlength=self.n_c)

    def _value_rows(self, dist: FloatArray) -> FloatArray:
        """Probability each row's person counts as reached (overridden for drawn scenarios)."""
        return self.goal.per_person(dist)

    # -- per-entry gains -------------------------------------------------------------
    def _entry_deltas(self, entries: IntArray, dist: FloatArray) -> FloatArray:
        """Value added through each entry's person by 1..bundle more posts of its creator."""
        j = self.panel.indices[entries]
        base = self._value_rows(dist)
        out = np.empty((entries.size, self.bundle))
        d = dist
        for t in range(self.bundle):
            d = convolve(d, self.entry_rate[entries])
            out[:, t] = (self._value_rows(d) - base) * self.tw[j]
        return out

    def entries_of(self, people: IntArray) -> IntArray:
        """Membership entries of these people (any creator)."""
        return self.by_person[_ranges(self.pptr[people], self.pptr[people + 1])]

    def gains(self) -> FloatArray:
        """gains[t, c]: value added by t + 1 more posts of creator c (caps not applied).

        Kept up to date by :meth:`set_people` (only the changed entries are re-added).
        """
        return self.gain.copy()

    def gains_if(self, entries: IntArray, deltas: FloatArray) -> FloatArray:
        """The gains if these entries had these bundle values (as ``change_if`` returns them)."""
        out = self.gain.copy()
        owner = self.owner[entries]
        for t in range(self.bundle):
            out[t] += np.bincount(owner, weights=deltas[:, t] - self.delta[entries, t], minlength=self.n_c)
        return out

    # -- moves -----------------------------------------------------------------------
    def dist_without(self, c: int, fewer: int) -> tuple[IntArray, FloatArray]:
        """Creator c's people and their distributions with ``fewer`` posts of c taken away.

        Deconvolved (bins below the top are exact; the top bin is the rest) when c's reach
        rate is at most one half for all its members, where the recursion's error shrinks;
        recomputed from every chosen creator's posts otherwise.
        """
        people = self.panel.members(c)
        p = self.entry_rate[self.panel.indptr[c] : self.panel.indptr[c + 1]][:, None]
        if p.size == 0 or float(p.max()) <= 0.5:
            # Bins as rows (contiguous), one division per post: same recursion, fewer passes.
            d = self.dist[people].T
            q = 1.0 / (1.0 - p[:, 0])
            pq = p[:, 0] * q
            for _ in range(fewer):
                d = _without_one_post(d, q, pq)
            return people, np.ascontiguousarray(d.T)
        local = self.local
        local[people] = np.arange(people.size)
        d = np.zeros((people.size, self.goal.top + 1))
        d[:, 0] = 1.0
        for o in np.flatnonzero(self.posts).tolist():
            n = int(self.posts[o]) - (fewer if o == c else 0)
            if n <= 0:
                continue
            rows = local[self.panel.members(o)]
            rate = self.entry_rate[self.panel.indptr[o] : self.panel.indptr[o + 1]][rows >= 0]
            rows = rows[rows >= 0]
            if rows.size:
                d[rows] = convolve(d[rows], rate, n)
        local[people] = -1
        return people, d

    def value_change(self, people: IntArray, new_dist: FloatArray) -> float:
        """Value change if these people had ``new_dist``."""
        return float(((self._value_rows(new_dist) - self.reached[people]) * self.tw[people]).sum())

    def _without_rows(self, pairs: list[tuple[int, int]]) -> tuple[IntArray, FloatArray, IntArray]:
        """People of every (creator, posts taken) pair, concatenated, their distributions without
        those posts, and each row's pair: one vectorised deconvolution for all pairs whose
        rates allow it (at most one half), ``dist_without`` for the others."""
        rows, dists, ids = [], [], []
        easy = []
        for i, (c, r) in enumerate(pairs):
            p = self.entry_rate[self.panel.indptr[c] : self.panel.indptr[c + 1]]
            if p.size and float(p.max()) > 0.5:
                people, d = self.dist_without(c, r)
                rows.append(people)
                dists.append(d)
                ids.append(np.full(people.size, i))
            else:
                easy.append(i)
        if easy:
            cs = np.array([pairs[i][0] for i in easy], dtype=np.int64)
            sl = _ranges(self.panel.indptr[cs], self.panel.indptr[cs + 1])
            pair = np.repeat(np.array(easy), np.diff(self.panel.indptr)[cs])
            times = np.array([pairs[i][1] for i in range(len(pairs))], dtype=np.int64)[pair]
            p, people = self.entry_rate[sl], self.panel.indices[sl]
            d = self.dist[people].T
            q = 1.0 / (1.0 - p)
            pq = p * q
            for step in range(int(times.max()) if times.size else 0):
                # Rows with fewer posts to take are done.
                d = np.where(times > step, _without_one_post(d, q, pq), d)
            rows.append(people)
            dists.append(np.ascontiguousarray(d.T))
            ids.append(pair)
        return np.concatenate(rows), np.concatenate(dists), np.concatenate(ids)

    def removal_changes(self, pairs: list[tuple[int, int]]) -> FloatArray:
        """For each (creator c, posts r): the value change of taking r posts from c, all at once."""
        if not pairs:
            return np.zeros(0)
        people, d, pair = self._without_rows(pairs)
        weights = (self._value_rows(d) - self.reached[people]) * self.tw[people]
        return np.bincount(pair, weights=weights, minlength=len(pairs)).astype(np.float64)

    def removals(self, pairs: list[tuple[int, int]]) -> list[tuple[float, FloatArray]]:
        """For each (creator c, posts r): the value change of taking r posts from c and the change
        of every bundle's gain, as ``change_if`` and ``gains_if`` give them, all at once."""
        if not pairs:
            return []
        people, d, pair = self._without_rows(pairs)
        n = len(pairs)
        change = np.bincount(pair, weights=(self._value_rows(d) - self.reached[people]) * self.tw[people],
                             minlength=n)  # fmt: skip
        counts = self.pptr[people + 1] - self.pptr[people]
        entries = self.by_person[_ranges(self.pptr[people], self.pptr[people + 1])]
        row = np.repeat(np.arange(people.size), counts)
        deltas = self._entry_deltas(entries, d[row])
        key = pair[row] * self.n_c + self.owner[entries]
        adj = np.empty((n, self.bundle, self.n_c))
        for t in range(self.bundle):
            adj[:, t, :] = np.bincount(
                key, weights=deltas[:, t] - self.delta[entries, t], minlength=n * self.n_c
            ).reshape(n, self.n_c)
        return [(float(change[i]), adj[i]) for i in range(n)]

    def change_if(self, people: IntArray, new_dist: FloatArray) -> tuple[float, IntArray, FloatArray]:
        """Value change if these people had ``new_dist``; their entries and those entries' new deltas."""
        change = self.value_change(people, new_dist)
        entries = self.entries_of(people)
        self.local[people] = np.arange(people.size)
        rows = self.local[self.panel.indices[entries]]
        self.local[people] = -1
        deltas = self._entry_deltas(entries, new_dist[rows])
        return change, entries, deltas

    def set_people(self, people: IntArray, new_dist: FloatArray) -> None:
        """Commit new distributions for these people and refresh their entries' gains."""
        change, entries, deltas = self.change_if(people, new_dist)
        if self.journal is not None:
            self.journal.append(
                (people, self.dist[people], self.reached[people], entries, self.delta[entries],
                 self.gain, self.value, self.stamp[self.owner[entries]])
            )  # fmt: skip
        self.gain = self.gains_if(entries, deltas)
        self.dist[people] = new_dist
        self.reached[people] = self._value_rows(new_dist)
        self.delta[entries] = deltas
        self.value += change
        self.clock += 1
        self.stamp[self.owner[entries]] = self.clock

    def add(self, c: int, n: int) -> None:
        """n more posts by creator c."""
        people = self.panel.members(c)
        rate = self.entry_rate[self.panel.indptr[c] : self.panel.indptr[c + 1]]
        self.set_people(people, convolve(self.dist[people], rate, n))
        self.posts[c] += n

    def remove(self, c: int, n: int) -> None:
        """n fewer posts by creator c."""
        people, d = self.dist_without(c, n)
        self.set_people(people, d)
        self.posts[c] -= n

    # -- trial moves -----------------------------------------------------------------
    def checkpoint(self) -> None:
        """Start recording changes, so a trial move can be undone exactly (no deconvolution)."""
        if self.journal is not None:
            raise RuntimeError("a checkpoint is already open")
        self.journal = [(self.posts.copy(),)]

    def rollback(self) -> None:
        """Undo every change since :meth:`checkpoint`, in reverse order."""
        if self.journal is None:
            raise RuntimeError("no checkpoint to roll back to")
        for people, dist, reached, entries, delta, gain, value, stamps in reversed(self.journal[1:]):
            self.dist[people], self.reached[people], self.delta[entries] = dist, reached, delta
            self.gain, self.value = gain, value
            self.stamp[self.owner[entries]] = stamps
        self.posts[:] = self.journal[0][0]
        self.journal = None

    def commit(self) -> None:
        """Keep the changes since :meth:`checkpoint`."""
        self.journal = None

    def copy(self) -> WindowState:
        """An independent copy (shares the panel and the read-only indexes)."""
        other = type(self).__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.dist, other.reached, other.posts = self.dist.copy(), self.reached.copy(), self.posts.copy()
        other.delta, other.gain, other.stamp = self.delta.copy(), self.gain.copy(), self.stamp.copy()
        other.journal = None
        return other


def window_value(panel: Panel, rates: FloatArray, goal: Goal, posts: IntArray) -> float:
    """The objective of a plan, computed from scratch."""
    dist = np.zeros((panel.n_people, goal.top + 1))
    dist[:, 0] = 1.0
    for c in np.flatnonzero(posts).tolist():
        people = panel.members(c)
        dist[people] = convolve(dist[people], panel.member_rates(c, rates), int(posts[c]))
    return float((goal.per_person(dist) * np.where(panel.target, panel.weight, 0.0)).sum())
