"""Scores in the database (schema migration 2): runs, component scores, evidence, signals."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from covey.errors import InputError
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


@dataclass(frozen=True)
class Vetting:
    """Everything stored about one account's latest score."""

    account: dict[str, Any]
    run: dict[str, Any]
    components: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    signals: dict[str, Any]


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


def latest_vetting(store: Store, handle: str) -> list[Vetting]:
    """The latest stored score of every account matching ``handle``."""
    accounts = find_accounts(store, handle)
    if not accounts:
        raise InputError(f"no account with handle or id {handle!r}", field="HANDLE")
    runs = _dicts(store, "SELECT * FROM score_runs ORDER BY run_id DESC LIMIT 1", [])
    if not runs:
        raise InputError("no scores yet: run 'covey score' first")
    run = runs[0]
    out = []
    for a in accounts:
        params = [run["run_id"], a["account_id"]]
        components = _dicts(
            store,
            "SELECT component, score, percentile, peers, peer_group, sentence FROM account_scores "
            "WHERE run_id = ? AND account_id = ?",
            params,
        )
        ev = _dicts(
            store,
            "SELECT component, kind, item_id, url, detail FROM score_evidence "
            "WHERE run_id = ? AND account_id = ? ORDER BY component, kind, item_id",
            params,
        )
        sig = store.query("SELECT signals FROM account_signals WHERE run_id = ? AND account_id = ?", params)
        signals = json.loads(sig[0][0]) if sig else {}
        out.append(Vetting(account=a, run=run, components=components, evidence=ev, signals=signals))
    return out
