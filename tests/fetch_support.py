"""What the whole-fetch tests share: the user's keys, the accounts fetched, and a fetch against
the fake APIs on a fake clock (``sources_fake``), with a few counts to check what landed."""

from __future__ import annotations

import random
from typing import Any

import httpx

from covey.sources import FetchOptions, FetchRequest, run_fetch
from covey.sources.http import RetryPolicy
from covey.sources.session import FetchSummary
from covey.store import DuckDBStore
from sources_fake import FakeApi, FakeClock

# Set in the environment by the ``source_keys`` fixture (tests/conftest.py).
SECRETS = {
    "COVEY_YOUTUBE_API_KEY": "yt-SECRET-key-0001",
    "COVEY_INSTAGRAM_TOKEN": "ig-SECRET-token-0002",
    "COVEY_TIKTOK_TOKEN": "tt-SECRET-token-0003",
    "COVEY_MASTODON_TOKEN": "masto-SECRET-token-0004",
}
BSKY = "chriskenny.bsky.social"
MASTO = "@mastodonpy_test@localhost:3000"


def fetch(
    store: DuckDBStore,
    fake: FakeApi,
    clock: FakeClock,
    platform: str,
    target: str,
    timeout: float = 5.0,
    **opts: Any,
) -> FetchSummary:
    """A whole fetch from the fake API, retrying up to 8 times, on ``clock``.

    ``timeout`` is generous by default: on a loaded CI machine a 0.3 s timeout turned an
    injected 400 into a timeout and a retry (the expired-token test then saw no error). Tests
    of stalled answers pass a shorter one.
    """
    options = FetchOptions(base_url=fake.base(platform), **{"max_posts": None, **opts})
    http = {
        "clock": clock,
        "sleep": clock.sleep,
        "rng": random.Random(7),
        "timeout": httpx.Timeout(timeout),
        "policy": RetryPolicy(attempts=8),
    }
    return run_fetch(store, FetchRequest(platform, target, options), http_options=http)


def ids(store: DuckDBStore, table: str, column: str) -> list[str]:
    """``column`` of every row of ``table``, sorted."""
    return [r[0] for r in store.query(f"SELECT {column} FROM {table} ORDER BY {column}")]


def count(store: DuckDBStore, table: str) -> int:
    """How many rows ``table`` holds."""
    return int(store.query(f"SELECT count(*) FROM {table}")[0][0])


def no_rejects(summary: FetchSummary) -> None:
    """Assert that no table of the fetch rejected a row."""
    assert all(c.rejected == 0 for c in summary.tables.values()), summary.to_dict()
