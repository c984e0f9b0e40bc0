"""Versioned schema: an ordered list of migrations, each applied once, in a transaction.

A migration is fixed SQL: migration 1 was generated once from ``covey.model`` and frozen.
Never edit a released migration: add a new one. ``SCHEMA_VERSION`` is the newest.
Numbers are taken: 2 = vetting scores, 3 = campaign plans, 4 = discovery index metadata,
5 = platform fetches (cursors) and API usage, 6 = shortlists (a gap at 4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from covey.model import SQL_TYPES, Table


@dataclass(frozen=True)
class Migration:
    """One step of the schema's history."""

    version: int
    description: str
    statements: Callable[[], list[str]]


# Migration 1 as released: fixed SQL, frozen from what ``covey.model`` generated at the time.
# It must never change (tests/test_migrations.py checks its digest); a model change is a new
# migration, and the same test checks that a fresh database matches ``covey.model``.
V1_SQL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS creators (
    "creator_id" VARCHAR NOT NULL,
    "name" VARCHAR,
    "country" VARCHAR,
    "languages" VARCHAR[],
    _imported_at TIMESTAMP
)""",
    """CREATE TABLE IF NOT EXISTS accounts (
    "account_id" VARCHAR NOT NULL,
    "creator_id" VARCHAR,
    "platform" VARCHAR NOT NULL,
    "handle" VARCHAR NOT NULL,
    "display_name" VARCHAR,
    "bio" VARCHAR,
    "country" VARCHAR,
    "language" VARCHAR,
    "created_at" DATE,
    "external_url" VARCHAR,
    "is_verified" BOOLEAN,
    _imported_at TIMESTAMP
)""",
    """CREATE TABLE IF NOT EXISTS account_snapshots (
    "account_id" VARCHAR NOT NULL,
    "taken_at" TIMESTAMP NOT NULL,
    "followers" BIGINT,
    "following" BIGINT,
    "posts" BIGINT,
    _imported_at TIMESTAMP
)""",
    """CREATE TABLE IF NOT EXISTS posts (
    "post_id" VARCHAR NOT NULL,
    "account_id" VARCHAR NOT NULL,
    "platform_id" VARCHAR,
    "kind" VARCHAR,
    "title" VARCHAR,
    "caption" VARCHAR,
    "hashtags" VARCHAR[],
    "mentions" VARCHAR[],
    "posted_at" TIMESTAMP NOT NULL,
    "likes" BIGINT,
    "comments" BIGINT,
    "views" BIGINT,
    "shares" BIGINT,
    "saves" BIGINT,
    "sponsored" BOOLEAN,
    "url" VARCHAR,
    _imported_at TIMESTAMP
)""",
    """CREATE TABLE IF NOT EXISTS comments (
    "comment_id" VARCHAR NOT NULL,
    "post_id" VARCHAR NOT NULL,
    "author_id" VARCHAR NOT NULL,
    "author_handle" VARCHAR,
    "text" VARCHAR,
    "posted_at" TIMESTAMP,
    "reply_to" VARCHAR,
    "by_creator" BOOLEAN,
    "likes" BIGINT,
    _imported_at TIMESTAMP
)""",
    """CREATE TABLE IF NOT EXISTS audience_samples (
    "account_id" VARCHAR NOT NULL,
    "member_id" VARCHAR NOT NULL,
    "relation" VARCHAR NOT NULL,
    "username" VARCHAR,
    "full_name" VARCHAR,
    "followers" BIGINT,
    "following" BIGINT,
    "posts" BIGINT,
    "has_profile_pic" BOOLEAN,
    "is_private" BOOLEAN,
    "bio" VARCHAR,
    "external_url" VARCHAR,
    "created_at" DATE,
    "sampled_at" TIMESTAMP,
    _imported_at TIMESTAMP
)""",
    """CREATE TABLE IF NOT EXISTS imports (
    import_id BIGINT,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    source VARCHAR,
    format VARCHAR,
    summary JSON
)""",
)


def create_table_sql(table: Table) -> str:
    """CREATE TABLE statement for a canonical table, generated from the live model.

    Keys are enforced by the importer (anti-joins over staged rows), not by a primary-key
    index: DuckDB's ART index makes bulk loads of tens of millions of rows slow and large.
    Released migrations never call this (their SQL is frozen); it serves tests and new
    migrations that add a table.
    """
    cols: list[str] = []
    for c in table.columns:
        null = " NOT NULL" if c.required else ""
        cols.append(f'    "{c.name}" {SQL_TYPES[c.type]}{null}')
    cols.append("    _imported_at TIMESTAMP")
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n" + ",\n".join(cols) + "\n)"


def _v1() -> list[str]:
    return list(V1_SQL)


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


def _v5() -> list[str]:
    # Platform fetches (covey.sources): one row per fetch with its cursors, so an interrupted
    # fetch resumes and `covey refresh` knows what to fetch again; API use per credential
    # fingerprint (never the key) and day. Portable SQL: JSON kept as text.
    return [
        """CREATE TABLE IF NOT EXISTS source_fetches (
    fetch_id BIGINT,
    platform VARCHAR,
    target VARCHAR,
    account_id VARCHAR,
    options VARCHAR,
    taken_at TIMESTAMP,
    state VARCHAR,
    status VARCHAR,
    started_at TIMESTAMP,
    updated_at TIMESTAMP,
    summary VARCHAR
)""",
        """CREATE TABLE IF NOT EXISTS source_usage (
    platform VARCHAR,
    credential VARCHAR,
    day DATE,
    requests BIGINT,
    quota_units BIGINT
)""",
    ]


def _v6() -> list[str]:
    # Shortlists (covey.shortlists): a workspace's named lists of creators. Portable SQL (no
    # sequences or DuckDB-only types): ids are max + 1 inside the writing transaction.
    return [
        """CREATE TABLE IF NOT EXISTS shortlists (
    shortlist_id BIGINT NOT NULL,
    name VARCHAR NOT NULL,
    created_at TIMESTAMP,
    created_by VARCHAR
)""",
        """CREATE TABLE IF NOT EXISTS shortlist_items (
    shortlist_id BIGINT NOT NULL,
    account_id VARCHAR NOT NULL,
    added_at TIMESTAMP,
    added_by VARCHAR
)""",
    ]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "canonical tables and the import log", _v1),
    Migration(2, "vetting scores, evidence and signals", _v2),
    Migration(3, "campaign plans and their items", _v3),
    Migration(5, "platform fetches (cursors) and API usage", _v5),
    Migration(6, "shortlists of creators", _v6),
)

SCHEMA_VERSION = max(m.version for m in MIGRATIONS)

# Packages with tables of their own (named by a package prefix, e.g. ``campaign_``) keep their
# own numbered migrations in a module exposing ``PACKAGE`` and ``MIGRATIONS``; the store applies
# them after the core schema and records them in ``package_schema_version``, so a package's
# numbers never collide with the core's (or another package's).
PACKAGE_MIGRATIONS: tuple[str, ...] = ("covey.campaigns.schema",)
