"""Measure world generation: seconds, rows per table and peak memory.

    flock /tmp/covey-heavy.lock .venv/bin/python benchmarks/world_bench.py --creators 100000

Uses ``WorldConfig.benchmark()`` (a 40-profile follower sample per account) with the given
number of creators; writes into --out (a temporary folder, removed afterwards, by default).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from covey.world import WorldConfig, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--creators", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--audience-sample", type=int, default=None, help="profiles per account (default 40)")
    parser.add_argument("--out", type=Path, default=None, help="keep the world here instead of a temp folder")
    args = parser.parse_args(argv)

    config = dataclasses.replace(WorldConfig.benchmark(seed=args.seed), creators=args.creators)
    if args.audience_sample is not None:
        config = dataclasses.replace(config, audience_sample_size=args.audience_sample)
    out = args.out or Path(tempfile.mkdtemp(prefix="covey-world-"))
    began = time.perf_counter()
    last = [began]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 15 or done == total:
            print(f"  {done:,}/{total:,} accounts, {now - began:.0f} s", file=sys.stderr, flush=True)
            last[0] = now

    try:
        summary = generate(config, out, progress=progress)
        seconds = time.perf_counter() - began
        usage = resource.getrusage(resource.RUSAGE_SELF)
        peak_kib = usage.ru_maxrss
        size = sum(p.stat().st_size for p in out.rglob("*.parquet"))
        print(f"creators={config.creators} seed={config.seed} audience_sample={config.audience_sample_size}")
        print(f"seconds={seconds:.1f}")
        # CPU time too: on a shared machine wall time depends on the neighbours.
        print(f"cpu_seconds={usage.ru_utime + usage.ru_stime:.1f}")
        print(f"load_average_1min={os.getloadavg()[0]:.1f}")
        print(f"peak_rss_gib={peak_kib / 1024**2:.2f}")
        print(f"audience_scale={summary.audience_scale:.5f}")
        print(f"files_gib={size / 1024**3:.2f}")
        for name, n in summary.counts.items():
            print(f"rows.{name}={n}")
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
