"""The score read API against a real scored store."""

from __future__ import annotations

import pytest

from covey.scores import score_store
from covey.scores.read import (
    account_components,
    account_evidence,
    component_scores,
    latest_components,
    latest_run,
    latest_run_id,
    latest_signals,
    signal_values,
)
from covey.store import DuckDBStore
from test_signals_world import build_world


def test_read_api_empty_then_scored(store: DuckDBStore) -> None:
    build_world(store)
    assert latest_run(store) is None and latest_run_id(store) is None
    assert latest_components(store).num_rows == 0
    assert latest_signals(store) == {}
    score_store(store, classifier="rules")
    run = latest_run(store)
    assert run is not None and run.run_id == 1 == latest_run_id(store) and run.classifier.startswith("rule")
    assert run.accounts == 48
    comps = latest_components(store)
    n = store.query("SELECT count(*) FROM account_scores WHERE run_id = 1")[0][0]
    assert comps.num_rows == n > 0
    one = comps.column("account_id")[0].as_py()
    assert set(latest_components(store, [one]).column("account_id").to_pylist()) == {one}
    sig = latest_signals(store, [one])
    assert list(sig) == [one] and "fake_share" in sig[one]
    assert len(latest_signals(store)) == run.accounts


def test_columnar_reads_match_the_stored_rows(store: DuckDBStore) -> None:
    build_world(store)
    empty = component_scores(store, ["overall", "coverage"])
    assert empty.num_rows == 0 and empty.column_names == ["account_id", "overall", "coverage"]
    assert signal_values(store, ["fake_share"]).num_rows == 0
    assert account_components(store, "nobody") == [] and account_evidence(store, "nobody") == []
    score_store(store, classifier="rules")
    score_store(store, classifier="rules")  # a second run: reads default to the latest (2)
    wide = component_scores(store, ["overall", "coverage"])
    assert wide.num_rows == 48
    by_id = {r["account_id"]: r for r in wide.to_pylist()}
    for acct, comp, score in store.query(
        "SELECT account_id, component, score FROM account_scores WHERE run_id = 2 "
        "AND component IN ('overall', 'coverage')"
    ):
        assert by_id[acct][comp] == score
    fake = signal_values(store, ["fake_share", "no_such_signal"])
    sig = latest_signals(store)
    for r in fake.to_pylist():
        assert r["no_such_signal"] is None  # unknown stays unknown
        want = sig[r["account_id"]].get("fake_share")
        assert (r["fake_share"] is None and want is None) or abs(r["fake_share"] - want) < 1e-12
    one = wide.column("account_id")[0].as_py()
    comps = account_components(store, one)
    assert {c["component"] for c in comps} == set(
        latest_components(store, [one]).column("component").to_pylist()
    )
    ev = account_evidence(store, one)
    n = store.query("SELECT count(*) FROM score_evidence WHERE run_id = 2 AND account_id = ?", [one])[0][0]
    assert len(ev) == n and len(account_evidence(store, one, limit=1)) == min(1, n)
    assert len(account_components(store, one, run_id=1)) == len(comps)
    with pytest.raises(ValueError):
        component_scores(store, ["overall; DROP TABLE accounts"])


def test_latest_vetting_is_typed_and_its_json_keeps_the_stored_columns(store: DuckDBStore) -> None:
    import json

    from covey.scores import latest_vetting
    from covey.scores.result import ComponentScore, EvidenceItem, VetResult

    build_world(store)
    score_store(store, classifier="rules")
    one = store.query("SELECT account_id FROM accounts ORDER BY account_id LIMIT 1")[0][0]
    (vet,) = latest_vetting(store, one)
    assert isinstance(vet, VetResult) and vet.account.account_id == one
    assert all(isinstance(c, ComponentScore) for c in vet.components)
    assert all(isinstance(e, EvidenceItem) for e in vet.evidence)
    assert vet.run.weights["min_coverage"] > 0 and vet.score("overall") == next(
        c.score for c in vet.components if c.component == "overall"
    )
    out = vet.to_dict()
    assert list(out) == ["account", "run", "components", "fake_share", "evidence", "signals", "summary"]
    # The rule-of-signs fallback: defined by its own label; its interval is not split into parts.
    assert out["fake_share"]["definition"] == vet.signals["fake_method"]
    fake = out["fake_share"]
    assert fake["share"] == vet.signals["fake_share"] and fake["sampling_low"] is None
    stored = store.arrow("SELECT * FROM score_runs").column_names
    assert list(out["run"]) == stored and json.loads(out["run"]["weights"]) == vet.run.weights
    assert out["summary"] == vet.summary() and out["summary"][0].startswith("Overall")
