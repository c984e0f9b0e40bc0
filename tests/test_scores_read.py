"""The score read API against a real scored store."""

from __future__ import annotations

from covey.scores import score_store
from covey.scores.read import latest_components, latest_run, latest_signals
from covey.store import DuckDBStore
from test_signals_world import build_world


def test_read_api_empty_then_scored(store: DuckDBStore) -> None:
    build_world(store)
    assert latest_run(store) is None
    assert latest_components(store).num_rows == 0
    assert latest_signals(store) == {}
    score_store(store, classifier="rules")
    run = latest_run(store)
    assert run is not None and run.run_id == 1 and run.classifier.startswith("rule")
    assert run.accounts == 48
    comps = latest_components(store)
    n = store.query("SELECT count(*) FROM account_scores WHERE run_id = 1")[0][0]
    assert comps.num_rows == n > 0
    one = comps.column("account_id")[0].as_py()
    assert set(latest_components(store, [one]).column("account_id").to_pylist()) == {one}
    sig = latest_signals(store, [one])
    assert list(sig) == [one] and "fake_share" in sig[one]
    assert len(latest_signals(store)) == run.accounts
