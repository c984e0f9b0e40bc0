"""Bots among shared sampled ids: scored by the fake-profile model and dropped (covey.planning.bots)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from covey.audience.model import load_model
from covey.planning.bots import drop_shared_bots, fake_posterior, shared_members
from covey.store import DuckDBStore
from covey.world.people import FIRST, LAST
from covey.world.profiles import draw_profiles

PROFILE = ("username", "full_name", "followers", "following", "posts", "has_profile_pic", "is_private", "bio")


def _fill(store: DuckDBStore, rows: list[tuple[str, str, bool]], seed: int = 3) -> None:
    """audience_samples rows (account, member, fake?) with a drawn profile per member."""
    members = sorted({m for _, m, _ in rows})
    fake = {m: f for _, m, f in rows}
    rng = np.random.default_rng(seed)
    prof = draw_profiles(
        rng, np.array([fake[m] for m in members]), np.zeros(len(members), np.int64), FIRST, LAST, 20_600
    )
    at = {m: i for i, m in enumerate(members)}
    idx = pa.array([at[m] for _, m, _ in rows])
    cols = {
        "account_id": pa.array([a for a, _, _ in rows]),
        "member_id": pa.array([m for _, m, _ in rows]),
        "relation": pa.array(["follower"] * len(rows)),
    } | {c: prof[c].take(idx) for c in PROFILE}
    with store.transaction() as cur:
        cur.register("m", pa.table(cols))
        names = ", ".join(("account_id", "member_id", "relation", *PROFILE))
        cur.execute(f"INSERT INTO audience_samples ({names}) SELECT * FROM m")


def test_shared_bots_are_dropped_and_shared_people_kept(tmp_path: Path) -> None:
    rows: list[tuple[str, str, bool]] = []
    for acct in ("a", "b"):  # 60 real people and 60 bots sampled under both accounts
        rows += [(acct, f"real{j}", False) for j in range(60)] + [(acct, f"bot{j}", True) for j in range(60)]
    rows += [("a", f"lone{j}", True) for j in range(40)]  # bots seen once: not scored, kept
    with DuckDBStore(tmp_path / "c.duckdb") as store:
        _fill(store, rows)
        ids = pa.table({"set_id": [a for a, _, _ in rows], "member_id": [m for _, m, _ in rows]})
        kept, check = drop_shared_bots(store, ids)
    left = set(kept["member_id"].to_pylist())
    assert check.scored == 120
    assert 0.3 < check.fake_share < 0.7  # the shared ids' own fake share, estimated
    assert sum(f"real{j}" in left for j in range(60)) >= 55  # people stay
    assert sum(f"bot{j}" in left for j in range(60)) <= 20  # most bots go
    assert all(f"lone{j}" in left for j in range(40))  # unshared ids untouched
    assert check.dropped == 120 - len({m for m in left if not m.startswith("lone")})


def test_nothing_shared_nothing_scored(tmp_path: Path) -> None:
    with DuckDBStore(tmp_path / "c.duckdb") as store:
        ids = pa.table({"set_id": ["a", "b"], "member_id": ["x", "y"]})
        kept, check = drop_shared_bots(store, ids)
    assert kept.num_rows == 2 and check.scored == 0 and check.dropped == 0
    assert len(shared_members(pa.table({"set_id": ["a", "b", "b"], "member_id": ["x", "x", "y"]}))) == 1


@pytest.mark.parametrize("share", [0.2, 0.6])
def test_posterior_uses_the_shared_ids_own_fake_share(share: float) -> None:
    """Log-odds from a two-class mixture: the share is recovered and the decision follows it."""
    rng = np.random.default_rng(5)
    train = load_model().train_prevalence
    prior = np.log(train / (1 - train))
    n = 4000
    fake = rng.random(n) < share
    x = np.where(fake, rng.normal(2.0, 1.0, n), rng.normal(-2.0, 1.0, n))
    lr = 4.0 * x  # log N(x; 2, 1) / N(x; -2, 1): the exact likelihood ratio of the two classes
    post, got = fake_posterior(lr + prior, train)
    assert got == pytest.approx(share, abs=0.04)
    assert np.mean((post >= 0.5) == fake) > 0.95
    few, default = fake_posterior(lr[:10] + prior, train)
    assert default == pytest.approx(train)  # too few ids: the model's training prevalence
    assert few.shape == (10,)
