"""Real-audience share from the follower sample where vetting has not scored the account."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from covey.planning.sample_share import MIN_SAMPLE, SOURCE, with_sample_shares
from test_plan_segments import world


def test_sample_share_replaces_only_the_prior() -> None:
    cands, _, _ = world(4, 20_000, seed=1)
    cands = replace(
        cands,
        real_share=np.array([0.7, 0.9, 0.7, 0.7]),
        real_share_source=["prior", "vetting", "prior", "candidate list"],
    )
    counts = {"c0": (200, 150), "c1": (200, 100), "c2": (MIN_SAMPLE - 1, 5), "c3": (200, 20)}
    got = with_sample_shares(cands, counts)
    assert got.real_share == pytest.approx([0.75, 0.9, 0.7, 0.7])
    assert got.real_share_source == [SOURCE, "vetting", "prior", "candidate list"]
    # The real audience the model plans on follows.
    assert got.real_audience[0] == pytest.approx(cands.followers[0] * 0.75)
    # No sample at all: unchanged.
    assert with_sample_shares(cands, {}).real_share == pytest.approx(cands.real_share)
