"""Covey: transparent micro-influencer marketing on your own machine.

The public surface is re-exported here; everything else may change between versions.
Capabilities with heavier imports (Ibis, the embedding model) load on first use, so
``import covey`` stays fast for the command line.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from covey.audience import AudienceModel, ShareEstimate, estimate_share, load_model
    from covey.ingest import ImportSummary, import_path
    from covey.planning.plans import load_plan
    from covey.planning.result import PlanResult
    from covey.planning.session import run_plan
    from covey.scores import latest_vetting, score_store
    from covey.scores.result import VetResult
    from covey.world import WorldConfig, generate

__version__ = "0.1.0"

# Public name -> the module that defines it, imported on first access.
_LAZY: dict[str, str] = {
    "AudienceModel": "covey.audience",
    "ImportSummary": "covey.ingest",
    "PlanResult": "covey.planning.result",
    "ShareEstimate": "covey.audience",
    "VetResult": "covey.scores.result",
    "WorldConfig": "covey.world",
    "estimate_share": "covey.audience",
    "generate": "covey.world",
    "import_path": "covey.ingest",
    "latest_vetting": "covey.scores",
    "load_model": "covey.audience",
    "load_plan": "covey.planning.plans",
    "run_plan": "covey.planning.session",
    "score_store": "covey.scores",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'covey' has no attribute {name!r}")


__all__ = [
    "DEFAULT_TIERS",
    "TABLES",
    "AudienceModel",
    "Column",
    "CoveyError",
    "DuckDBStore",
    "ImportSummary",
    "InputError",
    "MissingDependencyError",
    "PlanResult",
    "ShareEstimate",
    "SourceError",
    "Store",
    "StoreError",
    "Table",
    "TerminalSourceError",
    "Tiers",
    "TransientSourceError",
    "UnknownFormatError",
    "VetResult",
    "WorldConfig",
    "__version__",
    "estimate_share",
    "generate",
    "import_path",
    "latest_vetting",
    "load_model",
    "load_plan",
    "open_store",
    "run_plan",
    "score_store",
]
