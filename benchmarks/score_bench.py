"""Scoring speed: `covey score` on DuckDB against a straightforward pandas version of the signals.

    flock /tmp/covey-heavy.lock python benchmarks/score_bench.py --creators 100000 [--work DIR] [--json]

1. generates the world (``WorldConfig.benchmark()`` for 100,000 creators: 5M posts, 10M
   comments), unless DIR already holds it, and loads its Parquet files into a fresh DuckDB
   file with plain ``INSERT ... SELECT`` (the importer's own speed is import_bench's business);
2. times the full ``covey score`` (signals, components, percentiles, sentences, evidence and
   storage) on DuckDB;
3. times the same per-account signals two ways over the same data: the Ibis definitions on
   DuckDB (``account_signals`` plus the rule-based fake share, reading the DuckDB file) and an
   idiomatic pandas version (``pandas_signals.py``: vectorised groupby/merge/str.contains,
   reading the world's Parquet files one chunk of ``--partition-accounts`` accounts at a time,
   the way an analyst with limited memory would), and checks that they agree, column by column.

Each step runs in its own child process (this script with ``--phase``), so that its time
and peak resident memory (``VmHWM``, read by the child itself) are its own: no buffer pool or
heap left over from an earlier step. Both signal timings include reading their input (the
DuckDB file, the Parquet files) from a fresh process; the operating system's file cache is
shared, as it would be for a user.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pandas_signals import ACCOUNTS_PER_PARTITION, pandas_signals

# Agreement: relative 1e-4 or absolute 1e-6; the Ibis side measures times in whole seconds.
RTOL, ATOL = 1e-4, 1e-6
ATOL_BY_COLUMN = {"reply_latency_min": 1 / 60}


def peak_rss_gib() -> float:
    """This process's peak resident memory (its own address space's high-water mark)."""
    with open("/proc/self/status") as f:
        kib = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    return kib / 2**20


def phase(name: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run one step in this (child) process; return its figures."""
    from covey.scores import score_store
    from covey.signals import account_signals, duckdb_sources, fake_share
    from covey.store import DuckDBStore

    world, db = args.work / "world", args.work / "bench.duckdb"
    t0 = time.perf_counter()
    if name == "generate":
        from covey.world import WorldConfig, generate

        config = (
            WorldConfig.benchmark(seed=args.seed)
            if args.creators == 100_000
            else WorldConfig(creators=args.creators, seed=args.seed)
        )
        generate(config, world)
        return {"seconds": time.perf_counter() - t0}
    if name == "load":
        store = load_world(world, db)
        rows = store.table_counts()
        store.close()  # checkpointed here, not replayed from the log by the next step
        return {"seconds": time.perf_counter() - t0, "rows": rows}
    if name == "score":
        store = DuckDBStore(db)
        run = score_store(store, classifier="rules")
        store.close()
        return {"seconds": time.perf_counter() - t0, "accounts": run.accounts}
    if name == "duckdb":
        src = duckdb_sources(DuckDBStore(db))
        signals = src.to_pyarrow(account_signals(src)).to_pandas().set_index("account_id")
        fs = fake_share(src, classifier="rules").to_pandas().set_index("account_id")
        seconds = time.perf_counter() - t0
        signals.join(fs[["fake_share"]]).to_parquet(args.work / "signals_duckdb.parquet")
        return {"seconds": seconds, "as_of": src.as_of.isoformat()}
    if name == "pandas":
        timings: dict[str, float] = {}
        out = pandas_signals(world, datetime.fromisoformat(args.as_of), args.partition_accounts, timings)
        seconds = time.perf_counter() - t0
        out.to_parquet(args.work / "signals_pandas.parquet")
        return {"seconds": seconds, **timings}
    raise ValueError(f"unknown phase {name!r}")


def load_world(world: Path, db: Path) -> Any:
    """A fresh store with the world's Parquet files inserted as they are."""
    from covey.model import TABLES
    from covey.store import DuckDBStore

    db.unlink(missing_ok=True)
    store = DuckDBStore(db)
    with store.transaction() as cur:
        for table in TABLES:
            cols = ", ".join(f'"{c}"' for c in table.column_names)
            cur.execute(
                f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM read_parquet(?)",
                [str(world / f"{table.name}.parquet")],
            )
    return store


def run_phase(name: str, args: argparse.Namespace, *extra: str) -> dict[str, Any]:
    """One step in a fresh child process; its figures come back through a JSON file."""
    out = args.work / f"phase-{name}.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, __file__, "--phase", name, "--work", str(args.work), "--creators",
           str(args.creators), "--seed", str(args.seed), "--partition-accounts",
           str(args.partition_accounts), *extra]  # fmt: skip
    subprocess.run(cmd, check=True)
    return dict(json.loads(out.read_text()))


def agreement(duck: pd.DataFrame, pand: pd.DataFrame) -> dict[str, float]:
    """Per column both compute, the share of accounts on which the two agree (``np.isclose``).

    Counts that DuckDB leaves empty for an account without the rows pandas counts as 0
    (jumps, posts) are compared as 0.
    """
    pand = pand.reindex(duck.index)
    shares = {}
    for col in sorted(set(duck.columns) & set(pand.columns)):
        a, b = duck[col].astype(float), pand[col].astype(float)
        if col in COUNTS:
            a, b = a.fillna(0), b.fillna(0)
        atol = ATOL_BY_COLUMN.get(col, ATOL)
        same = np.isclose(a, b, rtol=RTOL, atol=atol) | (a.isna() & b.isna())
        shares[col] = round(float(same.mean()), 5)
    return shares


COUNTS = ("bought_events", "undisclosed", "health", "rx", "profanity", "hate")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--creators", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument(
        "--partition-accounts",
        type=int,
        default=ACCOUNTS_PER_PARTITION,
        help="accounts per chunk in the pandas version",
    )
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--as-of", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.work = (args.work or Path(tempfile.mkdtemp(prefix="covey-score-bench-"))).resolve()

    if args.phase:
        figures = phase(args.phase, args)
        figures["peak_rss_gib"] = peak_rss_gib()
        (args.work / f"phase-{args.phase}.json").write_text(json.dumps(figures, default=str))
        return

    args.work.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"creators": args.creators}

    def note(key: str, value: Any) -> None:
        # Each figure goes to stderr as soon as it is known: a later step may fail.
        result[key] = value
        print(f"{key}: {value}", file=sys.stderr, flush=True)

    def step(name: str, *extra: str) -> dict[str, Any]:
        figures = run_phase(name, args, *extra)
        note(f"{name}_s", figures.pop("seconds"))
        note(f"{name}_peak_rss_gib", figures.pop("peak_rss_gib"))
        for key, value in figures.items():
            note(f"{name}_{key}", value)
        return figures

    if not (args.work / "world" / "posts.parquet").exists():
        step("generate")
    step("load")
    step("score")
    as_of = step("duckdb")["as_of"]
    if not args.skip_pandas:
        step("pandas", "--as-of", as_of)
        note("speedup", result["pandas_s"] / result["duckdb_s"])
        duck = pd.read_parquet(args.work / "signals_duckdb.parquet")
        pand = pd.read_parquet(args.work / "signals_pandas.parquet")
        shares = agreement(duck, pand)
        note("agreement_share", shares)
        note("agreement_min", min(shares.items(), key=lambda kv: kv[1]))
        note("accounts_compared", int(np.isin(duck.index, pand.index).sum()))
    if args.json:
        print(json.dumps(result, indent=2, default=str))
        return
    for k, v in result.items():
        print(f"{k:28s} {v:.2f}" if isinstance(v, float) else f"{k:28s} {v}")


if __name__ == "__main__":
    main()
