"""Follower profiles are calibrated on the real labelled accounts, and vocabularies are sound."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pytest

from covey.world import content
from covey.world.people import FIRST, LAST
from covey.world.profiles import (
    CALIBRATION,
    COPULA,
    COPULA_FEATURES,
    calibrate,
    draw_profiles,
    fit_copula,
    latent_correlation,
)


@pytest.mark.realdata
def test_calibration_constants_match_the_labelled_data(shared_data: Path) -> None:
    measured = calibrate(shared_data / "labelled-accounts")
    for cls in ("genuine", "fake"):
        for key, value in CALIBRATION[cls].items():
            assert np.allclose(measured[cls][key], value, atol=1e-3), (cls, key)


@pytest.mark.realdata
def test_copula_correlations_match_the_labelled_data(shared_data: Path) -> None:
    assert COPULA["features"] == list(COPULA_FEATURES)
    measured = fit_copula(shared_data / "labelled-accounts")
    for cls in ("genuine", "fake"):
        assert np.allclose(measured[cls], COPULA["correlation"][cls], atol=1e-3), cls


@pytest.mark.realdata
def test_drawn_profiles_keep_the_rank_correlations_of_real_accounts(shared_data: Path) -> None:
    import pandas as pd

    labelled = shared_data / "labelled-accounts"
    ig = pd.concat([pd.read_csv(labelled / f"instagram_fake_genuine_{p}.csv") for p in ("train", "test")])
    real_columns = ["#followers", "#follows", "#posts", "description length", "profile pic", "private"]
    n = 30_000
    for label, cls in ((0, "genuine"), (1, "fake")):
        real = ig.loc[ig["fake"] == label, real_columns].corr("spearman").to_numpy()
        p = draw_profiles(
            np.random.default_rng(3), np.full(n, label == 1), np.zeros(n, np.int64), FIRST, LAST, 20_000
        )
        drawn = pd.DataFrame(
            {
                "followers": p["followers"].to_numpy(),
                "following": p["following"].to_numpy(),
                "posts": p["posts"].to_numpy(),
                "bio": pc.utf8_length(p["bio"]).to_numpy(),
                "pic": p["has_profile_pic"].to_numpy(zero_copy_only=False).astype(int),
                "private": p["is_private"].to_numpy(zero_copy_only=False).astype(int),
            }
        ).corr("spearman")
        assert np.abs(drawn.to_numpy() - real).max() < 0.12, cls
    # The case independent draws got wrong: a genuine person with few posts AND few followers
    # (2.6 % of the real genuine accounts; independence gives 0.5 %).
    genuine = ig[ig["fake"] == 0]
    real_rate = np.mean((genuine["#posts"] <= 3) & (genuine["#followers"] < 100))
    p = draw_profiles(np.random.default_rng(4), np.zeros(n, bool), np.zeros(n, np.int64), FIRST, LAST, 20_000)
    drawn_rate = np.mean((p["posts"].to_numpy() <= 3) & (p["followers"].to_numpy() < 100))
    assert 0.5 * real_rate < drawn_rate < 2 * real_rate


def test_latent_correlation_recovers_a_known_copula() -> None:
    rng = np.random.default_rng(5)
    rho = np.array([[1.0, 0.6, -0.5], [0.6, 1.0, 0.0], [-0.5, 0.0, 1.0]])
    z = rng.standard_normal((20_000, 3)) @ np.linalg.cholesky(rho).T
    # A continuous column, a coarse 4-level one and a yes/no flag with 30 % "yes".
    data = np.column_stack([np.exp(z[:, 0]), np.digitize(z[:, 1], [-1.0, 0.0, 1.0]), z[:, 2] > 0.5244])
    assert np.allclose(latent_correlation(data.astype(np.float64)), rho, atol=0.05)


def test_drawn_profiles_follow_the_calibrated_quantiles() -> None:
    rng = np.random.default_rng(0)
    n = 20_000
    fake = np.arange(n) % 2 == 0
    p = draw_profiles(rng, fake, np.zeros(n, dtype=np.int64), FIRST, LAST, 20_000)
    followers = p["followers"].to_numpy()
    for cls, mask in (("fake", fake), ("genuine", ~fake)):
        median = np.median(np.log1p(followers[mask]))
        assert abs(median - CALIBRATION[cls]["log_followers"][10]) < 0.15
        pic = np.mean(p["has_profile_pic"].to_numpy(zero_copy_only=False)[mask])
        assert abs(pic - CALIBRATION[cls]["profile_pic"]) < 0.02
    digits = pc.count_substring_regex(p["username"], r"[0-9]").to_numpy()
    assert np.mean(digits[fake] > 0) > 2 * np.mean(digits[~fake] > 0)
    # Digits in the full name: about 18 % of real fakes, 3 % of real genuine accounts.
    name_digits = pc.count_substring_regex(p["full_name"], r"[0-9]").to_numpy() > 0
    assert 0.12 < np.mean(name_digits[fake]) < 0.24
    assert np.mean(name_digits[~fake]) < 0.05
    same = pc.equal(p["full_name"], p["username"]).to_numpy(zero_copy_only=False)
    assert 0.03 < np.mean(same[fake]) < 0.1 and np.mean(same[~fake]) < 0.02
    created = p["created_at"].cast("int32").to_numpy()
    assert np.median(20_000 - created[fake]) < np.median(20_000 - created[~fake])


def test_hashtags_are_distinct_within_a_post() -> None:
    rng = np.random.default_rng(1)
    group = rng.integers(0, len(content.TAGS.counts), 5_000)
    extra = content.blank_unless(rng.random(5_000) < 0.3, content.GENERIC.values.take([0] * 5_000))
    tags = content.hashtags(rng, group, extra).to_pylist()
    assert all(len(t) == len(set(t)) for t in tags)
    assert sum("nice pic 🔥" in t for t in tags) > 1_000
