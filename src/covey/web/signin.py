"""Signing in and out, and the list of a user's workspaces."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from covey.web.deps import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    Principal,
    check_csrf,
    optional_principal,
    principal,
    state,
)

router = APIRouter(include_in_schema=False)


def _secure(request: Request) -> bool:
    configured = state(request).settings.web.secure_cookies
    return request.url.scheme == "https" if configured is None else configured


@router.get("/login")
def login_page(request: Request) -> Response:
    """The sign-in form, with a fresh double-submit token."""
    token = secrets.token_urlsafe(24)
    response = state(request).templates.TemplateResponse(
        request, "login.html", {"login_token": token, "error": None}
    )
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request))
    return response


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
    login_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Check the password (throttled per account and address) and start a session."""
    st = state(request)
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, login_token):
        raise HTTPException(403, "the sign-in form expired; reload the page and try again")
    client = request.client.host if request.client else "?"
    key = f"{email.strip().lower()}|{client}"
    web = st.settings.web
    if st.appdb.throttled(key, web.login_attempts, web.login_window_seconds):
        raise HTTPException(
            429, f"too many failed sign-ins; wait {web.login_window_seconds // 60} minutes and try again"
        )
    user = st.appdb.authenticate(email, password, key)
    if user is None:
        return st.templates.TemplateResponse(
            request,
            "login.html",
            {"login_token": login_token, "error": "Wrong e-mail or password."},
            status_code=401,
        )
    token, _ = st.appdb.new_session(user)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        max_age=web.session_hours * 3600,
    )
    response.delete_cookie(LOGIN_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request, p: Annotated[Principal, Depends(principal)]) -> Response:
    """End the session on the server (the cookie alone signs nobody in afterwards)."""
    await check_csrf(request, p)
    if p.token:
        state(request).appdb.revoke(p.token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def root(request: Request) -> Response:
    """The user's workspaces (straight to the only one when there is one)."""
    p = optional_principal(request)
    if p is None:
        return RedirectResponse("/login", status_code=303)
    spaces = state(request).appdb.memberships(p.user)
    if len(spaces) == 1:
        return RedirectResponse(f"/w/{spaces[0][0]}", status_code=303)
    return state(request).templates.TemplateResponse(
        request,
        "workspaces.html",
        {"spaces": spaces, "user": p.user, "csrf": p.session.csrf if p.session else ""},
    )
