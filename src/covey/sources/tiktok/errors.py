"""TikTok API v2 errors: every body has ``{"error": {"code", "message", "log_id"}}``; "ok" is fine."""

from __future__ import annotations

from typing import Any

import httpx

from covey.sources.errors import AuthError, PermissionDeniedError, RetryableError, generic
from covey.sources.tiktok.config import HOW_TO_GET


def classify(response: httpx.Response, body: Any) -> Exception | None:
    """Transient or terminal, with what the user can do."""
    err = body.get("error") if isinstance(body, dict) else None
    code = str(err.get("code") or "") if isinstance(err, dict) else ""
    message = str(err.get("message") or "") if isinstance(err, dict) else ""
    if response.status_code < 400 and code in ("", "ok"):
        return None
    detail = f"{code}: {message}" if code else response.reason_phrase
    if code == "rate_limit_exceeded" or response.status_code == 429:
        return RetryableError(f"tiktok: rate limited ({detail})", status=response.status_code)
    if code in ("access_token_invalid", "invalid_token", "token_expired"):
        return AuthError(f"tiktok: the user token was refused ({detail}); it lasts 24 hours. {HOW_TO_GET}")
    if code == "scope_not_authorized":
        return PermissionDeniedError(
            f"tiktok: the creator did not grant a scope this needs ({detail}). Ask them to authorise "
            "user.info.stats and video.list again."
        )
    if code == "internal_error" or response.status_code >= 500:
        return RetryableError(f"tiktok: server error ({detail})", status=response.status_code)
    return generic("tiktok", response.status_code if response.status_code >= 400 else 400, detail)
