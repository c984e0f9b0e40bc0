"""`make bench`: every long benchmark, one after another, each in its own process.

Each benchmark prints its figures; this runner keeps each one's full output in
``bench-out/<name>.log`` and says which met its target. The figures quoted in
docs/benchmarks.md come from these logs. Run one with ``--only NAME``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

# (name, argv): issue 2 foundation, issue 3 scoring, issue 4 index, issue 5 planner.
BENCHMARKS: list[tuple[str, list[str]]] = [
    ("foundation", [PY, "benchmarks/foundation_bench.py", "--out", "bench-out/foundation"]),
    ("scoring", [PY, "benchmarks/score_bench.py", "--work", "bench-out/score", "--json"]),
    ("discovery", [PY, "benchmarks/discovery_bench.py", "--out", "bench-out/discovery.json"]),
    ("discovery-realdata", [PY, "benchmarks/discovery_realdata.py", "--out", "bench-out/realdata.json"]),
    ("planning", [PY, "benchmarks/plan_bench.py"]),
    ("sources", [PY, "benchmarks/sources_bench.py"]),
    ("compliance", [PY, "benchmarks/compliance_bench.py"]),
    ("campaigns", [PY, "benchmarks/campaign_eval.py", "--root", "bench-out/campaigns", "--oracle"]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", action="append", help="run only this benchmark (repeatable)")
    args = parser.parse_args()
    out = ROOT / "bench-out"
    out.mkdir(exist_ok=True)
    failed = []
    for name, argv in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        print(f"== {name}: {' '.join(argv[1:])}", flush=True)
        start = time.perf_counter()
        with (out / f"{name}.log").open("w") as log:
            proc = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True)
            log.write(proc.stdout)
        print(proc.stdout, flush=True)
        print(f"-- {name}: exit {proc.returncode} in {time.perf_counter() - start:.0f} s", flush=True)
        if proc.returncode != 0:
            failed.append(name)
    if failed:
        sys.exit(f"benchmarks failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
