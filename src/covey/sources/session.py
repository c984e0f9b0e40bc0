"""One fetch of one account: its cursors in the database, its rows through ``covey import``.

A fetch is a row of ``source_fetches``: platform, target (the handle as typed), the
options, the snapshot time, the cursors (``state``) and a status. Rows are collected per
page and written with :func:`covey.ingest.import_path` (as canonical JSONL files in a
temporary folder), so an API row is validated, keyed and merged exactly like a file row:
a re-fetch inserts nothing twice, and newer counts update the rows they belong to.

The order makes an interrupted fetch safe to resume: a page is imported first, then its
cursor is saved. A crash between the two re-reads one page, whose rows merge as unchanged.
A resumed fetch keeps the first attempt's ``taken_at``, so it completes the same snapshot
instead of adding a second one; each new fetch adds one snapshot.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from covey.ingest import TableCounts, import_path
from covey.model import TABLES, TABLES_BY_NAME
from covey.sources.http import HttpStats
from covey.store import Store

log = logging.getLogger("covey.sources.session")


# An interrupted fetch resumes within this time; after it, the next fetch starts over.
RESUME_WITHIN = timedelta(hours=24)


def now_utc() -> datetime:
    """Naive UTC now, as the canonical tables store time."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class FetchSummary:
    """What one fetch did: rows per table over all its imports, and the HTTP work."""

    fetch_id: int
    platform: str
    target: str
    account_id: str | None
    resumed: bool
    tables: dict[str, TableCounts] = field(default_factory=dict)
    http: HttpStats = field(default_factory=HttpStats)
    notes: list[str] = field(default_factory=list)
    insights: dict[str, Any] = field(default_factory=dict)  # own-account insights (Instagram)
    rejects: list[str] = field(default_factory=list)  # rejects files of this fetch's imports

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON and the ``source_fetches`` table."""
        return {
            "fetch_id": self.fetch_id,
            "platform": self.platform,
            "target": self.target,
            "account_id": self.account_id,
            "resumed": self.resumed,
            "tables": {name: c.to_dict() for name, c in self.tables.items()},
            "http": self.http.to_dict(),
            "notes": self.notes,
            "insights": self.insights,
            "rejects": self.rejects,
        }


class FetchSession:
    """Collects canonical rows and cursors for one fetch; writes them page by page."""

    def __init__(
        self,
        store: Store,
        platform: str,
        target: str,
        options: dict[str, Any],
        *,
        restart: bool = False,
    ) -> None:
        self.store = store
        self.platform = platform
        self.target = target
        self.options = options
        self._rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._keys: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
        previous = None if restart else self._unfinished()
        if previous is not None:
            self.fetch_id, self.taken_at, state, account_id = previous
            self.state: dict[str, Any] = state
            self.resumed = True
            log.info("resuming fetch %d of %s %s", self.fetch_id, platform, target)
        else:
            self.fetch_id = self._next_id()
            self.taken_at = now_utc()
            self.state = {}
            self.resumed = False
            account_id = None
            self._insert()
        self.summary = FetchSummary(self.fetch_id, platform, target, account_id, self.resumed)

    # -- the fetch's row in source_fetches ------------------------------------------------
    def _unfinished(self) -> tuple[int, datetime, dict[str, Any], str | None] | None:
        rows = self.store.query(
            "SELECT fetch_id, taken_at, state, account_id, status FROM source_fetches "
            "WHERE platform = ? AND target = ? ORDER BY fetch_id DESC LIMIT 1",
            [self.platform, self.target],
        )
        if not rows or rows[0][4] in ("done", "abandoned"):
            return None
        fetch_id, taken_at, state, account_id, _ = rows[0]
        if now_utc() - taken_at > RESUME_WITHIN:
            # Too old to complete: its snapshot time would no longer say when the counts were
            # read, and new posts have pushed its cursors down. Start a fresh fetch instead.
            with self.store.transaction() as cur:
                cur.execute("UPDATE source_fetches SET status = 'abandoned' WHERE fetch_id = ?", [fetch_id])
            log.info(
                "fetch %d of %s %s is older than %s: starting over",
                fetch_id,
                self.platform,
                self.target,
                RESUME_WITHIN,
            )
            return None
        return int(fetch_id), taken_at, json.loads(state or "{}"), account_id

    def _next_id(self) -> int:
        row = self.store.query("SELECT coalesce(max(fetch_id), 0) + 1 FROM source_fetches")
        return int(row[0][0])

    def _insert(self) -> None:
        with self.store.transaction() as cur:
            cur.execute(
                "INSERT INTO source_fetches VALUES (?, ?, ?, NULL, ?, ?, '{}', 'running', ?, ?, NULL)",
                [
                    self.fetch_id,
                    self.platform,
                    self.target,
                    json.dumps(self.options, default=str),
                    self.taken_at,
                    now_utc(),
                    now_utc(),
                ],
            )

    def _save(self, status: str, summary: dict[str, Any] | None = None) -> None:
        with self.store.transaction() as cur:
            cur.execute(
                "UPDATE source_fetches SET state = ?, status = ?, account_id = ?, updated_at = ?, "
                "summary = coalesce(?, summary) WHERE fetch_id = ?",
                [
                    json.dumps(self.state),
                    status,
                    self.summary.account_id,
                    now_utc(),
                    json.dumps(summary, default=str) if summary is not None else None,
                    self.fetch_id,
                ],
            )

    # -- cursors ----------------------------------------------------------------------
    def cursor(self, stream: str) -> Any:
        """The saved position of ``stream`` (e.g. "posts"), or None to start at the top."""
        return self.state.get("cursors", {}).get(stream)

    def is_done(self, stream: str) -> bool:
        """True when ``stream`` was read to its end by this fetch (before an interruption)."""
        return stream in self.state.get("done", [])

    def counter(self, name: str) -> int:
        """A count kept across a resume (e.g. posts read so far, for --max-posts)."""
        return int(self.state.get("counters", {}).get(name, 0))

    def advance(self, stream: str, cursor: Any, *, counts: dict[str, int] | None = None) -> None:
        """Write the rows collected so far, then save ``stream``'s next cursor (None = done)."""
        self.flush()
        cursors = self.state.setdefault("cursors", {})
        if cursor is None:
            cursors.pop(stream, None)
            done = self.state.setdefault("done", [])
            if stream not in done:
                done.append(stream)
        else:
            cursors[stream] = cursor
        for name, n in (counts or {}).items():
            self.state.setdefault("counters", {})[name] = n
        self._save("running")

    # -- rows ------------------------------------------------------------------------
    def add(self, table: str, row: dict[str, Any]) -> None:
        """Queue one canonical row (column -> value) for the next write.

        A row whose key is already queued (APIs repeat items across pages) is dropped here:
        the import would set it aside as a duplicate, and it carries nothing new.
        """
        key = tuple(row.get(k) for k in TABLES_BY_NAME[table].key)
        if key in self._keys[table]:
            log.debug("%s: %s sent twice in one page; kept the first", table, key)
            return
        self._keys[table].add(key)
        self._rows[table].append(row)

    def set_account(self, account_id: str) -> None:
        """Name the account this fetch is about (for ``covey refresh`` and the summary)."""
        self.summary.account_id = account_id

    def flush(self) -> None:
        """Import the queued rows now, in one transaction, through ``covey import``."""
        if not any(self._rows.values()):
            return
        # The folder's name is what the imports log and the rejects file show as the source.
        safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in self.target)[:60]
        with tempfile.TemporaryDirectory(
            prefix=f"covey-fetch-{self.fetch_id}-{self.platform}-{safe}-"
        ) as tmp:
            folder = Path(tmp)
            for table in TABLES:
                rows = self._rows.get(table.name)
                if not rows:
                    continue
                with (folder / f"{table.name}.jsonl").open("w", encoding="utf-8") as fh:
                    for row in rows:
                        fh.write(json.dumps(row, default=_json_default, ensure_ascii=False) + "\n")
            result = import_path(self.store, folder, fmt="jsonl")
        self._rows.clear()
        self._keys.clear()
        if result.rejects_path is not None and str(result.rejects_path) not in self.summary.rejects:
            self.summary.rejects.append(str(result.rejects_path))
        for name, counts in result.tables.items():
            total = self.summary.tables.setdefault(name, TableCounts())
            for key, value in counts.to_dict().items():
                setattr(total, key, getattr(total, key) + value)

    def finish(self, http: HttpStats) -> FetchSummary:
        """Write what is left, mark the fetch done, record the API use; returns the summary."""
        self.flush()
        self.summary.http = http
        self._save("done", self.summary.to_dict())
        return self.summary

    def fail(self, http: HttpStats, reason: str) -> None:
        """Keep the cursors of a fetch that stopped, so the next run resumes it."""
        try:
            self.flush()  # rows read before the stop; their page's cursor is not advanced
        except Exception:  # the original error matters more; these rows are read again on resume
            log.warning("could not write the rows read before the stop", exc_info=True)
            self._rows.clear()
            self._keys.clear()
        self.summary.http = http
        self.summary.notes.append(reason)
        self._save("stopped", self.summary.to_dict())


def record_usage(
    store: Store, platform: str, credential: str, http: HttpStats, day: date | None = None
) -> None:
    """Add a fetch's requests and quota units to ``day``'s use of ``credential`` (a fingerprint).

    ``day`` is the platform's quota day (YouTube's starts at midnight Pacific time); the UTC
    date when not given.
    """
    day = day or now_utc().date()
    with store.transaction() as cur:
        updated = cur.execute(
            # quota_units stays NULL for platforms that count none; a fetch that counted none
            # (no request sent) leaves the day's count as it was.
            "UPDATE source_usage SET requests = requests + ?, "
            "quota_units = coalesce(quota_units + ?, quota_units, ?) "
            "WHERE platform = ? AND credential = ? AND day = ? RETURNING 1",
            [http.requests, http.quota_units, http.quota_units, platform, credential, day],
        ).fetchall()
        if not updated:
            cur.execute(
                "INSERT INTO source_usage VALUES (?, ?, ?, ?, ?)",
                [platform, credential, day, http.requests, http.quota_units],
            )


def usage_today(store: Store, platform: str, credential: str, day: date | None = None) -> int:
    """Quota units ``credential`` has used through Covey on ``day`` (default: today, UTC)."""
    rows = store.query(
        "SELECT coalesce(sum(quota_units), 0) FROM source_usage WHERE platform = ? AND credential = ? "
        "AND day = ?",
        [platform, credential, day or now_utc().date()],
    )
    return int(rows[0][0])


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


__all__ = ["FetchSession", "FetchSummary", "now_utc", "record_usage", "usage_today"]
