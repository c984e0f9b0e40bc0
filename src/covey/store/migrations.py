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


def _v2() -> list[str]:
    # Vetting scores (covey.scores): one row per scoring run, per account and component,
    # per evidence item, and every account's raw signals as JSON, so a run can be explained.
    return [
        """CREATE TABLE IF NOT EXISTS score_runs (
    run_id BIGINT,
    score_version VARCHAR,
    weights JSON,
    as_of TIMESTAMP,
    computed_at TIMESTAMP,
    accounts BIGINT,
    classifier VARCHAR
)""",
        """CREATE TABLE IF NOT EXISTS account_scores (
    run_id BIGINT,
    account_id VARCHAR,
    component VARCHAR,
    score DOUBLE,
    percentile DOUBLE,
    peers BIGINT,
    peer_group VARCHAR,
    sentence VARCHAR
)""",
        """CREATE TABLE IF NOT EXISTS score_evidence (
    run_id BIGINT,
    account_id VARCHAR,
    component VARCHAR,
    kind VARCHAR,
    item_id VARCHAR,
    url VARCHAR,
    detail VARCHAR
)""",
        """CREATE TABLE IF NOT EXISTS account_signals (
    run_id BIGINT,
    account_id VARCHAR,
    signals JSON
)""",
    ]


def _v3() -> list[str]:
    # Campaign plans (covey.planning.plans): the brief, its inputs and figures as JSON, and
    # the chosen creators, so a plan can be reopened and compared.
    return [
        """CREATE TABLE IF NOT EXISTS plans (
    plan_id BIGINT,
    created_at TIMESTAMP,
    brief VARCHAR,
    inputs JSON,
    summary JSON
)""",
        """CREATE TABLE IF NOT EXISTS plan_items (
    plan_id BIGINT,
    account_id VARCHAR,
    handle VARCHAR,
    platform VARCHAR,
    tier VARCHAR,
    posts INTEGER,
    cost_per_post DOUBLE,
    cost DOUBLE,
    reach_per_post DOUBLE,
    engagements DOUBLE,
    price_note VARCHAR
)""",
    ]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "canonical tables and the import log", _v1),
    Migration(2, "vetting scores, evidence and signals", _v2),
    Migration(3, "campaign plans and their items", _v3),
)

SCHEMA_VERSION = max(m.version for m in MIGRATIONS)

# Packages with tables of their own (named by a package prefix, e.g. ``campaign_``) keep their
# own numbered migrations in a module exposing ``PACKAGE`` and ``MIGRATIONS``; the store applies
# them after the core schema and records them in ``package_schema_version``, so a package's
# numbers never collide with the core's (or another package's).
PACKAGE_MIGRATIONS: tuple[str, ...] = ("covey.campaigns.schema",)
