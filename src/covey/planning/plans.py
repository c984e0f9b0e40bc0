"""Saved plans: each plan with its inputs, so it can be reopened and compared.

Tables (schema migration 3): ``plans`` (one row per plan: the brief, its inputs as JSON,
the figures as JSON) and ``plan_items`` (the chosen creators with posts and costs).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from covey.errors import InputError
from covey.planning.result import PlanResult, SavedPlanRow
from covey.store import Store

log = logging.getLogger("covey.planning.plans")

ITEM_COLUMNS = (
    "account_id",
    "handle",
    "platform",
    "tier",
    "posts",
    "cost_per_post",
    "cost",
    "reach_per_post",
    "engagements",
    "price_note",
)


# A reopened plan is a PlanResult with its plan_id and created_at set (the old name stays).
SavedPlan = PlanResult


def save_plan(
    store: Store,
    brief: str,
    inputs: dict[str, Any],
    summary: dict[str, Any],
    items: list[dict[str, Any]],
) -> int:
    """Store a plan and its items in one transaction; returns the new plan id."""
    with store.transaction() as cur:
        row = cur.execute("SELECT coalesce(max(plan_id), 0) + 1 FROM plans").fetchone()
        plan_id = int(row[0]) if row else 1
        cur.execute(
            "INSERT INTO plans VALUES (?, now()::TIMESTAMP, ?, ?, ?)",
            [
                plan_id,
                brief,
                json.dumps(inputs, default=str),
                json.dumps({**summary, "plan_id": plan_id, "items": items}, default=str),
            ],
        )
        if items:
            cur.executemany(
                f"INSERT INTO plan_items (plan_id, {', '.join(ITEM_COLUMNS)}) VALUES ({', '.join('?' * 11)})",
                [[plan_id, *(it.get(c) for c in ITEM_COLUMNS)] for it in items],
            )
    log.info("saved plan %d with %d creators", plan_id, len(items))
    return plan_id


def load_plan(store: Store, plan_id: int) -> PlanResult:
    """Reopen a saved plan (``plan_id`` and ``created_at`` set)."""
    rows = store.query(
        "SELECT plan_id, created_at, brief, inputs, summary FROM plans WHERE plan_id = ?", [plan_id]
    )
    if not rows:
        known = [r[0] for r in store.query("SELECT plan_id FROM plans ORDER BY plan_id")]
        hint = f"saved plans: {', '.join(map(str, known))}" if known else "no plan is saved yet"
        raise InputError(f"no plan {plan_id}; {hint} (see 'covey plan list')", field="plan_id")
    pid, created, brief, inputs, summary = rows[0]
    figures = json.loads(summary)
    # The summary keeps every item's full row; plan_items holds the queryable core.
    items = figures.pop("items", None)
    if items is None:
        found = store.query(
            f"SELECT {', '.join(ITEM_COLUMNS)} FROM plan_items WHERE plan_id = ? "
            "ORDER BY cost DESC, account_id",
            [pid],
        )
        items = [dict(zip(ITEM_COLUMNS, r, strict=True)) for r in found]
    figures.setdefault("plan_id", int(pid))
    return PlanResult(
        brief=str(brief),
        summary=figures,
        items=items,
        inputs=json.loads(inputs),
        plan_id=int(pid),
        created_at=str(created),
    )


def list_plans(store: Store) -> list[SavedPlanRow]:
    """Every saved plan with its headline figures, newest first."""
    rows = store.query(
        """SELECT plan_id, created_at, brief,
                  json_extract(inputs, '$.budget')::DOUBLE, json_extract_string(inputs, '$.currency'),
                  json_extract(summary, '$.spent')::DOUBLE, json_extract(summary, '$.creators')::INTEGER,
                  json_extract(summary, '$.reach.reach."3+"')::DOUBLE
           FROM plans ORDER BY plan_id DESC"""
    )
    return [SavedPlanRow(*r) for r in rows]
