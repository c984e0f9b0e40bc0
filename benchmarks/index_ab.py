"""The vector index before and after a change, interleaved on one cached synthetic world.

Loads (or builds) the world of ``discovery_bench.py`` (``--cache``), imports the index module
of git revision ``--old`` beside the working tree's, and gives both the same rows, centroids
and lists. Every query then runs through both, alternating which goes first, so that a
shared machine's load falls on both alike: the index search alone (k = 10 and k = 200, the
hybrid's depth), the filter mask alone (``Catalog.mask`` of both revisions: it is built inside
the hybrid's timing), and the full hybrid search with each (its wall time and this thread's
CPU time, which a loaded machine inflates less). Recall is against the exact scan of the same
rows.

    python benchmarks/index_ab.py --old 890d0b9 --cache /tmp/covey-w1m --creators 1000000 --queries 200
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from discovery_bench import FILTER_SETS, load_world, percentile, query_set

from covey.discovery.catalog import Catalog, Filters
from covey.discovery.index import VectorIndex
from covey.discovery.search import CANDIDATES_MIN, hybrid


def old_module(rev: str, name: str) -> ModuleType:
    """``covey.discovery.<name>`` as it was at git revision ``rev`` (imported as ``old_<name>``)."""
    root = Path(__file__).resolve().parents[1]
    source = subprocess.run(
        ["git", "-C", str(root), "show", f"{rev}:src/covey/discovery/{name}.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp(prefix="covey-old-")) / f"old_{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"old_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"old_{name}"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    """Share of the exact rows that were found."""
    return len(set(found.tolist()) & set(truth.tolist())) / max(1, len(truth))


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--old", required=True, help="git revision of the index to compare against")
    parser.add_argument("--creators", type=int, default=1_000_000)
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0, help="the world's seed")
    parser.add_argument("--query-seed", type=int, help="the queries' seed (default: the world's)")
    parser.add_argument("--words", type=int, default=40)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    # Before the long load, so that a wrong revision fails at once.
    old_index = old_module(args.old, "index")
    old_mask = old_module(args.old, "catalog").Catalog.mask  # applied to this catalog's columns
    catalog, times = load_world(args.creators, args.dims, args.seed, args.words, args.cache)
    new = catalog.index
    old = old_index.VectorIndex(new.vectors, new.centroids)
    old.offsets, old.trained_rows = new.offsets, new.trained_rows
    assert old.vectors is new.vectors  # the same rows, no copy
    qseed = args.seed if args.query_seed is None else args.query_seed
    qs, q_words = query_set(2000, args.dims, args.queries, args.seed, qseed)
    loads = [os.getloadavg()[0]]
    out: dict[str, Any] = {}
    for name, filters in FILTER_SETS.items():
        t: dict[str, list[float]] = {}
        rec: dict[str, list[float]] = {}
        scanned: dict[str, list[int]] = {"old": [], "new": []}
        for i, (q, words) in enumerate(zip(qs, q_words, strict=True)):
            masks = {}
            pair: list[tuple[str, VectorIndex, Callable[[Catalog, Filters], np.ndarray]]] = [
                ("old", old, old_mask),
                ("new", new, Catalog.mask),
            ]
            for label, _, mask_of in pair if i % 2 else pair[::-1]:
                t0 = time.perf_counter()
                masks[label] = mask_of(catalog, filters)
                t.setdefault(f"{label}_mask", []).append(time.perf_counter() - t0)
            assert np.array_equal(masks["old"], masks["new"])
            mask = masks["new"]
            deep = new.exact(q, CANDIDATES_MIN, mask).rows  # best first: its head is the top 10
            truth = {10: deep[:10], CANDIDATES_MIN: deep}
            for label, index, mask_of in pair if i % 2 else pair[::-1]:
                for k in (10, CANDIDATES_MIN):
                    t0, c0 = time.perf_counter(), time.thread_time()
                    hits = index.search(q, k, mask)
                    t.setdefault(f"{label}_k{k}", []).append(time.perf_counter() - t0)
                    t.setdefault(f"{label}_k{k}_cpu", []).append(time.thread_time() - c0)
                    rec.setdefault(f"{label}_k{k}", []).append(recall(hits.rows, truth[k]))
                scanned[label].append(hits.scanned)
                catalog.index = index
                t0, c0 = time.perf_counter(), time.thread_time()
                hybrid(catalog, words, q, CANDIDATES_MIN, mask_of(catalog, filters))
                t.setdefault(f"{label}_hybrid", []).append(time.perf_counter() - t0)
                t.setdefault(f"{label}_hybrid_cpu", []).append(time.thread_time() - c0)
            catalog.index = new
        loads.append(os.getloadavg()[0])
        out[name] = {
            "passing": int(np.count_nonzero(catalog.mask(filters))),
            **{f"{key}_p50_ms": percentile(v, 50) for key, v in t.items()},
            **{f"{key}_p95_ms": percentile(v, 95) for key, v in t.items()},
            **{f"recall_{key}": round(float(np.mean(v)), 4) for key, v in rec.items()},
            **{f"recall_{key}_min": round(float(np.min(v)), 4) for key, v in rec.items()},
            **{f"rows_scored_{key}_mean": int(np.mean(v)) for key, v in scanned.items()},
        }
    report = {
        "creators": args.creators,
        "queries": args.queries,
        "query_seed": qseed,
        "old": args.old,
        "nlist": new.nlist,
        **times,
        "load_average_1min": [round(x, 1) for x in loads],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "filters": out,
    }
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
