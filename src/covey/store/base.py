"""The storage interface every backend implements (DuckDB now, PostgreSQL later)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pyarrow as pa

if TYPE_CHECKING:
    from ibis.backends import BaseBackend


class Store(Protocol):
    """A Covey database.

    Implementations own their connections; callers never open the database themselves.
    Writes happen inside :meth:`transaction`, which commits on success and rolls back on
    any exception, so an interrupted import leaves the database as it was.
    """

    path: Path | None

    def transaction(self) -> AbstractContextManager[Any]:
        """A connection inside one transaction: commit on exit, roll back on error."""
        ...

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a read query and return all rows."""
        ...

    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """Run a read query and return an Arrow table."""
        ...

    def sql(self, query: str, params: Sequence[Any] | None = None, **tables: pa.Table) -> pa.Table:
        """Run a read query that may name the given Arrow tables; return an Arrow table.

        Each keyword becomes a table name visible to ``query`` for this call only, e.g.
        ``store.sql("SELECT * FROM posts JOIN wanted USING (account_id)", wanted=ids)``; the
        store registers them before and unregisters them after, also on error.
        """
        ...

    def batches(
        self, query: str, params: Sequence[Any] | None = None, rows: int = 50_000
    ) -> Iterator[pa.RecordBatch]:
        """Run a read query and stream its result in Arrow batches of about ``rows`` rows,
        so a caller can walk a large result (every post) without holding it whole."""
        ...

    def ibis_backend(self) -> BaseBackend:
        """An Ibis backend on this store's own connection: signals are Ibis expressions and
        run inside the store's engine (DuckDB here; another store returns its own backend)."""
        ...

    def bounded(self, memory_limit: str) -> AbstractContextManager[None]:
        """For the block's duration, cap the engine's memory at ``memory_limit`` (e.g. ``"5GB"``;
        beyond it the engine spills to disk) and let it drop insertion order; restore after.
        Used by big imports. A store whose engine has no such setting may do nothing."""
        ...

    def table_counts(self) -> dict[str, int]:
        """Row count of every Covey table, in model order."""
        ...

    def schema_version(self) -> int:
        """The schema version the database is at."""
        ...

    def close(self) -> None:
        """Release every connection."""
        ...


def iter_tables(store: Store) -> Iterator[str]:
    """Names of the tables a store holds, in model order."""
    yield from store.table_counts()
