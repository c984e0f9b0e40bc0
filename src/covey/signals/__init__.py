"""Vetting signals, each defined once as an Ibis expression that runs on DuckDB and on Spark.

:func:`account_signals` joins every per-account signal into one wide table, one row per
account; the modules hold the definitions (read their docstrings for each column's meaning):
``engagement``, ``peers``, ``audience``, ``growth``, ``comments``, ``pods``, ``community``,
``consistency``, ``credibility`` and ``safety``.
"""

from __future__ import annotations

import ibis

from covey.signals.audience import fake_share, reachability
from covey.signals.backend import Sources, duckdb_sources, spark_sources
from covey.signals.comments import comment_quality
from covey.signals.community import community
from covey.signals.consistency import consistency
from covey.signals.credibility import caption_flags, credibility
from covey.signals.engagement import engagement, latest_snapshot
from covey.signals.growth import growth, growth_events
from covey.signals.peers import peer_keys, peer_percentiles
from covey.signals.pods import pod_comments, pods
from covey.signals.safety import safety, safety_flags

PEER_METRICS = ("er_followers_last12", "likes_per_comment", "generic_share")


def _join(left: ibis.Table, right: ibis.Table) -> ibis.Table:
    return left.left_join(right, "account_id").drop("account_id_right")


def account_signals(src: Sources) -> ibis.Table:
    """Every Ibis-defined signal per account (fake-follower share excepted: see ``audience``)."""
    snap = latest_snapshot(src)
    keys = peer_keys(src, snap)
    base = src.accounts.select("account_id", "handle", "platform")
    t = _join(base, keys.drop("platform"))
    t = _join(t, snap.select("account_id", "following"))
    parts = [
        engagement(src).drop("followers"),
        reachability(src),
        growth(src),
        comment_quality(src),
        pods(src),
        community(src),
        consistency(src),
        credibility(src),
        safety(src),
    ]
    for part in parts:
        t = _join(t, part)
    # Materialise once: each peer comparison reads the table again.
    t = src.shared("signals_base", lambda: t)
    out = t
    for metric in PEER_METRICS:
        out = _join(out, peer_percentiles(t, metric))
    return out


__all__ = [
    "PEER_METRICS",
    "Sources",
    "account_signals",
    "caption_flags",
    "comment_quality",
    "community",
    "consistency",
    "credibility",
    "duckdb_sources",
    "engagement",
    "fake_share",
    "growth",
    "growth_events",
    "peer_keys",
    "peer_percentiles",
    "pod_comments",
    "pods",
    "reachability",
    "safety",
    "safety_flags",
    "spark_sources",
]
