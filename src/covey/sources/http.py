"""The one HTTP client every platform uses: timeouts, retries with backoff, rate limits.

* Timeouts are always on (connect 5 s, read 20 s by default); a request cannot hang.
* 429, 5xx, timeouts, dropped connections and bodies that are not complete JSON are
  retried with exponential backoff and full jitter, waiting at least what ``Retry-After``
  or the platform's rate-limit reset asks for. A wait longer than ``max_wait`` is not
  slept through: the fetch stops with a message saying when to try again (it resumes).
* Every other error is the platform's ``classify`` decision: terminal errors stop at once
  with a message saying what the user can do.
* One token bucket per credential (``covey.sources.ratelimit``).
* The credential is added to the request at send time and appears nowhere else: not in
  error messages (they name the path, never the query), not in logs (httpx's own request
  log, which prints full URLs, is kept at WARNING).
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from covey import __version__
from covey.errors import InputError
from covey.sources.errors import GaveUpError, RetryableError
from covey.sources.ratelimit import Clock, RateLimiter, Sleep, limiter_for, retry_after, window_spent

log = logging.getLogger("covey.sources.http")
# httpx logs every request's full URL at INFO; a query may carry an API key.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("httpcore").setLevel(logging.WARNING)

Classifier = Callable[[httpx.Response, Any], Exception | None]
"""``classify(response, parsed_body_or_None)``: None when fine, else the error to raise."""

DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=5.0)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts per request, backoff base and cap, longest wait accepted."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 30.0
    max_wait: float = 900.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**attempt)]."""
        return rng.uniform(0.0, min(self.cap, self.base * (2**attempt)))


@dataclass
class HttpStats:
    """What the client did, for the fetch summary and the fault table."""

    requests: int = 0
    retries: int = 0
    waited: float = 0.0
    quota_units: int | None = None  # None: the platform counts no quota units (all but YouTube)
    faults: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "requests": self.requests,
            "retries": self.retries,
            "waited_s": round(self.waited, 3),
            "quota_units": self.quota_units,
            "faults": dict(self.faults),
        }


class HttpClient:
    """GET JSON from one platform, with its classifier, credential and rate limiter."""

    def __init__(
        self,
        platform: str,
        base_url: str,
        classify: Classifier,
        *,
        auth_params: Callable[[], Mapping[str, str]] | None = None,
        auth_headers: Callable[[], Mapping[str, str]] | None = None,
        limiter_key: str | None = None,
        rate: float = 5.0,
        burst: int = 10,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        policy: RetryPolicy | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        rng: random.Random | None = None,
        transport: httpx.BaseTransport | None = None,
        pace: Callable[[httpx.Headers], float | None] | None = None,
    ) -> None:
        self.platform = platform
        self.base_url = base_url.rstrip("/")
        self.classify = classify
        self._auth_params = auth_params
        self._auth_headers = auth_headers
        self._pace = pace  # a platform's own usage headers -> seconds to hold before the next request
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.stats = HttpStats()
        key = limiter_key or f"host:{httpx.URL(self.base_url).host}"
        self.limiter: RateLimiter = limiter_for(f"{platform}:{key}", rate, burst, clock, sleep)
        self._client = httpx.Client(
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": f"covey/{__version__}", "Accept": "application/json"},
            follow_redirects=True,
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` under the base URL (absolute URLs pass through)."""
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}/{path.lstrip('/')}"

    def get(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        cost: int | None = None,
        with_response: bool = False,
    ) -> Any:
        """GET ``path`` and return its parsed JSON (and the response if ``with_response``)."""
        return self.request("GET", path, params, cost=cost, with_response=with_response)

    def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        json_body: Any = None,
        cost: int | None = None,
        with_response: bool = False,
        auth: bool = True,
    ) -> Any:
        """Send one request (retried as the policy says) and return its parsed JSON.

        ``cost`` is the request's quota units where the platform counts them (YouTube),
        added once per request actually sent, retries included, because the platform
        charges those too; None for platforms without quota units.
        """
        query = {k: v for k, v in (params or {}).items() if v is not None}
        if self._auth_params and auth:
            query.update(self._auth_params())
        headers = dict(self._auth_headers()) if self._auth_headers and auth else {}
        target = self.url(path)
        where = httpx.URL(target).path  # for messages: never the query, which may hold a key
        attempts = max(1, self.policy.attempts)
        for attempt in range(attempts):
            error = self._attempt(method, target, where, query, headers, json_body, cost)
            if isinstance(error, tuple):
                return error if with_response else error[0]
            if not isinstance(error, RetryableError):
                raise error
            if attempt == attempts - 1:
                raise GaveUpError(
                    f"{self.platform}: {where} still failing after {attempts} tries ({error}). "
                    "Try again later: the fetch resumes where it stopped."
                ) from None
            wait = self.policy.backoff(attempt, self.rng)
            if error.wait is not None:
                wait = max(wait, error.wait + self.rng.uniform(0.0, 0.25))
            if wait > self.policy.max_wait:
                span = f"{wait:.0f} seconds" if wait < 120 else f"{wait / 60:.0f} minutes"
                raise GaveUpError(
                    f"{self.platform}: the platform asks to wait {span} ({error}). "
                    "Run the same command again after that: the fetch resumes where it stopped."
                ) from None
            self.stats.retries += 1
            self.stats.waited += wait
            log.info("%s %s: %s; retry %d in %.2f s", self.platform, where, error, attempt + 1, wait)
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(
        self,
        method: str,
        target: str,
        where: str,
        query: dict[str, Any],
        headers: dict[str, str],
        json_body: Any,
        cost: int | None,
    ) -> tuple[Any, httpx.Response] | Exception:
        """One request: the parsed body and response, or the error it ended in."""
        self.limiter.acquire()
        self.stats.requests += 1
        if cost is not None:
            self.stats.quota_units = (self.stats.quota_units or 0) + cost
        try:
            response = self._client.request(method, target, params=query, headers=headers, json=json_body)
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            return InputError(f"{self.platform}: cannot send to {self.base_url} ({exc}); check --base-url")
        except httpx.TimeoutException:
            self.stats.faults["timeout"] += 1
            return RetryableError(f"{where}: timed out")
        except httpx.TransportError as exc:
            self.stats.faults["connection"] += 1
            return RetryableError(f"{where}: connection failed ({type(exc).__name__})")
        hinted = retry_after(response.headers)
        if window_spent(response.headers) and hinted is not None and response.status_code < 400:
            self.limiter.hold(hinted)  # the window is spent: the next request waits for its reset
        if self._pace is not None and response.status_code < 400:
            hold = self._pace(response.headers)
            if hold:
                self.limiter.hold(hold)
        body: Any = None
        broken = False
        if response.content:
            try:
                body = json.loads(response.content)
            except (json.JSONDecodeError, UnicodeDecodeError):
                broken = True
        error = self.classify(response, body)
        if error is not None:
            self.stats.faults[f"http {response.status_code}"] += 1
            if isinstance(error, RetryableError) and error.wait is None:
                error.wait = hinted
            return error
        if broken or (response.status_code == 200 and body is None):
            self.stats.faults["bad json"] += 1
            return RetryableError(f"{where}: the response was not complete JSON")
        return body, response


__all__ = ["DEFAULT_TIMEOUT", "Classifier", "HttpClient", "HttpStats", "RetryPolicy"]
