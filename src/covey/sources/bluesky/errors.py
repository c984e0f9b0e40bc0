"""Bluesky XRPC errors (``{"error": "InvalidRequest", "message": "..."}``) classified."""

from __future__ import annotations

from typing import Any

import httpx

from covey.sources.bluesky.config import HOW_TO_GET
from covey.sources.errors import AuthError, NotFoundError, RetryableError, generic


def classify(response: httpx.Response, body: Any) -> Exception | None:
    """Transient or terminal, with what the user can do."""
    status = response.status_code
    if status < 400:
        return None
    name = str(body.get("error") or "") if isinstance(body, dict) else ""
    message = str(body.get("message") or "") if isinstance(body, dict) else ""
    detail = f"{name}: {message}" if name else message or response.reason_phrase
    if status == 429 or name == "RateLimitExceeded":
        return RetryableError(f"bluesky: rate limited ({detail})", status=status)
    if name in ("ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing") or status == 401:
        return AuthError(
            f"bluesky: the session was refused ({detail}). Post search needs an app password: set "
            f"COVEY_BLUESKY_HANDLE and COVEY_BLUESKY_APP_PASSWORD. {HOW_TO_GET}"
        )
    lowered = message.lower()
    if status == 400 and (
        "not found" in lowered or name in ("NotFound", "ActorNotFound", "AccountDeactivated")
    ):
        return NotFoundError(f"bluesky: {detail}. Check the handle (e.g. name.bsky.social).")
    return generic("bluesky", status, detail)
