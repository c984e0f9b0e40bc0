"""Creators from the platforms' official APIs, with the user's own keys.

``covey.sources.http`` is the shared HTTP layer (timeouts, retries, rate limits);
each platform's folder holds ``client.py`` (the calls), ``mapping.py`` (API objects ->
canonical rows), ``config.py`` (hosts, credentials, quotas) and ``errors.py`` (its errors,
transient or terminal). :func:`run_fetch` writes through ``covey import``.
"""

from covey.sources.base import FetchOptions
from covey.sources.runner import PLATFORMS, FetchRequest, known_fetches, run_fetch
from covey.sources.session import FetchSummary

__all__ = ["PLATFORMS", "FetchOptions", "FetchRequest", "FetchSummary", "known_fetches", "run_fetch"]
