"""Readers of the canonical format: CSV, JSONL and Parquet files, one table per file.

CSV and JSONL are read line by line so every row keeps its exact line number; a line that
is not valid UTF-8 or not valid JSON is set aside (rejects), never the whole file. A file
that cannot be read at all, or lacks a required column, raises :class:`InputError`.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from covey.errors import InputError
from covey.ingest.rejects import Rejects
from covey.ingest.rows import Location, RawRow
from covey.model import Table

log = logging.getLogger("covey.ingest.readers")

_SURROGATE = re.compile("[\udc80-\udcff]")
_PARQUET_BATCH = 65_536


def check_columns(table: Table, columns: list[str], path: Path) -> None:
    """Raise if a required column is absent; log the columns Covey will ignore."""
    for col in table.columns:
        if col.required and col.name not in columns:
            raise InputError(
                f"missing required column '{col.name}' of table {table.name}", path=path, field=col.name
            )
    unknown = [c for c in columns if c not in table.column_names]
    if unknown:
        log.warning("%s: ignoring columns Covey does not know: %s", path, ", ".join(unknown))


def _open_error(path: Path, exc: OSError) -> InputError:
    return InputError(f"cannot read the file: {exc.strerror or exc}", path=path)


def read_csv(path: Path, table: Table, rejects: Rejects) -> Iterator[RawRow]:
    """Rows of a CSV file with a header line; values are strings, empty means unknown."""
    try:
        fh = path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")
    except OSError as exc:
        raise _open_error(path, exc) from exc
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise InputError(f"unreadable CSV header: {exc}", path=path, line=1) from exc
        if header is None:
            raise InputError("empty file: no header line", path=path)
        header = [h.strip() for h in header]
        if any(_SURROGATE.search(h) for h in header):
            raise InputError("the header line is not valid UTF-8", path=path, line=1)
        check_columns(table, header, path)
        where = str(path)
        end = reader.line_num
        while True:
            start = end + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                end = reader.line_num
                rejects.add(table.name, where, start, None, f"malformed CSV: {exc}", json.dumps(None))
                continue
            end = reader.line_num
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # blank line
            joined = "\x1f".join(record)
            if _SURROGATE.search(joined):
                data = ",".join(record).encode("utf-8", errors="surrogateescape")
                rejects.add_undecodable(table.name, where, start, "line is not valid UTF-8", data)
                continue
            if len(record) != len(header):
                raw = json.dumps(record, ensure_ascii=False)
                reason = f"row has {len(record)} fields, the header has {len(header)}"
                rejects.add(table.name, where, start, None, reason, raw)
                continue
            values = {h: (v if v != "" else None) for h, v in zip(header, record, strict=True)}
            yield RawRow(table.name, values, Location(where, start))


def read_jsonl(path: Path, table: Table, rejects: Rejects) -> Iterator[RawRow]:
    """Rows of a JSON Lines file: one object per line; blank lines are skipped."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise _open_error(path, exc) from exc
    where = str(path)
    seen: set[str] = set()
    rows = 0
    with fh:
        for number, data in enumerate(fh, start=1):
            if number == 1 and data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            if not data.strip():
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                rejects.add_undecodable(table.name, where, number, "line is not valid UTF-8", data)
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                raw = json.dumps(text.rstrip("\r\n"), ensure_ascii=False)
                rejects.add(
                    table.name, where, number, None, f"invalid JSON: {exc.msg} (column {exc.colno})", raw
                )
                continue
            if not isinstance(obj, dict):
                raw = json.dumps(obj, ensure_ascii=False)
                rejects.add(table.name, where, number, None, "a line must hold one JSON object", raw)
                continue
            seen.update(obj)
            rows += 1
            yield RawRow(table.name, obj, Location(where, number))
    if rows:
        check_columns(table, sorted(seen), path)


def parquet_schema(path: Path) -> pq.ParquetSchema:
    """The Arrow schema of a Parquet file, or a clear error if it is not one."""
    try:
        return pq.read_schema(path)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"not a readable Parquet file: {exc}", path=path) from exc


def read_parquet_rows(path: Path, table: Table) -> Iterator[RawRow]:
    """Rows of a Parquet file whose columns need parsing (e.g. counts stored as text).

    The location's line is the 1-based row number in the file.
    """
    pf = pq.ParquetFile(path)
    columns = [c for c in pf.schema_arrow.names if c in table.column_names]
    where = str(path)
    number = 0
    for batch in pf.iter_batches(batch_size=_PARQUET_BATCH, columns=columns):
        for values in batch.to_pylist():
            number += 1
            yield RawRow(table.name, values, Location(where, number))
