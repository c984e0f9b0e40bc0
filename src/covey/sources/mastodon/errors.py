"""Mastodon errors (``{"error": "..."}``) classified."""

from __future__ import annotations

from typing import Any

import httpx

from covey.sources.errors import AuthError, NotFoundError, RetryableError, generic
from covey.sources.mastodon.config import HOW_TO_GET, TOKEN_ENV


def classify(response: httpx.Response, body: Any) -> Exception | None:
    """Transient or terminal, with what the user can do."""
    status = response.status_code
    if status < 400:
        return None
    message = str(body.get("error") or "") if isinstance(body, dict) else ""
    detail = message or response.reason_phrase
    if status == 429:
        return RetryableError(f"mastodon: rate limited ({detail})", status=status)
    if status == 401:
        return AuthError(
            f"mastodon: the instance refused the request ({detail}). This instance needs an access "
            f"token, or the one in {TOKEN_ENV} is invalid or revoked. {HOW_TO_GET}"
        )
    if status == 404:
        return NotFoundError(f"mastodon: not found ({detail}). Check the address: @user@instance.")
    return generic("mastodon", status, detail)
