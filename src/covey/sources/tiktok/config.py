"""TikTok Display API (v2): the creator's own authorised account, with their user token."""

from __future__ import annotations

from covey.sources.credentials import Secret, require

PLATFORM = "tiktok"
BASE_URL = "https://open.tiktokapis.com/v2"
TOKEN_ENV = "COVEY_TIKTOK_TOKEN"
SETTINGS = ("tiktok", "access_token")
HOW_TO_GET = (
    "The creator authorises your TikTok developer app (Login Kit) with the user.info.basic, "
    "user.info.profile, user.info.stats and video.list scopes; the OAuth exchange gives the "
    "user access token (valid 24 hours; refresh it with the refresh token)."
)
USER_FIELDS = (
    "open_id,union_id,avatar_url,display_name,bio_description,profile_deep_link,is_verified,"
    "username,follower_count,following_count,likes_count,video_count"
)
VIDEO_FIELDS = (
    "id,create_time,title,video_description,duration,share_url,like_count,comment_count,share_count,"
    "view_count"
)
VIDEO_PAGE = 20  # video/list's maximum
# TikTok allows 600 requests per minute per endpoint for user/info and video/list.
RATE_PER_SECOND = 5.0


def token() -> Secret:
    """The creator's user access token (never stored by Covey)."""
    return require(TOKEN_ENV, *SETTINGS, "A TikTok user access token", HOW_TO_GET)
