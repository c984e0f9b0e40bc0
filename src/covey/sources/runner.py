"""Run one fetch end to end: options -> client -> platform fetch -> imports -> summary.

This is the entry point the CLI (and later the web app) calls. A fetch that stops on an
error keeps its cursors (status "stopped"): running the same fetch again resumes it. A
fetch interrupted by a crash (status still "running") resumes the same way.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

from covey.errors import InputError
from covey.sources.base import FetchOptions, Progress, no_progress
from covey.sources.session import FetchSession, FetchSummary, record_usage
from covey.store import Store

log = logging.getLogger("covey.sources.runner")

PLATFORMS = ("youtube", "instagram", "bluesky", "mastodon", "tiktok")


@dataclass(frozen=True)
class FetchRequest:
    """One account to fetch: platform, target as the user typed it, and options."""

    platform: str
    target: str
    options: FetchOptions


def platform_module(platform: str) -> ModuleType:
    """The ``client`` module of ``platform`` (``covey.sources.<platform>.client``)."""
    if platform not in PLATFORMS:
        raise InputError(f"unknown platform '{platform}'; one of {', '.join(PLATFORMS)}", field="platform")
    return importlib.import_module(f"covey.sources.{platform}.client")


def run_fetch(
    store: Store,
    request: FetchRequest,
    *,
    restart: bool = False,
    progress: Progress = no_progress,
    http_options: dict[str, Any] | None = None,
    on_session: Callable[[FetchSession], None] | None = None,
) -> FetchSummary:
    """Fetch one account into ``store``; resumes an unfinished fetch of the same target.

    ``http_options`` go to :class:`covey.sources.http.HttpClient` (tests inject a clock,
    a sleep and a retry policy). Raises the platform's :class:`covey.errors.SourceError`
    when the fetch cannot go on; what was fetched before that stays imported.
    """
    module = platform_module(request.platform)
    extra: dict[str, Any] = dict(http_options or {})
    if request.platform == "mastodon":
        extra["target"] = request.target
    client, credential = module.make_client(request.options, **extra)
    session = FetchSession(
        store, request.platform, request.target, request.options.to_dict(), restart=restart
    )
    if on_session is not None:
        on_session(session)
    # A platform with a daily quota names the day it counts in (YouTube: Pacific time).
    quota_day: Callable[[], date] | None = getattr(module, "quota_day", None)
    with client:
        try:
            module.fetch(session, client, request.target, request.options, progress)
        except BaseException as exc:
            # Keep what was read and the cursors; the next run resumes from there.
            session.fail(client.stats, f"{type(exc).__name__}: {exc}")
            record_usage(store, request.platform, credential, client.stats, quota_day and quota_day())
            raise
        summary = session.finish(client.stats)
    record_usage(store, request.platform, credential, client.stats, quota_day and quota_day())
    return summary


def known_fetches(store: Store, platform: str | None = None) -> list[FetchRequest]:
    """Every target fetched before (its latest options), for ``covey refresh``.

    Targets whose account was never found (a typo, a deleted account) are left out.
    """
    rows = store.query(
        "SELECT platform, target, options FROM source_fetches f WHERE fetch_id = "
        "(SELECT max(fetch_id) FROM source_fetches g WHERE g.platform = f.platform AND g.target = f.target "
        "AND g.account_id IS NOT NULL) ORDER BY platform, target"
    )
    return [
        FetchRequest(p, t, FetchOptions.from_dict(json.loads(o or "{}")))
        for p, t, o in rows
        if platform is None or p == platform
    ]


__all__ = ["PLATFORMS", "FetchRequest", "known_fetches", "platform_module", "run_fetch"]
