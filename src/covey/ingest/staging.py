"""Staging: rows of one import land in temporary tables before anything touches the real ones.

Every source ends up in ``_stage_<table>``: the canonical columns plus where each row came
from (``_file``, ``_line``), its order in the import (``_ord``: the first of two duplicates
is the one kept) and, for line-based sources, the raw row as JSON (``_raw``) for the rejects
file. Line-based readers go through Python (:meth:`Stager.stage_rows`, batched into Arrow);
Parquet files whose columns already have canonical types are read by DuckDB directly
(:meth:`Stager.stage_parquet`), with no per-row Python.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from covey.ingest.rejects import Rejects
from covey.ingest.rows import RawRow
from covey.ingest.validate import FieldError, column_parser
from covey.model import SQL_TYPES, ColumnType, Table

log = logging.getLogger("covey.ingest.staging")

BATCH_ROWS = 50_000

ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    "text": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("us"),
    "date": pa.date32(),
    "text[]": pa.list_(pa.string()),
}

Progress = Callable[[int], None]


def stage_name(table: Table) -> str:
    """Name of the temporary staging table of ``table``."""
    return f"_stage_{table.name}"


def arrow_schema(table: Table) -> pa.Schema:
    """The Arrow schema of a staged batch: canonical columns, then location columns."""
    fields = [pa.field(c.name, ARROW_TYPES[c.type]) for c in table.columns]
    fields += [
        pa.field("_file", pa.string()),
        pa.field("_line", pa.int64()),
        pa.field("_ord", pa.int64()),
        pa.field("_raw", pa.string()),
    ]
    return pa.schema(fields)


def _fast_type_ok(canonical: ColumnType, t: pa.DataType) -> bool:
    """Whether DuckDB can take a Parquet column of type ``t`` into ``canonical`` without parsing."""
    if canonical == "text":
        return bool(pa.types.is_string(t) or pa.types.is_large_string(t))
    if canonical == "int":
        return bool(pa.types.is_integer(t))
    if canonical == "float":
        return bool(pa.types.is_floating(t) or pa.types.is_integer(t))
    if canonical == "bool":
        return bool(pa.types.is_boolean(t))
    if canonical == "timestamp":
        return bool(pa.types.is_timestamp(t))
    if canonical == "date":
        return bool(pa.types.is_date(t))
    return bool(
        (pa.types.is_list(t) or pa.types.is_large_list(t))
        and (pa.types.is_string(t.value_type) or pa.types.is_large_string(t.value_type))
    )


def parquet_is_fast(table: Table, schema: pa.Schema) -> bool:
    """True when every canonical column present in ``schema`` already has a canonical type."""
    for col in table.columns:
        idx = schema.get_field_index(col.name)
        if idx >= 0 and not _fast_type_ok(col.type, schema.field(idx).type):
            return False
    return True


class Stager:
    """Fills the staging tables of one import, inside the import's transaction."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, rejects: Rejects) -> None:
        self.cur = cur
        self.rejects = rejects
        self.read: dict[str, int] = {}
        self._created: set[str] = set()

    def _ensure(self, table: Table) -> str:
        name = stage_name(table)
        if name not in self._created:
            cols = [f'"{c.name}" {SQL_TYPES[c.type]}' for c in table.columns]
            cols += ["_file VARCHAR", "_line BIGINT", "_ord BIGINT", "_raw VARCHAR"]
            self.cur.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({', '.join(cols)})")
            self._created.add(name)
            self.read[table.name] = 0
        return name

    def staged_tables(self) -> set[str]:
        """Names of the canonical tables that received rows (or at least a file)."""
        return set(self.read)

    def stage_rows(self, table: Table, rows: Iterable[RawRow], progress: Progress | None = None) -> int:
        """Parse raw rows field by field; bad ones go to the rejects, good ones are staged."""
        name = self._ensure(table)
        parsers = [(c.name, column_parser(table, c)) for c in table.columns]
        schema = arrow_schema(table)
        batch: dict[str, list[Any]] = {f.name: [] for f in schema}
        count = 0
        for row in rows:
            count += 1
            raw = json.dumps(row.values, default=str, ensure_ascii=False)
            parsed: list[Any] = []
            try:
                for col, parse in parsers:
                    field = col
                    parsed.append(parse(row.values.get(col)))
            except FieldError as exc:
                self.rejects.add(table.name, row.location.path, row.location.line, field, str(exc), raw)
                continue
            for (col, _), value in zip(parsers, parsed, strict=True):
                batch[col].append(value)
            batch["_file"].append(row.location.path)
            batch["_line"].append(row.location.line)
            batch["_ord"].append(self.read[table.name] + count)
            batch["_raw"].append(raw)
            if len(batch["_ord"]) >= BATCH_ROWS:
                self._flush(name, schema, batch)
                if progress:
                    progress(count)
        self._flush(name, schema, batch)
        if progress:
            progress(count)
        self.read[table.name] += count
        return count

    def _flush(self, name: str, schema: pa.Schema, batch: dict[str, list[Any]]) -> None:
        if not batch["_ord"]:
            return
        arrow = pa.Table.from_pydict(batch, schema=schema)
        self.cur.register("_covey_batch", arrow)
        try:
            self.cur.execute(f"INSERT INTO {name} SELECT * FROM _covey_batch")
        finally:
            self.cur.unregister("_covey_batch")
        for values in batch.values():
            values.clear()

    def stage_parquet(self, table: Table, path: Path, schema: pa.Schema) -> int:
        """Stage a Parquet file with canonical column types straight through DuckDB."""
        name = self._ensure(table)
        present = set(schema.names)
        exprs: list[str] = []
        for col in table.columns:
            sql_type = SQL_TYPES[col.type]
            if col.name not in present:
                exprs.append(f"NULL::{sql_type}")
            elif col.type == "timestamp" and schema.field(col.name).type.tz is not None:
                exprs.append(
                    f"timezone('UTC', \"{col.name}\")"
                )  # aware -> naive UTC, whatever the session zone
            else:
                exprs.append(f'CAST("{col.name}" AS {sql_type})')
        base = self.read[table.name]
        sql = (
            f"INSERT INTO {name} SELECT {', '.join(exprs)}, ? AS _file, file_row_number + 1 AS _line, "
            f"? + file_row_number + 1 AS _ord, NULL AS _raw "
            f"FROM read_parquet(?, file_row_number = true)"
        )
        self.cur.execute(sql, [str(path), base, str(path)])
        count = pq.ParquetFile(path).metadata.num_rows
        self.read[table.name] += count
        log.info("staged %d rows of %s from %s (fast path)", count, table.name, path)
        return int(count)

    def staged_count(self, table_name: str) -> int:
        """Rows of ``table_name`` in its staging table (0 when it has none)."""
        if f"_stage_{table_name}" not in self._created:
            return 0
        row = self.cur.execute(f"SELECT count(*) FROM _stage_{table_name}").fetchone()
        return int(row[0]) if row else 0

    def note_file(self, table: Table) -> None:
        """Record that ``table`` takes part in the import even if its file had no rows."""
        self._ensure(table)
