"""Graph API errors (``{"error": {"message", "type", "code", "error_subcode"}}``) classified.

Rate-limit codes (4, 17, 32, 613, 80001-80009) carry no wait in the body; Meta puts it in
``X-Business-Use-Case-Usage`` (``estimated_time_to_regain_access``, minutes).
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import httpx

from covey.sources.errors import AuthError, BadRequestError, PermissionDeniedError, RetryableError, generic
from covey.sources.instagram.config import HOW_TO_GET

RATE_LIMIT_CODES = {4, 17, 32, 613} | set(range(80001, 80010))
PERMISSION_CODES = {10} | set(range(200, 300))


def regain_wait(headers: httpx.Headers) -> float | None:
    """Seconds until Meta lets the token call again, from its usage headers (None if unsaid)."""
    raw = headers.get("x-business-use-case-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
    except json.JSONDecodeError:
        return None
    minutes = [
        float(entry.get("estimated_time_to_regain_access") or 0)
        for entries in usage.values()
        if isinstance(entries, list)
        for entry in entries
        if isinstance(entry, dict)
    ]
    return max(minutes) * 60 if minutes else None


def usage_share(headers: httpx.Headers) -> float | None:
    """The highest share (0-100) of a Meta rate limit used, from X-App-Usage and X-Business-Use-Case-Usage."""
    shares: list[float] = []
    for name in ("x-app-usage", "x-ad-account-usage"):
        raw = headers.get(name)
        if raw:
            with contextlib.suppress(json.JSONDecodeError, AttributeError):
                shares += [float(v) for v in json.loads(raw).values() if isinstance(v, int | float)]
    raw = headers.get("x-business-use-case-usage")
    if raw:
        try:
            usage = json.loads(raw)
            for entries in usage.values():
                for entry in entries if isinstance(entries, list) else []:
                    shares += [
                        float(entry[k]) for k in ("call_count", "total_time", "total_cputime") if k in entry
                    ]
        except (json.JSONDecodeError, AttributeError, TypeError, ValueError):
            pass
    return max(shares) if shares else None


def pace(headers: httpx.Headers) -> float | None:
    """Seconds to hold before the next call: Meta blocks a token that reaches 100 % of a limit.

    At 90 % or more, wait what Meta says regaining access takes, or a minute when it says nothing.
    """
    share = usage_share(headers)
    if share is None or share < 90:
        return None
    return max(regain_wait(headers) or 0.0, 60.0)


def classify(response: httpx.Response, body: Any) -> Exception | None:
    """Transient or terminal, with what the user can do."""
    err = body.get("error") if isinstance(body, dict) else None
    if response.status_code < 400 and not isinstance(err, dict):
        return None
    err = err if isinstance(err, dict) else {}
    code = err.get("code")
    subcode = err.get("error_subcode")
    message = str(err.get("message") or response.reason_phrase)
    if code in RATE_LIMIT_CODES:
        return RetryableError(
            f"instagram: rate limited (code {code}: {message})",
            wait=regain_wait(response.headers),
            status=response.status_code,
        )
    if code == 190 or subcode in (458, 459, 460, 463, 464, 467):
        expired = subcode == 463 or "expired" in message.lower()
        what = "has expired" if expired else "is invalid or was revoked"
        return AuthError(
            f"instagram: the access token {what} ({message}). Generate a new long-lived token. {HOW_TO_GET}"
        )
    if code in PERMISSION_CODES or (code == 100 and "permission" in message.lower()):
        return PermissionDeniedError(
            f"instagram: the token lacks a permission ({message}). Grant instagram_basic (and "
            "instagram_manage_comments for comments) to your app and generate the token again."
        )
    if code in (100, 110):
        return BadRequestError(
            f"instagram: {message}. business_discovery only finds professional (business or creator) "
            "accounts: check the username, and that the account is not personal."
        )
    if response.status_code >= 500 or err.get("is_transient"):
        return RetryableError(f"instagram: server error ({message})", status=response.status_code)
    return generic("instagram", response.status_code, message)
