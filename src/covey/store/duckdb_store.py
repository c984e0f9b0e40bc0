"""The embedded store: one DuckDB file, one object that owns its connection."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

if TYPE_CHECKING:
    from ibis.backends import BaseBackend

from covey.errors import StoreError
from covey.model import TABLES
from covey.store.migrations import MIGRATIONS, PACKAGE_MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger("covey.store")

DEFAULT_DB = Path("covey.duckdb")


class DuckDBStore:
    """A Covey database in one DuckDB file (or in memory when ``path`` is None).

    DuckDB allows one writing process per file; inside the process this object holds the
    single connection and hands out cursors, so callers never open the file themselves.
    """

    def __init__(
        self,
        path: Path | str | None = DEFAULT_DB,
        *,
        read_only: bool = False,
        memory_limit: str | None = None,
        threads: int | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._lock = threading.Lock()
        self._memory_limit = memory_limit
        config: dict[str, Any] = {}
        if memory_limit:
            config["memory_limit"] = memory_limit
        if threads:
            config["threads"] = threads
        target = str(self.path) if self.path is not None else ":memory:"
        if self.path is not None and read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no such database; run 'covey import' or 'covey demo' first")
        try:
            if self.path is not None and not read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._con = duckdb.connect(target, read_only=read_only, config=config)
        except duckdb.Error as exc:
            if "lock" in str(exc).lower():
                # The usual cause: `covey serve` (the file's one writer) or another command has it open.
                raise StoreError(
                    f"{target}: another process holds this database (is 'covey serve' running on it?); "
                    f"stop it, or use the web app or its API for this workspace ({exc})"
                ) from exc
            raise StoreError(f"{target}: cannot open the database: {exc}") from exc
        if not read_only:
            self.migrate()
        elif self.schema_version() > SCHEMA_VERSION:
            raise StoreError(
                f"{target}: schema version {self.schema_version()} is newer than this Covey "
                f"({SCHEMA_VERSION}); upgrade Covey"
            )

    # -- connections -------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the one connection, for reads from any thread."""
        return self._con.cursor()

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The underlying connection (for engines such as Ibis that need one)."""
        return self._con

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One write transaction: commit on success, roll back on any error."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        with self._lock:
            cur = self._con.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
            finally:
                cur.close()

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a query and return every row."""
        cur = self.cursor()
        try:
            return cur.execute(sql, params).fetchall()
        finally:
            cur.close()

    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """Run a query and return an Arrow table."""
        cur = self.cursor()
        try:
            # sql() streams the result into Arrow; execute() would copy the rows once more.
            return cur.sql(sql, params=params).to_arrow_table()
        finally:
            cur.close()

    def sql(self, query: str, params: Sequence[Any] | None = None, **tables: pa.Table) -> pa.Table:
        """Run ``query`` with each keyword's Arrow table visible under its name; an Arrow table.

        The tables live on a private cursor for this call only, so concurrent callers that
        use the same names never see each other's tables, and nothing stays registered.
        """
        for name in tables:
            if not name.isidentifier():
                raise StoreError(f"not a table name: {name!r}")
        cur = self.cursor()
        registered: list[str] = []
        try:
            for name, table in tables.items():
                cur.register(name, table)
                registered.append(name)
            return cur.sql(query, params=params).to_arrow_table()
        finally:
            for name in registered:
                cur.unregister(name)
            cur.close()

    def batches(
        self, query: str, params: Sequence[Any] | None = None, rows: int = 50_000
    ) -> Iterator[pa.RecordBatch]:
        """Stream ``query``'s result in Arrow batches of about ``rows`` rows (a private cursor)."""
        cur = self.cursor()
        try:
            yield from cur.sql(query, params=params).to_arrow_reader(rows)
        finally:
            cur.close()

    def ibis_backend(self) -> BaseBackend:
        """Ibis over this store's own connection (no second connection to the file)."""
        import ibis  # imported here: opening a store should not pay for Ibis

        return ibis.duckdb.from_connection(self._con)

    @contextmanager
    def bounded(self, memory_limit: str) -> Iterator[None]:
        """Cap DuckDB's memory at ``memory_limit`` and drop insertion order; restore after."""
        if "'" in memory_limit:
            raise StoreError(f"not a memory size: {memory_limit!r}")
        con = self._con
        row = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
        order = bool(row[0]) if row is not None else True
        try:
            con.execute(f"SET memory_limit = '{memory_limit}'")
            con.execute("SET preserve_insertion_order = false")
            yield
        finally:
            # Back to what the store was opened with (DuckDB prints the limit rounded, so
            # reading it back and setting that would drift).
            if self._memory_limit:
                con.execute(f"SET memory_limit = '{self._memory_limit}'")
            else:
                con.execute("RESET memory_limit")
            con.execute(f"SET preserve_insertion_order = {str(order).lower()}")

    # -- schema ------------------------------------------------------------------------
    def schema_version(self) -> int:
        """The newest migration applied, 0 for an empty database."""
        exists = self._con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = self._con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def migrate(self) -> int:
        """Apply every migration the database lacks; returns the resulting version."""
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this Covey ({SCHEMA_VERSION})"
            )
        pending = sorted((m for m in MIGRATIONS if m.version > current), key=lambda m: m.version)
        for m in pending:
            with self.transaction() as cur:
                cur.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version "
                    "(version INTEGER, description VARCHAR, applied_at TIMESTAMP)"
                )
                for stmt in m.statements():
                    cur.execute(stmt)
                cur.execute(
                    "INSERT INTO schema_version VALUES (?, ?, now()::TIMESTAMP)",
                    [m.version, m.description],
                )
            log.info("migrated %s to schema version %d: %s", self.path, m.version, m.description)
        self._migrate_packages()
        return SCHEMA_VERSION

    def _migrate_packages(self) -> None:
        """Apply the migrations of packages with their own tables (``PACKAGE_MIGRATIONS``)."""
        import importlib

        self._con.execute(
            "CREATE TABLE IF NOT EXISTS package_schema_version "
            "(package VARCHAR, version INTEGER, description VARCHAR, applied_at TIMESTAMP)"
        )
        for name in PACKAGE_MIGRATIONS:
            mod = importlib.import_module(name)
            row = self._con.execute(
                "SELECT max(version) FROM package_schema_version WHERE package = ?", [mod.PACKAGE]
            ).fetchone()
            current = int(row[0]) if row and row[0] is not None else 0
            for m in sorted((m for m in mod.MIGRATIONS if m.version > current), key=lambda m: m.version):
                with self.transaction() as cur:
                    for stmt in m.statements():
                        cur.execute(stmt)
                    cur.execute(
                        "INSERT INTO package_schema_version VALUES (?, ?, ?, now()::TIMESTAMP)",
                        [mod.PACKAGE, m.version, m.description],
                    )
                log.info("migrated %s: %s schema version %d", self.path, mod.PACKAGE, m.version)

    def table_counts(self) -> dict[str, int]:
        """Rows in every canonical table, in model order."""
        return {t.name: int(self.query(f"SELECT count(*) FROM {t.name}")[0][0]) for t in TABLES}

    def close(self) -> None:
        """Close the connection; the object is unusable afterwards."""
        self._con.close()

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(path: Path | str | None = DEFAULT_DB, *, read_only: bool = False) -> DuckDBStore:
    """Open (creating and migrating if needed) the Covey database at ``path``."""
    return DuckDBStore(path, read_only=read_only)
