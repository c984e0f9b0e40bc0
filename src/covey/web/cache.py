"""Results the web app keeps per workspace while the workspace's data stay the same.

Pages read the same aggregates over and over (every account's latest followers and scores,
the posts that match a brief); they change only when an import, a scoring run or an index
build finishes. Each workspace has one :class:`WorkspaceCache`; its entries are keyed by
what was asked and dropped as soon as the data's stamp (newest import, newest scoring run,
index build time) moves, so a page never shows results older than the data.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from covey.discovery.catalog import index_dir
from covey.store import Store

log = logging.getLogger("covey.web.cache")

T = TypeVar("T")
MAX_ENTRIES = 64  # per workspace: a few aggregate tables and the evidence of recent briefs

DataStamp = tuple[Any, ...]


def data_stamp(store: Store) -> DataStamp:
    """What identifies the workspace's data: newest import, newest scoring run, index build."""
    row = store.query(
        "SELECT (SELECT max(import_id) FROM imports), (SELECT max(run_id) FROM score_runs), "
        "(SELECT count(*) FROM accounts)"
    )[0]
    manifest = index_dir(store.path) / "manifest.json" if store.path is not None else None
    built = manifest.stat().st_mtime_ns if manifest is not None and manifest.exists() else None
    return (*row, built)


class WorkspaceCache:
    """Computed results of one workspace, valid for one data stamp (thread-safe, bounded LRU)."""

    def __init__(self, store: Store, max_entries: int = MAX_ENTRIES) -> None:
        self.store = store
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._stamp: DataStamp | None = None
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value of ``key`` for the current data, computed (outside the lock) when missing."""
        stamp = data_stamp(self.store)
        with self._lock:
            if stamp != self._stamp:
                if self._items:
                    log.info("data changed (%s): %d cached results dropped", stamp, len(self._items))
                self._items.clear()
                self._stamp = stamp
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]  # type: ignore[no-any-return]
            self.misses += 1
        value = compute()
        with self._lock:
            if self._stamp == stamp:
                self._items[key] = value
                while len(self._items) > self.max_entries:
                    self._items.popitem(last=False)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` for the current data (a background job's result, such as communities)."""
        stamp = data_stamp(self.store)
        with self._lock:
            if stamp != self._stamp:
                self._items.clear()
                self._stamp = stamp
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def peek(self, key: Hashable) -> Any:
        """The value kept for ``key`` while the data are unchanged; None when there is none."""
        stamp = data_stamp(self.store)
        with self._lock:
            if stamp != self._stamp:
                return None
            return self._items.get(key)

    def clear(self) -> None:
        """Forget everything (a job that changed the data calls it; the stamp would notice too)."""
        with self._lock:
            self._items.clear()
            self._stamp = None
