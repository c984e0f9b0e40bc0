"""Campaigns: from a saved plan to posts that went live, and what they delivered (issue #12).

The journey, one module each: :mod:`campaign` (settings and booked creators), :mod:`pipeline`
(outreach stages, notes, tasks), :mod:`outreach` (first-contact messages), :mod:`briefs`
(co-created briefs), :mod:`approval` (drafts checked by the compliance checker),
:mod:`tracking` (imported posts matched and re-checked), :mod:`conversions` and :mod:`report`
(plan against actual). Tables are the package's own (``campaign_*``, :mod:`schema`).

Names are loaded on first use: the store imports :mod:`covey.campaigns.schema` whenever it
opens a database, and that must not pull in the compliance checker or the planner.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "Booking": "campaign",
    "Spec": "campaign",
    "add_creator": "campaign",
    "create_campaign": "campaign",
    "list_campaigns": "campaign",
    "move": "pipeline",
    "remove": "pipeline",
    "load_workflow": "pipeline",
    "write_briefs": "briefs",
    "submit": "approval",
    "decide": "approval",
    "track": "tracking",
    "match_post": "tracking",
    "import_conversions": "conversions",
    "build_report": "report",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"covey.campaigns.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'covey.campaigns' has no attribute {name!r}")
