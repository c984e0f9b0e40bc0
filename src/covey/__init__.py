"""Covey: transparent micro-influencer marketing on your own machine.

The public surface is re-exported here; everything else may change between versions.
"""

from covey.errors import (
    CoveyError,
    InputError,
    MissingDependencyError,
    SourceError,
    StoreError,
    TerminalSourceError,
    TransientSourceError,
    UnknownFormatError,
)
from covey.model import TABLES, Column, Table
from covey.store import DuckDBStore, Store, open_store
from covey.tiers import DEFAULT_TIERS, Tiers

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_TIERS",
    "TABLES",
    "Column",
    "CoveyError",
    "DuckDBStore",
    "InputError",
    "MissingDependencyError",
    "SourceError",
    "Store",
    "StoreError",
    "Table",
    "TerminalSourceError",
    "Tiers",
    "TransientSourceError",
    "UnknownFormatError",
    "__version__",
    "open_store",
]
