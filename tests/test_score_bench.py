"""score_bench's pandas baseline: chunks change nothing, and it computes what the Ibis signals do."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from covey.signals import account_signals, duckdb_sources, fake_share
from covey.world import WorldConfig, generate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import score_bench
from pandas_signals import pandas_signals

# The signals on which the two agree on every account of the 5,000-creator world; the others
# differ on a few accounts by ties (niche tags, equal timestamps) and are reported, not tested.
EXACT = (
    "emoji_share",
    "er_followers_median90",
    "fake_share",
    "generic_share",
    "pod_share",
    "reachable_share",
    "reply_latency_min",
    "reply_rate",
    "returning_share",
    "sponsored_share",
    "thread_turns",
    "undisclosed",
)


@pytest.fixture(scope="module")
def signals(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """A small generated world and its Ibis signals on DuckDB."""
    root = tmp_path_factory.mktemp("score-bench")
    generate(WorldConfig(creators=120, seed=5, audience_sample_size=30), root / "world")
    store = score_bench.load_world(root / "world", root / "bench.duckdb")
    src = duckdb_sources(store)
    duck = src.to_pyarrow(account_signals(src)).to_pandas().set_index("account_id")
    duck = duck.join(fake_share(src, classifier="rules").to_pandas().set_index("account_id")[["fake_share"]])
    duck.attrs["as_of"] = src.as_of
    store.close()
    return root / "world", duck


def test_chunks_give_the_same_values_as_one_piece(signals: tuple[Path, pd.DataFrame]) -> None:
    world, duck = signals
    timings: dict[str, float] = {}
    whole = pandas_signals(world, duck.attrs["as_of"], accounts_per_partition=1_000_000)
    chunked = pandas_signals(world, duck.attrs["as_of"], accounts_per_partition=40, timings=timings)
    assert timings["partitions"] >= 3
    pd.testing.assert_frame_equal(chunked.sort_index(), whole.sort_index(), check_exact=True)


def test_pandas_agrees_with_the_ibis_signals(signals: tuple[Path, pd.DataFrame]) -> None:
    world, duck = signals
    pand = pandas_signals(world, duck.attrs["as_of"], accounts_per_partition=50)
    assert set(pand.index) == set(duck.index)
    shares = score_bench.agreement(duck, pand)
    assert {c: shares[c] for c in EXACT} == {c: 1.0 for c in EXACT}
    assert min(shares.values()) >= 0.8, shares
