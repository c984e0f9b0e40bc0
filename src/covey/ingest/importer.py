"""``import_path``: read a file or folder, validate, and merge it in one transaction.

The whole import is one transaction: either every good row is in the database and the
import is recorded in ``imports``, or nothing changed. Re-importing the same data changes
nothing (0 inserted); newer values update rows; new snapshot times add snapshots.

``after_merge`` (tests only) is called with each table's name right after it is merged,
inside the open transaction: the atomicity test passes one that ends the process there, and
the Ctrl-C test's subprocess passes one that waits there. Nothing in the import path reads the
environment for test hooks.
"""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from covey.ingest import readers
from covey.ingest.dates import DateRule, parse_rule
from covey.ingest.detect import Source, find_sources
from covey.ingest.instaloader import read_folder
from covey.ingest.loader import Loader, TableCounts
from covey.ingest.rejects import Rejects, discard, final_path, publish
from covey.ingest.rows import RawRow
from covey.ingest.staging import Stager, parquet_is_fast
from covey.model import TABLES, TABLES_BY_NAME
from covey.store import Store

log = logging.getLogger("covey.ingest.importer")

ProgressCallback = Callable[[str, int, int], None]
"""``progress(description, completed, total)``: called as an import advances."""

# Caps for the import's duration: DuckDB spills to disk beyond it rather than growing. Callers
# pass ``Settings.import_memory_limit``; this is that setting's default.
MEMORY_LIMIT = "5GB"


@dataclass
class ImportSummary:
    """What one import did: counts per table, where the rejects went."""

    import_id: int
    source: str
    format: str
    tables: dict[str, TableCounts]
    rejects_path: Path | None
    started_at: datetime
    finished_at: datetime
    notes: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        """Rejected rows over every table."""
        return sum(c.rejected for c in self.tables.values())

    @property
    def loaded(self) -> int:
        """Good rows over every table: inserted, updated or already there unchanged."""
        return sum(c.inserted + c.updated + c.unchanged for c in self.tables.values())

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output and the ``imports`` table."""
        return {
            "import_id": self.import_id,
            "source": self.source,
            "format": self.format,
            "tables": {name: c.to_dict() for name, c in self.tables.items()},
            "loaded": self.loaded,
            "rejected": self.rejected,
            "notes": self.notes,
            "rejects_path": str(self.rejects_path) if self.rejects_path else None,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
        }


def _default_rejects_dir(store: Store) -> Path:
    base = store.path.parent if store.path is not None else Path.cwd()
    return base / "covey-rejects"


def _stage_source(
    stager: Stager,
    source: Source,
    rejects: Rejects,
    report: Callable[[str, int], None],
    options: readers.TextOptions,
    notes: list[str],
) -> str:
    """Stage one source; returns the format actually used (for the summary)."""
    if source.format == "instaloader":
        by_table: dict[str, list[RawRow]] = defaultdict(list)
        for row in read_folder(source.path, rejects):
            by_table[row.table].append(row)
        for table in TABLES:
            if by_table.get(table.name):
                stager.stage_rows(table, by_table[table.name])
        return "instaloader"
    assert source.table is not None
    table = TABLES_BY_NAME[source.table]
    stager.note_file(table)

    def tick(n: int) -> None:
        report(f"{source.path.name}", n)

    if source.format == "csv":
        csv_file = readers.open_csv(source.path, table, options)
        notes.extend(f"{source.path.name}: {note}" for note in csv_file.notes)
        stager.stage_rows(table, csv_file.rows(rejects), tick, csv_file.dates)
    elif source.format == "jsonl":
        stager.stage_rows(table, readers.read_jsonl(source.path, table, rejects), tick, options.dates)
    else:
        schema = readers.parquet_schema(source.path)
        readers.check_columns(table, list(schema.names), source.path, list(schema.names))
        if parquet_is_fast(table, schema, source.path):
            stager.stage_parquet(table, source.path, schema)
        else:
            log.info("%s: columns need parsing; reading row by row", source.path)
            rows = readers.read_parquet_rows(source.path, table)
            stager.stage_rows(table, rows, tick, options.dates)
    return source.format


def import_path(
    store: Store,
    path: Path | str,
    *,
    fmt: str = "auto",
    table: str | None = None,
    rejects_dir: Path | str | None = None,
    progress: ProgressCallback | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    date_format: str | DateRule | None = None,
    memory_limit: str = MEMORY_LIMIT,
    after_merge: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Import a canonical file or folder, or an Instaloader export, into ``store``.

    ``encoding`` and ``delimiter`` (CSV) are detected when None; ``date_format`` is
    ``"auto"``/None (each CSV decides day-first or month-first from its first rows),
    ``"dmy"``, ``"mdy"`` or a ``strptime`` pattern. What was detected is in the summary's
    ``notes``. Raises :class:`covey.errors.InputError` (naming file and column) when the
    input cannot be read at all; bad rows are set aside in a rejects file instead.
    ``memory_limit`` caps DuckDB's memory during the import (``Settings.import_memory_limit``);
    ``after_merge`` is a test hook called with each table's name inside the open transaction.
    """
    path = Path(path)
    dates = date_format if isinstance(date_format, DateRule) else parse_rule(date_format)
    options = readers.TextOptions(encoding=encoding, delimiter=delimiter, dates=dates)
    notes: list[str] = []
    sources = find_sources(path, fmt, table)
    started = datetime.now(UTC).replace(tzinfo=None)
    out_dir = Path(rejects_dir) if rejects_dir is not None else _default_rejects_dir(store)
    steps = len(sources) + len(TABLES) + 1
    step = 0

    def report(description: str, rows: int = 0) -> None:
        if progress:
            progress(f"{description} ({rows:,} rows)" if rows else description, step, steps)

    tmp: Path | None = None
    formats: set[str] = set()
    try:
        with store.bounded(memory_limit), store.transaction() as cur:
            import_id = _next_import_id(cur)
            rejects = Rejects(cur)
            stager = Stager(cur, rejects)
            loader = Loader(cur, started)
            for source in sources:
                report(f"reading {source.path.name}")
                formats.add(_stage_source(stager, source, rejects, report, options, notes))
                step += 1
            counts: dict[str, TableCounts] = {}
            staged = stager.staged_tables() | rejects.tables()
            for t in TABLES:
                if t.name in staged:
                    report(f"checking and merging {t.name}")
                    began = time.perf_counter()
                    stager.finish(t)
                    loader.load(t, counts, stager.staged_count(t.name))
                    stager.drop(t)
                    log.info("%s checked and merged in %.1f s", t.name, time.perf_counter() - began)
                    if after_merge is not None:
                        after_merge(t.name)  # test-only: e.g. die inside the open transaction
                step += 1
            _fill_read_and_rejected(counts, stager, rejects)
            report("writing rejects")
            tmp = rejects.write(out_dir, started, import_id, [t.name for t in TABLES])
            summary = ImportSummary(
                import_id=import_id,
                source=str(path),
                format="+".join(sorted(formats)),
                tables={t.name: counts[t.name] for t in TABLES if t.name in counts},
                rejects_path=final_path(tmp),  # its name once published, after the commit
                started_at=started,
                finished_at=datetime.now(UTC).replace(tzinfo=None),
                notes=notes,
            )
            cur.execute(
                "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?)",
                [
                    import_id,
                    started,
                    summary.finished_at,
                    summary.source,
                    summary.format,
                    json.dumps(summary.to_dict()),
                ],
            )
    except BaseException:
        discard(tmp)
        raise
    publish(tmp)
    step = steps
    report("done")
    log.info("import %d of %s: %s", import_id, path, summary.to_dict())
    return summary


def _next_import_id(cur: duckdb.DuckDBPyConnection) -> int:
    row = cur.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchone()
    return int(row[0]) if row else 1


def _fill_read_and_rejected(counts: dict[str, TableCounts], stager: Stager, rejects: Rejects) -> None:
    rejected = rejects.counts()
    for name, c in counts.items():
        staged = stager.staged_count(name)
        c.read = staged + rejects.unstaged(name)
        c.rejected = rejected.get(name, 0)


__all__ = ["ImportSummary", "ProgressCallback", "import_path"]
