"""Labelled profile sets the classifier learns from, each mapped onto the same primitives.

* Instagram fake/genuine (Kaggle, via DURGESH716/Fake-Instagram-Profile-Detection;
  licence not stated): precomputed ratios, read column by column onto the primitives.
* Cresci et al. 2015, "Fame for sale" (Twitter: verified humans E13 and purchased
  followers INT; research use, cite the paper): raw Twitter v1.1 profiles mapped onto
  the canonical audience columns, then through the raw-profile path.
* A Covey sample world (``covey world generate``): ``audience_samples.parquet`` with
  ``truth/audience_labels.parquet``.
* Any table of canonical profile columns plus a 0/1 label (a user's own labels).

The instafake engagement set (CC BY-NC 4.0) must never be trained on: its loader,
:func:`load_instafake_genuine`, is for evaluation only (an all-genuine real audience).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from covey.audience.features import (
    PRIMITIVES,
    Primitives,
    concat_primitives,
    primitives_from_profiles,
    take_primitives,
)

INSTAGRAM_LICENCE = "not stated (Kaggle set via github DURGESH716/Fake-Instagram-Profile-Detection @7207213)"
CRESCI_LICENCE = (
    "research use; cite Cresci, Di Pietro, Petrocchi, Spognardi, Tesconi, 'Fame for sale: efficient "
    "detection of fake Twitter followers', Decision Support Systems 80 (2015) "
    "(via github Bharti-Goyal/FakeTwitterDataset @e3509f7)"
)
CRESCI_PAPER = "doi:10.1016/j.dss.2015.09.003"


@dataclass(frozen=True)
class LabelledSet:
    """Profiles (as primitives) with 0/1 fake labels, and where they came from."""

    name: str
    primitives: Primitives
    labels: np.ndarray
    licence: str
    source: str = ""
    notes: dict[str, Any] = field(default_factory=dict)
    # Which audience (account) each row was sampled from, where known: split by it, not by row.
    groups: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.labels)

    def take(self, index: np.ndarray, name: str | None = None) -> LabelledSet:
        """A subset of the rows (e.g. a train or test split)."""
        return LabelledSet(
            name or self.name,
            take_primitives(self.primitives, index),
            self.labels[index],
            self.licence,
            self.source,
            dict(self.notes),
            None if self.groups is None else self.groups[index],
        )

    def describe(self) -> dict[str, Any]:
        """Name, row counts and licence, as recorded in a model file."""
        return {
            "name": self.name,
            "rows": len(self),
            "fakes": int(self.labels.sum()),
            "licence": self.licence,
            "source": self.source,
        }


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_instagram(path: Path | str, name: str = "instagram") -> LabelledSet:
    """The Instagram fake/genuine CSV (``profile pic, nums/length username, ..., fake``)."""
    path = Path(path)
    rows = _read_csv(path)

    def col(key: str) -> np.ndarray:
        return np.array([float(r[key]) for r in rows], dtype=np.float64)

    prims: Primitives = {
        "followers": col("#followers"),
        "following": col("#follows"),
        "posts": col("#posts"),
        "has_profile_pic": col("profile pic"),
        "is_private": col("private"),
        "has_external_url": col("external URL"),
        "username_digit_ratio": col("nums/length username"),
        "fullname_words": col("fullname words"),
        "fullname_digit_ratio": col("nums/length fullname"),
        "name_equals_username": col("name==username"),
        "bio_length": col("description length"),
    }
    n = len(rows)
    for missing in ("username_length", "account_age_days"):
        prims[missing] = np.full(n, np.nan)
    return LabelledSet(name, prims, col("fake").astype(np.int8), INSTAGRAM_LICENCE, str(path.name))


def _twitter_time(text: str) -> str | None:
    try:
        return datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y").date().isoformat()
    except ValueError:
        return None


def _twitter_updated(text: str) -> str | None:
    try:
        return datetime.strptime(text, "%d-%m-%Y %H.%M").date().isoformat()
    except ValueError:
        return None


def cresci_profiles(rows: list[dict[str, str]]) -> dict[str, Any]:
    """Twitter v1.1 profile rows mapped onto the canonical ``audience_samples`` columns."""

    def flag(key: str) -> np.ndarray:
        return np.array([r.get(key, "") not in ("", "0", "NULL", "false", "False") for r in rows])

    def count(key: str) -> np.ndarray:
        return np.array([float(r[key]) if r.get(key, "") not in ("", "NULL") else np.nan for r in rows])

    def text(key: str) -> list[str]:
        return [r.get(key, "") if r.get(key, "") != "NULL" else "" for r in rows]

    return {
        "username": text("screen_name"),
        "full_name": text("name"),
        "followers": count("followers_count"),
        "following": count("friends_count"),
        "posts": count("statuses_count"),
        "has_profile_pic": ~flag("default_profile_image"),
        "is_private": flag("protected"),
        "bio": text("description"),
        "external_url": text("url"),
        "created_at": pa.array([_twitter_time(r.get("created_at", "")) for r in rows], pa.string()),
        # The crawl date: account age is counted to it, not to today.
        "sampled_at": pa.array([_twitter_updated(r.get("updated", "")) for r in rows], pa.string()),
    }


def load_cresci(humans: Path | str, fakes: Path | str, name: str = "twitter-cresci2015") -> LabelledSet:
    """Cresci-2015 humans (label 0) and purchased fake followers (label 1), as one set."""
    rows = _read_csv(Path(humans)) + _read_csv(Path(fakes))
    labels = np.array([int(r["is_fake"]) for r in rows], dtype=np.int8)
    prims = primitives_from_profiles(cresci_profiles(rows))
    source = f"{Path(humans).name} + {Path(fakes).name}"
    return LabelledSet(name, prims, labels, CRESCI_LICENCE, source, {"paper": CRESCI_PAPER})


def from_profiles(
    profiles: pa.Table | Mapping[str, Any],
    labels: np.ndarray,
    *,
    name: str,
    licence: str = "user's own data",
    source: str = "",
) -> LabelledSet:
    """Any canonical profile table with its 0/1 labels (e.g. a user's own labelled accounts)."""
    return LabelledSet(
        name, primitives_from_profiles(profiles), np.asarray(labels, dtype=np.int8), licence, source
    )


def load_world(directory: Path | str, name: str = "sample-world") -> LabelledSet:
    """A generated sample world: ``audience_samples.parquet`` joined with its truth labels."""
    directory = Path(directory)
    samples = pq.read_table(directory / "audience_samples.parquet")
    truth = pq.read_table(directory / "truth" / "audience_labels.parquet")
    keys = ["account_id", "member_id", "relation"]
    joined = samples.join(truth.select([*keys, "is_fake"]), keys=keys, join_type="inner")
    labels = np.asarray(joined.column("is_fake").to_numpy(zero_copy_only=False), dtype=np.int8)
    accounts = np.asarray(joined.column("account_id").to_numpy(zero_copy_only=False), dtype=object)
    source = str(directory)
    described = directory / "truth" / "world.json"
    if described.exists():  # say how to make the same world again, not just where it was
        config = json.loads(described.read_text(encoding="utf-8")).get("config", {})
        source = (
            f"covey world generate --creators {config.get('creators')} --seed {config.get('seed')} "
            f"--audience-sample {config.get('audience_sample_size')}"
        )
    return LabelledSet(
        name,
        primitives_from_profiles(joined),
        labels,
        "synthetic (Covey sample world)",
        source,
        groups=accounts,
    )


def public_sets(data_dir: Path | str) -> dict[str, LabelledSet]:
    """The public labelled sets in ``DATA/labelled-accounts``: Instagram train, test and Cresci."""
    folder = Path(data_dir) / "labelled-accounts"
    return {
        "instagram_train": load_instagram(folder / "instagram_fake_genuine_train.csv", "instagram-train"),
        "instagram_test": load_instagram(folder / "instagram_fake_genuine_test.csv", "instagram-test"),
        "twitter": load_cresci(
            folder / "twitter_cresci2015_humans_e13.csv", folder / "twitter_cresci2015_fakes_int.csv"
        ),
    }


def group_split(groups: np.ndarray, test_share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of a train / test split that keeps each group (audience) on one side."""
    rng = np.random.default_rng(seed)
    names = rng.permutation(np.unique(groups))
    test_names = names[: max(1, round(len(names) * test_share))]
    in_test = np.isin(groups, test_names)
    return np.flatnonzero(~in_test), np.flatnonzero(in_test)


def public_training_sets(data_dir: Path | str) -> list[LabelledSet]:
    """The public sets as the shipped model trains on them: all of Instagram, all of Cresci-2015."""
    sets = public_sets(data_dir)
    train, test = sets["instagram_train"], sets["instagram_test"]
    instagram = LabelledSet(
        "instagram",
        concat_primitives([train.primitives, test.primitives]),
        np.concatenate([train.labels, test.labels]),
        INSTAGRAM_LICENCE,
        f"{train.source} + {test.source}",
    )
    return [instagram, sets["twitter"]]


def stratified_split(labels: np.ndarray, test_share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of a train / test split that keeps the share of each label."""
    rng = np.random.default_rng(seed)
    test: list[np.ndarray] = []
    for value in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == value))
        test.append(idx[: round(len(idx) * test_share)])
    test_idx = np.sort(np.concatenate(test))
    train_idx = np.setdiff1d(np.arange(len(labels)), test_idx)
    return train_idx, test_idx


INSTAFAKE_LICENCE = (
    "CC BY-NC 4.0 (github fcakyon/instafake-dataset @cf669b2): evaluation only, never trained on"
)


def load_instafake_genuine(path: Path | str) -> LabelledSet:
    """700 real, non-automated Instagram accounts (instafake): an all-genuine audience, EVALUATION ONLY.

    Its licence forbids shipping anything trained on it. It gives counts, bio length, link and
    username length and digits; no picture, privacy, full name or account age (unknown).
    """
    rows = json.loads(Path(path).read_text("utf-8"))

    def col(key: str) -> np.ndarray:
        return np.array([float(r[key]) for r in rows], dtype=np.float64)

    length = col("usernameLength")
    n = len(rows)
    prims: Primitives = {name: np.full(n, np.nan) for name in PRIMITIVES}
    prims.update(
        {
            "followers": col("userFollowerCount"),
            "following": col("userFollowingCount"),
            "posts": col("userMediaCount"),
            "has_external_url": col("userHasExternalUrl"),
            "bio_length": col("userBiographyLength"),
            "username_length": length,
            "username_digit_ratio": np.where(
                length > 0, col("usernameDigitCount") / np.maximum(length, 1), 0.0
            ),
        }
    )
    labels = col("automatedBehaviour").astype(np.int8)
    return LabelledSet("instafake-genuine", prims, labels, INSTAFAKE_LICENCE, Path(path).name)


def load_instafake_fake(directory: Path | str) -> LabelledSet:
    """Instafake's fake-account set (200 fake, 994 real Instagram accounts), EVALUATION ONLY.

    ``directory`` holds ``fakeAccountData.json`` and ``realAccountData.json`` (``data/fake-v1.0``
    of github fcakyon/instafake-dataset @cf669b2; CC BY-NC 4.0, so nothing trained on it may
    ship). It gives counts, picture, privacy, bio length and username length and digits; no
    link, full name or account age (unknown).
    """
    folder = Path(directory)
    rows = [
        *json.loads((folder / "fakeAccountData.json").read_text("utf-8")),
        *json.loads((folder / "realAccountData.json").read_text("utf-8")),
    ]

    def col(key: str) -> np.ndarray:
        return np.array([float(r[key]) for r in rows], dtype=np.float64)

    length = col("usernameLength")
    n = len(rows)
    prims: Primitives = {name: np.full(n, np.nan) for name in PRIMITIVES}
    prims.update(
        {
            "followers": col("userFollowerCount"),
            "following": col("userFollowingCount"),
            "posts": col("userMediaCount"),
            "has_profile_pic": col("userHasProfilPic"),
            "is_private": col("userIsPrivate"),
            "bio_length": col("userBiographyLength"),
            "username_length": length,
            "username_digit_ratio": np.where(
                length > 0, col("usernameDigitCount") / np.maximum(length, 1), 0.0
            ),
        }
    )
    labels = col("isFake").astype(np.int8)
    return LabelledSet("instafake-fake", prims, labels, INSTAFAKE_LICENCE, "fake-v1.0")
