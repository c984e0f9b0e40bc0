"""What `covey vet` says about the precision of each account's fake share, over one scored store.

Reads the latest run's signals through the same path `covey vet` and the creator page use
(:meth:`covey.scores.result.FakeShare.from_signals`) and reports: how many accounts have no
follower sample, too few sampled followers (unknown), or a share; over the known ones the
10th / 50th / 90th percentile of the sample size, the interval's half-width and its two parts
(chance in the sample, and the rest: the model's transfer error) in points, the median number
of profiles the sentences name for +-2 points, and how many say no sample size gets there.

    covey world generate --out /tmp/w61 --creators 400 --seed 61 --profile mixed
    covey import /tmp/w61 --db /tmp/w61.duckdb && covey score --db /tmp/w61.duckdb
    python benchmarks/audience_precision.py /tmp/w61.duckdb
"""

from __future__ import annotations

import argparse
import json
import re

import numpy as np

from covey.scores.read import latest_signals
from covey.scores.result import FakeShare
from covey.store import DuckDBStore


def _spread(values: list[float]) -> list[float]:
    return [round(float(v), 1) for v in np.percentile(values, [10, 50, 90])] if values else []


def main() -> None:
    """Print the summary as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="a scored Covey database")
    args = parser.parse_args()
    with DuckDBStore(args.db, read_only=True) as store:
        shown = [FakeShare.from_signals(s) for s in latest_signals(store).values()]
    known = [f for f in shown if f.share is not None and f.low is not None and f.high is not None]
    half = [100 * max(f.share - f.low, f.high - f.share) for f in known]
    chance = [
        100 * max(f.share - f.sampling_low, f.sampling_high - f.share)
        for f in known
        if f.sampling_low is not None and f.sampling_high is not None
    ]
    rest = [float(np.sqrt(max(h * h - c * c, 0.0))) for h, c in zip(half, chance, strict=False)]
    named = [re.search(r"about ([\d,]+) profiles would", f.precision) for f in known]
    needed = [int(m.group(1).replace(",", "")) for m in named if m]
    unknown = [f for f in shown if f.share is None]
    print(
        json.dumps(
            {
                "accounts": len(shown),
                "no_follower_sample": sum(f.n == 0 for f in shown),
                "unknown_too_few": sum(f.n > 0 for f in unknown),
                "known": len(known),
                "sampled_p10_50_90": _spread([float(f.n) for f in known]),
                "half_width_points_p10_50_90": _spread(half),
                "chance_points_p10_50_90": _spread(chance) if len(chance) == len(known) else "not stored",
                "rest_points_p10_50_90": _spread(rest) if len(chance) == len(known) else "not stored",
                "median_profiles_for_2_points": float(np.median(needed)) if needed else None,
                "say_no_sample_size_reaches_2": sum("no sample size" in f.precision for f in known),
                "unknown_saying_0_or_100": sum(bool(re.search(r"\b(0|100) %", f.precision)) for f in unknown),
                "example": known[len(known) // 2].precision if known else None,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
