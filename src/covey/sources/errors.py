"""How a platform's failure reaches the user: transient (retry) or terminal, with what to do.

Every platform's ``errors.py`` turns one HTTP response into one of these, so the shared
layer (``covey.sources.http``) only has to ask "retry or stop?". A terminal error's message
always ends with what the user can do about it; it never contains the credential.
"""

from __future__ import annotations

from datetime import datetime

from covey.errors import TerminalSourceError, TransientSourceError


class RetryableError(TransientSourceError):
    """Worth another try: 429, 5xx, a timeout, a broken connection, a truncated body.

    ``wait`` is what the platform asked for (``Retry-After`` or its rate-limit reset), in
    seconds, when it said so; the retry loop waits at least that long.
    """

    def __init__(self, message: str, *, wait: float | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.wait = wait
        self.status = status


class GaveUpError(TransientSourceError):
    """Still failing after every retry: the fetch stops, and resumes from its cursor next time."""


class AuthError(TerminalSourceError):
    """The key or token is missing, invalid, expired or revoked."""


class PermissionDeniedError(TerminalSourceError):
    """The key works but lacks a permission, scope or app review this request needs."""


class QuotaExceededError(TerminalSourceError):
    """The credential's quota is used up until ``reset_at`` (UTC, when the platform says)."""

    def __init__(self, message: str, *, reset_at: datetime | None = None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class NotFoundError(TerminalSourceError):
    """The account, post or endpoint does not exist (or is not visible to this key)."""


class BadRequestError(TerminalSourceError):
    """The platform refused the request itself (a bug in Covey or a changed API)."""


def generic(platform: str, status: int, detail: str, *, wait: float | None = None) -> Exception | None:
    """The default reading of an HTTP status, for platforms that say nothing more specific."""
    if status < 400:
        return None
    if status == 429 or status >= 500 or status == 408:
        return RetryableError(f"{platform}: HTTP {status} ({detail})", wait=wait, status=status)
    if status == 401:
        return AuthError(
            f"{platform}: the key or token was refused ({detail}). "
            f"Check it, or create a new one (see docs/sources.md, {platform})."
        )
    if status == 403:
        return PermissionDeniedError(
            f"{platform}: not allowed ({detail}). The key lacks a permission this needs; "
            f"see docs/sources.md, {platform}, for the scopes to grant."
        )
    if status == 404:
        return NotFoundError(f"{platform}: not found ({detail}). Check the handle or id.")
    return BadRequestError(f"{platform}: HTTP {status} ({detail}).")


__all__ = [
    "AuthError",
    "BadRequestError",
    "GaveUpError",
    "NotFoundError",
    "PermissionDeniedError",
    "QuotaExceededError",
    "RetryableError",
    "generic",
]
