"""The typed plan result: what run_plan returns is what load_plan reopens, and its view is typed."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from covey.planning.planner import Brief
from covey.planning.plans import list_plans, load_plan
from covey.planning.result import PlanItem, PlanResult, PlanView, SavedPlanRow
from covey.planning.session import run_plan
from covey.store import DuckDBStore
from test_plan_cli import fill_store


def test_run_plan_and_load_plan_give_the_same_typed_result(tmp_path: Path) -> None:
    with DuckDBStore(tmp_path / "covey.duckdb") as store:
        fill_store(store)
        made = run_plan(store, Brief(text="IBD awareness", budget=9_000, min_creators=3), interval_draws=3)
        assert isinstance(made, PlanResult) and made.plan_id == made.summary["plan_id"] == 1
        again = load_plan(store, 1)
        (row,) = list_plans(store)
    assert again.plan_id == 1 and again.created_at and again.brief == made.brief == "IBD awareness"
    # The JSON of `covey plan --json` keeps its three keys, and survives a round trip.
    assert set(made.to_dict()) == {"summary", "items", "inputs"}
    assert json.loads(json.dumps(again.summary)) == json.loads(json.dumps(made.summary))
    view = made.view()
    assert isinstance(view, PlanView) and dataclasses.replace(again.view(), created_at=None) == view
    assert view.items and all(isinstance(i, PlanItem) for i in view.items)
    assert sum(i.posts for i in view.items) == made.summary["posts"]
    assert [o.name for o in view.options] == [o["name"] for o in made.summary["options"]]
    k = view.frequency
    assert view.options[0].reach_k == made.summary["reach"]["reach"][f"{k}+"]
    assert sum(view.histogram[k:]) == pytest.approx(view.options[0].reach_k, rel=1e-6, abs=1e-6)
    assert isinstance(row, SavedPlanRow) and row.plan_id == 1 and row.creators == len(view.items)
    assert row.spent == made.summary["spent"]
