"""The shared HTTP layer against a real server on 127.0.0.1: retries, waits, limits, errors."""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from covey.sources import errors as E
from covey.sources.http import HttpClient, RetryPolicy
from covey.sources.ratelimit import RateLimiter, parse_delay, retry_after
from sources_fake import FakeClock, load


def _youtube_classify(response: httpx.Response, body: object) -> Exception | None:
    from covey.sources.youtube.errors import classify

    return classify(response, body)


class Script:
    """Answers from a list (status, body, headers); the last one repeats."""

    def __init__(self, server: HTTPServer, answers: list[tuple[int, object, dict[str, str]]]) -> None:
        self.answers = answers
        self.calls = 0
        server.expect_request(re.compile(".*")).respond_with_handler(self)

    def __call__(self, request: Request) -> Response:
        status, body, headers = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        text = body if isinstance(body, str) else json.dumps(body)
        return Response(text, status=status, headers=headers, content_type="application/json")


def client(server: HTTPServer, clock: FakeClock, **kw: object) -> HttpClient:
    return HttpClient(
        "youtube",
        server.url_for("/api"),
        _youtube_classify,
        clock=clock,
        sleep=clock.sleep,
        rng=random.Random(1),
        limiter_key=f"test-{random.random()}",
        rate=1000.0,
        **kw,  # type: ignore[arg-type]
    )


OK = (200, {"items": [1, 2, 3]}, {})


def test_429_with_retry_after_is_waited_then_retried(httpserver: HTTPServer, clock: FakeClock) -> None:
    script = Script(
        httpserver, [(429, {"error": {"code": 429, "message": "slow"}}, {"Retry-After": "7"}), OK]
    )
    with client(httpserver, clock) as http:
        assert http.get("x") == {"items": [1, 2, 3]}
    assert script.calls == 2
    assert clock.slept and 7.0 <= clock.slept[0] <= 7.25  # Retry-After, plus at most 0.25 s jitter
    assert http.stats.retries == 1 and http.stats.faults["http 429"] == 1


def test_bursts_of_5xx_are_survived_with_growing_backoff(httpserver: HTTPServer, clock: FakeClock) -> None:
    burst = [(500, "", {}), (503, "", {}), (500, "", {}), (503, "", {}), (502, "", {})]
    Script(httpserver, [*burst, OK])
    policy = RetryPolicy(attempts=6, base=0.5, cap=30.0)
    with client(httpserver, clock, policy=policy) as http:
        assert http.get("x") == {"items": [1, 2, 3]}
    assert http.stats.retries == 5
    # full jitter: each wait within [0, base * 2**attempt]
    assert all(0 <= w <= 0.5 * 2**i for i, w in enumerate(clock.slept))


def test_endless_5xx_gives_up_with_a_resume_message(httpserver: HTTPServer, clock: FakeClock) -> None:
    Script(httpserver, [(503, "", {})])
    with (
        client(httpserver, clock, policy=RetryPolicy(attempts=3)) as http,
        pytest.raises(E.GaveUpError) as info,
    ):
        http.get("x")
    assert "3 tries" in str(info.value) and "resumes" in str(info.value)


def test_timeouts_are_retried(httpserver: HTTPServer, clock: FakeClock) -> None:
    calls = {"n": 0}

    def slow_then_fast(request: Request) -> Response:
        calls["n"] += 1
        if calls["n"] == 1:
            import time

            time.sleep(0.6)
        return Response(json.dumps({"ok": True}), content_type="application/json")

    httpserver.expect_request(re.compile(".*")).respond_with_handler(slow_then_fast)
    with client(httpserver, clock, timeout=httpx.Timeout(0.2)) as http:
        assert http.get("x") == {"ok": True}
    # The fake server answers one request at a time: a retry may queue behind the stall and
    # time out too; every timeout is retried.
    assert http.stats.faults["timeout"] >= 1 and http.stats.retries == http.stats.faults["timeout"]


def test_truncated_json_is_retried(httpserver: HTTPServer, clock: FakeClock) -> None:
    Script(httpserver, [(200, '{"items": [1, 2', {}), OK])
    with client(httpserver, clock) as http:
        assert http.get("x") == {"items": [1, 2, 3]}
    assert http.stats.faults["bad json"] == 1


def test_a_wait_longer_than_max_wait_stops_with_when_to_come_back(
    httpserver: HTTPServer, clock: FakeClock
) -> None:
    Script(httpserver, [(429, "{}", {"Retry-After": "3600"}), OK])
    with (
        client(httpserver, clock, policy=RetryPolicy(max_wait=60)) as http,
        pytest.raises(E.GaveUpError) as info,
    ):
        http.get("x")
    assert "60 minutes" in str(info.value)  # 3,600 s asked
    assert clock.slept == []  # never slept through an hour


def test_quota_exceeded_is_terminal_and_says_when_it_resets(httpserver: HTTPServer, clock: FakeClock) -> None:
    body = {
        "error": {
            "code": 403,
            "message": "quota",
            "errors": [{"reason": "quotaExceeded", "domain": "youtube.quota"}],
        }
    }
    script = Script(httpserver, [(403, body, {}), OK])
    with client(httpserver, clock) as http, pytest.raises(E.QuotaExceededError) as info:
        http.get("x")
    assert script.calls == 1  # not retried
    assert "midnight Pacific" in str(info.value) and info.value.reset_at is not None
    assert info.value.reset_at > datetime.now(UTC).replace(tzinfo=None)


@pytest.mark.realdata
def test_recorded_youtube_errors_are_classified(
    httpserver: HTTPServer, clock: FakeClock, shared_data: object
) -> None:
    Script(httpserver, [(400, load("youtube/error_response.json"), {})])
    with client(httpserver, clock) as http, pytest.raises(E.AuthError, match=r"keyInvalid.*Google Cloud"):
        http.get("x")


def test_youtube_quota_day_is_the_pacific_date() -> None:
    from covey.sources.youtube.errors import next_quota_reset, quota_day

    late_utc = datetime(2026, 12, 2, 7, 30, tzinfo=UTC)  # 23:30 on 1 December in California
    assert str(quota_day(late_utc)) == "2026-12-01"
    assert str(quota_day(next_quota_reset(late_utc))) == "2026-12-02"


def test_an_expired_youtube_key_says_so_and_how_to_get_one(httpserver: HTTPServer, clock: FakeClock) -> None:
    """Google answers an expired key with a generic "badRequest" and the real reason in an
    ErrorInfo under ``details``; it was shown as "HTTP 400" with nothing to do."""
    message = "API key expired. Please renew the API key."
    body = {
        "error": {
            "code": 400,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": "badRequest"}],
            "status": "INVALID_ARGUMENT",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com",
                }
            ],
        }
    }
    script = Script(httpserver, [(400, body, {}), OK])
    with client(httpserver, clock) as http, pytest.raises(E.AuthError, match=r"expired.*Google Cloud"):
        http.get("x")
    assert script.calls == 1  # not retried


def test_the_key_never_appears_in_errors(httpserver: HTTPServer, clock: FakeClock) -> None:
    Script(httpserver, [(503, "", {})])
    http = HttpClient(
        "youtube",
        httpserver.url_for("/api"),
        _youtube_classify,
        auth_params=lambda: {"key": "SECRET-KEY-123"},
        clock=clock,
        sleep=clock.sleep,
        policy=RetryPolicy(attempts=2),
        limiter_key="k-secret-test",
    )
    with http, pytest.raises(E.GaveUpError) as info:
        http.get("videos", {"id": "abc"})
    assert "SECRET-KEY-123" not in str(info.value) and "/api/videos" in str(info.value)


def test_rate_limiter_spaces_requests_on_its_clock(clock: FakeClock) -> None:
    limiter = RateLimiter(rate=5.0, burst=10, clock=clock, sleep=clock.sleep)
    for _ in range(20):
        limiter.acquire()
    # 10 from the burst, then 10 more at 5 per second: 2 seconds of waiting.
    assert limiter.waited == pytest.approx(2.0, abs=1e-6)


def test_a_spent_window_holds_the_next_request_until_its_reset(
    httpserver: HTTPServer, clock: FakeClock
) -> None:
    Script(httpserver, [(200, {"a": 1}, {"RateLimit-Remaining": "0", "RateLimit-Reset": "30"}), OK])
    with client(httpserver, clock) as http:
        http.get("x")
        http.get("x")
    assert http.limiter.waited == pytest.approx(30.0)


def test_delays_as_platforms_write_them() -> None:
    now = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
    assert parse_delay("7", now) == 7.0
    assert parse_delay(str(int((now + timedelta(seconds=90)).timestamp())), now) == pytest.approx(90)
    assert parse_delay("2025-05-01T12:05:00.000Z", now) == pytest.approx(300)  # Mastodon
    assert parse_delay("Thu, 01 May 2025 12:01:00 GMT", now) == pytest.approx(60)  # HTTP date
    assert parse_delay("soon", now) is None
    assert retry_after(httpx.Headers({"x-ratelimit-remaining": "5", "x-ratelimit-reset": "99"}), now) is None


def test_meta_usage_headers_slow_the_next_call(httpserver: HTTPServer, clock: FakeClock) -> None:
    from covey.sources.instagram.errors import classify, pace, usage_share

    busy = {"X-App-Usage": json.dumps({"call_count": 95, "total_cputime": 20, "total_time": 30})}
    Script(httpserver, [(200, {"a": 1}, busy), OK])
    with HttpClient(
        "instagram",
        httpserver.url_for("/g"),
        classify,
        pace=pace,
        clock=clock,
        sleep=clock.sleep,
        limiter_key="meta-t",
    ) as http:
        http.get("x")
        http.get("x")
    assert http.limiter.waited == pytest.approx(60.0)  # no regain time given: a minute
    buc = {
        "x-business-use-case-usage": json.dumps(
            {"1": [{"call_count": 99, "estimated_time_to_regain_access": 7}]}
        )
    }
    assert usage_share(httpx.Headers(buc)) == 99 and pace(httpx.Headers(buc)) == 420.0
    assert pace(httpx.Headers({"X-App-Usage": json.dumps({"call_count": 12})})) is None


def test_a_base_url_without_http_is_bad_input_not_retried(clock: FakeClock) -> None:
    from covey.errors import InputError

    with HttpClient(
        "youtube", "ftp://example.invalid/api", _youtube_classify, clock=clock, sleep=clock.sleep
    ) as http:
        with pytest.raises(InputError, match="--base-url"):
            http.get("x")
        assert http.stats.requests == 1 and clock.slept == []
