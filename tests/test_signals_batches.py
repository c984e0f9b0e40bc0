"""Scoring in batches gives what one pass gives, and `covey score` caps DuckDB's memory.

The audience classifier reads the follower sample in ranges of accounts (``batch_rows``) so
that memory does not grow with the number of accounts; these tests run the hand-made world
with one account per batch and with everything in one batch, and compare.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from typer.testing import CliRunner

import covey.scores.run as score_run
from covey.cli.app import app
from covey.errors import InputError
from covey.scores import Weights, score_store, score_table
from covey.signals import duckdb_sources, fake_share
from covey.signals.growth import growth_events
from covey.store import DuckDBStore
from test_signals_world import MiniWorld, build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DuckDBStore, MiniWorld]]:
    store = DuckDBStore(tmp_path_factory.mktemp("batches") / "covey.duckdb")
    truth = build_world(store)
    # One account whose sampled followers have no bio at all (null), while others' have one:
    # over the whole sample a null bio reads as empty, and so it must in a batch of its own.
    with store.transaction() as cur:
        cur.execute("UPDATE audience_samples SET bio = NULL WHERE account_id = ?", [truth.accounts[3]])
    yield store, truth
    store.close()


def _fake_share(store: DuckDBStore, batch_rows: int) -> tuple[pa.Table, pa.Table, int]:
    evidence: list[pa.Table] = []
    table = fake_share(duckdb_sources(store), evidence=evidence, batch_rows=batch_rows)
    return table, pa.concat_tables(evidence), len(evidence)


def test_fake_share_in_batches_equals_one_pass(world: tuple[DuckDBStore, MiniWorld]) -> None:
    store, truth = world
    one, one_ev, one_batches = _fake_share(store, 10**9)
    many, many_ev, many_batches = _fake_share(store, 1)
    assert one_batches == 1 and many_batches == len(truth.accounts)  # one account per batch
    assert "classifier" in one["fake_method"][0].as_py()  # the classifier ran, not the fallback
    assert one.column("account_id").equals(many.column("account_id"))
    assert one.column("account_id").to_pylist() == sorted(truth.accounts)
    assert one.column("fake_n").equals(many.column("fake_n"))
    # Equal up to the last bit or two of the linear algebra (BLAS sums rows of different batch
    # sizes with different kernels), far below anything shown.
    for col in ("fake_share", "fake_low", "fake_high"):
        np.testing.assert_allclose(many[col].to_numpy(), one[col].to_numpy(), rtol=0, atol=1e-12)
    assert one_ev.num_rows > 0 and one_ev.sort_by("item_id").equals(many_ev.sort_by("item_id"))
    # The planted fake-heavy accounts stand out whichever way the sample was read.
    share = dict(zip(one["account_id"].to_pylist(), one["fake_share"].to_pylist(), strict=True))
    clean = set(truth.accounts) - truth.problems
    assert min(share[a] for a in truth.fake_heavy) > max(share[a] for a in clean)


def test_null_bios_read_as_empty_in_a_batch_of_their_own(world: tuple[DuckDBStore, MiniWorld]) -> None:
    store, truth = world
    lone = truth.accounts[3]
    one, _, _ = _fake_share(store, 10**9)
    many, _, _ = _fake_share(store, 1)
    row = one["account_id"].to_pylist().index(lone)
    assert many["fake_share"][row].as_py() == pytest.approx(one["fake_share"][row].as_py(), abs=1e-12)
    # Without the whole-sample rule the lone batch would read its bios as unknown: other numbers.
    from covey.audience import load_model

    model = load_model()
    sample = store.arrow(
        "SELECT * FROM audience_samples WHERE account_id = ? AND relation = 'follower' ORDER BY member_id",
        [lone],
    )
    unknown = model.predict_proba(sample)
    empty = model.predict_proba(sample.set_column(sample.schema.get_field_index("bio"), "bio",
                                                  pa.array([""] * sample.num_rows, pa.string())))  # fmt: skip
    assert not np.allclose(unknown, empty)


def test_growth_events_do_not_depend_on_the_batch_size(
    world: tuple[DuckDBStore, MiniWorld], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, truth = world
    src = duckdb_sources(store)
    one = src.to_pyarrow(growth_events(src).order_by(["account_id", "at"]))
    monkeypatch.setattr("covey.signals.audience.BATCH_ROWS", 1)
    src = duckdb_sources(store)
    many = src.to_pyarrow(growth_events(src).order_by(["account_id", "at"]))
    assert one.column("kind").equals(many.column("kind"))
    assert set(one.filter(pa.compute.equal(one["kind"], "bought"))["account_id"].to_pylist()) >= truth.bought


def test_long_scores_in_batches_equal_one_pass(
    world: tuple[DuckDBStore, MiniWorld], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, truth = world
    weights = Weights()
    wide, _, _, _ = score_table(store, weights, classifier="rules")
    one = score_run.long_scores(wide, weights)
    monkeypatch.setattr(score_run, "LONG_BATCH", 7)
    many = score_run.long_scores(wide, weights)
    assert many.equals(one) and one.num_rows == len(truth.accounts) * (len(weights.as_dict()["weights"]) + 2)


def test_score_caps_duckdb_memory_and_restores_it(world: tuple[DuckDBStore, MiniWorld]) -> None:
    store, _ = world

    def limit() -> str:
        return str(store.query("SELECT current_setting('memory_limit')")[0][0])

    before = limit()
    seen: list[str] = []
    score_store(store, classifier="rules", memory_limit="1GB", on_step=lambda *_: seen.append(limit()))
    assert seen and set(seen) == {"953.6 MiB"}  # DuckDB's way of writing 1GB
    assert limit() == before
    with pytest.raises(InputError, match="score_memory_limit"):
        score_store(store, classifier="rules", memory_limit="lots")
    assert limit() == before


def test_covey_score_reads_its_memory_cap_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "covey.duckdb"
    with DuckDBStore(db) as store:
        build_world(store, n_accounts=6)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["score", "--db", str(db)], env={"COVEY_SCORE_MEMORY_LIMIT": "lots"})
    assert result.exit_code != 0
    assert "score_memory_limit" in result.output and "Traceback" not in result.output
    with DuckDBStore(db) as store:
        assert store.query("SELECT count(*) FROM score_runs")[0][0] == 0  # nothing half-written
