"""Follower samples: profiles of real followers and fake ones, with their truth.

Each account gets a sample of ``audience_sample_size`` followers (capped by its followers).
The number of fakes is binomial in the account's fake share. Real followers are a uniform
sample, without replacement, of the account's *population* audience: its panel members,
each standing for ``replicas`` people (about 1/``audience_scale``), so a sample covers
n / real followers of the audience as a real one would, not n / panel members. A sampled
follower is a (panel person, replica) pair with member_id ``p<n>`` for replica 0 and
``p<n>~<r>`` otherwise, and the panel person's profile. Only when the population audience
is smaller than the real part (an account with no panel member) do both parts shrink in
proportion, so the sample's fake share stays unbiased.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from covey.world.creators import Cast
from covey.world.people import Panel, replica_ids, replicas
from covey.world.textops import ids, where
from covey.world.writer import canonical_schema

PROFILE_COLUMNS = (
    "username", "full_name", "followers", "following", "posts", "has_profile_pic", "is_private", "bio",
    "external_url", "created_at",
)  # fmt: skip


@dataclass
class FakePool:
    """Fake accounts shared by the whole world (farms sell the same bots to many accounts)."""

    profile: dict[str, pa.Array]

    @property
    def size(self) -> int:
        return len(self.profile["username"])


def sample_audience(
    rng: np.random.Generator,
    c: Cast,
    accounts: np.ndarray,
    member_acct: np.ndarray,
    member_person: np.ndarray,
    panel: Panel,
    fakes: FakePool,
    acct_ids: pa.Array,
    sample_size: int,
    sampled_us: int,
) -> tuple[pa.Table, pa.Table]:
    """(audience_samples rows, audience_labels rows) for a contiguous range of accounts.

    ``member_acct``/``member_person`` are the accounts' panel memberships, sorted by account.
    """
    first = int(accounts[0])
    n_acc = len(accounts)
    n_s = np.minimum(sample_size, c.followers[accounts])
    share = c.fake[accounts] / np.maximum(c.followers[accounts], 1)
    n_fake = rng.binomial(n_s, share)
    n_real = n_s - n_fake
    # Population index space of the chunk: membership row k stands for people
    # [pop_end[k] - reps[k], pop_end[k]); account a owns [pop_off[a], pop_off[a + 1]).
    local = member_acct - first
    reps = replicas(member_person, panel.scale)
    pop_end = np.cumsum(reps)
    have = np.bincount(local, weights=reps, minlength=n_acc).astype(np.int64)
    pop_off = np.concatenate([[0], np.cumsum(have)])
    short = n_real > have
    ratio = np.where(short, have / np.maximum(n_real, 1), 1.0)
    n_fake = np.where(short, np.floor(n_fake * ratio + rng.random(n_acc)), n_fake).astype(np.int64)
    n_real = np.minimum(n_real, have)
    n_fake = np.minimum(n_fake, fakes.size)
    real_acct, real_row, real_rep = _draw_population(rng, n_real, have, pop_off, pop_end, reps)
    real_acct = real_acct + first
    real_person = member_person[real_row]

    # Fake part: a block of the farm's accounts from a random start (distinct within an account).
    fake_acct = np.repeat(accounts, n_fake)
    offset = np.arange(len(fake_acct)) - np.repeat(np.cumsum(n_fake) - n_fake, n_fake)
    fake_ix = (np.repeat(rng.integers(0, fakes.size, len(accounts)), n_fake) + offset) % fakes.size

    acct = np.concatenate([real_acct, fake_acct])
    is_fake = np.concatenate([np.zeros(len(real_acct), bool), np.ones(len(fake_acct), bool)])
    order = np.argsort(acct, kind="stable")
    acct, is_fake = acct[order], is_fake[order]
    person_ix = np.concatenate([real_person, np.zeros(len(fake_acct), np.int64)])[order]
    fake_pos = np.concatenate([np.zeros(len(real_acct), np.int64), fake_ix])[order]

    mask = pa.array(is_fake)
    rep = np.concatenate([real_rep, np.zeros(len(fake_acct), np.int64)])[order]
    real_take, fake_take = pa.array(person_ix), pa.array(fake_pos)
    member_id = where(is_fake, ids("fk", fake_pos), replica_ids(panel.person_id, person_ix, rep))
    account_id = acct_ids.take(pa.array(acct))
    n = len(acct)
    relation = pa.array(np.full(n, "follower", dtype=object), pa.string())
    cols: dict[str, pa.Array] = {
        "account_id": account_id,
        "member_id": member_id,
        "relation": relation,
        "sampled_at": pa.array(np.full(n, sampled_us, dtype=np.int64), pa.timestamp("us")),
    }
    for name in PROFILE_COLUMNS:
        cols[name] = where(is_fake, fakes.profile[name].take(fake_take), panel.profile[name].take(real_take))
    samples = pa.table(cols, schema=canonical_schema("audience_samples"))
    labels = pa.table(
        {"account_id": account_id, "member_id": member_id, "relation": relation, "is_fake": mask}
    )
    return samples, labels


def _draw_population(
    rng: np.random.Generator,
    n: np.ndarray,
    have: np.ndarray,
    pop_off: np.ndarray,
    pop_end: np.ndarray,
    reps: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n[a] distinct population indices of each local account a, uniform: (account, row, replica).

    Accounts whose audience is at most 4 n are enumerated in full; the others draw 1.4 n + 10
    with replacement (enough distinct ones with near certainty). Every candidate gets a
    random priority that is a hash of its index, so one sort on (account, priority) both
    brings duplicates together and shuffles each account; each keeps its n first, a
    uniform subset.
    """
    full = have <= 4 * n
    f_cnt = np.where(full, have, 0)
    f_acct = np.repeat(np.arange(len(n)), f_cnt)
    f_idx = pop_off[f_acct] + np.arange(len(f_acct)) - np.repeat(np.cumsum(f_cnt) - f_cnt, f_cnt)
    d_cnt = np.where(full | (n == 0), 0, np.ceil(1.4 * n).astype(np.int64) + 10)
    d_acct = np.repeat(np.arange(len(n)), d_cnt)
    d_idx = pop_off[d_acct] + (rng.random(len(d_acct)) * have[d_acct]).astype(np.int64)
    g = np.concatenate([f_idx, d_idx])
    acct = np.concatenate([f_acct, d_acct])
    # Priority: splitmix64 of (index + salt) in the bits below the account's; equal indices
    # get equal keys, so duplicates end up side by side.
    bits = np.uint64(max(1, len(n).bit_length()))
    x = g.astype(np.uint64) + np.uint64(rng.integers(0, 1 << 62))
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    key = (acct.astype(np.uint64) << (np.uint64(64) - bits)) | ((x ^ (x >> np.uint64(31))) >> bits)
    order = np.argsort(key)
    g, acct, key = g[order], acct[order], key[order]
    fresh = np.ones(len(g), dtype=bool)
    fresh[1:] = (key[1:] != key[:-1]) | (g[1:] != g[:-1])
    g, acct = g[fresh], acct[fresh]
    counts = np.bincount(acct, minlength=len(n))
    rank = np.arange(len(g)) - np.repeat(np.cumsum(counts) - counts, counts)
    keep = rank < n[acct]
    g, acct = g[keep], acct[keep]
    row = np.searchsorted(pop_end, g, side="right")
    return acct, row, g - (pop_end[row] - reps[row])
