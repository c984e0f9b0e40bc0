"""Read API for stored scores: the latest score run, its component rows and its signals.

Consumers (planning, discovery, the CLI, the web) read scores through these functions instead
of writing their own SQL against ``score_runs``, ``account_scores`` and ``account_signals``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from covey.store import Store


@dataclass(frozen=True)
class RunInfo:
    """One row of ``score_runs``: which scoring run, with which version, as of when."""

    run_id: int
    score_version: str
    as_of: datetime
    computed_at: datetime
    accounts: int
    classifier: str


def latest_run(store: Store) -> RunInfo | None:
    """The newest score run (highest run_id), or None when nothing was scored yet."""
    rows = store.arrow(
        "SELECT run_id, score_version, as_of, computed_at, accounts, classifier "
        "FROM score_runs ORDER BY run_id DESC LIMIT 1"
    ).to_pylist()
    if not rows:
        return None
    r = rows[0]
    return RunInfo(
        run_id=int(r["run_id"]),
        score_version=str(r["score_version"]),
        as_of=r["as_of"],
        computed_at=r["computed_at"],
        accounts=int(r["accounts"]),
        classifier=str(r["classifier"]),
    )


def latest_components(store: Store, account_ids: list[str] | None = None) -> pa.Table:
    """Component rows of the latest run (account_id, component, score, percentile, peers,
    peer_group, sentence), for ``account_ids`` or every account; empty when nothing was scored."""
    where, params = "", []
    if account_ids is not None:
        where = " AND list_contains(?, account_id)"
        params = [account_ids]
    return store.arrow(
        "SELECT account_id, component, score, percentile, peers, peer_group, sentence "
        "FROM account_scores WHERE run_id = (SELECT max(run_id) FROM score_runs)"
        f"{where} ORDER BY account_id, component",
        [*params],
    )


def latest_signals(store: Store, account_ids: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """account_id -> that account's signals in the latest run (decoded JSON); {} when none."""
    where, params = "", []
    if account_ids is not None:
        where = " AND list_contains(?, account_id)"
        params = [account_ids]
    rows = store.query(
        "SELECT account_id, signals FROM account_signals "
        f"WHERE run_id = (SELECT max(run_id) FROM score_runs){where} ORDER BY account_id",
        [*params],
    )
    return {str(a): json.loads(s) for a, s in rows}
