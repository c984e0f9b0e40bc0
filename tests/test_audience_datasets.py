"""Labelled sets: a sample world's files load as one set, split by audience."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from covey.audience import load_world, train_model
from covey.audience.datasets import group_split, load_instafake_fake, stratified_split


def _write_world(folder: Path, n_accounts: int = 10, per_account: int = 60) -> None:
    rng = np.random.default_rng(0)
    n = n_accounts * per_account
    fake = rng.random(n) < 0.25
    accounts = np.repeat([f"instagram:{i}" for i in range(n_accounts)], per_account)
    members = np.array([f"m{i}" for i in range(n)])
    samples = pa.table(
        {
            "account_id": accounts,
            "member_id": members,
            "relation": ["follower"] * n,
            "username": [f"x{rng.integers(1e7)}" if f else f"person_{i}" for i, f in enumerate(fake)],
            "full_name": ["" if f else "A Person" for f in fake],
            "followers": np.where(fake, rng.integers(0, 30, n), rng.integers(100, 3000, n)),
            "following": np.where(fake, rng.integers(1500, 7000, n), rng.integers(50, 900, n)),
            "posts": np.where(fake, rng.integers(0, 3, n), rng.integers(10, 500, n)),
            "has_profile_pic": ~fake | (rng.random(n) < 0.3),
            "is_private": rng.random(n) < 0.3,
            "bio": ["" if f else "coffee and running" for f in fake],
            "external_url": pa.array([None] * n, pa.string()),
            "created_at": [date(2020, 1, 1)] * n,
            "sampled_at": [datetime(2026, 6, 30)] * n,
        }
    )
    (folder / "truth").mkdir(parents=True)
    pq.write_table(samples, folder / "audience_samples.parquet")
    # Truth rows in another order: the loader must join, not zip.
    order = rng.permutation(n)
    truth = pa.table(
        {
            "account_id": accounts[order],
            "member_id": members[order],
            "relation": ["follower"] * n,
            "is_fake": fake[order],
        }
    )
    pq.write_table(truth, folder / "truth" / "audience_labels.parquet")


def test_world_loads_joined_with_truth_and_trains(tmp_path: Path) -> None:
    _write_world(tmp_path)
    world = load_world(tmp_path)
    assert len(world) == 600 and world.groups is not None
    # Joined on keys: every fake has the fake-looking username it was written with.
    fake_digits = world.primitives["username_digit_ratio"][world.labels == 1]
    assert (fake_digits > 0.5).all()
    assert np.isnan(world.primitives["has_external_url"]).all()  # a column nobody filled is unknown
    model = train_model([world])
    assert model.metadata["training_data"][0]["licence"].startswith("synthetic")
    assert model.metadata["out_of_fold_metrics"]["sample-world"]["roc_auc"] > 0.95


def test_group_split_keeps_each_audience_on_one_side() -> None:
    groups = np.repeat(np.arange(20), 5).astype(str)
    train, test = group_split(groups, 0.2, seed=1)
    assert set(groups[train]).isdisjoint(groups[test])
    assert len(set(groups[test])) == 4 and len(train) + len(test) == 100


def test_stratified_split_keeps_label_shares() -> None:
    labels = np.r_[np.zeros(80), np.ones(20)].astype(int)
    train, test = stratified_split(labels, 0.25, seed=2)
    assert len(test) == 25 and labels[test].sum() == 5
    assert np.intersect1d(train, test).size == 0


def test_instafake_fake_set_maps_its_fields_and_leaves_the_rest_unknown(tmp_path: Path) -> None:
    row = {
        "userFollowerCount": 25, "userFollowingCount": 1937, "userBiographyLength": 0, "userMediaCount": 0,
        "userHasProfilPic": 1, "userIsPrivate": 1, "usernameDigitCount": 2, "usernameLength": 10,
    }  # fmt: skip
    (tmp_path / "fakeAccountData.json").write_text(json.dumps([{**row, "isFake": 1}]))
    real = [{**row, "userMediaCount": 40, "isFake": 0}] * 2
    (tmp_path / "realAccountData.json").write_text(json.dumps(real))
    s = load_instafake_fake(tmp_path)
    assert s.name == "instafake-fake" and s.labels.tolist() == [1, 0, 0]
    assert "evaluation only" in s.licence
    p = s.primitives
    assert p["following"][0] == 1937 and p["posts"].tolist() == [0, 40, 40]
    assert p["username_digit_ratio"][0] == 0.2 and p["is_private"][0] == 1
    assert np.isnan(p["account_age_days"]).all() and np.isnan(p["fullname_words"]).all()
    assert np.isnan(p["has_external_url"]).all()
