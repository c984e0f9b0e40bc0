"""Follower samples: profiles of real followers (from the panel) and fake ones, with their truth.

Each account gets a sample of ``audience_sample_size`` followers (capped by its followers).
The number of fakes is binomial in the account's fake share; real followers are drawn
without replacement from the account's panel members. When the panel holds fewer members
than the real part needs (a small ``audience_scale``), both parts shrink in proportion so
the sample's fake share stays unbiased.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from covey.world.creators import Cast
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
    person_id: pa.Array,
    person_profile: dict[str, pa.Array],
    fakes: FakePool,
    acct_ids: pa.Array,
    sample_size: int,
    sampled_us: int,
) -> tuple[pa.Table, pa.Table]:
    """(audience_samples rows, audience_labels rows) for a contiguous range of accounts."""
    first = int(accounts[0])
    n_s = np.minimum(sample_size, c.followers[accounts])
    share = c.fake[accounts] / np.maximum(c.followers[accounts], 1)
    n_fake = rng.binomial(n_s, share)
    n_real = n_s - n_fake
    have = np.bincount(member_acct - first, minlength=len(accounts))
    short = n_real > have
    ratio = np.where(short, have / np.maximum(n_real, 1), 1.0)
    n_fake = np.where(short, np.floor(n_fake * ratio + rng.random(len(accounts))), n_fake).astype(np.int64)
    n_real = np.minimum(n_real, have)
    n_fake = np.minimum(n_fake, fakes.size)

    # Real part: keep each member with probability a little above n_real / have, then the first
    # n_real kept (members are in person order, which is random with respect to everything).
    local = member_acct - first
    p_keep = np.minimum(1.0, (n_real * 1.2 + 3) / np.maximum(have, 1))[local]
    kept = np.flatnonzero(rng.random(len(local)) < p_keep)
    kept_counts = np.bincount(local[kept], minlength=len(accounts))
    rank = np.arange(len(kept)) - np.repeat(np.cumsum(kept_counts) - kept_counts, kept_counts)
    chosen = kept[rank < n_real[local[kept]]]
    real_acct, real_person = member_acct[chosen], member_person[chosen]
    n_real = np.bincount(local[chosen], minlength=len(accounts))

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
    real_take, fake_take = pa.array(person_ix), pa.array(fake_pos)
    member_id = where(is_fake, ids("fk", fake_pos), person_id.take(real_take))
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
        cols[name] = where(is_fake, fakes.profile[name].take(fake_take), person_profile[name].take(real_take))
    samples = pa.table(cols, schema=canonical_schema("audience_samples"))
    labels = pa.table(
        {"account_id": account_id, "member_id": member_id, "relation": relation, "is_fake": mask}
    )
    return samples, labels
