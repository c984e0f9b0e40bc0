"""Bluesky: the public AppView (no login) and, for post search only, an app password."""

from __future__ import annotations

from covey.sources.credentials import Secret, lookup

PLATFORM = "bluesky"
# The public AppView serves profiles, feeds, threads and follower lists without any login.
BASE_URL = "https://public.api.bsky.app/xrpc"
# Post search needs a session on the user's PDS (an app password, never the account password).
AUTH_BASE_URL = "https://bsky.social/xrpc"
HANDLE_ENV = "COVEY_BLUESKY_HANDLE"
APP_PASSWORD_ENV = "COVEY_BLUESKY_APP_PASSWORD"
SETTINGS_SECTION = "bluesky"
HOW_TO_GET = (
    "Create an app password in the Bluesky app (Settings > Privacy and security > App passwords); "
    "never use your account password."
)
FEED_PAGE = 100  # getAuthorFeed's maximum
FOLLOWERS_PAGE = 100  # getFollowers' maximum
PROFILES_BATCH = 25  # getProfiles' maximum
THREAD_DEPTH = 6
# AppView limits are generous (3000 requests per 5 minutes per IP, as its RateLimit-Policy
# header says); stay well under them.
RATE_PER_SECOND = 8.0


def app_password() -> tuple[str, Secret] | None:
    """Handle and app password for search, from the environment or settings; None if unset."""
    secret = lookup(APP_PASSWORD_ENV, SETTINGS_SECTION, "app_password")
    handle = lookup(HANDLE_ENV, SETTINGS_SECTION, "handle")
    if secret is None or handle is None:
        return None
    return handle.reveal(), secret
