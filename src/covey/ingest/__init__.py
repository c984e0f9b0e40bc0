"""Bringing data in: readers turn files into canonical rows; the loader validates and merges."""

from covey.ingest.importer import ImportSummary, import_path
from covey.ingest.loader import TableCounts

__all__ = ["ImportSummary", "TableCounts", "import_path"]
