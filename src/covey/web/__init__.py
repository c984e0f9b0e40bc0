"""Covey in the browser: a FastAPI app with server-rendered pages and a JSON API (``covey serve``)."""

from covey.web.app import create_app

__all__ = ["create_app"]
