"""Shortlist pages under /w/<workspace>/shortlists (each with a `.json` twin) and the CSV export.

Adding comes from the creators, discover and creator pages: their checkboxes (or the creator
page's button) post account ids to ``/shortlists/add``, naming a list or a new list's name.
The logic is :mod:`covey.shortlists`; these routes only call it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from covey import shortlists
from covey.errors import InputError
from covey.web.deps import Access, WorkspaceAccess
from covey.web.render import render

router = APIRouter(prefix="/w/{ws}", include_in_schema=False)


class ShortlistRow(BaseModel):
    """One list in the index."""

    shortlist_id: int
    name: str
    size: int
    created_by: str | None


class ShortlistView(BaseModel):
    """One list and its creators (None is unknown)."""

    shortlist_id: int
    name: str
    items: list[dict[str, Any]]


def lists_for_forms(w: WorkspaceAccess) -> list[shortlists.Shortlist]:
    """The lists an "add to shortlist" form offers (none for a viewer, who cannot add)."""
    return shortlists.all_lists(w.store) if w.can_edit else []


@router.get("/shortlists")
@router.get("/shortlists.json")
def shortlists_page(request: Request, w: Access) -> Response:
    """Every shortlist of the workspace, and a form to start one."""

    class Lists(BaseModel):
        lists: list[ShortlistRow]

    rows = [
        ShortlistRow(shortlist_id=s.shortlist_id, name=s.name, size=s.size, created_by=s.created_by)
        for s in shortlists.all_lists(w.store)
    ]
    return render(request, w, "shortlists.html", Lists(lists=rows), error=None)


@router.post("/shortlists")
def shortlist_create(request: Request, w: Access, name: Annotated[str, Form(max_length=200)]) -> Response:
    """Start an empty list and show it."""
    made = shortlists.create(w.store, name, w.principal.user.email)
    return RedirectResponse(f"/w/{w.name}/shortlists/{made.shortlist_id}", status_code=303)


@router.post("/shortlists/add")
def shortlist_add(
    request: Request,
    w: Access,
    account_id: Annotated[list[str], Form(max_length=200)],
    shortlist_id: Annotated[str, Form(max_length=20)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Put the checked creators on a list (an existing one, or a new one named ``name``)."""
    if name.strip():
        sid = shortlists.create(w.store, name, w.principal.user.email).shortlist_id
    elif shortlist_id.isdigit():
        sid = int(shortlist_id)
    else:
        raise InputError("choose a shortlist or name a new one", field="shortlist_id")
    if len(account_id) > 500:
        raise InputError("at most 500 creators at a time", field="account_id")
    if shortlists.get(w.store, sid) is None:
        raise HTTPException(404, "no such shortlist in this workspace")
    added = shortlists.add(w.store, sid, account_id, w.principal.user.email)
    return RedirectResponse(f"/w/{w.name}/shortlists/{sid}?added={added}", status_code=303)


def _view(w: WorkspaceAccess, sid: int) -> ShortlistView:
    found = shortlists.get(w.store, sid)
    if found is None:
        raise HTTPException(404, "no such shortlist in this workspace")
    return ShortlistView(
        shortlist_id=sid, name=found.name, items=[asdict(i) for i in shortlists.items(w.store, sid)]
    )


@router.get("/shortlists/{sid}.csv")
def shortlist_csv(w: Access, sid: int) -> Response:
    """The list as a CSV file (unknown values are empty cells)."""
    view = _view(w, sid)
    return Response(
        shortlists.export_csv(w.store, sid),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="shortlist-{view.shortlist_id}.csv"'},
    )


@router.get("/shortlists/{sid}")
@router.get("/shortlists/{sid}.json")  # registered first (decorators apply bottom-up)
def shortlist_page(request: Request, w: Access, sid: int) -> Response:
    """One list: its creators with followers, tier and overall score; remove and export."""
    added = request.query_params.get("added", "")
    return render(request, w, "shortlist.html", _view(w, sid), added=int(added) if added.isdigit() else None)


@router.post("/shortlists/{sid}/remove")
def shortlist_remove(w: Access, sid: int, account_id: Annotated[str, Form(max_length=200)]) -> Response:
    """Take one creator off the list."""
    _view(w, sid)
    shortlists.remove(w.store, sid, account_id)
    return RedirectResponse(f"/w/{w.name}/shortlists/{sid}", status_code=303)


@router.post("/shortlists/{sid}/delete")
def shortlist_delete(w: Access, sid: int) -> Response:
    """Delete the list (its creators stay in the workspace)."""
    _view(w, sid)
    shortlists.delete(w.store, sid)
    return RedirectResponse(f"/w/{w.name}/shortlists", status_code=303)
