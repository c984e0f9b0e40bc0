"""The panel's people drawn among those in some audience (segments.touched_hits): the same law,
more members per creator."""

from __future__ import annotations

import numpy as np

from covey.planning.reach import exposure_distribution
from covey.planning.segments import touched_hits


def _weighted_counts(
    q: np.ndarray, sparse: np.ndarray, m: int, reps: int, seed: int
) -> dict[str, np.ndarray]:
    """Per-creator members, pairwise co-members and people in 2+ audiences, as shares of the pool."""
    rng = np.random.default_rng(seed)
    n = q.size
    single, pair, multi = np.zeros(n), np.zeros((n, n)), 0.0
    for _ in range(reps):
        row, person, touched = touched_hits(rng, q, m, sparse, block=3)
        pairs = row * m + person
        assert np.unique(pairs).size == pairs.size  # a person joins a creator at most once
        w = touched / m  # each drawn person's share of the pool
        grid = np.zeros((n, m))
        grid[row, person] = 1.0
        single += grid.sum(axis=1) * w
        pair += (grid @ grid.T) * w
        multi += float((grid.sum(axis=0) >= 2).sum()) * w
    return {"single": single / reps, "pair": pair / reps, "multi": np.array(multi / reps)}


def test_same_law_as_independent_memberships() -> None:
    q = np.array([0.02, 0.005, 0.04, 0.01, 0.03, 0.001])
    sparse = np.array([False, True, False, True, True, False])
    got = _weighted_counts(q, sparse, m=3000, reps=100, seed=3)
    # Each creator's audience is q_i of the pool, each pair's shared part q_i q_j (independence).
    assert np.allclose(got["single"], q, rtol=0.06)  # four standard errors of the smallest
    want_pair = np.outer(q, q)
    big = want_pair > 1e-4
    off = ~np.eye(q.size, dtype=bool) & big
    assert np.allclose(got["pair"][off], want_pair[off], rtol=0.15)
    # People in two or more audiences: 1 - P(none) - P(exactly one).
    none = np.prod(1 - q)
    one = sum(q[i] * np.prod(np.delete(1 - q, i)) for i in range(q.size))
    assert abs(float(got["multi"]) / (1 - none - one) - 1) < 0.1


def test_many_more_members_per_creator_when_audiences_are_small() -> None:
    q = np.full(20, 0.002)  # 20 creators, each followed by 0.2 % of a large pool
    row, _, touched = touched_hits(np.random.default_rng(0), q, 4000, np.zeros(20, bool))
    members = np.bincount(row, minlength=20)
    # A plain draw of 4,000 people gives each creator about 8 members; here about 8 / P1.
    assert abs(touched - (1 - 0.998**20)) < 1e-12
    assert members.mean() > 150


def test_three_plus_reach_from_touched_people_is_unbiased_and_steadier() -> None:
    """Exact 3+ reach of a plan on the pool, against panels drawn both ways."""
    from covey.planning.reach import panel_from_pairs

    q = np.array([0.03, 0.02, 0.025, 0.015, 0.01])
    size, m, posts, rates = 1_000_000.0, 2000, np.full(5, 3), np.full(5, 0.5)
    # Exact: a person in k audiences is reached Binomial(3k, 0.5) times; P(k) from the q's.
    pk = np.array([1.0])
    for qi in q:
        pk = np.convolve(pk, [1 - qi, qi])
    from math import comb

    at3 = [sum(comb(3 * k, x) * 0.5 ** (3 * k) for x in range(3, 3 * k + 1)) for k in range(6)]
    exact = size * float(np.dot(pk, at3))
    touched_est, plain_est = [], []
    for seed in range(40):
        rng = np.random.default_rng(seed)
        row, person, touched = touched_hits(rng, q, m, np.zeros(5, bool))
        panel = panel_from_pairs([str(i) for i in range(5)], row, person, np.full(m, size * touched / m))
        touched_est.append(exposure_distribution(panel, rates, posts).reach_at(3))
        hit = rng.random((5, m)) < q[:, None]
        ci, pj = np.nonzero(hit)
        panel = panel_from_pairs([str(i) for i in range(5)], ci, pj, np.full(m, size / m))
        plain_est.append(exposure_distribution(panel, rates, posts).reach_at(3))
    assert abs(np.mean(touched_est) / exact - 1) < 0.03
    assert np.std(touched_est) < 0.3 * np.std(plain_est)
