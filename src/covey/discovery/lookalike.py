"""Lookalikes: creators like the ones a brand already trusts, in content and in audience.

Content: the seeds' profile vectors, averaged, become (part of) the query. Audience: the
share of a candidate's known audience (sampled followers, engagers, commenters other than the
creator) that also belongs to a seed's audience. Both are shown; the lookalike score is
``CONTENT_WEIGHT * content + (1 - CONTENT_WEIGHT) * min(1, audience / AUDIENCE_SATURATION)``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from covey.discovery.catalog import Catalog
from covey.discovery.embedder import FloatArray
from covey.errors import InputError
from covey.store import Store

log = logging.getLogger("covey.discovery.lookalike")

CONTENT_WEIGHT = 0.7
AUDIENCE_SATURATION = 0.2  # sharing a fifth of one's audience with the seeds counts as fully alike

# Sampled profiles the audience classifier gives more than this chance of being fake are left
# out: bought followers come in pools shared by every buyer, so even a few per cent of them
# outweigh the rare real overlaps (measured on the sample world, docs/discovery.md).
FAKE_MAX = 0.1


def real_audience(store: Store, accounts: Sequence[str] | None = None) -> pa.Table:
    """(account_id, member_id) of every known audience member who looks like a real person.

    Sampled followers and engagers pass through Covey's audience classifier: bought followers
    are shared across the accounts that bought from the same seller, so counting them would
    link creators by their fraud rather than by their audience. Commenters (no profile) count.
    Only the audiences of ``accounts`` are read when given.
    """
    only = "TRUE"
    which: dict[str, pa.Table] = {}
    if accounts is not None:
        which["_which"] = pa.table({"account_id": pa.array(list(accounts), pa.string())})
        only = "account_id IN (SELECT account_id FROM _which)"
    profiles = store.sql(f"SELECT * FROM audience_samples a WHERE {only}", **which)
    commenters = store.sql(
        "SELECT DISTINCT p.account_id, c.author_id AS member_id "
        f"FROM comments c JOIN posts p USING (post_id) WHERE c.by_creator IS NOT TRUE AND {only}",
        **which,
    )
    sampled = profiles.select(["account_id", "member_id"])
    if profiles.num_rows:
        from covey.audience import load_model

        fake = load_model().predict_proba(profiles)
        sampled = sampled.filter(pa.array(fake < FAKE_MAX))
        log.info("audience: %d of %d sampled profiles look real", sampled.num_rows, profiles.num_rows)
    return pa.concat_tables([sampled, commenters.cast(sampled.schema)])


def resolve_handles(store: Store, handles: Sequence[str]) -> list[str]:
    """Account ids for handles ('@name', 'name', 'platform:name' or an account_id).

    Raises InputError naming every handle that matches no account.
    """
    out: list[str] = []
    unknown: list[str] = []
    for raw in handles:
        h = raw.strip().removeprefix("@")
        platform, _, name = h.partition(":") if ":" in h else ("", "", h)
        rows = store.query(
            "SELECT account_id FROM accounts WHERE account_id = ? OR "
            "(lower(handle) = lower(?) AND (? = '' OR platform = ?)) ORDER BY account_id",
            [h, name.removeprefix("@"), platform, platform],
        )
        if not rows:
            unknown.append(raw)
        out.extend(r[0] for r in rows if r[0] not in out)
    if unknown:
        raise InputError(
            f"unknown handle(s) in --like/--exclude: {', '.join(unknown)}; "
            "use the handle as imported (without '@'), 'platform:handle' or the account_id",
            field="HANDLE",
        )
    return out


def seed_vector(catalog: Catalog, seeds: Sequence[str]) -> FloatArray:
    """Mean profile of the seed accounts (unit length); zero if none is indexed."""
    rows = [catalog.vector(a) for a in seeds if a in catalog.row_of]
    if not rows:
        return np.zeros(catalog.index.vectors.shape[1], dtype=np.float32)
    v = np.mean(rows, axis=0).astype(np.float32)
    n = float(np.linalg.norm(v))
    out: FloatArray = v / n if n > 0 else v
    return out


def audience_overlap(store: Store, seeds: Sequence[str], candidates: Sequence[str]) -> dict[str, float]:
    """Share of each candidate's known audience that also follows or engages with a seed."""
    if not seeds or not candidates:
        return {}
    audience = real_audience(store, [*seeds, *candidates])
    counts = store.sql(
        """WITH aud AS (SELECT DISTINCT account_id, member_id FROM _aud),
            seed_members AS (SELECT DISTINCT member_id FROM aud JOIN _seeds USING (account_id)),
            cand AS (SELECT a.account_id, a.member_id FROM aud a JOIN _cands USING (account_id))
            SELECT c.account_id, count(*) AS members, count(s.member_id) AS shared
            FROM cand c LEFT JOIN seed_members s USING (member_id)
            GROUP BY c.account_id""",
        _aud=audience,
        _seeds=pa.table({"account_id": pa.array(list(seeds), pa.string())}),
        _cands=pa.table({"account_id": pa.array(list(candidates), pa.string())}),
    )
    rows = zip(*(counts.column(n).to_pylist() for n in ("account_id", "members", "shared")), strict=True)
    return {a: shared / members for a, members, shared in rows if members}


def lookalike_scores(content: np.ndarray, audience: np.ndarray) -> np.ndarray:
    """Combined lookalike score from content similarity and audience overlap share."""
    return CONTENT_WEIGHT * content + (1.0 - CONTENT_WEIGHT) * np.minimum(1.0, audience / AUDIENCE_SATURATION)
