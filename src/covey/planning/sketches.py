"""Mergeable audience sketches: theta (k minimum values) sketches of identifier sets.

Each identifier is hashed to 64 bits (DuckDB's ``hash``); a set's sketch keeps its k
smallest hashes and theta = the (k+1)-th smallest / 2^64 (1 when the set has k or fewer
members, and then the sketch is exact). The estimate of |A| is retained / theta; its
relative standard error is about 1/sqrt(k) (k = 4096: ~1.6 %, ~±3.1 % at 95 %). Sketches
merge (union) by keeping the k smallest of both below the smaller theta, so audiences from
samples, commenters and follower lists, or from several imports, combine without the raw ids.
Building and pairwise intersection run as DuckDB queries, not Python loops.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

log = logging.getLogger("covey.planning.sketches")

DEFAULT_K = 4096
TWO64 = float(2**64)
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Sketch:
    """One theta sketch: the retained hashes (sorted, all below ``limit``) and the limit.

    ``limit`` is the (k+1)-th smallest hash, or 2^64 when the sketch holds the whole set;
    theta = limit / 2^64.
    """

    hashes: npt.NDArray[np.uint64]
    limit: int
    k: int = DEFAULT_K

    @property
    def theta(self) -> float:
        return self.limit / TWO64

    @property
    def exact(self) -> bool:
        return self.theta >= 1.0

    def estimate(self) -> float:
        """Estimated number of distinct identifiers."""
        return self.hashes.size / self.theta

    def interval(self) -> tuple[float, float]:
        """95 % interval of the estimate (binomial error of the retained count)."""
        n = self.hashes.size
        if self.exact:
            return float(n), float(n)
        se = np.sqrt(n * (1.0 - self.theta)) / self.theta
        return max(float(n), self.estimate() - Z95 * se), self.estimate() + Z95 * se

    def union(self, other: Sketch) -> Sketch:
        """The sketch of A ∪ B, from the two sketches alone."""
        k = min(self.k, other.k)
        limit = min(self.limit, other.limit)
        merged = np.union1d(self.hashes, other.hashes)
        if limit < 2**64:
            merged = merged[merged < np.uint64(limit)]
        if merged.size > k:
            limit = int(merged[k])
            merged = merged[:k]
        return Sketch(merged, limit, k)


def sketch_of(ids: pa.Array | list[str], k: int = DEFAULT_K) -> Sketch:
    """Sketch of one identifier set."""
    tbl = pa.table({"set_id": pa.array(["_"] * len(ids)), "member_id": pa.array(ids, pa.string())})
    return build_sketches(tbl, k)["_"]


def _hashes(con: duckdb.DuckDBPyConnection, relation: str, k: int) -> pa.Table:
    return con.sql(
        f"""
        WITH h AS (SELECT DISTINCT set_id, hash(member_id) AS h FROM {relation} WHERE member_id IS NOT NULL),
        r AS (SELECT set_id, h, row_number() OVER (PARTITION BY set_id ORDER BY h) AS rn FROM h)
        SELECT set_id, h, rn FROM r WHERE rn <= {int(k) + 1} ORDER BY set_id, h
        """
    ).to_arrow_table()


def build_sketches(members: pa.Table, k: int = DEFAULT_K) -> dict[str, Sketch]:
    """Sketches of many sets at once from an Arrow table of (set_id, member_id)."""
    con = duckdb.connect()
    con.register("members_in", members)
    rows = _hashes(con, "members_in", k)
    con.close()
    set_ids = rows.column("set_id").to_numpy(zero_copy_only=False)
    h = rows.column("h").to_numpy().astype(np.uint64)
    rn = rows.column("rn").to_numpy()
    out: dict[str, Sketch] = {}
    if set_ids.size == 0:
        return out
    starts = np.flatnonzero(np.r_[True, set_ids[1:] != set_ids[:-1]])
    ends = np.r_[starts[1:], set_ids.size]
    for s, e in zip(starts, ends, strict=True):  # one iteration per set, not per identifier
        hs = h[s:e]
        if rn[e - 1] > k:
            out[str(set_ids[s])] = Sketch(hs[:k].copy(), int(hs[k]), k)
        else:
            out[str(set_ids[s])] = Sketch(hs.copy(), 2**64, k)
    return out


def sketch_table(sketches: dict[str, Sketch]) -> tuple[pa.Table, pa.Table]:
    """Sketches as two Arrow tables, (set_id, h) and (set_id, lim, theta), for SQL joins.

    ``lim`` is the limit capped at 2^64 - 1 (a hash equal to it has probability 2^-64).
    """
    names = list(sketches)
    sizes = np.array([sketches[n].hashes.size for n in names], dtype=np.int64)
    entries = pa.table(
        {
            "set_id": pa.array(np.repeat(np.array(names, dtype=object), sizes), pa.string()),
            "h": pa.array(
                np.concatenate([sketches[n].hashes for n in names]) if names else np.array([], np.uint64)
            ),
        }
    )
    thetas = pa.table(
        {
            "set_id": pa.array(names, pa.string()),
            "lim": pa.array([min(sketches[n].limit, 2**64 - 1) for n in names], pa.uint64()),
            "theta": pa.array([sketches[n].theta for n in names], pa.float64()),
        }
    )
    return entries, thetas
