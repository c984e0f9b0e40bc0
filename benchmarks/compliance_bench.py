"""Speed of the compliance checker: captions per second on one core (issue 11: >= 5,000).

Checks drafts as a campaign would (paid, gifted or affiliate known: every rule runs) and
imported posts (payment unknown), taken from the labelled set and a generated world, and
reports captions per second of CPU time (one process, one core) and of wall time.

    .venv/bin/python benchmarks/compliance_bench.py [--posts 50000] [--seed 404] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from covey.compliance import Checker, Draft
from covey.compliance.drafts import BadLine, read_drafts
from covey.compliance.evaluate import world_items
from covey.world import WorldConfig, generate

ROOT = Path(__file__).resolve().parents[1]
TARGET = 5000.0


def _rate(checker: Checker, drafts: list[Draft]) -> dict[str, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    flags = sum(len(checker.check(d).flags) for d in drafts)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"captions": len(drafts), "flags": flags, "cpu_s": cpu, "wall_s": wall,
            "per_s_cpu": len(drafts) / cpu, "per_s_wall": len(drafts) / wall}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=50_000, help="captions per run")
    parser.add_argument("--seed", type=int, default=404, help="world seed (never used for tuning)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    labelled = [
        d
        for _, _, d in read_drafts(ROOT / "tests/data/compliance/labelled.jsonl")
        if not isinstance(d, BadLine)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        generate(WorldConfig(creators=300, seed=args.seed), Path(tmp))
        briefed = [d for d, _ in world_items(Path(tmp), brief=True)]
        imported = [d for d, _ in world_items(Path(tmp))]
    paid = [d for d in briefed if d.paid] + labelled

    def cycle(items: list[Draft]) -> list[Draft]:
        return [items[i % len(items)] for i in range(args.posts)]

    checker = Checker()
    checker.check(labelled[0])  # compile the patterns outside the timing
    out = {
        "drafts (all commercial: every rule runs)": _rate(checker, cycle(paid)),
        "imported posts (payment unknown)": _rate(checker, cycle(imported)),
    }
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for name, r in out.items():
            print(f"{name}: {r['captions']} captions, {r['per_s_cpu']:,.0f}/s CPU time, "
                  f"{r['per_s_wall']:,.0f}/s wall, {r['flags']} flags")  # fmt: skip
    worst = min(r["per_s_cpu"] for r in out.values())
    print(f"target >= {TARGET:,.0f} captions/s on one core: {'met' if worst >= TARGET else 'NOT met'}")
    if worst < TARGET:
        sys.exit(1)


if __name__ == "__main__":
    main()
