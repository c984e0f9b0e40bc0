"""Uploads on a campaign's tracking page: conversions and creators' insights CSVs.

The file is kept beside the workspace's database under its own name and handed to the library
(:mod:`covey.campaigns.conversions`, :mod:`covey.campaigns.insights`), which checks it whole
before storing anything. An error names the file as the user sent it, never the server's path.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from covey.errors import InputError
from covey.web.campaign_services import require_campaign
from covey.web.deps import WorkspaceAccess


def _upload(w: WorkspaceAccess, campaign_id: int, filename: str, body: BinaryIO, what: str) -> Path:
    """Keep an uploaded CSV beside the workspace's database under the file's own name, so
    uploading the same file again replaces its earlier import (the library keys imports by path)."""
    require_campaign(w, campaign_id)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", Path(filename or f"{what}.csv").name)
    if not name.lower().endswith(".csv"):
        raise InputError(f"the {what} file must be a CSV", field="file")
    folder = (w.store.path.parent if w.store.path else Path(tempfile.gettempdir())) / "campaign-uploads"
    # Conversions stay where they always were (a re-upload must replace, not add); insights apart.
    folder = folder / str(campaign_id) if what == "conversions" else folder / str(campaign_id) / what
    folder.mkdir(parents=True, exist_ok=True)
    data = body.read(20 << 20)
    if body.read(1):
        raise InputError(f"the {what} file is larger than 20 MB", field="file")
    path = folder / name
    path.write_bytes(data)
    return path


def import_conversions(w: WorkspaceAccess, campaign_id: int, filename: str, body: BinaryIO) -> dict[str, Any]:
    """Store an uploaded conversions CSV (checked whole first; a bad row stops it)."""
    from covey.campaigns.conversions import import_conversions as run

    path = _upload(w, campaign_id, filename, body, "conversions")
    with _as_uploaded(path):
        return dict(run(w.store, campaign_id, path, actor=w.principal.user.email))


def import_insights(w: WorkspaceAccess, campaign_id: int, filename: str, body: BinaryIO) -> dict[str, Any]:
    """Store an uploaded CSV of creator-reported post insights (checked whole first)."""
    from covey.campaigns.insights import import_insights as run

    path = _upload(w, campaign_id, filename, body, "insights")
    with _as_uploaded(path):
        return dict(run(w.store, campaign_id, path, actor=w.principal.user.email))


@contextmanager
def _as_uploaded(path: Path) -> Iterator[None]:
    """An error in an uploaded file names it as the user sent it, not by where the server keeps it."""
    try:
        yield
    except InputError as exc:
        if exc.path != str(path):
            raise
        raise InputError(exc.reason, path=path.name, line=exc.line, field=exc.field) from None
