"""Parquet output: canonical schemas from covey.model, truth schemas, chunked writers."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from covey.model import ARROW_TYPES, TABLES_BY_NAME

TRUTH_SCHEMAS: dict[str, pa.Schema] = {
    "people": pa.schema(
        [("person_id", pa.string()), ("country", pa.string()), ("language", pa.string()),
         ("interests", pa.list_(pa.string()))]
    ),
    "audience_members": pa.schema([("account_id", pa.string()), ("person_id", pa.string())]),
    "accounts": pa.schema(
        [("account_id", pa.string()), ("creator_id", pa.string()), ("platform", pa.string()),
         ("niche", pa.string()), ("country", pa.string()), ("language", pa.string()), ("tier", pa.string()),
         ("followers", pa.int64()), ("real_followers", pa.int64()), ("fake_followers", pa.int64()),
         ("fake_share", pa.float64()), ("reach_rate", pa.float64()), ("style", pa.string()),
         ("lived_experience", pa.bool_()), ("pod_id", pa.string()), ("bought_growth", pa.bool_()),
         ("irregular", pa.bool_()), ("topic_drift", pa.bool_()), ("undisclosed_sponsored_posts", pa.int64()),
         ("health_claim_posts", pa.int64()), ("prescription_posts", pa.int64()),
         ("planted_problem", pa.bool_())]
    ),
    "growth_events": pa.schema(
        [("account_id", pa.string()), ("at", pa.timestamp("us")), ("followers_added", pa.int64()),
         ("kind", pa.string())]
    ),
    "pods": pa.schema([("pod_id", pa.string()), ("account_id", pa.string())]),
    "compliance": pa.schema(
        [("post_id", pa.string()), ("account_id", pa.string()), ("problem", pa.string()),
         ("detail", pa.string())]
    ),
    "data_profiles": pa.schema([("account_id", pa.string()), ("shape", pa.string())]),
    "audience_labels": pa.schema(
        [("account_id", pa.string()), ("member_id", pa.string()), ("relation", pa.string()),
         ("is_fake", pa.bool_())]
    ),
}  # fmt: skip


DICTIONARY_COLUMNS = frozenset(
    {"account_id", "relation", "kind", "problem", "detail", "sampled_at", "country", "language", "platform"}
)


def canonical_schema(table: str) -> pa.Schema:
    """The Arrow schema of a canonical table, column for column as in covey.model."""
    return pa.schema([(c.name, ARROW_TYPES[c.type]) for c in TABLES_BY_NAME[table].columns])


class TableWriter:
    """Writes one Parquet file a batch at a time; each batch becomes one or more row groups."""

    def __init__(self, path: Path, schema: pa.Schema, row_group_size: int = 1_000_000) -> None:
        self.path = path
        self.schema = schema
        self.rows = 0
        self._row_group_size = row_group_size
        # Dictionaries only where values repeat; ids would overflow them and waste the attempt.
        dictionary = [name for name in schema.names if name in DICTIONARY_COLUMNS]
        self._writer = pq.ParquetWriter(
            path, schema, compression="zstd", compression_level=1, use_dictionary=dictionary
        )

    def write(self, columns: dict[str, Any]) -> None:
        """Write a batch given as {column: array}; every schema column must be present."""
        table = pa.table({f.name: columns[f.name] for f in self.schema}, schema=self.schema)
        self._writer.write_table(table, row_group_size=self._row_group_size)
        self.rows += table.num_rows

    def close(self) -> None:
        """Finish the file (writes the footer)."""
        self._writer.close()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
