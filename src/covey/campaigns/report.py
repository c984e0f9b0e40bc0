"""The plan-against-actual report of a campaign: per creator and in total, with definitions.

Every figure is computed from what was tracked (matched posts, their views and engagements,
the imported conversions) and the plan's own model; a figure that cannot be known is None
(shown as "unknown"), never 0. The EMV table is printed with the report, apart from results.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from covey.campaigns.campaign import campaign_row, creators
from covey.campaigns.tracking import flags
from covey.errors import InputError
from covey.planning.ratecard import load_exchange
from covey.store import Store

log = logging.getLogger("covey.campaigns.report")

DEFINITIONS = {
    "posts_delivered": "campaign posts matched to an agreed deliverable",
    "impressions": "people reached per post, summed over posts: the reach the creator reported (post "
    "insights), else the platform's views where it reports them, else the plan's reach model (reach rate x "
    "modelled real audience)",
    "reach_1plus / reach_3plus": "target people reached at least once / at least 3 times, by the plan's "
    "own audience model with the delivered posts; with a 90 % interval from re-drawing the model's "
    "uncertain parts",
    "reach_rate_source": "where a creator's reach rate comes from: 'reported reach' (mean reported reach per "
    "post / real audience), 'views' (mean views per post / real audience), else 'prior' (the plan's "
    "platform-and-tier rate); measured only where the real audience is known (vetting, candidate list, "
    "follower sample)",
    "engagements": "likes + comments on the delivered posts; "
    "expected = the plan's engagements per post x posts",
    "fee": "the agreed fee (covey campaign terms), else the rate card's price x posts; counted whether "
    "or not the posts went live, so a drop-out's fee shows in the costs until it is changed",
    "cpe": "fee / engagements",
    "cpm": "fee / impressions x 1000",
    "emv": "impressions / 1000 x the platform's CPM in the EMV table (an estimate of what paid media would "
    "have cost, not revenue)",
    "cost_per_conversion": "fee / conversions from the imported conversions file",
}


@dataclass(frozen=True)
class EmvTable:
    """CPM per platform in a currency, and where the figures come from."""

    cpm: dict[str, float]
    currency: str
    source: str

    def in_currency(self, currency: str) -> EmvTable:
        """The table converted to ``currency`` with Covey's dated exchange table."""
        if currency == self.currency:
            return self
        f = load_exchange().factor(self.currency, currency)
        return EmvTable(
            {k: v * f for k, v in self.cpm.items()}, currency, f"{self.source}, converted to {currency}"
        )


def load_emv(path: Path | None = None) -> EmvTable:
    """The EMV table in ``path`` (TOML: currency, source, [cpm]), else Covey's defaults."""
    if path is None:
        text, where = (
            resources.files("covey.campaigns").joinpath("emv.toml").read_text(encoding="utf-8"),
            "emv.toml",
        )
    else:
        if not path.exists():
            raise InputError("no such file", path=path)
        text, where = path.read_text(encoding="utf-8"), str(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", path=where) from exc
    cpm = raw.get("cpm")
    if not isinstance(cpm, dict) or not all(isinstance(v, int | float) and v >= 0 for v in cpm.values()):
        raise InputError("[cpm] must map platforms to non-negative numbers", path=where, field="cpm")
    return EmvTable(
        {str(k): float(v) for k, v in cpm.items()},
        str(raw.get("currency", "EUR")),
        str(raw.get("source", where)),
    )


def _div(a: float | None, b: float | None, times: float = 1.0) -> float | None:
    return a / b * times if a is not None and b else None


def build_report(
    store: Store,
    campaign_id: int,
    *,
    emv_path: Path | None = None,
    rates_from_views: bool | None = None,
    interval: bool = True,
) -> dict[str, Any]:
    """Plan against actual for every creator and in total.

    ``interval``: compute the 90 % interval of the delivered reach (40 re-drawn models; off
    saves that time where only the point figures are wanted).

    ``rates_from_views`` is passed to :func:`covey.campaigns.reach.delivered_reach`
    (None: views set the reach rates of creators whose real audience is known: vetting, the
    candidate list or the follower sample).
    """
    camp = campaign_row(store, campaign_id)
    emv = load_emv(emv_path).in_currency(camp["currency"])
    conv = {
        a: (int(c), int(v), float(r))
        for a, c, v, r in store.query(
            "SELECT account_id, sum(clicks), sum(conversions), sum(revenue) FROM campaign_conversions "
            "WHERE campaign_id = ? GROUP BY 1",
            [campaign_id],
        )
    }
    per_post = _posts(store, campaign_id)
    rows, posts, views_pp, reach_pp = [], {}, {}, {}
    for c in creators(store, campaign_id):
        pl = c["planned"]
        mine = per_post.get(c["account_id"], [])
        n = len(mine)
        late = sum(1 for p in mine if p["late"])
        bad = sum(1 for p in mine if not p["compliant"])
        eng = sum(p["engagements"] for p in mine)
        rate, aud = pl.get("reach_rate"), pl.get("real_audience")
        model_pp = float(rate) * float(aud) if rate is not None and aud is not None else None
        reached = [p["reach"] for p in mine if p["reach"] is not None]
        seen = [p["views"] for p in mine if p["views"] is not None]
        if reached:
            reach_pp[c["account_id"]] = sum(reached) / len(reached)
        if seen:
            views_pp[c["account_id"]] = sum(seen) / len(seen)
        # People reached per post: the reported reach, else views, else the plan's model.
        parts = [
            ("reported reach", float(p["reach"]))
            if p["reach"] is not None
            else ("views", float(p["views"]))
            if p["views"] is not None
            else ("model", model_pp)
            for p in mine
        ]
        impressions = (
            None if any(v is None for _, v in parts) else float(sum(v for _, v in parts if v is not None))
        )
        source = "+".join(dict.fromkeys(k for k, _ in parts))
        expected_eng = (
            float(pl["engagements"]) / max(int(pl.get("posts") or c["posts"]), 1) * c["posts"]
            if pl.get("engagements") is not None
            else None
        )
        fee = (
            c["fee"] if c["fee"] is not None else (c["card_price"] * c["posts"] if c["card_price"] else None)
        )
        clicks, conversions, revenue = conv.get(c["account_id"], (None, None, None))
        cpm_rate = emv.cpm.get(c["platform"], emv.cpm.get("other"))
        posts[c["account_id"]] = n
        rows.append(
            {
                "handle": c["handle"],
                "account_id": c["account_id"],
                "platform": c["platform"],
                "stage": c["stage"],
                "posts_agreed": c["posts"],
                "posts_delivered": n,
                "late": int(late),
                "non_compliant": int(bad),
                "missing": c["posts"] - n,
                "impressions": impressions,
                "impressions_source": source,
                "engagements": int(eng),
                "engagements_expected": expected_eng,
                "fee": fee,
                "card_price": c["card_price"],
                "cpe": _div(fee, float(eng) if n else None),
                "posts_with_reported_reach": len(reached),
                "cpm": _div(fee, impressions, 1000.0),
                "emv": impressions / 1000.0 * cpm_rate
                if impressions is not None and cpm_rate is not None
                else None,
                "clicks": clicks,
                "conversions": conversions,
                "revenue": revenue,
                "cost_per_conversion": _div(fee, float(conversions) if conversions else None),
            }
        )
    total = _totals(rows)
    reach = None
    if camp["plan_id"] is not None:
        from covey.campaigns.reach import delivered_reach

        reach = delivered_reach(
            store,
            int(camp["plan_id"]),
            posts,
            views_pp,
            reach_per_post=reach_pp,
            calibrate_views=rates_from_views,
            interval=interval,
        )
        for r in rows:
            used = reach["rate_sources"].get(r["account_id"])
            r["reach_rate"] = used["rate"] if used else None
            r["reach_rate_source"] = used["source"] if used else "not in the plan's model"
    else:
        for r in rows:
            r["reach_rate"], r["reach_rate_source"] = None, "no plan: no model"
    return {
        "campaign": camp,
        "creators": rows,
        "total": total,
        "reach": reach,
        "reach_note": None
        if reach
        else "campaign made by hand: no plan, so no audience model for 1+ / 3+ reach",
        "flags": flags(store, campaign_id),
        "definitions": DEFINITIONS,
        "emv_table": {
            "currency": emv.currency,
            "source": emv.source,
            "cpm": emv.cpm,
            "formula": "EMV = impressions / 1000 x CPM of the post's platform",
        },
    }


def _posts(store: Store, campaign_id: int) -> dict[str, list[dict[str, Any]]]:
    """Each creator's delivered posts: late, compliant, engagements, views, reported reach.

    Views are the platform's, else the views the creator reported; reach is only ever reported
    (no platform publishes it for another account's post). The newest insights import wins.
    """
    from covey.campaigns.insights import latest_insights

    told = latest_insights(store, campaign_id)
    out: dict[str, list[dict[str, Any]]] = {}
    for account, pid, late, compliant, eng, views in store.query(
        """SELECT m.account_id, m.post_id, m.late, m.compliant,
                  coalesce(p.likes, 0) + coalesce(p.comments, 0), p.views
           FROM campaign_matches m JOIN posts p USING (post_id)
           WHERE m.campaign_id = ? AND m.deliverable IS NOT NULL ORDER BY m.deliverable""",
        [campaign_id],
    ):
        t = told.get(str(pid), {})
        out.setdefault(str(account), []).append(
            {
                "late": bool(late),
                "compliant": bool(compliant),
                "engagements": int(eng),
                "views": views if views is not None else t.get("views"),
                "reach": t.get("reach"),
            }
        )
    return out


def _sum(rows: list[dict[str, Any]], key: str) -> float | None:
    vals = [r[key] for r in rows]
    if any(v is None for v in vals):
        return None  # one unknown part makes the total unknown
    return float(sum(vals))


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    t: dict[str, Any] = {
        k: _sum(rows, k)
        for k in (
            "posts_agreed",
            "posts_delivered",
            "late",
            "non_compliant",
            "missing",
            "impressions",
            "engagements",
            "fee",
            "emv",
            "posts_with_reported_reach",
        )
    }
    exp = [r["engagements_expected"] for r in rows]
    t["engagements_expected"] = float(sum(exp)) if exp and all(e is not None for e in exp) else None
    known = [r for r in rows if r["conversions"] is not None]
    t["clicks"] = sum(r["clicks"] for r in known) if known else None
    t["conversions"] = sum(r["conversions"] for r in known) if known else None
    t["cpe"] = _div(t["fee"], t["engagements"])
    t["cpm"] = _div(t["fee"], t["impressions"], 1000.0)
    t["cost_per_conversion"] = _div(t["fee"], float(t["conversions"]) if t["conversions"] else None)
    return t
