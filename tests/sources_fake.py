"""A fake of each platform's API on 127.0.0.1, serving recorded responses, with faults on demand.

Bodies come from ``../shared/data/api-fixtures`` (recorded real responses) or, for TikTok,
from ``tests/data/sources/tiktok`` (built from TikTok's documented format, synthetic).
Where one recorded page must stand for several (a feed paged 4 items at a time, a video
list answering for the ids asked), the fake cuts or fills pages from the recorded items;
each case says so. Faults are queued per path: the next matching requests fail as asked,
then the real response resumes. Used by the tests and by ``benchmarks/sources_bench.py``.
"""

from __future__ import annotations

import copy
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT.parent / "shared" / "data" / "api-fixtures"
SYNTHETIC = Path(__file__).resolve().parent / "data" / "sources"


def load(rel: str) -> Any:
    """A recorded body (``youtube/channel_info_single.json``) or a synthetic TikTok one."""
    path = SYNTHETIC / rel if rel.startswith("tiktok/") else FIXTURES / rel
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class Fault:
    """One injected failure: an HTTP status (with headers/body), a stall, or a cut body."""

    kind: str  # "status", "stall", "truncate"
    status: int = 500
    body: Any = None
    headers: dict[str, str] | None = None
    seconds: float = 0.0


class FakeApi:
    """Routes for every platform under one server; ``inject`` queues faults per path regex."""

    def __init__(self, server: HTTPServer, page_size: int = 4) -> None:
        self.server = server
        self.page_size = page_size
        self._faults: list[tuple[re.Pattern[str], Fault]] = []
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
        self.seen_auth: list[str] = []
        self.loop_cursor = False  # when True, feeds return the cursor they were given
        self.wrap_cursor = False  # when True, a feed's last page points back to its second page
        server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    def base(self, platform: str) -> str:
        """The ``--base-url`` of ``platform`` on this server."""
        prefix = {
            "youtube": "/youtube/v3",
            "instagram": "/graph",
            "bluesky": "/xrpc",
            "mastodon": "/masto",
            "tiktok": "/tiktok/v2",
        }
        return self.server.url_for(prefix[platform])

    def inject(self, path: str, fault: Fault, times: int = 1) -> None:
        """The next ``times`` requests whose path matches ``path`` fail with ``fault``."""
        with self._lock:
            self._faults += [(re.compile(path), fault)] * times

    def pending(self) -> int:
        """Faults queued and not yet served."""
        return len(self._faults)

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for i, (pattern, fault) in enumerate(self._faults):
                if pattern.search(path):
                    del self._faults[i]
                    return fault
        return None

    def handle(self, request: Request) -> Response:
        path = request.path
        self.requests[path] += 1
        auth = (
            request.headers.get("Authorization", "")
            + " "
            + request.args.get("key", "")
            + request.args.get("access_token", "")
        )
        self.seen_auth.append(auth)
        fault = self._take_fault(path)
        body, status, headers = self.route(request)
        if fault is not None:
            self.injected[fault.kind if fault.kind != "status" else f"http {fault.status}"] += 1
            if fault.kind == "stall":
                time.sleep(fault.seconds)
            elif fault.kind == "truncate":
                text = json.dumps(body)
                return Response(text[: len(text) // 2], status=200, content_type="application/json")
            else:
                return Response(
                    json.dumps(fault.body or {}),
                    status=fault.status,
                    headers=fault.headers or {},
                    content_type="application/json",
                )
        return Response(json.dumps(body), status=status, headers=headers, content_type="application/json")

    # -- routing ---------------------------------------------------------------------
    def route(self, request: Request) -> tuple[Any, int, dict[str, str]]:
        path = request.path
        for prefix, handler in (
            ("/youtube/v3/", self.youtube),
            ("/graph/", self.instagram),
            ("/xrpc/", self.bluesky),
            ("/masto/", self.mastodon),
            ("/tiktok/v2/", self.tiktok),
        ):
            if path.startswith(prefix):
                return handler(path[len(prefix) :], request)
        return {"error": "no route"}, 404, {}

    def _page(self, items: list[Any], cursor: str | None, size: int) -> tuple[list[Any], str | None]:
        """Cut ``items`` into pages of ``size``; cursors are offsets ("o4")."""
        start = int(cursor[1:]) if cursor and cursor.startswith("o") else 0
        page = items[start : start + size]
        nxt = f"o{start + size}" if start + size < len(items) else None
        if self.loop_cursor and cursor:
            nxt = cursor  # a broken server: the same page's cursor again
        if self.wrap_cursor and nxt is None and start > 0:
            nxt = f"o{size}"  # a broken server: the end wraps around to page 2
        return page, nxt

    # YouTube: channel, two real playlist pages; videos.list answers for the ids asked with
    # the playlist item's real snippet and synthetic statistics; comments on one video.
    def youtube(self, endpoint: str, request: Request) -> tuple[Any, int, dict[str, str]]:
        args = request.args
        if endpoint == "channels":
            return load("youtube/channel_info_single.json"), 200, {}
        if endpoint == "playlistItems":
            token = args.get("pageToken")
            name = "playlist_items_paged_2.json" if token == "CAoQAA" else "playlist_items_paged_1.json"
            body = load(f"youtube/{name}")
            if self.loop_cursor and token:
                body["nextPageToken"] = token
            return body, 200, {}
        if endpoint == "videos":
            return (
                {
                    "kind": "youtube#videoListResponse",
                    "items": [self.video(v) for v in args.get("id", "").split(",") if v],
                },
                200,
                {},
            )
        if endpoint == "commentThreads":
            if args.get("videoId") != youtube_video_ids()[0]:
                return {"items": []}, 200, {}
            token = args.get("pageToken")
            body = load(f"youtube/comment_threads_by_video_paged_{2 if token else 1}.json")
            for thread in body["items"]:  # recorded under another video: moved to the one asked
                thread["snippet"]["videoId"] = args["videoId"]
                thread["snippet"]["topLevelComment"]["snippet"]["videoId"] = args["videoId"]
            return body, 200, {}
        if endpoint == "search":
            return load("youtube/search_channels.json"), 200, {}
        if endpoint == "comments":
            token = args.get("pageToken")
            return (
                load(
                    "youtube/comments_by_parent_paged_2.json"
                    if token
                    else "youtube/comments_by_parent_paged_1.json"
                ),
                200,
                {},
            )
        return {"error": {"code": 404, "message": "no route"}}, 404, {}

    def video(self, video_id: str) -> dict[str, Any]:
        item = youtube_playlist_items()[video_id]
        snippet = copy.deepcopy(item["snippet"])
        n = sum(map(ord, video_id))  # synthetic, deterministic statistics
        return {
            "kind": "youtube#video",
            "id": video_id,
            "snippet": snippet,
            "statistics": {"viewCount": str(n * 10), "likeCount": str(n), "commentCount": str(n % 50)},
        }

    # Bluesky: the real profile, the real feed's 12 items cut into pages, real followers cut
    # into pages; a thread is the asked post with real posts (from getQuotes) as replies.
    def bluesky(self, endpoint: str, request: Request) -> tuple[Any, int, dict[str, str]]:
        args = request.args
        headers = {"RateLimit-Limit": "3000", "RateLimit-Remaining": "2999", "RateLimit-Policy": "3000;w=300"}
        if endpoint == "app.bsky.actor.getProfiles":
            actors = args.getlist("actors")
            profiles = [
                p
                for p in load("bluesky/app.bsky.actor.getProfiles.json")["profiles"]
                if p["did"] in actors or p["handle"] in actors
            ]
            return {"profiles": profiles}, 200, headers
        if endpoint == "app.bsky.feed.getAuthorFeed":
            feed = load("bluesky/app.bsky.feed.getAuthorFeed.json")["feed"]
            page, nxt = self._page(feed, args.get("cursor"), min(self.page_size, int(args.get("limit", 50))))
            return {"feed": page, **({"cursor": nxt} if nxt else {})}, 200, headers
        if endpoint == "app.bsky.feed.getPostThread":
            return {"thread": bluesky_thread(args["uri"])}, 200, headers
        if endpoint == "app.bsky.graph.getFollowers":
            body = load("bluesky/app.bsky.graph.getFollowers.json")
            page, nxt = self._page(body["followers"], args.get("cursor"), min(20, int(args.get("limit", 50))))
            return (
                {"subject": body["subject"], "followers": page, **({"cursor": nxt} if nxt else {})},
                200,
                headers,
            )
        if endpoint == "com.atproto.server.createSession":
            return (
                {"accessJwt": "session-token-xyz", "did": "did:plc:me", "handle": "me.bsky.social"},
                200,
                headers,
            )
        if endpoint == "app.bsky.feed.searchPosts":
            if not request.headers.get("Authorization"):
                return load("bluesky/error_401_AuthenticationRequired.json"), 401, headers
            return load("bluesky/app.bsky.feed.searchPosts.json"), 200, headers
        return load("bluesky/error_400_InvalidRequest.json"), 400, headers

    # Mastodon: the real lookup, the real 5-status page served 2 at a time with Link headers,
    # followers from the real favourited_by accounts; a context's descendants are the other
    # real statuses, made replies of the one asked.
    def mastodon(self, endpoint: str, request: Request) -> tuple[Any, int, dict[str, str]]:
        args = request.args
        headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299"}
        if endpoint == "api/v1/accounts/lookup":
            return load("mastodon/account_lookup.json"), 200, headers
        m = re.fullmatch(r"api/v1/accounts/(\w+)/(statuses|followers)", endpoint)
        if m:
            items = (
                load("mastodon/account_statuses_limit5.json")
                if m.group(2) == "statuses"
                else load("mastodon/status_favourited_by.json")
            )
            max_id = args.get("max_id")
            start = next((i + 1 for i, s in enumerate(items) if s["id"] == max_id), 0)
            size = min(2, int(args.get("limit", 40)))
            page = items[start : start + size]
            if start + size < len(items) or (self.loop_cursor and max_id):
                last = max_id if self.loop_cursor and max_id else page[-1]["id"]
                query = urlencode({"limit": size, "max_id": last})
                headers["Link"] = f'<{self.server.url_for(request.path)}?{query}>; rel="next"'
            return page, 200, headers
        m = re.fullmatch(r"api/v1/statuses/(\w+)/context", endpoint)
        if m:
            others = [
                copy.deepcopy(s)
                for s in load("mastodon/account_statuses_limit5.json")
                if s["id"] != m.group(1)
            ][:2]
            for s in others:
                s["in_reply_to_id"] = m.group(1)
            return {"ancestors": [], "descendants": others}, 200, headers
        return load("mastodon/error_404_lookup.json"), 404, headers

    # Instagram: business_discovery = the real user fields + the real media pages (whose
    # "after" cursor is the same on both pages: a real looping cursor); own-account reads.
    def instagram(self, endpoint: str, request: Request) -> tuple[Any, int, dict[str, str]]:
        args = request.args
        fields = args.get("fields", "")
        if fields.startswith("business_discovery"):
            user = load("instagram/discovery_user_fields.json")
            page = "p2" if ".after(" in fields else "p1"
            user["business_discovery"]["media"] = load(f"instagram/discovery_medias_{page}.json")[
                "business_discovery"
            ]["media"]
            return user, 200, {}
        if endpoint.endswith("/insights"):
            return load("instagram/user_insights_new.json"), 200, {}
        if endpoint.endswith("/media"):
            return (
                load(
                    "instagram/user_medias_p2.json" if args.get("after") else "instagram/user_medias_p1.json"
                ),
                200,
                {},
            )
        if endpoint.endswith("/comments"):
            media = load("instagram/user_medias_p1.json")["data"]
            first = next(m["id"] for m in media if m["comments_count"])
            if not endpoint.startswith(first):
                return {"data": []}, 200, {}
            return (
                load(
                    "instagram/media_comments_p2.json"
                    if args.get("after")
                    else "instagram/media_comments_p1.json"
                ),
                200,
                {},
            )
        return load("instagram/user_fields.json"), 200, {}

    # TikTok: synthetic bodies built from the documented envelopes.
    def tiktok(self, endpoint: str, request: Request) -> tuple[Any, int, dict[str, str]]:
        if endpoint == "user/info/":
            return load("tiktok/user_info.json"), 200, {}
        if endpoint == "video/list/":
            cursor = (request.get_json(silent=True) or {}).get("cursor")
            return load("tiktok/video_list_p2.json" if cursor else "tiktok/video_list_p1.json"), 200, {}
        return load("tiktok/error_access_token_invalid.json"), 401, {}


def youtube_playlist_items() -> dict[str, dict[str, Any]]:
    """Video id -> its real playlist item, over both recorded pages."""
    items = (
        load("youtube/playlist_items_paged_1.json")["items"]
        + load("youtube/playlist_items_paged_2.json")["items"]
    )
    return {i["snippet"]["resourceId"]["videoId"]: i for i in items}


def youtube_video_ids() -> list[str]:
    """The 13 uploads of the recorded playlist, newest first."""
    return list(youtube_playlist_items())


def bluesky_thread(uri: str) -> dict[str, Any]:
    """A thread for the post ``uri``: the real post view, real posts from getQuotes as replies."""
    feed = {i["post"]["uri"]: i["post"] for i in load("bluesky/app.bsky.feed.getAuthorFeed.json")["feed"]}
    quotes = load("bluesky/app.bsky.feed.getQuotes.json")["posts"][:2]
    for q in quotes:  # one recorded pair of replies stands for every thread: unique uris per thread
        q["uri"] += "-re-" + uri.rsplit("/", 1)[-1]
    replies = [{"$type": "app.bsky.feed.defs#threadViewPost", "post": q, "replies": []} for q in quotes]
    if len(replies) == 2:  # the second answers the first: a nested reply
        replies[0]["replies"] = [replies.pop()]
    return {"$type": "app.bsky.feed.defs#threadViewPost", "post": feed[uri], "replies": replies}


def bluesky_own_posts() -> list[dict[str, Any]]:
    """The recorded feed's items the account wrote itself (reposts excluded)."""
    feed = load("bluesky/app.bsky.feed.getAuthorFeed.json")["feed"]
    did = load("bluesky/app.bsky.actor.getProfiles.json")["profiles"][0]["did"]
    return [i for i in feed if "reason" not in i and i["post"]["author"]["did"] == did]


Clock = Callable[[], float]


class FakeClock:
    """A clock the retry loop and rate limiter read; ``sleep`` advances it without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
