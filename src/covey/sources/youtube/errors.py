"""YouTube's error bodies (``{"error": {"code", "message", "errors": [{"reason"}]}}``) classified."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from covey.sources.errors import (
    AuthError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    RetryableError,
    generic,
)
from covey.sources.youtube.config import DAILY_QUOTA, HOW_TO_GET

try:
    _PACIFIC: tzinfo = ZoneInfo("America/Los_Angeles")
except ZoneInfoNotFoundError:  # no time zone database (some Windows installs): standard time
    _PACIFIC = timezone(timedelta(hours=-8))


class CommentsDisabledError(PermissionDeniedError):
    """The video's comments are turned off: skip its comments, keep the video."""


def next_quota_reset(now: datetime | None = None) -> datetime:
    """Next midnight Pacific time, in UTC: when YouTube's daily quota starts again."""
    local = (now or datetime.now(UTC)).astimezone(_PACIFIC)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), _PACIFIC)
    return midnight.astimezone(UTC)


def quota_day(now: datetime | None = None) -> date:
    """The day YouTube counts quota units in: the date in Pacific time (not UTC)."""
    return (now or datetime.now(UTC)).astimezone(_PACIFIC).date()


def reason_of(body: Any) -> tuple[str, str]:
    """The most telling error reason and the message of a YouTube error body ('' when absent).

    Google's newer errors put a generic reason in ``errors`` ("badRequest") and the real one
    in an ``ErrorInfo`` under ``details`` ("API_KEY_INVALID" for an expired or deleted key):
    the ``details`` reason wins when there is one.
    """
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict):
        return "", ""
    errors = err.get("errors") or []
    reason = errors[0].get("reason", "") if errors and isinstance(errors[0], dict) else ""
    details = err.get("details") or []
    info = [d.get("reason") for d in details if isinstance(d, dict) and d.get("reason")]
    return str(info[0] if info else reason or err.get("status") or ""), str(err.get("message") or "")


def classify(response: httpx.Response, body: Any) -> Exception | None:
    """Transient or terminal, with what the user can do."""
    status = response.status_code
    if status < 400:
        return None
    reason, message = reason_of(body)
    detail = f"{reason}: {message}" if reason else message or response.reason_phrase
    if reason in ("quotaExceeded", "dailyLimitExceeded"):
        reset = next_quota_reset()
        return QuotaExceededError(
            f"youtube: this API key's daily quota is used up ({DAILY_QUOTA:,} units by default). "
            f"It resets at midnight Pacific time ({reset:%Y-%m-%d %H:%M} UTC). Run the command again "
            "after that (it resumes), or ask Google for more quota in the Cloud console.",
            reset_at=reset.replace(tzinfo=None),
        )
    if reason in ("rateLimitExceeded", "userRateLimitExceeded"):
        return RetryableError(f"youtube: sending too fast ({detail})", status=status)
    if reason in ("keyInvalid", "keyExpired", "API_KEY_INVALID", "authError"):
        return AuthError(f"youtube: the API key was refused ({detail}). {HOW_TO_GET}")
    if reason == "commentsDisabled":
        return CommentsDisabledError(f"youtube: comments are turned off ({detail})")
    if reason in ("accessNotConfigured", "SERVICE_DISABLED"):
        return PermissionDeniedError(
            f"youtube: the YouTube Data API v3 is not enabled for this key's project ({detail}). "
            "Enable it in the Google Cloud console (APIs & Services > Library)."
        )
    if status == 403:
        return PermissionDeniedError(
            f"youtube: not allowed ({detail}). Check the key's API restrictions in the Google Cloud "
            "console: it must allow the YouTube Data API v3."
        )
    if status == 404:
        return NotFoundError(f"youtube: not found ({detail}). Check the channel handle or id.")
    return generic("youtube", status, detail)
