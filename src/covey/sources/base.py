"""What every platform shares: the fetch options, progress reports, and small value helpers."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

Progress = Callable[[str, int, int | None], None]
"""``progress(what, done, total_or_None)``: called as a fetch advances."""


def no_progress(what: str, done: int, total: int | None) -> None:
    """The progress callback that reports nothing."""


@dataclass(frozen=True)
class FetchOptions:
    """What to fetch for one account (the same flags on every ``covey fetch`` command).

    ``max_posts``: newest posts to read (None: all the API gives). ``comments``: comments
    to read per post (0: none). ``followers``: followers to sample into
    ``audience_samples`` (0: none). ``since``: ignore posts published before it.
    ``base_url``: another host serving the same API (a proxy, a test server).
    """

    since: datetime | None = None
    max_posts: int | None = 50
    comments: int = 0
    followers: int = 0
    base_url: str | None = None
    search: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data, saved with the fetch so ``covey refresh`` repeats it."""
        data = asdict(self)
        data["since"] = self.since.isoformat() if self.since else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FetchOptions:
        """The options saved by :meth:`to_dict`."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if known.get("since"):
            known["since"] = datetime.fromisoformat(known["since"])
        return cls(**known)

    def wants_more(self, read: int) -> bool:
        """True while fewer than ``max_posts`` posts were read."""
        return self.max_posts is None or read < self.max_posts

    def too_old(self, posted_at: str | None) -> bool:
        """True when a post's time (canonical ISO text) is before ``since``."""
        if self.since is None or posted_at is None:
            return False
        return datetime.fromisoformat(posted_at) < self.since.replace(tzinfo=None)


def utc_iso(value: str | None) -> str | None:
    """A platform's timestamp ("2021-08-17T19:00:42+0000", "...Z") as naive-UTC ISO text."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    if re.search(r"[+-]\d{4}$", text):
        text = text[:-2] + ":" + text[-2:]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed.isoformat()


def sampled_at(taken_at: datetime) -> str:
    """When a follower sample was taken: the fetch's time, to the second (no reader needs less)."""
    return taken_at.replace(microsecond=0).isoformat()


def as_int(value: Any) -> int | None:
    """A count as the APIs send it (int or "160361638"); None stays None (unknown, not 0)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


_TAG = re.compile(r"<br\s*/?>|</p>\s*<p>|<[^>]+>")


def strip_html(text: str | None) -> str | None:
    """Mastodon and YouTube send HTML; keep the words (paragraphs and breaks become newlines)."""
    if text is None:
        return None

    def repl(m: re.Match[str]) -> str:
        return "\n" if m.group(0).lower().startswith(("<br", "</p")) else ""

    return html.unescape(_TAG.sub(repl, text)).strip()


__all__ = ["FetchOptions", "Progress", "as_int", "no_progress", "strip_html", "utc_iso"]
