"""The hand-over between readers and the loader.

Every reader (canonical CSV/JSONL/Parquet, Instaloader exports, platform APIs) yields
:class:`RawRow` objects: raw values for one canonical table, keyed by canonical column
name, with where they came from. Values may still be strings as people write them
("304.9K"); the loader parses, validates, sets bad rows aside with their location, and
merges the good ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Location:
    """Where a row came from: a file and, for line-based formats, its 1-based line."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class RawRow:
    """One row for canonical table ``table``: column name -> raw value."""

    table: str
    values: dict[str, Any]
    location: Location
