"""Who is asking and what they may do: the one place where access is checked.

Every workspace route depends on :func:`workspace`: it finds the signed-in user (session
cookie or API token), answers 404 when they are not a member (so another workspace's
names and ids do not even exist for them), and for any request that changes something
checks the CSRF token (session users) and that the role is owner or editor.
"""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates

from covey.settings import Settings
from covey.store import DuckDBStore, Store
from covey.web.accounts import AppDB, Role, Session, User
from covey.web.cache import WorkspaceCache
from covey.web.jobs import Jobs

SESSION_COOKIE = "covey_session"
LOGIN_COOKIE = "covey_login"  # double-submit token of the sign-in form (no session yet)
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
EDIT_ROLES: frozenset[Role] = frozenset({"owner", "editor"})


class NotSignedIn(Exception):
    """Raised by the dependencies; pages redirect to sign-in, the API answers 401."""


@dataclass
class WebState:
    """What the app holds while it runs."""

    settings: Settings
    appdb: AppDB
    jobs: Jobs
    templates: Jinja2Templates
    stores: dict[str, Store] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    catalogs: dict[str, tuple[float, Any]] = field(default_factory=dict)
    caches: dict[str, WorkspaceCache] = field(default_factory=dict)

    def store(self, name: str, path: Path) -> Store:
        """The workspace's store, opened once (the server is the file's one writer)."""
        with self.lock:
            if name not in self.stores:
                # The one place the server picks the engine: workspaces are DuckDB files.
                self.stores[name] = DuckDBStore(path)
            return self.stores[name]

    def cache(self, name: str, store: Store) -> WorkspaceCache:
        """The workspace's cache of computed results (see :mod:`covey.web.cache`)."""
        with self.lock:
            if name not in self.caches:
                self.caches[name] = WorkspaceCache(store)
            return self.caches[name]

    def catalog(self, name: str, store: Store) -> Any:
        """The workspace's discovery index, loaded once and again only when it was rebuilt."""
        from covey.discovery.catalog import index_dir
        from covey.discovery.indexer import open_index

        manifest = index_dir(store.path) / "manifest.json" if store.path is not None else None
        stamp = manifest.stat().st_mtime if manifest is not None and manifest.exists() else -1.0
        cached = self.catalogs.get(name)
        if cached is None or cached[0] != stamp:
            cached = (stamp, open_index(store))  # raises the "run covey index" message when absent
            self.catalogs[name] = cached
        return cached[1]

    def close(self) -> None:
        """Close every store and the app database."""
        with self.lock:
            for s in self.stores.values():
                s.close()
            self.stores.clear()
        self.appdb.close()


@dataclass(frozen=True)
class Principal:
    """The user behind a request and how they proved it."""

    user: User
    session: Session | None  # None for API tokens, which need no CSRF token
    token: str | None = None


@dataclass(frozen=True)
class WorkspaceAccess:
    """A member's view of one workspace."""

    name: str
    role: Role
    store: Store
    principal: Principal
    cache: WorkspaceCache

    @property
    def can_edit(self) -> bool:
        """Whether the member may change anything."""
        return self.role in EDIT_ROLES

    @property
    def csrf(self) -> str:
        """The CSRF token pages embed in their forms."""
        return self.principal.session.csrf if self.principal.session else ""


def state(request: Request) -> WebState:
    """The app's state."""
    s: WebState = request.app.state.covey
    return s


def optional_principal(request: Request) -> Principal | None:
    """The signed-in user, if any: an API token (Authorization: Bearer) or the session cookie."""
    st = state(request)
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        user = st.appdb.token_user(auth[7:].strip())
        if user is None:
            raise NotSignedIn()
        return Principal(user, None)
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    session = st.appdb.session(token, st.settings.web.session_hours * 3600)
    return Principal(session.user, session, token) if session else None


def principal(request: Request) -> Principal:
    """The signed-in user; otherwise sign-in (pages) or 401 (API)."""
    p = optional_principal(request)
    if p is None:
        raise NotSignedIn()
    return p


async def check_csrf(request: Request, p: Principal) -> None:
    """Refuse a state change from a session without its CSRF token (header or form field)."""
    if request.method in SAFE_METHODS or p.session is None:
        return
    sent = request.headers.get(CSRF_HEADER)
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, p.session.csrf):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")


async def workspace(
    ws: str, request: Request, p: Annotated[Principal, Depends(principal)]
) -> WorkspaceAccess:
    """Access to workspace ``ws``: 404 for non-members, CSRF and role checks on changes."""
    st = state(request)
    role = st.appdb.role(p.user, ws)
    found = st.appdb.workspace(ws) if role else None
    if role is None or found is None:
        raise HTTPException(404, "no such workspace")
    await check_csrf(request, p)
    if request.method not in SAFE_METHODS and role not in EDIT_ROLES:
        raise HTTPException(403, "viewers cannot change anything in this workspace")
    store = st.store(ws, found.db_path)
    return WorkspaceAccess(ws, role, store, p, st.cache(ws, store))


# What a workspace route takes to be checked by :func:`workspace`: ``def page(w: Access) -> ...``.
Access = Annotated[WorkspaceAccess, Depends(workspace)]
