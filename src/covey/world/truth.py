"""The ground truth of a world: per-account facts, pods and world.json (see docs/world.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from covey.tiers import TIER_NAMES
from covey.world.config import MARKETS, WorldConfig
from covey.world.creators import Cast
from covey.world.engagement import PLATFORMS, REACH_RATES
from covey.world.textops import ids
from covey.world.vocab_niches import LANGUAGES, NICHES
from covey.world.writer import TRUTH_SCHEMAS

# An account's fake share at or above this counts as a planted problem.
FAKE_SHARE_PROBLEM = 0.25


def _names(values: tuple[str, ...], index: np.ndarray) -> pa.Array:
    return pa.array(np.array(values, dtype=object)[index], pa.string())


def pod_ids(c: Cast) -> pa.Array:
    """'pod<k>' for pod members, null for everyone else."""
    text = ids("pod", np.maximum(c.pod, 0))
    return pc.if_else(pa.array(c.pod >= 0), text, pa.scalar(None, pa.string()))


def accounts_truth(
    c: Cast,
    acct_ids: pa.Array,
    creator_ids: pa.Array,
    undisclosed: np.ndarray,
    claims: np.ndarray,
    rx: np.ndarray,
) -> pa.Table:
    """truth/accounts.parquet: one row per account."""
    fake_share = c.fake / np.maximum(c.followers, 1)
    problem = (
        (fake_share >= FAKE_SHARE_PROBLEM) | (c.bought > 0) | (c.pod >= 0) | (undisclosed + claims + rx > 0)
    )
    country = tuple(m[0] for m in MARKETS)
    return pa.table(
        {
            "account_id": acct_ids,
            "creator_id": creator_ids.take(pa.array(c.creator)),
            "platform": _names(PLATFORMS, c.platform),
            "niche": _names(NICHES, c.niche),
            "country": _names(country, c.market),
            "language": _names(LANGUAGES, c.language),
            "tier": _names(TIER_NAMES, c.tier),
            "followers": pa.array(c.followers),
            "real_followers": pa.array(c.real),
            "fake_followers": pa.array(c.fake),
            "fake_share": pa.array(fake_share),
            "reach_rate": pa.array(c.reach),
            "style": _names(("broadcast", "community"), c.community.astype(np.int64)),
            "lived_experience": pa.array(c.lived),
            "pod_id": pod_ids(c),
            "bought_growth": pa.array(c.bought > 0),
            "irregular": pa.array(c.irregular),
            "topic_drift": pa.array(c.drift),
            "undisclosed_sponsored_posts": pa.array(undisclosed.astype(np.int64)),
            "health_claim_posts": pa.array(claims.astype(np.int64)),
            "prescription_posts": pa.array(rx.astype(np.int64)),
            "planted_problem": pa.array(problem),
        },
        schema=TRUTH_SCHEMAS["accounts"],
    )


def pods_truth(c: Cast, acct_ids: pa.Array) -> pa.Table:
    """truth/pods.parquet: (pod_id, account_id) for every pod member."""
    members = np.flatnonzero(c.pod >= 0)
    members = members[np.argsort(c.pod[members], kind="stable")]
    return pa.table(
        {"pod_id": ids("pod", c.pod[members]), "account_id": acct_ids.take(pa.array(members))},
        schema=TRUTH_SCHEMAS["pods"],
    )


def write_world_json(
    path: Path, config: WorldConfig, scale: float, counts: dict[str, int], people: int
) -> dict[str, Any]:
    """truth/world.json: seed, size, audience_scale, reach rates, niches, counts, config."""
    doc: dict[str, Any] = {
        "seed": config.seed,
        "creators": config.creators,
        "audience_scale": scale,
        "reach_rates": REACH_RATES,
        "niches": list(NICHES),
        "counts": {**counts, "people": people},
        "config": config.to_json(),
    }
    path.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return doc
