"""Where a creator stands among peers: engagement against the peer band, fake share with its
interval and, in words, its definition and precision (``covey.scores.explain``). Read from the
latest scoring run's signals (``account_signals``); shown as charts and sentences on the
creator page and as numbers and sentences in its JSON.

Peers are the accounts of the same platform and follower decade (10-100, 100-1,000, ...),
the peer group the scores use; the band is the middle half (25th to 75th percentile) and
the 10th to 90th percentile of their engagement rate.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, Field

from covey.scores.explain import fake_share_definition, fake_share_precision
from covey.scores.read import latest_signals, signal_values
from covey.store import Store

ENGAGEMENT = "er_followers_median90"  # median (likes + comments) / followers of the last 90 days
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


class PeerBand(BaseModel):
    """Engagement-rate percentiles of one peer group (fractions: 0.05 = 5 %)."""

    platform: str
    decade: int
    peers: int
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float


class Standing(BaseModel):
    """One creator against peers; None is unknown."""

    engagement: float | None
    band: PeerBand | None
    fake_share: float | None
    fake_low: float | None
    fake_high: float | None
    fake_n: int | None
    fake_definition: str | None = Field(default=None, description="What the fake share and its interval are.")
    fake_precision: str | None = Field(
        default=None, description="How precise the fake share is, in plain words; says why when unknown."
    )


def _num(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def peer_bands(store: Store, run_id: int) -> dict[tuple[str, int], PeerBand]:
    """Engagement percentiles per (platform, decade) of one scoring run: one pass over signals."""
    # Each signals document is parsed once for its three fields (parsing is the cost: ~2 s of
    # CPU for 65,000 accounts); the score job computes this right after scoring.
    sig = signal_values(store, ["decade", ENGAGEMENT], run_id, text=["platform"])
    found = store.sql(
        f"""WITH s AS (SELECT platform, TRY_CAST(decade AS INTEGER) AS decade, "{ENGAGEMENT}" AS er FROM sig)
            SELECT platform, decade, count(*) AS n, quantile_cont(er, {list(QUANTILES)}) AS q
            FROM s WHERE er IS NOT NULL AND isfinite(er) AND platform IS NOT NULL AND decade IS NOT NULL
            GROUP BY ALL""",
        sig=sig,
    )
    rows = [(r["platform"], r["decade"], r["n"], r["q"]) for r in found.to_pylist()]
    out: dict[tuple[str, int], PeerBand] = {}
    for platform, decade, n, q in rows:
        out[(str(platform), int(decade))] = PeerBand(
            platform=str(platform), decade=int(decade), peers=int(n),
            p10=q[0], p25=q[1], p50=q[2], p75=q[3], p90=q[4],
        )  # fmt: skip
    return out


NOTHING_KNOWN = {"engagement": None, "band": None, "fake_share": None, "fake_low": None, "fake_high": None}


def standing(store: Store, run_id: int, account_id: str, bands: dict[tuple[str, int], PeerBand]) -> Standing:
    """The creator's engagement, its peer band, and the fake share with its 95 % interval."""
    found = latest_signals(store, [account_id], run_id)
    if account_id not in found:
        return Standing(**NOTHING_KNOWN, fake_n=None)
    s: dict[str, Any] = found[account_id]
    decade = _num(s.get("decade"))
    band = bands.get((str(s.get("platform")), int(decade))) if decade is not None else None
    n = _num(s.get("fake_n"))
    return Standing(
        engagement=_num(s.get(ENGAGEMENT)),
        band=band,
        fake_share=_num(s.get("fake_share")),
        fake_low=_num(s.get("fake_low")),
        fake_high=_num(s.get("fake_high")),
        fake_n=int(n) if n is not None else None,
        fake_definition=fake_share_definition(s),
        fake_precision=fake_share_precision(s),
    )
