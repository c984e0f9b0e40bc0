from __future__ import annotations

from pathlib import Path

import pytest

from covey.errors import StoreError
from covey.model import TABLES
from covey.store import MIGRATIONS, SCHEMA_VERSION, DuckDBStore


def test_new_database_is_migrated_to_the_latest_schema(tmp_path: Path) -> None:
    path = tmp_path / "c.duckdb"
    with DuckDBStore(path) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert list(s.table_counts()) == [t.name for t in TABLES]
    # Re-opening applies nothing twice.
    with DuckDBStore(path) as s:
        # One row per migration (numbers may have gaps while branches are merged).
        assert s.query("SELECT count(*) FROM schema_version")[0][0] == len(MIGRATIONS)


def test_transaction_rolls_back_on_error(store: DuckDBStore) -> None:
    with pytest.raises(RuntimeError), store.transaction() as cur:
        cur.execute("INSERT INTO creators (creator_id, name) VALUES ('c1', 'A')")
        raise RuntimeError("boom")
    assert store.table_counts()["creators"] == 0


def test_read_only_open_of_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        DuckDBStore(tmp_path / "missing.duckdb", read_only=True)


def test_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.duckdb"
    with DuckDBStore(path) as s:
        s.query("INSERT INTO schema_version VALUES (999, 'future', now()::TIMESTAMP)")
    with pytest.raises(StoreError, match="newer"):
        DuckDBStore(path)
