"""What every campaign route shares: the form field types, rendering (:func:`covey.web.render.render`,
re-exported), and post/redirect/get."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Form, Request, Response
from fastapi.responses import RedirectResponse

from covey.web import campaign_services as cs
from covey.web.deps import Access, WorkspaceAccess
from covey.web.render import render

Text = Annotated[str, Form(max_length=2000)]
Short = Annotated[str, Form(max_length=200)]

__all__ = ["Access", "Short", "Shown", "Text", "attempt", "back", "render"]

# A page shown again with a refused change's message: (request, workspace, campaign id, message).
Shown = Callable[[Request, WorkspaceAccess, int, str | None], Response]


def back(w: WorkspaceAccess, cid: int, page: str = "") -> RedirectResponse:
    """Back to a campaign's page after a change (303: the browser follows with a GET)."""
    return RedirectResponse(f"/w/{w.name}/campaigns/{cid}{page}", status_code=303)


def attempt(
    request: Request, w: WorkspaceAccess, cid: int, page: str, shown: Shown, action: Callable[[], Any]
) -> Response:
    """Run a change and go back to the page; a refused one (bad input) shows the page again with
    its message (422), so nothing a link carries is shown as a message."""
    from covey.errors import InputError

    cs.require_campaign(w, cid)
    try:
        action()
    except InputError as exc:
        response = shown(request, w, cid, str(exc))
        response.status_code = 422
        return response
    return back(w, cid, page)
