"""Mastodon (any instance): public reads need no token; an instance may ask for one."""

from __future__ import annotations

from covey.sources.credentials import Secret, lookup

PLATFORM = "mastodon"
TOKEN_ENV = "COVEY_MASTODON_TOKEN"
SETTINGS = ("mastodon", "access_token")
HOW_TO_GET = (
    "On your instance: Preferences > Development > New application, with the read scope only; "
    "copy 'Your access token'."
)
STATUSES_PAGE = 40  # the API's maximum for account statuses
FOLLOWERS_PAGE = 80  # the API's maximum for followers
# Mastodon allows 300 requests per 5 minutes per account or IP by default (X-RateLimit-*).
RATE_PER_SECOND = 1.0
BURST = 20


def token() -> Secret | None:
    """The user's access token, when set (optional: most instances serve public reads)."""
    return lookup(TOKEN_ENV, *SETTINGS)


def split_target(target: str) -> tuple[str, str]:
    """``@user@instance`` -> (``user``, ``instance``); raises ValueError on any other shape."""
    parts = target.strip().lstrip("@").split("@")
    if len(parts) != 2 or not parts[0] or ("." not in parts[1] and ":" not in parts[1]):
        raise ValueError(f"'{target}' is not @user@instance (e.g. @gargron@mastodon.social)")
    return parts[0], parts[1].lower()
