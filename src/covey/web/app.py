"""The web app: FastAPI with server-rendered pages (Jinja2 + htmx) and a JSON API under /api.

``create_app(settings)`` builds it; ``covey serve`` runs it with uvicorn. Static files ship
inside the package (htmx pinned, no CDN); every response carries a Content-Security-Policy
without inline scripts or styles.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import jinja2
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from covey import __version__
from covey.errors import CoveyError, InputError
from covey.settings import Settings
from covey.web.accounts import AppDB, secret_key
from covey.web.deps import NotSignedIn, WebState
from covey.web.jobs import Jobs
from covey.web.limits import BodyLimit

log = logging.getLogger("covey.web")
HERE = Path(__file__).parent
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def wants_json(request: Request) -> bool:
    """The API, a `.json` page, or a client that asks for JSON only."""
    path = request.url.path
    return (
        path.startswith("/api/")
        or path.endswith(".json")
        or request.headers.get("accept", "").startswith("application/json")
    )


def templates() -> Jinja2Templates:
    """Jinja2 with autoescaping for every template, whatever its name."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["num"] = lambda x, d=0: "?" if x is None else f"{x:,.{d}f}"
    env.filters["when"] = lambda d: "?" if d is None else str(d)[:16].replace("T", " ")
    env.globals["version"] = __version__
    return Jinja2Templates(env=env)


def create_app(settings: Settings) -> FastAPI:
    """The app for these settings (opens the app database and the secret key)."""
    state = WebState(
        settings=settings,
        appdb=AppDB(settings.app_db(), secret_key(settings.secret_key_file())),
        jobs=Jobs(),
        templates=templates(),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Open every workspace's database now: the server is its one writer from the start,
        # and a command pointed at one of them is told so instead of racing the server.
        for ws in state.appdb.workspaces():
            state.store(ws.name, ws.db_path)
        yield
        state.close()

    app = FastAPI(
        title="Covey",
        version=__version__,
        description="Covey's JSON API: every page's data, for scripts. Sign in with an API token "
        "(Authorization: Bearer ...) from 'covey user token'.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the stock docs pages load scripts from a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.covey = state
    # Multipart overhead aside, no request needs more than the largest upload.
    app.add_middleware(BodyLimit, max_bytes=(settings.web.max_upload_mb + 1) << 20)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": "sign in first (session cookie or API token)"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return state.templates.TemplateResponse(
            request,
            "error.html",
            {"status": exc.status_code, "message": str(exc.detail)},
            status_code=exc.status_code,
        )

    @app.exception_handler(CoveyError)
    async def covey_error(request: Request, exc: CoveyError) -> Response:
        # A Covey error is a message for the user (bad input, nothing to score yet), never a 500.
        code = 422 if isinstance(exc, InputError) else 409
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=code)
        return state.templates.TemplateResponse(
            request, "error.html", {"status": code, "message": str(exc)}, status_code=code
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        msgs = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        if wants_json(request):
            return JSONResponse({"detail": msgs}, status_code=422)
        return state.templates.TemplateResponse(
            request, "error.html", {"status": 422, "message": msgs}, status_code=422
        )

    from covey.web import api, campaign_pages, pages, shortlist_pages, signin

    app.include_router(signin.router)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(shortlist_pages.router)
    app.include_router(campaign_pages.router)
    return app
