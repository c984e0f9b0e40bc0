"""Cross draws by count (segments.sparse_hits) follow the law of one draw per person."""

from __future__ import annotations

import numpy as np

from covey.planning.segments import sparse_hits


def test_counts_and_people_follow_independent_bernoulli_draws() -> None:
    rng = np.random.default_rng(5)
    q = np.array([0.001, 0.01, 0.04, 0.3, 0.9])
    m, reps = 400, 400
    counts = np.zeros((reps, q.size))
    seen = np.zeros((q.size, m))
    for r in range(reps):
        row, person = sparse_hits(rng, q, m)
        pairs = row * m + person
        assert np.unique(pairs).size == pairs.size  # a person joins a creator at most once
        assert person.min(initial=0) >= 0 and person.max(initial=0) < m
        counts[r] = np.bincount(row, minlength=q.size)
        np.add.at(seen, (row, person), 1)
    # Binomial(m, q): mean m q and variance m q (1 - q), within four standard errors.
    mean, var = counts.mean(axis=0), m * q * (1 - q)
    assert np.all(np.abs(mean - m * q) < 4 * np.sqrt(var / reps) + 1e-9)
    assert np.all(np.abs(counts.var(axis=0) / var - 1) < 0.25)
    # Every person equally likely: the heaviest creator's hits spread evenly over the m people.
    per_person = seen[4]
    expected = reps * q[4]
    assert abs(per_person.mean() - expected) < 0.01 * expected
    assert per_person.std() < 3 * np.sqrt(reps * q[4] * (1 - q[4]))


def test_nobody_drawn_at_zero_and_everybody_at_one() -> None:
    row, person = sparse_hits(np.random.default_rng(0), np.array([0.0, 1.0]), 50)
    assert np.all(row == 1)
    assert np.array_equal(np.sort(person), np.arange(50))
