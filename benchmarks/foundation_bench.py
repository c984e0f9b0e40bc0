"""Issue 2's target: generate and import a 100,000-creator world in < 10 min, peak memory < 8 GiB.

Runs the two commands a user would run, each in its own process, and measures wall time and
peak resident memory of each (``ru_maxrss`` of the finished child):

    covey world generate --creators 100000 --seed 1 --audience-sample 40 --out OUT/world
    covey import OUT/world --db OUT/covey.duckdb

Usage: python benchmarks/foundation_bench.py [--creators N] [--out DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path


def _run(argv: list[str]) -> dict[str, float]:
    """Run one command to completion; its wall seconds and peak RSS in GiB."""
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, "COLUMNS": "120"})
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"failed: {' '.join(argv)}")
    # RUSAGE_CHILDREN holds the largest child so far; each step runs after the previous finished,
    # and generation (the first) is measured alone, so we read it per step in order.
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": round(seconds, 1), "peak_rss_gib_so_far": round(peak_kib / 2**20, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--creators", type=int, default=100_000)
    parser.add_argument("--audience-sample", type=int, default=40)
    parser.add_argument("--out", type=Path, default=Path("bench-out/foundation"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    world, db = args.out / "world", args.out / "covey.duckdb"
    covey = str(Path(sys.executable).parent / "covey")
    gen = _run([covey, "world", "generate", "--creators", str(args.creators), "--seed", "1",
                "--audience-sample", str(args.audience_sample), "--out", str(world), "--json"])  # fmt: skip
    imp = _run([covey, "import", str(world), "--db", str(db), "--json"])
    counts = json.loads(
        subprocess.run([covey, "stats", "--db", str(db), "--json"], capture_output=True, text=True).stdout
    )["tables"]
    total = gen["seconds"] + imp["seconds"]
    result = {
        "benchmark": "foundation: generate + import",
        "creators": args.creators,
        "rows": counts,
        "generate_seconds": gen["seconds"],
        "import_seconds": imp["seconds"],
        "total_seconds": round(total, 1),
        "peak_rss_gib_generate": gen["peak_rss_gib_so_far"],
        "peak_rss_gib_overall": imp["peak_rss_gib_so_far"],
        "target": "total < 600 s, peak RSS < 8 GiB, >= 5M posts, >= 10M comments",
        "met": total < 600
        and imp["peak_rss_gib_so_far"] < 8
        and counts["posts"] >= 5_000_000
        and counts["comments"] >= 10_000_000,
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
