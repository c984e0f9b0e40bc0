"""Scores in the database (schema migration 2): runs, component scores, evidence, signals."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from covey.errors import InputError
from covey.scores.read import account_components, account_evidence, latest_run, latest_signals
from covey.scores.result import AccountRef, ComponentScore, EvidenceItem, VetResult
from covey.store import Store

if TYPE_CHECKING:
    from covey.scores.run import ScoreRun


def save_run(store: Store, run: ScoreRun, scores: pa.Table, evidence: pa.Table, signals: pa.Table) -> int:
    """Write one run in a single transaction; returns its run_id."""
    with store.transaction() as cur:
        row = cur.execute("SELECT coalesce(max(run_id), 0) + 1 FROM score_runs").fetchone()
        run_id = int(row[0]) if row else 1
        cur.execute(
            "INSERT INTO score_runs VALUES (?, ?, ?, ?, ?, ?, ?)",
            [run_id, run.score_version, json.dumps(run.weights.as_dict()), run.as_of, run.computed_at,
             run.accounts, run.classifier],
        )  # fmt: skip
        for name, table, sql in (
            ("_scores", scores, "INSERT INTO account_scores BY NAME SELECT ? AS run_id, * FROM _scores"),
            (
                "_evidence",
                evidence,
                "INSERT INTO score_evidence BY NAME SELECT ? AS run_id, * FROM _evidence",
            ),
            (
                "_signals",
                signals,
                "INSERT INTO account_signals SELECT ?, account_id, to_json(s) FROM _signals s",
            ),
        ):
            cur.register(name, table)
            cur.execute(sql, [run_id])
            cur.unregister(name)
    return run_id


# The old name of a vetting result (kept for callers of covey.scores.Vetting).
Vetting = VetResult


def _dicts(store: Store, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return list(store.arrow(sql, params).to_pylist())


def find_accounts(store: Store, handle: str) -> list[dict[str, Any]]:
    """Accounts whose handle (without '@', any case) or account_id is ``handle``."""
    h = handle.strip().removeprefix("@")
    return _dicts(
        store,
        "SELECT account_id, platform, handle, display_name FROM accounts "
        "WHERE lower(handle) = lower(?) OR account_id = ? ORDER BY account_id",
        [h, h],
    )


def latest_vetting(store: Store, handle: str) -> list[VetResult]:
    """The latest stored score of every account matching ``handle``."""
    accounts = find_accounts(store, handle)
    if not accounts:
        raise InputError(f"no account with handle or id {handle!r}", field="HANDLE")
    run = latest_run(store)
    if run is None:
        raise InputError("no scores yet: run 'covey score' first")
    out = []
    for a in accounts:
        aid = a["account_id"]
        out.append(
            VetResult(
                account=AccountRef(**a),
                run=run,
                components=[ComponentScore(**c) for c in account_components(store, aid, run.run_id)],
                evidence=[EvidenceItem(**e) for e in account_evidence(store, aid, run.run_id)],
                signals=latest_signals(store, [aid], run.run_id).get(aid, {}),
            )
        )
    return out
