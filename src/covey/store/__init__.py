"""Storage: one object owns the database; everything else asks it for connections."""

from covey.store.base import Store
from covey.store.duckdb_store import DuckDBStore, open_store
from covey.store.migrations import MIGRATIONS, SCHEMA_VERSION

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "DuckDBStore", "Store", "open_store"]
