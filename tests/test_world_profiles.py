"""Follower profiles are calibrated on the real labelled accounts, and vocabularies are sound."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pytest

from covey.world import content
from covey.world.people import FIRST, LAST
from covey.world.profiles import CALIBRATION, calibrate, draw_profiles


@pytest.mark.realdata
def test_calibration_constants_match_the_labelled_data(shared_data: Path) -> None:
    measured = calibrate(shared_data / "labelled-accounts")
    for cls in ("genuine", "fake"):
        for key, value in CALIBRATION[cls].items():
            assert np.allclose(measured[cls][key], value, atol=1e-3), (cls, key)


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
    created = p["created_at"].cast("int32").to_numpy()
    assert np.median(20_000 - created[fake]) < np.median(20_000 - created[~fake])


def test_hashtags_are_distinct_within_a_post() -> None:
    rng = np.random.default_rng(1)
    group = rng.integers(0, len(content.TAGS.counts), 5_000)
    extra = content.blank_unless(rng.random(5_000) < 0.3, content.GENERIC.values.take([0] * 5_000))
    tags = content.hashtags(rng, group, extra).to_pylist()
    assert all(len(t) == len(set(t)) for t in tags)
    assert sum("nice pic 🔥" in t for t in tags) > 1_000
