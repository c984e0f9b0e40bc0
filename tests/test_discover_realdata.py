"""Discovery on real YouTube channels (../shared/data/discovery), a quick slice of the benchmark.

Channels with at least 10 trending videos, each with its newest 5 (1,114 channels, ~5,500
videos), imported into a real DuckDB file and indexed by `covey index`; the English briefs of
benchmarks/discovery_realdata.py are scored against YouTube's own category of each channel.
The full run (3,905 channels, six languages, anchors) is `make bench`'s
`python benchmarks/discovery_realdata.py`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from covey.discovery.indexer import build_index
from covey.store import DuckDBStore

ROOT = Path(__file__).resolve().parents[1]


def benchmark_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "discovery_realdata", ROOT / "benchmarks" / "discovery_realdata.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["discovery_realdata"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.realdata
def test_real_channels_found_by_plain_briefs(shared_data: Path, tmp_path: Path) -> None:
    bench = benchmark_module()
    db = tmp_path / "yt.duckdb"
    labels = bench.import_channels(db, shared_data / "discovery", min_videos=10, max_videos=5)
    assert len(labels) == 1114
    with DuckDBStore(db) as store:
        report = build_index(store)
    assert report.accounts == 1114 and report.new_posts > 5000
    fits: dict[str, list[bool]] = {}
    covey = bench.covey_ranker(db, fits)
    ids, docs, _ = bench.channel_documents(db)
    bm25 = bench.lexical_rankers(ids, docs)["bm25"]
    english = {c: {"en": b["en"]} for c, b in bench.BRIEFS.items()}
    bench.BRIEFS = english  # score() reads the module's briefs
    ours = bench.score("covey", covey, labels, raw_brief=True)
    anchor = bench.score("bm25", bm25, labels, raw_brief=False)
    per = {c: v["ndcg10"] for c, v in ours["per_category"].items()}
    # The two big, distinctive categories are found; the hybrid is not below plain BM25.
    assert per["Gaming"] >= 0.8 and per["Music"] >= 0.6, per
    assert ours["mean_ndcg10_goal"] >= anchor["mean_ndcg10_goal"] - 0.02, (ours, anchor)
    # Every brief returns a full page, good fits first.
    for flags in fits.values():
        assert len(flags) == 50 and flags == sorted(flags, reverse=True)
