"""`Store.sql`: a read query that joins Arrow tables the store registers and unregisters itself."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from covey.errors import StoreError
from covey.store import DuckDBStore, Store


def _seed(store: DuckDBStore) -> None:
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO accounts (account_id, platform, handle) VALUES "
            "('a1', 'instagram', 'one'), ('a2', 'instagram', 'two'), ('a3', 'tiktok', 'three')"
        )


def test_sql_joins_the_given_arrow_tables(store: DuckDBStore) -> None:
    _seed(store)
    wanted = pa.table({"account_id": ["a3", "a1", "zz"]})
    out = store.sql(
        "SELECT a.handle FROM accounts a JOIN wanted USING (account_id) WHERE a.platform = ? ORDER BY 1",
        ["instagram"],
        wanted=wanted,
    )
    assert out.column("handle").to_pylist() == ["one"]


def test_tables_are_gone_after_the_call_even_on_error(store: DuckDBStore) -> None:
    _seed(store)
    with pytest.raises(duckdb.Error):
        store.sql("SELECT no_such_column FROM tmp_ids", tmp_ids=pa.table({"x": [1]}))
    with pytest.raises(duckdb.CatalogException):
        store.query("SELECT * FROM tmp_ids")
    assert store.sql("SELECT count(*) AS n FROM accounts").column("n").to_pylist() == [3]


def test_bad_table_names_are_refused(store: DuckDBStore) -> None:
    from covey.errors import StoreError

    with pytest.raises(StoreError, match="not a table name"):
        store.sql("SELECT 1", **{"x; DROP TABLE accounts": pa.table({"x": [1]})})


def test_threads_with_the_same_table_name_do_not_see_each_other(store: DuckDBStore) -> None:
    _seed(store)
    results: dict[str, list[str]] = {}

    def run(account: str) -> None:
        for _ in range(30):
            t = store.sql("SELECT handle FROM accounts JOIN ids USING (account_id)",
                          ids=pa.table({"account_id": [account]}))  # fmt: skip
            results.setdefault(account, []).extend(t.column("handle").to_pylist())

    threads = [threading.Thread(target=run, args=(a,)) for a in ("a1", "a2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(results["a1"]) == {"one"} and set(results["a2"]) == {"two"}


def test_duckdb_store_satisfies_the_protocol(store: DuckDBStore) -> None:
    s: Store = store  # mypy checks the protocol; this checks it at run time too
    assert callable(s.sql)


def test_batches_stream_the_whole_result_and_bounded_restores_settings(tmp_path: Path) -> None:
    with DuckDBStore(tmp_path / "b.duckdb") as s:
        got = list(s.batches("SELECT range AS i FROM range(5000)", rows=1024))
        assert len(got) > 1 and sum(b.num_rows for b in got) == 5000
        before = s.query("SELECT current_setting('memory_limit')")[0][0]
        with s.bounded("123MB"):
            inside = s.query("SELECT current_setting('memory_limit')")[0][0]
            assert inside != before and "MiB" in inside  # 123 MB is 117.3 MiB
        assert s.query("SELECT current_setting('memory_limit')")[0][0] == before
        with pytest.raises(StoreError), s.bounded("1GB'; DROP TABLE accounts; --"):
            pass
        backend = s.ibis_backend()
        assert "handle" in backend.table("accounts").schema()  # the same database, no new connection
