"""A creator's history across campaigns: what was agreed, what went live, on time, and the notes.

Facts only, from the campaign tables: one row per campaign the creator was booked on, and
totals. ``on_time_share`` is the share of their due posts that went live by the due date; it is
None (unknown) while nothing was due, never 0.

The re-book score (:func:`rebook`) weighs those facts into one number, 0-100: the mean of the
parts that are known, each a share from 0 to 1:

- *on time*: due posts live by their due date / posts due;
- *delivered*: due posts that went live at all / posts due (a drop-out scores low here);
- *compliant*: live posts whose disclosure and must-say survived / live posts;
- *results*: engagements on the live posts / the plan's expected engagements for them, capped
  at 1 (campaigns made by hand have no expectation: unknown).

A creator with no due and no live post has no score: None ("unknown"), never 0.
:func:`past_performance` gives the scores of many creators at once, for discovery and planning
(``--past-performers favour|only``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from covey.errors import InputError
from covey.store import Store


def creator_history(store: Store, who: str, *, today: date | None = None) -> dict[str, Any]:
    """Every campaign of a creator (by handle or account id) with deliverables, fees and notes."""
    today = today or datetime.now().date()
    key = who.lstrip("@")
    found = store.query(
        "SELECT DISTINCT account_id, handle FROM campaign_creators WHERE account_id = ? OR "
        "lower(handle) = lower(?)",
        [key, key],
    )
    if not found:
        raise InputError(f"@{key} has not been booked on any campaign", field="creator")
    account, handle = str(found[0][0]), str(found[0][1])
    rows = store.query(
        """SELECT c.campaign_id, k.name, k.brand, k.starts, k.ends, c.stage, c.posts, c.fee, c.removed,
                  (SELECT count(*) FROM campaign_matches m WHERE m.campaign_id = c.campaign_id
                   AND m.account_id = c.account_id AND m.deliverable IS NOT NULL),
                  (SELECT count(*) FROM campaign_matches m WHERE m.campaign_id = c.campaign_id
                   AND m.account_id = c.account_id AND m.deliverable IS NOT NULL AND m.late),
                  (SELECT count(*) FROM campaign_deliverables d WHERE d.campaign_id = c.campaign_id
                   AND d.account_id = c.account_id AND d.due < ?),
                  (SELECT count(*) FROM campaign_matches m WHERE m.campaign_id = c.campaign_id
                   AND m.account_id = c.account_id AND NOT m.compliant),
                  (SELECT count(*) FROM campaign_matches m JOIN campaign_deliverables d
                   ON d.campaign_id = m.campaign_id AND d.account_id = m.account_id
                   AND d.deliverable = m.deliverable
                   WHERE m.campaign_id = c.campaign_id AND m.account_id = c.account_id AND d.due < ?
                       AND NOT m.late)
           FROM campaign_creators c JOIN campaign_campaigns k USING (campaign_id)
           WHERE c.account_id = ? ORDER BY k.starts, c.campaign_id""",
        [today, today, account],
    )
    keys = (
        "campaign_id",
        "name",
        "brand",
        "starts",
        "ends",
        "stage",
        "posts",
        "fee",
        "removed",
        "delivered",
        "late",
        "due",
        "non_compliant",
        "on_time",
    )
    campaigns = [dict(zip(keys, r, strict=True)) for r in rows]
    _add_reach(store, account, campaigns)
    notes = store.query(
        "SELECT campaign_id, happened_at, actor, detail FROM campaign_events WHERE account_id = ? "
        "AND kind = 'note' "
        "ORDER BY event_id",
        [account],
    )
    due = sum(int(c["due"]) for c in campaigns)
    on_time = sum(int(c["on_time"]) for c in campaigns)
    return {
        "account_id": account,
        "handle": handle,
        "campaigns": campaigns,
        "notes": [{"campaign_id": n[0], "at": str(n[1]), "actor": n[2], "text": n[3]} for n in notes],
        "total": {
            "campaigns": len(campaigns),
            "posts_agreed": sum(int(c["posts"]) for c in campaigns),
            "posts_delivered": sum(int(c["delivered"]) for c in campaigns),
            "fees": sum(float(c["fee"]) for c in campaigns if c["fee"] is not None),
            "on_time_share": on_time / due if due else None,
        },
        "rebook": rebook(store, [account], today=today)[account].to_json(),
        "definition": "on_time_share: posts live by their due date / posts due before today, "
        "over every campaign; reach_per_post: mean unique accounts its posts reached, as it reported "
        "them (campaign insights); reach_rate_measured: that / its real audience when planned; "
        "reach_rate_planned: the plan's rate",
    }


def _add_reach(store: Store, account: str, campaigns: list[dict[str, Any]]) -> None:
    """Each campaign's reported reach per post and the reach rate it measured against the planned one.

    None where unknown: no insights imported, a campaign made by hand (no planned audience), or a
    planned audience that was only the prior's guess of the real share (the rate would be the
    guess's error as much as the creator's reach: covey.planning.learned_rates refuses it too).
    """
    from covey.planning.learned_rates import reported_reach_by_campaign

    told = reported_reach_by_campaign(store, account)
    planned = dict(
        store.query("SELECT campaign_id, planned FROM campaign_creators WHERE account_id = ?", [account])
    )
    for c in campaigns:
        plan = json.loads(planned.get(c["campaign_id"]) or "{}")
        per_post, _ = told.get(int(c["campaign_id"]), (None, 0))
        audience, rate = plan.get("real_audience"), plan.get("reach_rate")
        if plan.get("real_share_source") in (None, "prior"):
            audience = None
        c["reach_per_post"] = per_post
        c["reach_rate_planned"] = float(rate) if rate is not None else None
        c["reach_rate_measured"] = per_post / float(audience) if per_post is not None and audience else None


GOOD, POOR = 60.0, 40.0  # re-book scores from which a creator counts as a good / poor past performer
REBOOK_DEFINITION = (
    "re-book score 0-100: the mean of the known parts among on time (due posts live by their due "
    "date), delivered (due posts live at all), compliant (live posts whose disclosure survived) and "
    "results (engagements against the plan's expectation, capped at 1); unknown without a due or live post"
)


@dataclass(frozen=True)
class Rebook:
    """A creator's re-book score and the parts it is the mean of (None = unknown)."""

    account_id: str
    score: float | None
    on_time: float | None
    delivered: float | None
    compliant: float | None
    results: float | None
    campaigns: int

    @property
    def sentence(self) -> str:
        """What the score means, in plain words."""
        if self.score is None:
            return (
                "Re-book score unknown: no post of theirs was due or live on a campaign yet."
                if self.campaigns
                else "Re-book score unknown: never booked on a campaign."
            )
        parts = [
            f"{name} {v:.0%}"
            for name, v in (
                ("on time", self.on_time),
                ("delivered", self.delivered),
                ("compliant", self.compliant),
                ("results against plan", self.results),
            )
            if v is not None
        ]
        verdict = "book again" if self.score >= GOOD else ("think twice" if self.score < POOR else "mixed")
        return (
            f"Re-book score {self.score:.0f}/100 over {self.campaigns} campaign(s) ({verdict}): "
            + ", ".join(parts)
            + "."
        )

    def to_json(self) -> dict[str, Any]:
        """A plain dict with the sentence and the definition."""
        return {
            "score": self.score,
            "on_time": self.on_time,
            "delivered": self.delivered,
            "compliant": self.compliant,
            "results": self.results,
            "campaigns": self.campaigns,
            "sentence": self.sentence,
            "definition": REBOOK_DEFINITION,
        }


def rebook(store: Store, account_ids: Iterable[str], *, today: date | None = None) -> dict[str, Rebook]:
    """The re-book score of each account (unknown for those never booked or with nothing due)."""
    ids = sorted({str(a) for a in account_ids})
    today = today or datetime.now().date()
    out = {a: Rebook(a, None, None, None, None, None, 0) for a in ids}
    if not ids:
        return out
    marks = ", ".join("?" * len(ids))
    # One row per account: campaigns, due posts, due posts live on time, due posts live at all,
    # live posts, compliant live posts.
    rows = store.query(
        f"""SELECT c.account_id, count(DISTINCT c.campaign_id),
              (SELECT count(*) FROM campaign_deliverables d WHERE d.account_id = c.account_id
                  AND d.due < ? AND d.campaign_id IN (SELECT campaign_id FROM campaign_creators k
                      WHERE k.account_id = c.account_id AND NOT k.removed)),
              (SELECT count(*) FROM campaign_deliverables d JOIN campaign_matches m
                  ON m.campaign_id = d.campaign_id AND m.account_id = d.account_id
                  AND m.deliverable = d.deliverable
                  WHERE d.account_id = c.account_id AND d.due < ? AND NOT m.late),
              (SELECT count(*) FROM campaign_deliverables d WHERE d.account_id = c.account_id
                  AND d.due < ? AND d.post_id IS NOT NULL),
              (SELECT count(*) FROM campaign_matches m WHERE m.account_id = c.account_id
                  AND m.deliverable IS NOT NULL),
              (SELECT count(*) FROM campaign_matches m WHERE m.account_id = c.account_id
                  AND m.deliverable IS NOT NULL AND m.compliant)
           FROM campaign_creators c WHERE c.account_id IN ({marks}) AND NOT c.removed
           GROUP BY c.account_id""",
        [today, today, today, *ids],
    )
    results = _results(store, ids)
    for a, n, due, on_time, live_due, live, ok in rows:
        a = str(a)
        parts = {
            "on_time": on_time / due if due else None,
            "delivered": live_due / due if due else None,
            "compliant": ok / live if live else None,
            "results": results.get(a),
        }
        known = [v for v in parts.values() if v is not None]
        score = round(100.0 * sum(known) / len(known), 1) if due or live else None
        out[a] = Rebook(a, score, campaigns=int(n), **parts)
    return out


def _results(store: Store, ids: list[str]) -> dict[str, float]:
    """Engagements on live posts / the plan's expected engagements for as many posts, capped at 1."""
    marks = ", ".join("?" * len(ids))
    got = store.query(
        f"""SELECT k.account_id, k.planned, count(*), sum(coalesce(p.likes, 0) + coalesce(p.comments, 0))
            FROM campaign_creators k JOIN campaign_matches m ON m.campaign_id = k.campaign_id
                 AND m.account_id = k.account_id AND m.deliverable IS NOT NULL
            JOIN posts p ON p.post_id = m.post_id
            WHERE k.account_id IN ({marks}) AND NOT k.removed
            GROUP BY k.account_id, k.campaign_id, k.planned""",
        ids,
    )
    actual: dict[str, float] = {}
    expected: dict[str, float] = {}
    for a, planned, n, eng in got:
        pl = json.loads(planned or "{}")
        if pl.get("engagements") is None or not pl.get("posts"):
            continue  # booked by hand: no expectation to compare with
        a = str(a)
        expected[a] = expected.get(a, 0.0) + float(pl["engagements"]) / float(pl["posts"]) * int(n)
        actual[a] = actual.get(a, 0.0) + float(eng or 0)
    return {a: min(1.0, actual[a] / e) for a, e in expected.items() if e > 0}


PastMode = Literal["favour", "only"]


def past_performance(store: Store, account_ids: Iterable[str], mode: PastMode) -> dict[str, Any]:
    """What discovery and planning do with creators' past campaigns (``--past-performers``).

    Returns ``keep`` (the ids to keep: every id for 'favour', only good past performers, score
    >= GOOD, for 'only'), ``order`` (a sort key per id: 0 good past performers, 1 unknown or
    middling, 2 poor, score < POOR; a stable sort by it moves good ones ahead without otherwise
    changing the ranking) and ``scores``. Creators never booked are unknown: kept by 'favour',
    dropped by 'only'.
    """
    if mode not in ("favour", "only"):
        raise InputError(f"--past-performers must be favour or only, not {mode!r}", field="past_performers")
    scores = rebook(store, account_ids)
    good = {a for a, r in scores.items() if r.score is not None and r.score >= GOOD}
    poor = {a for a, r in scores.items() if r.score is not None and r.score < POOR}
    return {
        "keep": set(scores) if mode == "favour" else good,
        "order": {a: 0 if a in good else (2 if a in poor else 1) for a in scores},
        "scores": {a: r.score for a, r in scores.items()},
        "good": good,
        "definition": REBOOK_DEFINITION,
    }


def rerank_past(
    store: Store, items: list[Any], mode: PastMode, *, key: Any = lambda r: r.account_id
) -> tuple[list[Any], str]:
    """``items`` (ranked, best first) with past performers favoured or kept alone; and a note.

    'favour' moves creators with a good re-book score ahead and poor ones to the end, keeping
    the order within each group; 'only' keeps good past performers alone. Used by
    ``covey discover --past-performers``; the ranking itself is not touched.
    """
    past = past_performance(store, [key(r) for r in items], mode)
    kept = [r for r in items if key(r) in past["keep"]]
    kept.sort(key=lambda r: past["order"][key(r)])
    good = sum(1 for r in items if key(r) in past["good"])
    what = "moved ahead" if mode == "favour" else "kept; the others left out"
    note = (
        f"past performers ({mode}): {good} of {len(items)} creators have a re-book score of at least "
        f"{GOOD:.0f} from earlier campaigns ({what})"
    )
    return kept, note


def past_performer_ids(store: Store) -> set[str]:
    """Every account with a good re-book score (for ``covey plan --past-performers only``)."""
    ids = [str(r[0]) for r in store.query("SELECT DISTINCT account_id FROM campaign_creators")]
    return {a for a, r in rebook(store, ids).items() if r.score is not None and r.score >= GOOD}


def poor_performer_ids(store: Store) -> set[str]:
    """Every account with a poor re-book score (left out by ``covey plan --past-performers favour``)."""
    ids = [str(r[0]) for r in store.query("SELECT DISTINCT account_id FROM campaign_creators")]
    return {a for a, r in rebook(store, ids).items() if r.score is not None and r.score < POOR}
