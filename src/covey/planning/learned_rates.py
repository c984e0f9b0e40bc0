"""Reach rates learned from the workspace's past campaigns: creators' reported reach per post.

No platform publishes how many of an account's followers one post reaches, so the planner
starts from a prior by platform and tier (``priors.toml``). Agencies do learn it: creators
share their post insights (unique accounts reached) after a campaign, and the campaign report
imports them (:mod:`covey.campaigns.insights`). Each such creator's reach rate is measured:
mean people reached per post / real audience. The planner uses it in two ways:

- a creator measured before plans on its own rate, taken as known: no spread around the prior
  for it (``Candidates.rate_measured``; the panel and the intervals hold it);
- every other creator of that platform plans on the prior times the platform's learned
  factor: the mean of measured / prior over the platform's measured creators, shrunk toward
  1 by ``PRIOR_CREATORS`` pseudo-creators (n / (n + 5) of the way with n measured creators),
  since a handful of creators says little about a whole platform.

Only creators whose real audience is known (vetting or their follower sample) are measured:
reach per post is rate x real audience, and with the prior real share a very fake audience
would read as a very high rate (``covey.campaigns.reach`` explains). A plan divides the people
per post by the real audience as it has it (a candidate file's share wins), and leaves a
creator whose audience there is only the prior on the platform factor. Reach counts people,
not plays, so only reported reach is read here, not views (repeat plays). Platforms' "accounts
reached" include non-followers (Explore, For You), so a measured rate per real follower leans
high for creators whose posts travel beyond their followers; the sample world reaches
followers only, so its figures do not show this.

Switched by the priors' ``learn_from_insights`` (default true). What was learned is saved
with the plan (:meth:`LearnedRates.as_dict`), so a campaign report rebuilds the plan's model
as it was, whatever was imported since.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from covey.planning.candidates import Candidates, listed_ids, load_candidates
from covey.planning.reach import Priors
from covey.planning.sample_share import sample_counts, with_sample_shares
from covey.store import Store

# Weight of the prior in a platform's factor, in creators: with n measured creators the
# factor moves n / (n + PRIOR_CREATORS) of the way to their mean ratio. A planning
# assumption (as the priors' reach_prior_posts is for views), not fitted to any world.
PRIOR_CREATORS = 5.0
RATE_BOUNDS = (0.005, 0.95)  # as the views blend in covey.planning.candidates clips
PLATFORM_NAMES = {
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "default": "other platforms",
}

# Each post's newest imported reach (a later file about a post wins, as in the campaign report).
_LATEST_REACH = """
SELECT campaign_id, account_id, reach
FROM (
    SELECT campaign_id, account_id, reach,
           row_number() OVER (PARTITION BY campaign_id, post_id
                              ORDER BY imported_at DESC, source DESC, line DESC) AS newest
    FROM campaign_insights WHERE post_id IS NOT NULL{where}
) latest
WHERE newest = 1 AND reach IS NOT NULL AND reach > 0
"""


@dataclass(frozen=True)
class LearnedRates:
    """Measured creators' reach rates and each platform's factor on its prior.

    ``rates``: account_id -> measured rate (people reached per post / real audience).
    ``posts``: account_id -> posts it rests on. ``factors``: platform -> (factor, creators).
    ``people``: account_id -> mean people reached per post (what was measured: a plan divides it
    by the creator's real audience as the plan has it).
    """

    rates: dict[str, float] = field(default_factory=dict)
    posts: dict[str, int] = field(default_factory=dict)
    factors: dict[str, tuple[float, int]] = field(default_factory=dict)
    people: dict[str, float] = field(default_factory=dict)  # mean people reached per post, as reported

    def __bool__(self) -> bool:
        return bool(self.rates)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, saved with the plan's inputs."""
        return {
            "rates": dict(self.rates),
            "posts": dict(self.posts),
            "factors": {p: [f, n] for p, (f, n) in self.factors.items()},
            "people": dict(self.people),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> LearnedRates:
        """The saved form back (None or empty: nothing learned)."""
        if not data:
            return cls()
        return cls(
            {str(a): float(r) for a, r in (data.get("rates") or {}).items()},
            {str(a): int(n) for a, n in (data.get("posts") or {}).items()},
            {str(p): (float(f), int(n)) for p, (f, n) in (data.get("factors") or {}).items()},
            {str(a): float(m) for a, m in (data.get("people") or {}).items()},
        )


def reported_reach(store: Store) -> dict[str, tuple[float, int]]:
    """account_id -> (mean reported reach per post, posts), newest import of each post."""
    sql = f"SELECT account_id, avg(reach), count(*) FROM ({_LATEST_REACH.format(where='')}) r GROUP BY 1"
    return {str(a): (float(m), int(n)) for a, m, n in store.query(sql)}


def reported_reach_by_campaign(store: Store, account_id: str) -> dict[int, tuple[float, int]]:
    """campaign_id -> (mean reported reach per post, posts) of one creator."""
    inner = _LATEST_REACH.format(where=" AND account_id = ?")
    rows = store.query(f"SELECT campaign_id, avg(reach), count(*) FROM ({inner}) r GROUP BY 1", [account_id])
    return {int(c): (float(m), int(n)) for c, m, n in rows}


def learn_rates(store: Store, priors: Priors) -> LearnedRates:
    """What the workspace's imported insights say about reach rates (empty without any, or when
    the priors' ``learn_from_insights`` is off)."""
    reported = reported_reach(store) if priors.learn_from_insights else {}
    if not reported:
        return LearnedRates()
    ids = sorted(reported)
    known = load_candidates(
        store, replace(priors, use_views=False), listed=listed_ids(ids), source="insights"
    )
    known = with_sample_shares(known, sample_counts(store, known.account_id))
    rates: dict[str, float] = {}
    posts: dict[str, int] = {}
    people: dict[str, float] = {}
    ratios: dict[str, list[float]] = {}
    for i, a in enumerate(known.account_id):
        audience = float(known.real_audience[i])
        if known.real_share_source[i] == "prior" or audience < 1.0:
            continue  # people reached cannot tell a low rate from a small real audience
        per_post, n = reported[a]
        rate = float(np.clip(per_post / audience, *RATE_BOUNDS))
        rates[a], posts[a], people[a] = rate, n, per_post
        platform = known.platform[i] or "default"
        ratios.setdefault(platform, []).append(rate / float(known.rate[i]))
    factors = {
        p: (float((sum(r) + PRIOR_CREATORS) / (len(r) + PRIOR_CREATORS)), len(r)) for p, r in ratios.items()
    }
    return LearnedRates(rates, posts, factors, people)


def apply_learned(cands: Candidates, learned: LearnedRates) -> Candidates:
    """The candidates with measured creators' own rates and the platforms' learned factors.

    What was measured is people reached per post, so a measured creator's rate is that over its
    real audience as these candidates have it (a candidate file's share may differ from the one
    it was measured with): the people per post stay what the creator reported. Where that
    audience is only the prior's guess the measurement is not used (the platform factor is).
    With ``use_views`` the factor also scales the views' part of a blended rate (off by default).
    """
    if not learned:
        return cands
    rate = np.array(cands.rate, dtype=np.float64)
    measured = np.zeros(len(cands), dtype=bool)
    known = (
        [s != "prior" for s in cands.real_share_source] if cands.real_share_source else [False] * len(cands)
    )
    audience = cands.real_audience
    for i, (a, p) in enumerate(zip(cands.account_id, cands.platform, strict=True)):
        if a in learned.rates and known[i] and audience[i] >= 1.0:
            per_post = learned.people.get(a)
            own = learned.rates[a] if per_post is None else per_post / float(audience[i])
            rate[i], measured[i] = float(np.clip(own, *RATE_BOUNDS)), True
        elif (p or "default") in learned.factors:
            rate[i] = float(np.clip(rate[i] * learned.factors[p or "default"][0], *RATE_BOUNDS))
    return replace(cands, rate=rate, rate_measured=measured)


def learned_note(learned: LearnedRates, cands: Candidates) -> str | None:
    """A plain sentence on what the past campaigns changed in this plan's reach rates."""
    if not learned:
        return None
    n_own = int(np.sum(cands.rate_measured)) if cands.rate_measured is not None else 0
    parts = [
        f"{PLATFORM_NAMES.get(p, p)} x {f:.2f} (from {n} creator{'s' if n != 1 else ''})"
        for p, (f, n) in sorted(learned.factors.items())
    ]
    return (
        f"Reach rates learned from past campaigns' insights ({len(learned.rates)} creators who reported "
        f"their reach): {n_own} of these candidates plan on their own measured rate; the others on the "
        f"platform prior times what the measured creators showed: {', '.join(parts)}"
    )


def rate_source(learned: LearnedRates, cands: Candidates, i: int) -> str:
    """Where candidate i's reach rate comes from, in words."""
    a, p = cands.account_id[i], cands.platform[i] or "default"
    if cands.rate_measured is not None and cands.rate_measured[i] and a in learned.rates:
        n = learned.posts.get(a, 0)
        posts = f"{n} post{'s' if n != 1 else ''}"
        return f"its own, measured from the reach it reported for {posts} in past campaigns"
    if p in learned.factors:
        f, n = learned.factors[p]
        return f"platform prior x {f:.2f}, learned from {n} creator{'s' if n != 1 else ''}' reported reach"
    return "platform prior"
