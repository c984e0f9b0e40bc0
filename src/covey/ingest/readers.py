"""Readers of the canonical format: CSV, JSONL and Parquet files, one table per file.

CSV and JSONL are read line by line so every row keeps its exact line number; a line that
is not valid in the file's encoding or not valid JSON is set aside (rejects), never the
whole file. A CSV's encoding, delimiter and date order are detected
(``covey.ingest.textfile``, ``covey.ingest.dates``) unless given, and header names such as
"Followers" or "like_count" are read as their canonical column (``covey.ingest.aliases``).
A file that cannot be read at all, or lacks required columns (all are named at once),
raises :class:`InputError`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from covey.errors import InputError
from covey.ingest.aliases import map_header, rename_keys
from covey.ingest.dates import DateRule, guess_order, order_note
from covey.ingest.rejects import Rejects
from covey.ingest.rows import Location, RawRow
from covey.ingest.textfile import TextFormat, head_rows, one_column_hint, read_records, text_format
from covey.model import Table

log = logging.getLogger("covey.ingest.readers")

_SURROGATE = re.compile("[\udc80-\udcff]")
_PARQUET_BATCH = 65_536


def check_columns(
    table: Table, columns: Iterable[str], path: Path, header: list[str] | None = None, hint: str = ""
) -> None:
    """Raise naming every required column that is absent; log the columns Covey will ignore."""
    present = set(columns)
    missing = [c.name for c in table.columns if c.required and c.name not in present]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        plural = "s" if len(missing) > 1 else ""
        has = f" (the file has: {', '.join(header) or 'no columns'})" if header is not None else ""
        raise InputError(
            f"missing required column{plural} {names} of table {table.name}{has}{hint}",
            path=path,
            field=", ".join(missing),
        )
    unknown = sorted(present - set(table.column_names))
    if unknown:
        log.warning("%s: ignoring columns Covey does not know: %s", path, ", ".join(unknown))


def _open_error(path: Path, exc: OSError) -> InputError:
    return InputError(f"cannot read the file: {exc.strerror or exc}", path=path)


@dataclass(frozen=True)
class TextOptions:
    """What the user said about a text file; None means "detect it"."""

    encoding: str | None = None
    delimiter: str | None = None
    dates: DateRule | None = None


@dataclass
class CsvFile:
    """A CSV file whose encoding, delimiter, header and date order are known; :meth:`rows` reads it."""

    path: Path
    table: Table
    text: TextFormat
    header: list[str]
    columns: list[str | None]
    dates: DateRule
    notes: list[str] = field(default_factory=list)

    def rows(self, rejects: Rejects) -> Iterator[RawRow]:
        """Rows with canonical column names; values are strings, empty means unknown."""
        path, table = self.path, self.table
        where = str(path)
        keep = [(i, c) for i, c in enumerate(self.columns) if c is not None]
        try:
            records = read_records(path, self.text, len(self.header))
            for record in records:
                if record.problem is not None:
                    raw = json.dumps(record.fields or None, ensure_ascii=False)
                    rejects.add(table.name, where, record.line, None, record.problem, raw)
                    continue
                cells = record.fields
                values = {c: (cells[i] if cells[i] != "" else None) for i, c in keep}
                yield RawRow(table.name, values, Location(where, record.line))
        except OSError as exc:
            raise _open_error(path, exc) from exc


def _date_columns(table: Table) -> set[str]:
    return {c.name for c in table.columns if c.type in ("timestamp", "date")}


def open_csv(path: Path, table: Table, options: TextOptions = TextOptions()) -> CsvFile:
    """Detect how a CSV file is written and read its header; raises InputError when it cannot be used."""
    text = text_format(path, options.encoding, options.delimiter)
    head = head_rows(path, text)
    if not head:
        raise InputError("empty file: no header line", path=path)
    header = [h.strip() for h in head[0]]
    if any(_SURROGATE.search(h) for h in header):
        raise InputError(f"the header line is not valid {text.label}", path=path, line=1 + text.skip_lines)
    mapped = map_header(table.name, header)
    hint = one_column_hint(header, text, options.delimiter)
    check_columns(table, mapped.present, path, header, hint)
    notes = list(text.notes)
    if mapped.renamed:
        notes.append("columns read as " + ", ".join(f"{k!r} → {v}" for k, v in mapped.renamed.items()))
    if note := mapped.duplicates_note():
        notes.append(note)
    if mapped.ignored:
        ignored = ", ".join(repr(h) for h in mapped.ignored)
        notes.append(f"columns ignored (not columns of {table.name}, see docs/data-format.md): {ignored}")
    dates = options.dates
    if dates is None:
        wanted = [i for i, c in enumerate(mapped.columns) if c in _date_columns(table)]
        values = (row[i] for row in head[1:] for i in wanted if i < len(row))
        dates, ambiguous = guess_order(values)
        if note := order_note(dates, ambiguous):
            notes.append(note)
    return CsvFile(path, table, text, header, mapped.columns, dates, notes)


def read_csv(
    path: Path, table: Table, rejects: Rejects, options: TextOptions = TextOptions()
) -> Iterator[RawRow]:
    """Rows of a CSV file with a header line (see :func:`open_csv`)."""
    return open_csv(path, table, options).rows(rejects)


def read_jsonl(path: Path, table: Table, rejects: Rejects) -> Iterator[RawRow]:
    """Rows of a JSON Lines file: one object per line; blank lines are skipped."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise _open_error(path, exc) from exc
    where = str(path)
    seen: set[str] = set()
    canonical = set(table.column_names)
    renames: dict[frozenset[str], dict[str, str]] = {}
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
            extra = obj.keys() - canonical
            if extra:
                key = frozenset(extra)
                if key not in renames:
                    renames[key] = rename_keys(table.name, sorted(extra))
                if renames[key]:  # a canonical key in the same object wins over its alias
                    names = renames[key]
                    aliased = {names[k]: v for k, v in obj.items() if k in names}
                    obj = {**aliased, **{k: v for k, v in obj.items() if k not in names}}
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
