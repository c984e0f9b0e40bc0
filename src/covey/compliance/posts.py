"""Checking imported posts: every post of the store as a draft whose payment is unknown.

A post's audience country is its account's country (or the one given); the platform's own
paid-partnership label (``posts.sponsored``) counts as a proper disclosure. Whether a post
was paid is inferred from its text (see ``check._connection``).
"""

from __future__ import annotations

from collections.abc import Iterator

from covey.compliance.check import Checker
from covey.compliance.result import Draft, Result
from covey.store.base import Store

# Audience country of posts whose account has none: only the international baseline applies.
UNKNOWN_COUNTRY = "ZZ"
_SQL = (
    "SELECT p.post_id, p.title, p.caption, p.sponsored, a.platform, a.country "
    "FROM posts p JOIN accounts a USING (account_id) ORDER BY p.post_id"
)


def post_drafts(store: Store, country: str | None = None) -> Iterator[Draft]:
    """Every imported post as a Draft (paid, gifted, affiliate unknown)."""
    for post_id, title, caption, sponsored, platform, acct_country in store.query(_SQL):
        yield Draft(
            caption=caption or "",
            title=title or "",
            country=country or acct_country or UNKNOWN_COUNTRY,
            platform=(platform or "unknown").lower(),
            paid=None,
            gifted=None,
            affiliate=None,
            platform_label=bool(sponsored),
            id=str(post_id),
        )


def check_store(store: Store, country: str | None = None, checker: Checker | None = None) -> Iterator[Result]:
    """The checker's result for every imported post."""
    checker = checker or Checker()
    return checker.check_many(post_drafts(store, country))
