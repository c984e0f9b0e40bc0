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
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from covey.countries import country_code
from covey.errors import InputError
from covey.ingest.dates import DateRule
from covey.ingest.rejects import Rejects
from covey.ingest.rows import RawRow
from covey.ingest.validate import COUNTRY_COLUMNS, FieldError, column_parser
from covey.model import ARROW_TYPES, SQL_TYPES, ColumnType, Table

log = logging.getLogger("covey.ingest.staging")

BATCH_ROWS = 50_000


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


def parquet_is_fast(table: Table, schema: pa.Schema, path: Path | None = None) -> bool:
    """True when every canonical column present in ``schema`` already has a canonical type.

    With ``path``, a country column must also hold ISO alpha-2 codes only (else the rows are
    read one by one, where "UK" becomes GB and an unknown country is a located reject).
    """
    for col in table.columns:
        idx = schema.get_field_index(col.name)
        if idx >= 0 and not _fast_type_ok(col.type, schema.field(idx).type):
            return False
    if path is not None:
        for tname, col_name in COUNTRY_COLUMNS:
            present = tname == table.name and schema.get_field_index(col_name) >= 0
            if present and not _codes_only(path, col_name):
                return False
    return True


def _codes_only(path: Path, column: str) -> bool:
    """Whether every distinct value of a Parquet text column is already an ISO alpha-2 code."""
    try:
        # ParquetFile.read, not read_table: the latter imports pyarrow.dataset (over a second)
        values = pq.ParquetFile(path).read(columns=[column]).column(column).unique().to_pylist()
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"cannot read the Parquet file: {exc}", path=path) from exc
    codes = _alpha2()
    # Most files hold codes only: a set lookup, without building every spelling of every country.
    return all(v is None or v in codes or country_code(v) == v for v in values)


@cache
def _alpha2() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


class Stager:
    """Fills the staging of one import, inside the import's transaction.

    Line-based rows go into a temporary table ``_rows_<table>``; a fast-path Parquet file
    is not copied at all: ``_stage_<table>`` is a view over the union of both, built by
    :meth:`finish` once every source has been read.
    """

    def __init__(self, cur: duckdb.DuckDBPyConnection, rejects: Rejects) -> None:
        self.cur = cur
        self.rejects = rejects
        self.read: dict[str, int] = {}  # rows handed to the stager per table (for _ord)
        self.staged: dict[str, int] = {}  # rows that reached the staging per table
        self._parts: dict[str, list[str]] = {}

    def _ensure(self, table: Table) -> None:
        if table.name not in self._parts:
            self._parts[table.name] = []
            self.read[table.name] = 0
            self.staged[table.name] = 0

    def _rows_table(self, table: Table) -> str:
        name = f"_rows_{table.name}"
        select = f"SELECT * FROM {name}"
        if select not in self._parts[table.name]:
            cols = [f'"{c.name}" {SQL_TYPES[c.type]}' for c in table.columns]
            cols += ["_file VARCHAR", "_line BIGINT", "_ord BIGINT", "_raw VARCHAR"]
            self.cur.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({', '.join(cols)})")
            self._parts[table.name].append(select)
        return name

    def staged_tables(self) -> set[str]:
        """Names of the canonical tables that received rows (or at least a file)."""
        return set(self._parts)

    def stage_rows(
        self,
        table: Table,
        rows: Iterable[RawRow],
        progress: Progress | None = None,
        dates: DateRule | None = None,
    ) -> int:
        """Parse raw rows field by field; bad ones go to the rejects, good ones are staged.

        ``dates`` says how dates that are not ISO 8601 are read (default: day-first).
        """
        self._ensure(table)
        name = self._rows_table(table)
        parsers = [(c.name, column_parser(table, c, dates)) for c in table.columns]
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
                    value = row.values.get(col)
                    parsed.append(None if value is None else parse(value))  # None is unknown everywhere
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
                self._flush(name, schema, batch, table.name)
                if progress:
                    progress(count)
        self._flush(name, schema, batch, table.name)
        if progress:
            progress(count)
        self.read[table.name] += count
        return count

    def _flush(self, name: str, schema: pa.Schema, batch: dict[str, list[Any]], table_name: str) -> None:
        if not batch["_ord"]:
            return
        arrow = pa.Table.from_pydict(batch, schema=schema)
        self.cur.register("_covey_batch", arrow)
        try:
            self.cur.execute(f"INSERT INTO {name} SELECT * FROM _covey_batch")
        finally:
            self.cur.unregister("_covey_batch")
        self.staged[table_name] += len(batch["_ord"])
        for values in batch.values():
            values.clear()

    def stage_parquet(self, table: Table, path: Path, schema: pa.Schema) -> int:
        """Stage a Parquet file with canonical column types: DuckDB reads it in place, no copy."""
        self._ensure(table)
        present = set(schema.names)
        exprs: list[str] = []
        for col in table.columns:
            sql_type = SQL_TYPES[col.type]
            if col.name not in present:
                exprs.append(f'NULL::{sql_type} AS "{col.name}"')
            elif col.type == "timestamp" and schema.field(col.name).type.tz is not None:
                # aware -> naive UTC, whatever the session's time zone
                exprs.append(f'timezone(\'UTC\', "{col.name}") AS "{col.name}"')
            else:
                exprs.append(f'CAST("{col.name}" AS {sql_type}) AS "{col.name}"')
        try:
            count = int(pq.ParquetFile(path).metadata.num_rows)
        except (OSError, pa.ArrowException) as exc:
            raise InputError(f"cannot read the Parquet file: {exc}", path=path) from exc
        base = self.read[table.name]
        where = _literal(str(path))
        self._parts[table.name].append(
            f"SELECT {', '.join(exprs)}, {where} AS _file, file_row_number + 1 AS _line, "
            f"{base} + file_row_number + 1 AS _ord, NULL::VARCHAR AS _raw "
            f"FROM read_parquet({where}, file_row_number = true)"
        )
        self.read[table.name] += count
        self.staged[table.name] += count
        log.info("staged %d rows of %s from %s (fast path: read in place)", count, table.name, path)
        return count

    def finish(self, table: Table) -> str:
        """Create the staging view of ``table`` over every part; returns its name."""
        self._ensure(table)
        if not self._parts[table.name]:
            self._rows_table(table)  # no rows at all: an empty table keeps the SQL uniform
        name = stage_name(table)
        union = " UNION ALL ".join(self._parts[table.name])
        try:
            self.cur.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {union}")
        except duckdb.Error as exc:
            raise InputError(f"cannot read the staged files of {table.name}: {exc}") from exc
        return name

    def drop(self, table: Table) -> None:
        """Free the staging of ``table`` once it is merged."""
        self.cur.execute(f"DROP VIEW IF EXISTS {stage_name(table)}")
        self.cur.execute(f"DROP TABLE IF EXISTS _rows_{table.name}")

    def staged_count(self, table_name: str) -> int:
        """Rows of ``table_name`` that reached the staging (0 when it has none)."""
        return self.staged.get(table_name, 0)

    def note_file(self, table: Table) -> None:
        """Record that ``table`` takes part in the import even if its file had no rows."""
        self._ensure(table)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
