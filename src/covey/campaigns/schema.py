"""The campaigns package's own tables (all prefixed ``campaign_``), as store migrations.

The store applies these after its own migrations and records them in
``package_schema_version`` under the package name, so their numbers never collide with the
core schema's. The SQL is portable (no DuckDB-only types): lists and documents are JSON in
VARCHAR columns. Never edit a released migration: add a new one.
"""

from __future__ import annotations

from covey.store.migrations import Migration

PACKAGE = "campaigns"


def _v1() -> list[str]:
    return [
        """CREATE TABLE IF NOT EXISTS campaign_campaigns (
    campaign_id BIGINT,
    name VARCHAR,
    brand VARCHAR,
    objective VARCHAR,
    budget DOUBLE,
    currency VARCHAR,
    starts DATE,
    ends DATE,
    hashtag VARCHAR,
    plan_id BIGINT,
    spec VARCHAR,
    created_at TIMESTAMP,
    created_by VARCHAR
)""",
        """CREATE TABLE IF NOT EXISTS campaign_creators (
    campaign_id BIGINT,
    account_id VARCHAR,
    handle VARCHAR,
    platform VARCHAR,
    country VARCHAR,
    language VARCHAR,
    stage VARCHAR,
    posts INTEGER,
    fee DOUBLE,
    card_price DOUBLE,
    contact VARCHAR,
    removed BOOLEAN,
    planned VARCHAR
)""",
        """CREATE TABLE IF NOT EXISTS campaign_events (
    event_id BIGINT,
    campaign_id BIGINT,
    account_id VARCHAR,
    happened_at TIMESTAMP,
    actor VARCHAR,
    kind VARCHAR,
    from_stage VARCHAR,
    to_stage VARCHAR,
    detail VARCHAR
)""",
        """CREATE TABLE IF NOT EXISTS campaign_tasks (
    task_id BIGINT,
    campaign_id BIGINT,
    account_id VARCHAR,
    title VARCHAR,
    due DATE,
    done BOOLEAN
)""",
        """CREATE TABLE IF NOT EXISTS campaign_deliverables (
    campaign_id BIGINT,
    account_id VARCHAR,
    deliverable INTEGER,
    due DATE,
    post_id VARCHAR
)""",
        """CREATE TABLE IF NOT EXISTS campaign_briefs (
    campaign_id BIGINT,
    account_id VARCHAR,
    version INTEGER,
    created_at TIMESTAMP,
    actor VARCHAR,
    markdown VARCHAR,
    html VARCHAR
)""",
        """CREATE TABLE IF NOT EXISTS campaign_drafts (
    campaign_id BIGINT,
    account_id VARCHAR,
    deliverable INTEGER,
    version INTEGER,
    submitted_at TIMESTAMP,
    actor VARCHAR,
    caption VARCHAR,
    media_ref VARCHAR,
    flags VARCHAR,
    compliant BOOLEAN
)""",
        """CREATE TABLE IF NOT EXISTS campaign_decisions (
    campaign_id BIGINT,
    account_id VARCHAR,
    deliverable INTEGER,
    version INTEGER,
    decision VARCHAR,
    actor VARCHAR,
    decided_at TIMESTAMP,
    comment VARCHAR
)""",
        """CREATE TABLE IF NOT EXISTS campaign_matches (
    campaign_id BIGINT,
    post_id VARCHAR,
    account_id VARCHAR,
    deliverable INTEGER,
    matched_by VARCHAR,
    posted_at TIMESTAMP,
    late BOOLEAN,
    compliant BOOLEAN,
    flags VARCHAR,
    matched_at TIMESTAMP
)""",
        """CREATE TABLE IF NOT EXISTS campaign_flags (
    campaign_id BIGINT,
    post_id VARCHAR,
    account_id VARCHAR,
    kind VARCHAR,
    detail VARCHAR,
    found_at TIMESTAMP
)""",
        """CREATE TABLE IF NOT EXISTS campaign_conversions (
    campaign_id BIGINT,
    source VARCHAR,
    line INTEGER,
    account_id VARCHAR,
    ref VARCHAR,
    clicks BIGINT,
    conversions BIGINT,
    revenue DOUBLE,
    imported_at TIMESTAMP
)""",
    ]


def _v2() -> list[str]:
    # Creator-reported post insights (covey.campaigns.insights): one row per post per imported
    # file; a later file about the same post wins in the report, the earlier row is kept.
    return [
        """CREATE TABLE IF NOT EXISTS campaign_insights (
    campaign_id BIGINT,
    source VARCHAR,
    line INTEGER,
    post_id VARCHAR,
    account_id VARCHAR,
    deliverable INTEGER,
    reach BIGINT,
    impressions BIGINT,
    views BIGINT,
    imported_at TIMESTAMP,
    actor VARCHAR
)"""
    ]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "campaigns, outreach, briefs, approval, tracking", _v1),
    Migration(2, "creator-reported post insights", _v2),
)
