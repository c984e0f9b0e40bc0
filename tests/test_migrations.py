"""Migration 1 is frozen SQL, and a fresh database matches the canonical model."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from covey.model import SQL_TYPES, TABLES
from covey.store import DuckDBStore
from covey.store.migrations import MIGRATIONS, V1_SQL

# The digest of migration 1 as released; editing a released migration breaks every database
# created before the edit, so this number never changes (add a migration instead).
V1_SHA256 = "a7bdc64f6d4624cdad0d8e6c29715fcf0c2a4855cd6eae4f147de9b73fbaebb0"


def test_migration_1_is_the_frozen_sql() -> None:
    digest = hashlib.sha256("\n;\n".join(V1_SQL).encode()).hexdigest()
    assert digest == V1_SHA256
    assert MIGRATIONS[0].version == 1 and MIGRATIONS[0].statements() == list(V1_SQL)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, bool]]:
    rows = con.execute(
        "SELECT column_name, data_type, is_nullable = 'YES' FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [(str(n), str(t), bool(null)) for n, t, null in rows]


def test_a_fresh_database_matches_the_model(tmp_path: Path) -> None:
    # If this fails after a change to covey.model, add a migration that brings databases
    # to the new model; never edit migration 1.
    with DuckDBStore(tmp_path / "c.duckdb") as store:
        con = store.connection
        for t in TABLES:
            want = [(c.name, SQL_TYPES[c.type], not c.required) for c in t.columns]
            want.append(("_imported_at", "TIMESTAMP", True))
            assert _columns(con, t.name) == want, t.name
