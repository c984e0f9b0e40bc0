"""Versioned schema: an ordered list of migrations, each applied once, in a transaction.

A migration is SQL generated from ``covey.model`` (or written by hand for later changes).
Never edit a released migration: add a new one. ``SCHEMA_VERSION`` is the newest.
Numbers are taken: 2 = vetting scores, 3 = campaign plans, 4 = discovery index metadata.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from covey.model import SQL_TYPES, TABLES, Table


@dataclass(frozen=True)
class Migration:
    """One step of the schema's history."""

    version: int
    description: str
    statements: Callable[[], list[str]]


def create_table_sql(table: Table) -> str:
    """CREATE TABLE statement for a canonical table.

    Keys are enforced by the importer (anti-joins over staged rows), not by a primary-key
    index: DuckDB's ART index makes bulk loads of tens of millions of rows slow and large.
    """
    cols: list[str] = []
    for c in table.columns:
        null = " NOT NULL" if c.required else ""
        cols.append(f'    "{c.name}" {SQL_TYPES[c.type]}{null}')
    cols.append("    _imported_at TIMESTAMP")
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n" + ",\n".join(cols) + "\n)"


def _v1() -> list[str]:
    stmts = [create_table_sql(t) for t in TABLES]
    stmts.append(
        """CREATE TABLE IF NOT EXISTS imports (
    import_id BIGINT,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    source VARCHAR,
    format VARCHAR,
    summary JSON
)"""
    )
    return stmts


MIGRATIONS: tuple[Migration, ...] = (Migration(1, "canonical tables and the import log", _v1),)

SCHEMA_VERSION = max(m.version for m in MIGRATIONS)
