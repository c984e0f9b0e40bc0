"""The briefs tab: every stored brief version, one version shown, or as a file to send."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from pydantic import BaseModel

from covey.errors import InputError
from covey.web.campaign_services._lookup import require_campaign
from covey.web.deps import WorkspaceAccess


class BriefsView(BaseModel):
    """Every stored brief version; the newest of each brief first."""

    campaign_id: int
    versions: list[dict[str, Any]]


class BriefView(BaseModel):
    """One brief version: its sections (shown as HTML) and the Markdown it was stored as."""

    campaign_id: int
    account_id: str
    version: int
    created_at: str
    actor: str | None
    title: str
    sections: list[tuple[str, list[str]]]
    markdown: str
    versions: list[int]


def briefs(w: WorkspaceAccess, campaign_id: int) -> BriefsView:
    """Every brief version of the campaign."""
    from covey.campaigns.briefs import brief_versions

    require_campaign(w, campaign_id)
    rows = brief_versions(w.store, campaign_id)
    for r in rows:
        r["created_at"] = str(r["created_at"])
    return BriefsView(campaign_id=campaign_id, versions=rows)


def write_briefs(w: WorkspaceAccess, campaign_id: int) -> int:
    """A new version of every brief; returns how many were written."""
    from covey.campaigns.briefs import write_briefs as write

    require_campaign(w, campaign_id)
    return len(write(w.store, campaign_id, actor=w.principal.user.email))


def _stored_brief(
    w: WorkspaceAccess, campaign_id: int, account_id: str, version: int | None
) -> dict[str, Any]:
    """The stored brief version (the newest unless asked); 404 when the workspace has no such campaign
    or the campaign no such brief."""
    from covey.campaigns.briefs import get_brief

    require_campaign(w, campaign_id)
    try:
        return get_brief(w.store, campaign_id, account_id, version)
    except InputError as exc:
        raise HTTPException(404, str(exc)) from exc


def brief(w: WorkspaceAccess, campaign_id: int, account_id: str, version: int | None) -> BriefView:
    """One stored brief version (the newest unless asked); 404 when there is none."""
    from covey.campaigns.briefs import sections_from_markdown

    b = _stored_brief(w, campaign_id, account_id, version)
    title, sections = sections_from_markdown(b["markdown"])
    versions = [
        int(r[0])
        for r in w.store.query(
            "SELECT version FROM campaign_briefs WHERE campaign_id = ? AND account_id = ? ORDER BY 1 DESC",
            [campaign_id, account_id],
        )
    ]
    return BriefView(
        campaign_id=campaign_id,
        account_id=account_id,
        version=int(b["version"]),
        created_at=b["created_at"],
        actor=b["actor"],
        title=title,
        sections=sections,
        markdown=b["markdown"],
        versions=versions,
    )


def brief_file(
    w: WorkspaceAccess, campaign_id: int, account_id: str, version: int | None, kind: str
) -> bytes:
    """A stored brief as a file: Markdown, the standalone HTML page, or PDF."""
    from covey.campaigns.briefs import sections_from_markdown

    b = _stored_brief(w, campaign_id, account_id, version)
    if kind == "md":
        return str(b["markdown"]).encode()
    if kind == "html":
        return str(b["html"]).encode()
    from covey.campaigns.pdf import to_pdf

    return to_pdf(*sections_from_markdown(b["markdown"]))[0]
