"""How every workspace page answers: its template, or its data as JSON on the `.json` twin.

Apart from the routes so that every page module (:mod:`covey.web.pages`,
:mod:`covey.web.shortlist_pages`, :mod:`covey.web.campaign_pages`) imports it directly.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from covey.web.deps import WorkspaceAccess, state


def render(request: Request, w: WorkspaceAccess, template: str, model: Any, **extra: Any) -> Response:
    """The page, or its data as JSON when the path ends in `.json`.

    ``model`` is a pydantic model or one of the library's typed results (frozen dataclasses).
    """
    if request.url.path.endswith(".json"):
        if model is None:
            raise HTTPException(404, "this page has no data yet")
        return JSONResponse(jsonable_encoder(model))
    context = {"w": w, "csrf": w.csrf, "data": model, "user": w.principal.user, **extra}
    return state(request).templates.TemplateResponse(request, template, context)
