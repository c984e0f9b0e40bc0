"""Paging safety: a cursor the platform has already sent ends the loop instead of spinning."""

from __future__ import annotations

import logging

log = logging.getLogger("covey.sources.paging")


class LoopGuard:
    """Remembers the cursors of one stream; :meth:`seen` is True for a cursor that came back."""

    def __init__(self, stream: str, start: object = None) -> None:
        self.stream = stream
        self._seen: set[str] = set()
        if start is not None:
            self._seen.add(str(start))
        self.looped = False

    def seen(self, cursor: object) -> bool:
        """True (and logged) when ``cursor`` was already followed in this stream."""
        if cursor is None:
            return False
        key = str(cursor)
        if key in self._seen:
            self.looped = True
            log.warning(
                "%s: the platform sent a page cursor it had already sent; stopped paging", self.stream
            )
            return True
        self._seen.add(key)
        return False


__all__ = ["LoopGuard"]
