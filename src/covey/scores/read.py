"""Read API for stored scores: the latest score run, its component rows, signals and evidence.

Consumers (planning, discovery, the CLI, the web) read scores through these functions instead
of writing their own SQL against ``score_runs``, ``account_scores`` and ``account_signals``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
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
    weights: dict[str, Any] = field(default_factory=dict)  # as stored: the weights, caps, min coverage


def latest_run(store: Store) -> RunInfo | None:
    """The newest score run (highest run_id), or None when nothing was scored yet."""
    rows = store.arrow(
        "SELECT run_id, score_version, as_of, computed_at, accounts, classifier, weights "
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
        accounts=int(r["accounts"] or 0),
        classifier=str(r["classifier"] or ""),
        weights=json.loads(r["weights"]) if r["weights"] else {},
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


def latest_signals(
    store: Store, account_ids: list[str] | None = None, run_id: int | None = None
) -> dict[str, dict[str, Any]]:
    """account_id -> that account's signals in run ``run_id`` (default: the latest; decoded
    JSON); {} when none."""
    where, params = "", []
    if account_ids is not None:
        where = " AND list_contains(?, account_id)"
        params = [account_ids]
    rows = store.query(
        f"SELECT account_id, signals FROM account_signals WHERE run_id = ?{where} ORDER BY account_id",
        [_run_id(store, run_id), *params],
    )
    return {str(a): json.loads(s) for a, s in rows}


def latest_run_id(store: Store) -> int | None:
    """The newest run's id, or None when nothing was scored yet (cheaper than :func:`latest_run`)."""
    row = store.query("SELECT max(run_id) FROM score_runs")
    return int(row[0][0]) if row and row[0][0] is not None else None


def _run_id(store: Store, run_id: int | None) -> int:
    """``run_id`` or the latest run's; -1 (matches nothing) when nothing was scored yet."""
    if run_id is not None:
        return run_id
    latest = latest_run_id(store)
    return latest if latest is not None else -1


def component_scores(
    store: Store, components: Sequence[str], run_id: int | None = None, account_ids: list[str] | None = None
) -> pa.Table:
    """One row per scored account: ``account_id`` and one DOUBLE column per name in
    ``components`` (the 0-100 score; NULL where unknown), from run ``run_id`` (default: the
    latest), for ``account_ids`` or every account. Empty, with those columns, when nothing
    was scored."""
    names = list(components)
    for c in names:
        if not c.isidentifier():
            raise ValueError(f"not a component name: {c!r}")
    pivot = "".join(f", max(score) FILTER (WHERE component = '{c}')::DOUBLE AS \"{c}\"" for c in names)
    where = " AND list_contains(?, account_id)" if account_ids is not None else ""
    return store.arrow(
        f"SELECT account_id{pivot} FROM account_scores WHERE run_id = ?{where} GROUP BY account_id "
        "ORDER BY account_id",
        [_run_id(store, run_id), *([account_ids] if account_ids is not None else [])],
    )


def signal_values(
    store: Store, names: Sequence[str], run_id: int | None = None, *, text: Sequence[str] = ()
) -> pa.Table:
    """One row per scored account: ``account_id``, one DOUBLE column per numeric signal in
    ``names`` and one VARCHAR column per signal in ``text`` (NULL where the run has no value),
    from run ``run_id`` (default: the latest).

    Columnar (read inside the engine, each account's JSON parsed once for every field),
    unlike :func:`latest_signals`, which decodes every account's JSON in Python; use this one
    for many accounts."""
    numeric, texts = list(names), list(text)
    for n in numeric + texts:
        if not n.isidentifier():
            raise ValueError(f"not a signal name: {n!r}")
    fields = numeric + texts
    if not fields:
        return store.arrow(
            "SELECT account_id FROM account_signals WHERE run_id = ? ORDER BY account_id",
            [_run_id(store, run_id)],
        )
    paths = ", ".join(f"'$.{n}'" for n in fields)
    picks = ", ".join(
        (f'TRY_CAST(v[{i}] AS DOUBLE) AS "{n}"' if n in numeric else f'v[{i}] AS "{n}"')
        for i, n in enumerate(fields, 1)
    )
    return store.arrow(
        f"SELECT account_id, {picks} FROM (SELECT account_id, json_extract_string(signals, [{paths}]) AS v "
        "FROM account_signals WHERE run_id = ?) ORDER BY account_id",
        [_run_id(store, run_id)],
    )


def account_components(store: Store, account_id: str, run_id: int | None = None) -> list[dict[str, Any]]:
    """The component rows (component, score, percentile, peers, peer_group, sentence) of one
    account in run ``run_id`` (default: the latest); [] when it was not scored."""
    return list(
        store.arrow(
            "SELECT component, score, percentile, peers, peer_group, sentence FROM account_scores "
            "WHERE run_id = ? AND account_id = ? ORDER BY component",
            [_run_id(store, run_id), account_id],
        ).to_pylist()
    )


def account_evidence(
    store: Store, account_id: str, run_id: int | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """The evidence rows (component, kind, item_id, url, detail) behind one account's scores in
    run ``run_id`` (default: the latest), ordered by component, kind and item; at most ``limit``."""
    return list(
        store.arrow(
            "SELECT component, kind, item_id, url, detail FROM score_evidence "
            "WHERE run_id = ? AND account_id = ? ORDER BY component, kind, item_id"
            + (" LIMIT ?" if limit is not None else ""),
            [_run_id(store, run_id), account_id, *([limit] if limit is not None else [])],
        ).to_pylist()
    )
