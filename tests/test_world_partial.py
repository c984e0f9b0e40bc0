"""Partial worlds (`--profile`): the full world of the seed, minus what each source lacks."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from covey.errors import InputError
from covey.world import WorldConfig, generate
from covey.world.partial import PROFILES, SHAPES

SAME_BYTES = ("creators", "accounts", "posts", "truth/accounts", "truth/growth_events", "truth/pods")


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for profile in PROFILES:
        out[profile] = tmp_path_factory.mktemp(profile)
        generate(WorldConfig(creators=20, seed=9, audience_sample_size=30, profile=profile), out[profile])
    return out


def _q(sql: str) -> list[tuple[object, ...]]:
    return duckdb.connect().execute(sql).fetchall()


def test_what_a_source_gives_is_the_full_worlds_bytes(worlds: dict[str, Path]) -> None:
    for profile, folder in worlds.items():
        for name in SAME_BYTES:
            assert (folder / f"{name}.parquet").read_bytes() == (
                worlds["full"] / f"{name}.parquet"
            ).read_bytes(), (
                profile,
                name,
            )


def test_each_shape_leaves_out_what_its_source_lacks(worlds: dict[str, Path]) -> None:
    def rows(profile: str, table: str) -> int:
        return int(_q(f"SELECT count(*) FROM '{worlds[profile]}/{table}.parquet'")[0][0])  # type: ignore[arg-type]

    full_snaps = rows("full", "account_snapshots")
    assert rows("full", "audience_samples") > 0 and rows("full", "comments") > 0
    assert rows("youtube", "audience_samples") == 0 and rows("youtube", "comments") == rows(
        "full", "comments"
    )
    assert _q(f"SELECT count(following) FROM '{worlds['youtube']}/account_snapshots.parquet'")[0][0] == 0
    assert rows("instagram-business", "comments") == 0
    assert rows("instagram-business", "audience_samples") == rows("full", "audience_samples")
    assert rows("spreadsheet", "audience_samples") == 0 and rows("spreadsheet", "comments") == 0
    # One follower count per account: the newest of the full world's.
    accounts = rows("full", "accounts")
    assert rows("spreadsheet", "account_snapshots") == accounts < full_snaps
    newest = _q(
        f"""SELECT count(*) FROM '{worlds["spreadsheet"]}/account_snapshots.parquet' s
            JOIN (SELECT account_id, max(taken_at) AS t, arg_max(followers, taken_at) AS f
                  FROM '{worlds["full"]}/account_snapshots.parquet' GROUP BY 1) n
              ON n.account_id = s.account_id AND n.t = s.taken_at AND n.f = s.followers"""
    )[0][0]
    assert newest == accounts
    # Labels follow the samples that remain.
    assert rows("youtube", "truth/audience_labels") == 0


def test_mixed_gives_each_account_one_shape_and_its_data(worlds: dict[str, Path]) -> None:
    m = worlds["mixed"]
    shapes = dict(_q(f"SELECT account_id, shape FROM '{m}/truth/data_profiles.parquet'"))
    assert set(shapes.values()) <= set(SHAPES) and len(set(shapes.values())) >= 3
    sampled = {a for (a,) in _q(f"SELECT DISTINCT account_id FROM '{m}/audience_samples.parquet'")}
    commented = {
        a
        for (a,) in _q(
            f"SELECT DISTINCT p.account_id FROM '{m}/comments.parquet' c "
            f"JOIN '{m}/posts.parquet' p USING (post_id)"
        )
    }
    for account, shape in shapes.items():
        if not SHAPES[str(shape)]["samples"]:
            assert account not in sampled
        if not SHAPES[str(shape)]["comments"]:
            assert account not in commented
    assert sampled and commented
    # The full world's own rows for the accounts that keep them.
    full = worlds["full"]
    kept = _q(
        f"""SELECT count(*) FROM '{full}/audience_samples.parquet' f
            JOIN '{m}/truth/data_profiles.parquet' d USING (account_id)
            WHERE d.shape IN ('full', 'instagram-business')"""
    )[0][0]
    assert kept == _q(f"SELECT count(*) FROM '{m}/audience_samples.parquet'")[0][0]


def test_same_profile_and_seed_give_the_same_bytes(tmp_path: Path, worlds: dict[str, Path]) -> None:
    generate(WorldConfig(creators=20, seed=9, audience_sample_size=30, profile="mixed"), tmp_path)
    for f in sorted(worlds["mixed"].rglob("*.parquet")):
        rel = f.relative_to(worlds["mixed"])
        assert (tmp_path / rel).read_bytes() == f.read_bytes(), rel


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(InputError, match="youtube"):
        WorldConfig(profile="tiktok-creative")
