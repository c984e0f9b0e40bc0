"""Instagram Graph API: the user's access token and their own professional account's id."""

from __future__ import annotations

from covey.sources.credentials import Secret, lookup, require

PLATFORM = "instagram"
BASE_URL = "https://graph.facebook.com/v21.0"
TOKEN_ENV = "COVEY_INSTAGRAM_TOKEN"
USER_ID_ENV = "COVEY_INSTAGRAM_USER_ID"
SETTINGS_SECTION = "instagram"
HOW_TO_GET = (
    "Connect your Instagram professional account to a Facebook Page, create a Meta app with the "
    "instagram_basic and instagram_manage_comments permissions, and generate a long-lived token "
    "(docs/sources.md, Instagram)."
)
MEDIA_PAGE = 25
# Meta's limit: about 200 calls per hour per user token, times the app's users (X-App-Usage and
# X-Business-Use-Case-Usage report the share used). One request every few seconds keeps a
# long fetch inside it.
RATE_PER_SECOND = 0.5
BURST = 10
MEDIA_FIELDS = "id,caption,comments_count,like_count,media_type,media_product_type,permalink,timestamp"
PROFILE_FIELDS = "id,username,name,biography,website,followers_count,follows_count,media_count"
COMMENT_FIELDS = "id,text,timestamp,username,like_count,from"
INSIGHT_METRICS = "reach,follower_count,profile_views"


def token() -> Secret:
    """The user's Graph API token (never stored by Covey)."""
    return require(TOKEN_ENV, SETTINGS_SECTION, "access_token", "An Instagram Graph API token", HOW_TO_GET)


def user_id() -> str:
    """The id of the user's own Instagram professional account (not a secret)."""
    found = lookup(USER_ID_ENV, SETTINGS_SECTION, "user_id")
    if found is None:
        return require(
            USER_ID_ENV, SETTINGS_SECTION, "user_id", "Your Instagram professional account's id", HOW_TO_GET
        ).reveal()
    return found.reveal()
