"""The panel of real people, and which accounts each of them follows.

The panel is a uniform sample, at rate ``audience_scale`` (s), of the people who follow
the world's accounts. Each person has a country, a language and 1-3 interests (niches).
An account with R real followers has about s·R of them in the panel, drawn mostly from
people who share its niche and country, so audiences overlap more within a niche and a
region. Membership is built per chunk of accounts, vectorised.

Each panel person stands for about 1/s people of the population (:func:`replicas`): the
observable data (follower samples, commenters) are drawn from these replicas, so they are
population-scale like a user's real data, while the truth stays on the panel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from covey.world.config import MARKETS, WorldConfig
from covey.world.creators import MARKET_LANG, MARKET_P, NICHE_P, Cast
from covey.world.profiles import draw_profiles
from covey.world.textops import Pool, ids, join, lang_groups
from covey.world.vocab_niches import NICHES
from covey.world.vocab_phrases import FIRST_NAMES, LAST_NAMES

FIRST = Pool.of(lang_groups(FIRST_NAMES))
LAST = Pool.of(lang_groups(LAST_NAMES))
# Where a follower comes from: same niche and country, same niche anywhere, anyone.
SOURCE_P = (0.60, 0.25, 0.15)


@dataclass
class Panel:
    """The people panel with their profiles, and pools to draw followers from."""

    scale: float
    market: np.ndarray
    interests: pa.Array  # list<string> per person
    person_id: pa.Array
    profile: dict[str, pa.Array]
    # People interested in niche n in market m: by_key[key_offsets[k] : key_offsets[k + 1]],
    # k = n * len(MARKETS) + m; and in niche n anywhere: by_niche[niche_offsets[n] : ...].
    by_key: np.ndarray
    key_offsets: np.ndarray
    by_niche: np.ndarray
    niche_offsets: np.ndarray

    @property
    def size(self) -> int:
        return len(self.market)


def choose_scale(config: WorldConfig, c: Cast) -> float:
    """audience_scale: the configured one, or the largest that keeps membership within budget."""
    if config.audience_scale is not None:
        return config.audience_scale
    budget = min(config.membership_budget, config.membership_per_account * c.n_accounts)
    total = float(c.real.sum())
    return 1.0 if total <= budget else budget / total


def build_panel(config: WorldConfig, c: Cast, scale: float, ref_day: int) -> Panel:
    """Draw the panel: size = expected memberships / follows per person."""
    rng = np.random.default_rng([config.seed, 2])
    expected = float(c.real.sum()) * scale
    # A person follows an account at most once: the biggest audience must fit well inside the panel.
    size = max(int(np.ceil(expected / config.follows_per_person)), int(3 * scale * c.real.max()), 2_000)
    market = rng.choice(len(MARKETS), size=size, p=MARKET_P)
    # Interests: 1-3 distinct niches (duplicates are dropped below, so some have fewer).
    k = rng.choice([1, 2, 3], size=size, p=[0.45, 0.35, 0.20])
    owner = np.repeat(np.arange(size), k)
    niche = rng.choice(len(NICHES), size=len(owner), p=NICHE_P)
    pair = distinct_sorted(owner * len(NICHES) + niche)
    owner, niche = pair // len(NICHES), pair % len(NICHES)
    offsets = np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=size))])
    names = pa.array(np.array(NICHES, dtype=object)[niche], type=pa.string())
    interests = pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), names)

    key = niche * len(MARKETS) + market[owner]
    order = np.argsort(key, kind="stable")
    n_keys = len(NICHES) * len(MARKETS)
    key_offsets = np.concatenate([[0], np.cumsum(np.bincount(key, minlength=n_keys))])
    norder = np.argsort(niche, kind="stable")
    niche_offsets = np.concatenate([[0], np.cumsum(np.bincount(niche, minlength=len(NICHES)))])
    profile = draw_profiles(rng, np.zeros(size, dtype=bool), MARKET_LANG[market], FIRST, LAST, ref_day)
    return Panel(
        scale=scale,
        market=market,
        interests=interests,
        person_id=ids("p", np.arange(size)),
        profile=profile,
        by_key=owner[order],
        key_offsets=key_offsets,
        by_niche=owner[norder],
        niche_offsets=niche_offsets,
    )


def _draw_from(
    rng: np.random.Generator, pool: np.ndarray, offsets: np.ndarray, group: np.ndarray
) -> np.ndarray:
    """One uniform draw per row from pool[offsets[g] : offsets[g + 1]]; -1 where the group is empty."""
    start, count = offsets[group], offsets[group + 1] - offsets[group]
    pick = start + (rng.random(len(group)) * count).astype(np.int64)
    return np.where(count > 0, pool[np.minimum(pick, len(pool) - 1)], -1)


def distinct_sorted(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort and a mask; faster than np.unique's hashing here)."""
    x = np.sort(x)
    return x[np.concatenate([[True], x[1:] != x[:-1]])] if len(x) else x


def memberships(
    rng: np.random.Generator, c: Cast, panel: Panel, accounts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(account, person) pairs for the given accounts, sorted by account then person, distinct.

    Each account draws about 60 % of its members from people of its niche and country,
    25 % from its niche anywhere and the rest from anyone; a source never supplies more
    than a third of its pool, so big accounts reach beyond their niche. Draws are made
    with 25 % to spare, deduplicated, then thinned at random to the target count.
    """
    target = c.real[accounts] * panel.scale
    m = np.floor(target + rng.random(len(accounts))).astype(np.int64)  # stochastic rounding
    niche, market = c.niche[accounts], c.market[accounts]
    key = niche * len(MARKETS) + market
    local_pool = panel.key_offsets[key + 1] - panel.key_offsets[key]
    niche_pool = panel.niche_offsets[niche + 1] - panel.niche_offsets[niche]
    n_local = np.minimum(np.round(m * SOURCE_P[0]), local_pool // 3)
    n_niche = np.minimum(np.round(m * (SOURCE_P[0] + SOURCE_P[1])) - n_local, niche_pool // 3)
    draws = np.ceil(m * 1.25).astype(np.int64) + 2 * (m > 0)
    acct = np.repeat(accounts, draws)
    rank = np.arange(len(acct)) - np.repeat(np.cumsum(draws) - draws, draws)
    i = acct - accounts[0]
    spare = draws[i] / np.maximum(m[i], 1)
    person = rng.integers(0, panel.size, len(acct))  # anyone
    local = np.flatnonzero(rank < n_local[i] * spare)
    found = _draw_from(rng, panel.by_key, panel.key_offsets, key[i[local]])
    person[local] = np.where(found >= 0, found, person[local])
    niche_rows = np.flatnonzero((rank >= n_local[i] * spare) & (rank < (n_local + n_niche)[i] * spare))
    found = _draw_from(rng, panel.by_niche, panel.niche_offsets, niche[i[niche_rows]])
    person[niche_rows] = np.where(found >= 0, found, person[niche_rows])
    pair = distinct_sorted(acct.astype(np.int64) * panel.size + person)
    pa_acct = pair // panel.size
    have = np.bincount(pa_acct - accounts[0], minlength=len(accounts))
    keep = rng.random(len(pair)) < (m / np.maximum(have, 1))[pa_acct - accounts[0]]
    pair = pair[keep]
    return pair // panel.size, pair % panel.size


def replicas(person: np.ndarray, scale: float) -> np.ndarray:
    """How many people of the population each panel person stands for: floor or ceil of 1/s.

    A Beatty sequence, floor((p + 1) / s) - floor(p / s): deterministic per person and exactly
    1/s on average over consecutive people, so the panel stands for the whole population
    without drawing anything (1 everywhere when s = 1).
    """
    p = person.astype(np.float64)
    return (np.floor((p + 1.0) / scale) - np.floor(p / scale)).astype(np.int64)


def replica_ids(person_id: pa.Array, person: np.ndarray, replica: np.ndarray) -> pa.Array:
    """Member ids of (panel person, replica) pairs: the person_id for replica 0, else 'p<n>~<r>'."""
    base = person_id.take(pa.array(person))
    return pc.if_else(pa.array(replica == 0), base, join(base, "~", ids("", replica)))
