"""YouTube Data API v3: where it lives, the key's names, and what each call costs in quota."""

from __future__ import annotations

from covey.sources.credentials import Secret, require

PLATFORM = "youtube"
BASE_URL = "https://www.googleapis.com/youtube/v3"
KEY_ENV = "COVEY_YOUTUBE_API_KEY"
SETTINGS = ("youtube", "api_key")
HOW_TO_GET = (
    "Create an API key in the Google Cloud console (APIs & Services > Credentials) for a project "
    "with the YouTube Data API v3 enabled; see docs/sources.md."
)

# Quota units per call (Google's published costs): a project gets 10,000 units a day by
# default, reset at midnight Pacific time. search.list is the dear one.
COSTS = {
    "channels": 1,
    "playlistItems": 1,
    "videos": 1,
    "commentThreads": 1,
    "comments": 1,
    "search": 100,
}
DAILY_QUOTA = 10_000
PAGE_SIZE = 50  # the API's maximum for playlistItems and videos
COMMENT_PAGE_SIZE = 100  # the API's maximum for commentThreads and comments
RATE_PER_SECOND = 10.0  # well under Google's per-user limits; quota is the real bound


def api_key() -> Secret:
    """The user's API key, from the environment or settings (never stored by Covey)."""
    return require(KEY_ENV, *SETTINGS, "A YouTube Data API key", HOW_TO_GET)
