"""Score every account of a store: signals -> components -> overall -> sentences -> evidence.

The signal and component definitions are Ibis expressions (``covey.signals``,
``covey.scores.components``); this module only orders the steps on the store's DuckDB
connection and hands the results to ``covey.scores.storage``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import ibis
import pyarrow as pa

from covey.errors import InputError, StoreError
from covey.scores.components import RED_FLAGS, component_scores, with_percentiles
from covey.scores.evidence import evidence
from covey.scores.explain import SENTENCES, coverage_sentence, overall_sentence, peer_group
from covey.scores.storage import save_run
from covey.scores.weights import COMPONENTS, Weights
from covey.signals import account_signals, duckdb_sources, fake_share
from covey.store import Store

log = logging.getLogger("covey.scores.run")

# Bump when any signal, component formula or default changes: with the weights digest and
# the as-of date it makes a stored score reproducible.
SCORE_VERSION = "1.1"

STEPS = ("signals", "audience", "components", "sentences", "evidence", "store")

StepCallback = Callable[[str, int, int], None]

# DuckDB's memory cap while scoring: beyond it DuckDB spills to disk instead of taking (by its
# own default) 80 % of the machine. Callers pass ``Settings.score_memory_limit``; this is that
# setting's default. Python's own arrays come on top (under 1 GB at 100,000 creators).
MEMORY_LIMIT = "4GB"


@dataclass(frozen=True)
class ScoreRun:
    """What one ``covey score`` produced."""

    run_id: int
    score_version: str
    weights: Weights
    as_of: datetime
    computed_at: datetime
    accounts: int
    classifier: str


@contextmanager
def _memory_limit(store: Store, limit: str | None) -> Iterator[None]:
    """Cap the engine's memory at ``limit`` (e.g. '4GB') for the block (``Store.bounded``
    restores the store's own cap after it); a bad size is an InputError naming the setting."""
    if not limit:
        yield
        return
    with ExitStack() as stack:
        try:
            stack.enter_context(store.bounded(limit))
        except (StoreError, duckdb.Error) as exc:
            raise InputError(
                f"score_memory_limit: {limit!r} is not a memory size (e.g. 4GB): {exc}",
                field="score_memory_limit",
            ) from exc
        yield


def full_version(weights: Weights) -> str:
    """Score version with the weights digest, e.g. '1.0+w3f2a9c1d'."""
    return f"{SCORE_VERSION}+w{weights.digest()}"


def score_table(
    store: Store,
    weights: Weights,
    *,
    as_of: datetime | None = None,
    classifier: str = "auto",
    on_step: StepCallback | None = None,
) -> tuple[pa.Table, pa.Table, datetime, str]:
    """(one wide row per account: signals + components + percentiles, evidence rows, as_of, classifier)."""

    def step(name: str) -> None:
        log.info("scoring: %s", name)
        if on_step:
            on_step(name, STEPS.index(name), len(STEPS))

    src = duckdb_sources(store, as_of)
    step("signals")
    signals = src.to_pyarrow(account_signals(src))
    step("audience")
    follower_evidence: list[pa.Table] = []
    fs = fake_share(src, classifier=classifier, evidence=follower_evidence)
    method = fs["fake_method"][0].as_py() if fs.num_rows else "no audience samples"
    merged = ibis.memtable(signals).left_join(ibis.memtable(fs), "account_id").drop("account_id_right")
    step("components")
    scored = with_percentiles(src, component_scores(merged, weights))
    scored = scored.drop("platform", "band", "decade", "niche")
    wide = src.to_pyarrow(
        merged.left_join(scored, "account_id").drop("account_id_right").order_by("account_id")
    )
    step("evidence")
    ev = src.to_pyarrow(evidence(src))
    if follower_evidence:
        ev = pa.concat_tables([ev, *(t.cast(ev.schema) for t in follower_evidence)])
    return wide, ev, src.as_of, method


# Accounts turned into Python rows at once by long_scores: its text is assembled row by row,
# so only a slice of the accounts is ever held as Python objects.
LONG_BATCH = 10_000
LONG_SCHEMA = pa.schema(
    [("account_id", pa.string()), ("component", pa.string()), ("score", pa.float64()),
     ("percentile", pa.float64()), ("peers", pa.int64()), ("peer_group", pa.string()),
     ("sentence", pa.string())]
)  # fmt: skip


def long_scores(wide: pa.Table, weights: Weights) -> pa.Table:
    """One row per account and component (and 'overall', 'coverage') with score, percentile, peers
    and sentence. A score is NULL where it is unknown; 'coverage' is the share (0-100) of the
    weight whose evidence the account has."""
    parts = [_long_batch(batch.to_pylist(), weights) for batch in wide.to_batches(max_chunksize=LONG_BATCH)]
    return pa.concat_tables(parts) if parts else _long_batch([], weights)


def _long_batch(rows: list[dict[str, Any]], weights: Weights) -> pa.Table:
    flag_cols = list(RED_FLAGS)
    names = ("account_id", "component", "score", "percentile", "peers", "peer_group", "sentence")
    cols: dict[str, list[Any]] = {k: [] for k in names}
    # A loop over accounts (not posts): sentences are text assembled from one row each.
    for row in rows:
        flags = [f for f in flag_cols if row.get(f)]
        for c in (*COMPONENTS, "overall", "coverage"):
            if c == "overall":
                sentence = overall_sentence(row, flags, weights.red_flag_cap, weights.min_coverage)
            elif c == "coverage":
                sentence = coverage_sentence(row)
            else:
                sentence = SENTENCES[c](row)
            pct = row.get(f"{c}_pct")
            cols["account_id"].append(row["account_id"])
            cols["component"].append(c)
            # Coverage is stored as a row of its own (0-100 like the scores): no schema change.
            value = row.get(c)
            cols["score"].append(None if value is None else (100.0 * value if c == "coverage" else value))
            cols["percentile"].append(None if pct is None else 100.0 * pct)
            cols["peers"].append(row.get(f"{c}_peers"))
            cols["peer_group"].append(
                peer_group(row, row.get(f"{c}_peer_level")) if pct is not None else None
            )
            cols["sentence"].append(sentence)
    return pa.table(cols, schema=LONG_SCHEMA)


def score_store(
    store: Store,
    weights: Weights | None = None,
    *,
    as_of: datetime | None = None,
    classifier: str = "auto",
    on_step: StepCallback | None = None,
    memory_limit: str | None = MEMORY_LIMIT,
) -> ScoreRun:
    """Score every account in ``store`` and save the run; returns its description.

    ``memory_limit`` caps DuckDB's memory during the run (``Settings.score_memory_limit``;
    None leaves the connection's own setting).
    """
    weights = weights or Weights()
    with _memory_limit(store, memory_limit):
        wide, ev, as_of_used, method = score_table(
            store, weights, as_of=as_of, classifier=classifier, on_step=on_step
        )
        if on_step:
            on_step("sentences", STEPS.index("sentences"), len(STEPS))
        long = long_scores(wide, weights)
        if on_step:
            on_step("store", STEPS.index("store"), len(STEPS))
        run = ScoreRun(
            run_id=0,
            score_version=full_version(weights),
            weights=weights,
            as_of=as_of_used,
            computed_at=datetime.now(UTC).replace(tzinfo=None),
            accounts=wide.num_rows,
            classifier=method,
        )
        run_id = save_run(store, run, long, ev, wide)
    log.info("scored %d accounts (run %d, version %s)", wide.num_rows, run_id, run.score_version)
    return ScoreRun(**{**run.__dict__, "run_id": run_id})
