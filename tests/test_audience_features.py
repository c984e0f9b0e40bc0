"""Audience features: raw profiles and the Instagram labelled CSV land on the same notions."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from covey.audience.datasets import cresci_profiles, load_cresci, load_instagram
from covey.audience.features import FEATURE_NAMES, PRIMITIVES, design_matrix, primitives_from_profiles

RAW = {
    "username": ["anna_1987", "xx12345678", "bob"],
    "full_name": ["Anna Smith", "", "bob"],
    "followers": np.array([900, 12, 40]),
    "following": np.array([300, 4200, 35]),
    "posts": np.array([120, 0, 3]),
    "has_profile_pic": np.array([True, False, True]),
    "is_private": np.array([False, False, True]),
    "bio": ["Crohn's warrior, runner", "", "hi"],
    "external_url": ["https://anna.example", "", ""],
}

IG_HEADER = [
    "profile pic",
    "nums/length username",
    "fullname words",
    "nums/length fullname",
    "name==username",
    "description length",
    "external URL",
    "private",
    "#posts",
    "#followers",
    "#follows",
    "fake",
]


def _instagram_rows() -> list[list[object]]:
    """The same three profiles written the way the Instagram labelled set writes them."""
    return [
        [1, 4 / 9, 2, 0, 0, len("Crohn's warrior, runner"), 1, 0, 120, 900, 300, 0],
        [0, 8 / 10, 0, 0, 0, 0, 0, 0, 0, 12, 4200, 1],
        [1, 0, 1, 0, 1, 2, 0, 1, 3, 40, 35, 0],
    ]


def test_raw_profiles_and_instagram_csv_agree(tmp_path: Path) -> None:
    path = tmp_path / "ig.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(IG_HEADER)
        writer.writerows(_instagram_rows())
    from_csv = load_instagram(path)
    from_raw = primitives_from_profiles(RAW)
    shared = [p for p in PRIMITIVES if p not in ("username_length", "account_age_days")]
    for name in shared:
        np.testing.assert_allclose(from_raw[name], from_csv.primitives[name], err_msg=name)
    # The model's view agrees too, except where the CSV cannot know (username length, age).
    x_raw, x_csv = design_matrix(from_raw), design_matrix(from_csv.primitives)
    for j, name in enumerate(FEATURE_NAMES):
        if name in ("username_length", "log_account_age_years"):
            assert np.isnan(x_csv[:, j]).all()
        else:
            np.testing.assert_allclose(x_raw[:, j], x_csv[:, j], err_msg=name)
    assert from_csv.labels.tolist() == [0, 1, 0]


def test_mass_following_and_ratios() -> None:
    x = design_matrix(primitives_from_profiles(RAW))
    col = {name: x[:, j] for j, name in enumerate(FEATURE_NAMES)}
    assert col["mass_following"].tolist() == [0.0, 1.0, 0.0]
    assert col["no_posts"].tolist() == [0.0, 1.0, 0.0]
    np.testing.assert_allclose(col["log_following_per_follower"][1], np.log1p(4200) - np.log1p(12))
    assert col["empty_bio"].tolist() == [0.0, 1.0, 0.0]


def test_missing_optional_columns_are_unknown_not_zero() -> None:
    required = {
        k: RAW[k] for k in ("username", "followers", "following", "posts", "has_profile_pic", "is_private")
    }
    prims = primitives_from_profiles(required)
    for name in (
        "bio_length",
        "fullname_words",
        "has_external_url",
        "account_age_days",
        "name_equals_username",
    ):
        assert np.isnan(prims[name]).all(), name
    # Nulls inside a present column are unknown too, and NaN counts as well.
    table = pa.table(
        {
            "username": ["a1", None],
            "followers": pa.array([10, None], pa.int64()),
            "following": [np.nan, 5.0],
            "posts": [1, 2],
            "has_profile_pic": pa.array([None, True]),
            "is_private": [False, False],
            "bio": pa.array([None, "hi there"]),
            "external_url": pa.array([None, None], pa.string()),
        }
    )
    prims = primitives_from_profiles(table)
    assert np.isnan(prims["followers"][1]) and np.isnan(prims["following"][0])
    assert np.isnan(prims["has_profile_pic"][0]) and prims["has_profile_pic"][1] == 1.0
    assert np.isnan(prims["username_digit_ratio"][1]) and prims["username_digit_ratio"][0] == 0.5
    # A null bio beside filled ones is an empty bio; a column nobody filled is unknown.
    assert prims["bio_length"].tolist() == [0.0, 8.0]
    assert np.isnan(prims["has_external_url"]).all()


def test_account_age_counts_to_sampled_at_or_as_of() -> None:
    base = {
        k: RAW[k][:2]
        for k in ("username", "followers", "following", "posts", "has_profile_pic", "is_private")
    }
    prims = primitives_from_profiles(
        {**base, "created_at": ["2020-01-01", "2021-06-30T12:00:00Z"], "sampled_at": ["2020-01-31", None]},
        as_of=np.datetime64("2021-07-10"),
    )
    assert prims["account_age_days"].tolist() == [30.0, 10.0]


@pytest.mark.realdata
def test_cresci_mapping(shared_data: Path) -> None:
    folder = shared_data / "labelled-accounts"
    with (folder / "twitter_cresci2015_humans_e13.csv").open(newline="", encoding="utf-8") as fh:
        first = next(csv.DictReader(fh))
    mapped = cresci_profiles([first])
    assert mapped["username"] == [first["screen_name"]]
    assert mapped["followers"][0] == float(first["followers_count"])
    assert mapped["following"][0] == float(first["friends_count"])
    assert mapped["posts"][0] == float(first["statuses_count"])
    twitter = load_cresci(
        folder / "twitter_cresci2015_humans_e13.csv", folder / "twitter_cresci2015_fakes_int.csv"
    )
    assert len(twitter) == 1481 + 1337 and int(twitter.labels.sum()) == 1337
    age = twitter.primitives["account_age_days"]
    # Accounts were opened between Twitter's launch (2006) and the 2015 crawl.
    assert np.nanmin(age) >= 0 and np.nanmax(age) < 9 * 366 and np.isnan(age).mean() < 0.01


@pytest.mark.realdata
def test_instagram_loader_reads_the_columns(shared_data: Path) -> None:
    ig = load_instagram(shared_data / "labelled-accounts" / "instagram_fake_genuine_train.csv")
    assert len(ig) == 576 and int(ig.labels.sum()) == 288
    with (shared_data / "labelled-accounts" / "instagram_fake_genuine_train.csv").open() as fh:
        row = next(csv.DictReader(fh))
    assert ig.primitives["followers"][0] == float(row["#followers"])
    assert ig.primitives["username_digit_ratio"][0] == float(row["nums/length username"])


def test_sub_second_sample_times_are_read() -> None:
    """A follower sample timed to the microsecond (as exports write it) is not an error."""
    import datetime as dt

    import pyarrow as pa

    from covey.audience.features import primitives_from_profiles

    when = dt.datetime(2026, 4, 23, 10, 20, 27, 672330)
    table = pa.table(
        {
            "username": ["a"],
            "followers": [1.0],
            "following": [2.0],
            "posts": [3.0],
            "has_profile_pic": [True],
            "is_private": [False],
            "sampled_at": pa.array([when], pa.timestamp("us")),
        }
    )
    assert primitives_from_profiles(table) is not None
