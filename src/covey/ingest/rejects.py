"""Rejected rows: collected during an import, written as one JSONL file at the end.

Each line of the rejects file is ``{"table", "file", "line", "field", "reason", "raw"}``
where ``raw`` is the row as read (an object, or a string for a line that could not be
decoded). The file is written inside the import's transaction under a temporary name and
renamed once the import commits, so a failed import leaves no rejects file behind.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from covey.errors import InputError

log = logging.getLogger("covey.ingest.rejects")

REJECTS_TABLE = "_rejects"
_SCHEMA = pa.schema(
    [
        pa.field("table", pa.string()),
        pa.field("file", pa.string()),
        pa.field("line", pa.int64()),
        pa.field("field", pa.string()),
        pa.field("reason", pa.string()),
        pa.field("raw", pa.string()),
    ]
)
_FLUSH_AT = 10_000


class Rejects:
    """The rejects of one import, kept in a temporary table on the import's connection."""

    def __init__(self, cur: duckdb.DuckDBPyConnection) -> None:
        self.cur = cur
        self._pending: list[tuple[str, str, int | None, str | None, str, str]] = []
        self._unstaged: Counter[str] = Counter()
        cur.execute(
            f"CREATE OR REPLACE TEMP TABLE {REJECTS_TABLE} "
            '("table" VARCHAR, file VARCHAR, line BIGINT, field VARCHAR, reason VARCHAR, raw VARCHAR)'
        )

    def add(self, table: str, file: str, line: int | None, field: str | None, reason: str, raw: str) -> None:
        """Set one row aside; ``raw`` is the row as JSON text."""
        self._pending.append((table, file, line, field, reason, raw))
        self._unstaged[table] += 1
        if len(self._pending) >= _FLUSH_AT:
            self.flush()

    def add_undecodable(self, table: str, file: str, line: int | None, reason: str, data: bytes) -> None:
        """Set aside a line that is not valid UTF-8; its raw value is the line with bad bytes replaced."""
        text = data.decode("utf-8", errors="replace").rstrip("\r\n")
        self.add(table, file, line, None, reason, json.dumps(text, ensure_ascii=False))

    def unstaged(self, table: str) -> int:
        """Rows of ``table`` set aside before staging (unreadable lines, bad field values)."""
        return self._unstaged[table]

    def tables(self) -> set[str]:
        """Tables that had rows set aside before staging."""
        return {t for t, n in self._unstaged.items() if n}

    def flush(self) -> None:
        """Move pending rejects into the temporary table."""
        if not self._pending:
            return
        columns = list(zip(*self._pending, strict=True))
        arrow = pa.Table.from_arrays(
            [pa.array(c, type=f.type) for c, f in zip(columns, _SCHEMA, strict=True)], schema=_SCHEMA
        )
        self.cur.register("_covey_rejects_batch", arrow)
        try:
            self.cur.execute(f"INSERT INTO {REJECTS_TABLE} SELECT * FROM _covey_rejects_batch")
        finally:
            self.cur.unregister("_covey_rejects_batch")
        self._pending.clear()

    def counts(self) -> dict[str, int]:
        """Rejected rows per table."""
        self.flush()
        rows = self.cur.execute(f'SELECT "table", count(*) FROM {REJECTS_TABLE} GROUP BY 1').fetchall()
        return {str(t): int(n) for t, n in rows}

    def write(
        self, directory: Path, started: datetime, import_id: int, table_order: list[str]
    ) -> Path | None:
        """Write the rejects to ``directory`` under a temporary name; returns it (None: no rejects)."""
        self.flush()
        total = self.cur.execute(f"SELECT count(*) FROM {REJECTS_TABLE}").fetchone()
        if not total or not total[0]:
            return None
        name = f"rejects-{started:%Y%m%dT%H%M%S}-{import_id}.jsonl"
        tmp = directory / (name + ".partial")
        order = " ".join(f"WHEN '{t}' THEN {i}" for i, t in enumerate(table_order))
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self.cur.execute(
                f"""COPY (
                    SELECT "table", file, line, field, reason, raw::JSON AS raw FROM {REJECTS_TABLE}
                    ORDER BY CASE "table" {order} ELSE 99 END, file, line NULLS FIRST
                ) TO '{_quote(tmp)}' (FORMAT JSON)"""
            )
        except (OSError, duckdb.Error) as exc:
            # the import is rolled back: its rejects must not be lost silently
            raise InputError(f"cannot write the rejects file: {exc}", path=directory) from exc
        log.info("wrote %d rejects to %s", total[0], directory / name)
        return tmp


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def final_path(tmp: Path | None) -> Path | None:
    """The name the rejects file written under ``tmp`` gets once published."""
    return tmp.with_name(tmp.name.removesuffix(".partial")) if tmp is not None else None


def publish(tmp: Path | None) -> Path | None:
    """Give the rejects file its final name once the import has committed."""
    final = final_path(tmp)
    if tmp is None or final is None:
        return None
    tmp.replace(final)
    return final


def discard(tmp: Path | None) -> None:
    """Remove the temporary rejects file of an import that failed."""
    if tmp is not None:
        tmp.unlink(missing_ok=True)
