"""Risky picks are said first, whatever gave the account's real-follower share."""

from __future__ import annotations

from covey.planning.sample_share import SOURCE
from covey.planning.wording import FAKE_WARNING, pick_warning


def test_a_high_fake_share_is_a_warning_from_vetting_and_from_the_follower_sample() -> None:
    assert pick_warning({"real_share_source": "vetting", "real_share": 0.6}) == (
        "vetting says 40% of followers look fake"
    )
    said = pick_warning({"real_share_source": SOURCE, "real_share": 0.38})
    assert said == "62% of its sampled followers look fake (not vetted yet)"
    # The CLI's check column reads "look fake" as "fake followers".
    assert "look fake" in said


def test_no_warning_below_the_threshold_or_from_a_candidate_file() -> None:
    below = 1 - FAKE_WARNING + 0.01
    assert pick_warning({"real_share_source": "vetting", "real_share": below}) is None
    assert pick_warning({"real_share_source": SOURCE, "real_share": below}) is None
    assert pick_warning({"real_share_source": "candidate file", "real_share": 0.1}) is None
    assert "unknown" in str(pick_warning({"real_share_source": "prior", "real_share": 0.7}))
