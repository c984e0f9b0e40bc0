"""A rate limiter per credential, and the reading of the platforms' rate-limit headers.

Each credential (or, without one, each host) gets one token bucket shared by every client
that uses it in this process, so two fetches with the same key do not add up to twice the
platform's limit. When a response says the window is spent (``remaining: 0``), the bucket
also holds every request until the window's reset.

Clock and sleep are injected: tests run the limiter on a fake clock and never sleep.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

log = logging.getLogger("covey.sources.ratelimit")

Clock = Callable[[], float]
Sleep = Callable[[float], None]

# A reset far beyond this many seconds is a unix time, not a delay.
_EPOCH_THRESHOLD = 10**9


@dataclass
class RateLimiter:
    """A token bucket: ``rate`` requests per second on average, bursts of up to ``burst``."""

    rate: float
    burst: int
    clock: Clock = time.monotonic
    sleep: Sleep = time.sleep
    waited: float = 0.0  # seconds spent waiting here, for the summary
    _tokens: float | None = field(default=None, repr=False)  # None until the first request
    _last: float = field(default=0.0, repr=False)
    _hold_until: float = field(default=0.0, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def acquire(self) -> None:
        """Wait until a request may go out, then take its token."""
        with self._lock:
            now = self.clock()
            if self._tokens is None:
                self._tokens, self._last = float(self.burst), now
            if now < self._hold_until:
                self._pause(self._hold_until - now)
                now = self.clock()
            tokens = min(float(self.burst), self._tokens + (now - self._last) * self.rate)
            self._last = now
            if tokens < 1.0:
                self._pause((1.0 - tokens) / self.rate)
                now = self.clock()
                tokens = min(float(self.burst), tokens + (now - self._last) * self.rate)
                self._last = now
            self._tokens = tokens - 1.0

    def hold(self, seconds: float) -> None:
        """Let no request out for ``seconds`` (the platform said its window is spent)."""
        with self._lock:
            self._hold_until = max(self._hold_until, self.clock() + max(0.0, seconds))

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self.waited += seconds
            self.sleep(seconds)


_LIMITERS: dict[str, RateLimiter] = {}
_LIMITERS_LOCK = threading.Lock()


def limiter_for(key: str, rate: float, burst: int, clock: Clock, sleep: Sleep) -> RateLimiter:
    """The one limiter of credential (or host) ``key`` in this process, created on first use."""
    with _LIMITERS_LOCK:
        found = _LIMITERS.get(key)
        if found is None or found.clock is not clock:
            found = RateLimiter(rate=rate, burst=burst, clock=clock, sleep=sleep)
            _LIMITERS[key] = found
        return found


def parse_delay(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from now named by a header: a delay, a unix time, an HTTP date or an ISO time."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    now = now or datetime.now(UTC)
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None:
        if number > _EPOCH_THRESHOLD:
            return max(0.0, number - now.timestamp())
        return max(0.0, number)
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _header(headers: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = headers.get(name)
        if value is not None:
            return value
    return None


def retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """The wait a response asks for: ``Retry-After``, else the reset of a spent window."""
    asked = parse_delay(headers.get("retry-after"), now)
    if asked is not None:
        return asked
    if window_spent(headers):
        return parse_delay(_header(headers, "ratelimit-reset", "x-ratelimit-reset"), now)
    return None


def window_spent(headers: Mapping[str, str]) -> bool:
    """True when the rate-limit headers say no request is left in this window."""
    remaining = _header(headers, "ratelimit-remaining", "x-ratelimit-remaining")
    try:
        return remaining is not None and int(float(remaining)) <= 0
    except ValueError:
        return False


__all__ = ["RateLimiter", "limiter_for", "parse_delay", "retry_after", "window_spent"]
