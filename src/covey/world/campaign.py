"""Simulated delivery of a campaign (or a saved plan) on a sample world, with its truth.

What happens, drawn from the seed: one creator drops out (posts nothing), some creators post
late, one forgets the disclosure on one post, the rest deliver on time. Each post reaches each
real follower of the creator in the world's truth (``truth/audience_members``) with the
account's true reach rate, so every person's number of exposures is drawn, not modelled.
Video platforms report views (the people reached, scaled by ``audience_scale``); Instagram
does not. About half the creators who post share their post insights (never none, never all
when two or more post): per post the unique accounts it reached, from the drawn exposures, the
impressions (reach plus repeat showings) and, on video platforms, the views. Written to
``OUT``: ``posts.parquet`` (canonical, for ``covey import``), ``conversions.csv`` (code, clicks,
conversions, revenue), ``insights.csv`` (for ``covey campaign insights``) and
``truth/campaign.json``.
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from covey.errors import InputError
from covey.world.writer import canonical_schema

if TYPE_CHECKING:
    from covey.store import Store

log = logging.getLogger("covey.world.campaign")

# The disclosure label each world language uses (accepted by the compliance packs).
LABELS = {
    "en": "#ad",
    "es": "#publicidad",
    "fr": "#publicité",
    "de": "#werbung",
    "it": "#pubblicità",
    "pt": "#publicidade",
}
VIEW_PLATFORMS = ("tiktok", "youtube")
LATE_SHARE = 0.3  # share of creators who post late
INSIGHTS_SHARE = 0.5  # share of the creators who post that share their post insights
REPEAT_SHOWINGS = 0.25  # impressions per reached account above 1 (repeat showings), for the insights
URLS = {
    "instagram": "https://www.instagram.com/p/",
    "tiktok": "https://www.tiktok.com/v/",
    "youtube": "https://www.youtube.com/watch?v=",
}


@dataclass(frozen=True)
class Order:
    """What was booked: one creator's agreed posts, its tracking markers and due dates."""

    account_id: str
    handle: str
    platform: str
    language: str
    posts: int
    due: tuple[date, ...]
    code: str


def _true_audiences(
    world: Path, ids: list[str]
) -> tuple[dict[str, np.ndarray], dict[str, float], float, int]:
    """Each account's real followers as person indexes, true reach rates, audience_scale, people."""
    truth = world / "truth"
    if not (truth / "world.json").exists():
        raise InputError(f"{world}: not a sample world (no truth/world.json)", path=world)
    scale = float(json.loads((truth / "world.json").read_text())["audience_scale"])
    con = duckdb.connect()
    con.register("want", pa.table({"account_id": pa.array(ids, pa.string())}))
    t = con.sql(
        f"""SELECT m.account_id, dense_rank() OVER (ORDER BY m.person_id) - 1 AS j
            FROM '{truth}/audience_members.parquet' m JOIN want USING (account_id)"""
    ).fetchnumpy()
    rates = dict(
        con.sql(
            f"SELECT account_id, reach_rate FROM '{truth}/accounts.parquet' JOIN want USING (account_id)"
        ).fetchall()
    )
    acc, j = t["account_id"], t["j"].astype(np.int64)
    aud = {a: j[acc == a] for a in ids}
    return aud, {str(k): float(v) for k, v in rates.items()}, scale, int(j.max()) + 1 if j.size else 0


def _usual_engagement(world: Path, ids: list[str]) -> dict[str, tuple[float, float]]:
    """Each account's mean likes and mean comments per post over its posts in the world."""
    con = duckdb.connect()
    con.register("want", pa.table({"account_id": pa.array(ids, pa.string())}))
    rows = con.sql(
        f"""SELECT account_id, avg(coalesce(likes, 0)), avg(coalesce(comments, 0))
            FROM '{world}/posts.parquet' JOIN want USING (account_id) GROUP BY 1"""
    ).fetchall()
    return {str(a): (float(lk), float(cm)) for a, lk, cm in rows}


def simulate(
    world: Path, orders: list[Order], out: Path, *, hashtag: str, brand: str, seed: int, starts: date
) -> dict[str, Any]:
    """Simulate delivery of ``orders``; write posts, conversions and the truth into ``out``."""
    if not orders:
        raise InputError("nothing to deliver: the plan or campaign has no creators", field="plan")
    rng = np.random.default_rng([seed, 1207])
    ids = [o.account_id for o in orders]
    aud, rates, scale, n_people = _true_audiences(world, ids)
    usual = _usual_engagement(world, ids) if (world / "posts.parquet").exists() else {}
    n = len(orders)
    drop = int(rng.integers(n))
    others = [i for i in range(n) if i != drop]
    forget = others[int(rng.integers(len(others)))] if others else -1
    late = {i for i in others if rng.random() < LATE_SHARE and i != forget}
    sharing = _who_shares(others, seed)
    insights: list[tuple[str, str, int, int, int | None]] = []
    told = np.random.default_rng([seed, 1207, 2])  # apart from rng: the deliveries stay as they were
    exposures = np.zeros(n_people, dtype=np.int64)
    rows: dict[str, list[Any]] = {f.name: [] for f in canonical_schema("posts")}
    conv: list[tuple[str, int, int, float]] = []
    truth_rows = []
    for i, o in enumerate(orders):
        members, rate = aud.get(o.account_id, np.zeros(0, np.int64)), rates.get(o.account_id, 0.0)
        delivered = 0 if i == drop else o.posts
        late_ids, undisclosed_ids, reached_people = [], [], 0.0
        for k in range(delivered):
            hit = members[rng.random(members.size) < rate]
            exposures[hit] += 1
            reached = hit.size / scale
            reached_people += reached
            days_late = int(rng.integers(3, 10)) if i in late and k == delivered - 1 else 0
            when = (
                datetime.combine(o.due[k], datetime.min.time())
                - timedelta(days=1)
                + timedelta(days=days_late, hours=int(rng.integers(8, 20)))
            )
            label = "" if (i == forget and k == 0) else LABELS.get(o.language, "#ad") + " | "
            caption = (
                f"{label}My honest take on this with @{brand.lower().replace(' ', '')} - part {k + 1}. "
                f"#{hashtag}" + (f" Code {o.code}" if o.code else "")
            )
            pid = f"{o.platform}:camp{seed}_{i}_{k}"
            # Engagement as the creator's usual posts get it, scaled by how many this post reached.
            lk, cm = usual.get(o.account_id, (0.06 * reached, 0.006 * reached))
            ratio = hit.size / max(rate * members.size, 1.0)
            likes, n_comments = int(rng.poisson(lk * ratio)), int(rng.poisson(cm * ratio))
            row = {
                "post_id": pid,
                "account_id": o.account_id,
                "platform_id": pid.split(":", 1)[1],
                "kind": "video" if o.platform in VIEW_PLATFORMS else "image",
                "title": None,
                "caption": caption,
                "hashtags": [hashtag],
                "mentions": [brand.lower().replace(" ", "")],
                "posted_at": when,
                "likes": likes,
                "comments": n_comments,
                "views": round(reached) if o.platform in VIEW_PLATFORMS else None,
                "shares": None,
                "saves": None,
                "sponsored": False,
                "url": URLS.get(o.platform, "https://example.org/") + pid.split(":", 1)[1],
            }
            for key, value in row.items():
                rows[key].append(value)
            if i in sharing:
                # Unique accounts the post reached, from the drawn exposures, as insights show it.
                unique = round(reached)
                insights.append(
                    (
                        str(row["url"]),
                        o.handle,
                        unique,
                        unique + int(told.poisson(REPEAT_SHOWINGS * unique)),
                        round(reached) if o.platform in VIEW_PLATFORMS else None,
                    )
                )
            if days_late:
                late_ids.append(pid)
            if label == "":
                undisclosed_ids.append(pid)
        if o.code:
            clicks = int(rng.poisson(reached_people * 0.01))
            conversions = int(rng.binomial(clicks, 0.05))
            conv.append((o.code, clicks, conversions, round(conversions * 35.0, 2)))
        truth_rows.append(
            {
                "account_id": o.account_id,
                "handle": o.handle,
                "agreed": o.posts,
                "delivered": delivered,
                "dropped": i == drop,
                "late_posts": late_ids,
                "undisclosed_posts": undisclosed_ids,
                "missing": o.posts - delivered,
                "reached_per_post_people": reached_people / max(delivered, 1),
                "true_reach_rate": rate,
                "shared_insights": i in sharing,
            }
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    pq.write_table(pa.table(rows, schema=canonical_schema("posts")), out / "posts.parquet")
    with (out / "conversions.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["code", "clicks", "conversions", "revenue"])
        w.writerows(conv)
    with (out / "insights.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["post", "handle", "reach", "impressions", "views"])
        w.writerows(["" if v is None else v for v in r] for r in insights)
    truth = {
        "seed": seed,
        "hashtag": hashtag,
        "audience_scale": scale,
        "starts": starts.isoformat(),
        "reach": {"1+": float((exposures >= 1).sum() / scale), "3+": float((exposures >= 3).sum() / scale)},
        "definition": "people (panel people / audience_scale) whose drawn exposures over every "
        "delivered post "
        "reach 1+ or 3+; each post reaches each true real follower with the account's true reach rate",
        "dropped": orders[drop].account_id,
        "forgot_disclosure": orders[forget].account_id if forget >= 0 else None,
        "creators": truth_rows,
    }
    (out / "truth" / "campaign.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    log.info("simulated %d posts of %d creators into %s", len(rows["post_id"]), n, out)
    return truth


def _who_shares(posting: list[int], seed: int) -> set[int]:
    """The creators (order indexes) who share their insights: some, never none, never all of two+."""
    rng = np.random.default_rng([seed, 1207, 1])
    chosen = {i for i in posting if rng.random() < INSIGHTS_SHARE}
    if posting and not chosen:
        chosen = {posting[int(rng.integers(len(posting)))]}
    if len(posting) > 1 and chosen == set(posting):
        chosen.discard(posting[int(rng.integers(len(posting)))])
    return chosen


def orders_from_store(
    db: Path, *, campaign_id: int | None, plan_id: int | None
) -> tuple[list[Order], dict[str, Any]]:
    """The orders of a stored campaign (its creators, dates, code) or of a saved plan."""
    from covey.planning.plans import load_plan
    from covey.store import DuckDBStore

    with DuckDBStore(db) as store:
        if campaign_id is not None:
            return campaign_orders(store, campaign_id)
        if plan_id is None:
            raise InputError("give --plan ID or --campaign ID", field="plan")
        plan = load_plan(store, plan_id)
        langs = dict(
            store.query(
                "SELECT account_id, coalesce(language, 'en') FROM accounts WHERE account_id IN "
                f"({', '.join('?' * len(plan.items))})",
                [it["account_id"] for it in plan.items],
            )
        )
    end = date.fromisoformat(str(plan.inputs.get("starts", "2026-07-01"))[:10])
    orders = []
    for it in plan.items:
        p = int(it["posts"])
        due = tuple(end + timedelta(days=round(28 * (k + 1) / p)) for k in range(p))
        orders.append(
            Order(
                str(it["account_id"]),
                str(it["handle"]),
                str(it["platform"]),
                str(langs.get(it["account_id"], "en")),
                p,
                due,
                "",
            )
        )
    return orders, {"hashtag": f"plan{plan_id}", "brand": "brand", "starts": end}


def campaign_orders(store: Store, campaign_id: int) -> tuple[list[Order], dict[str, Any]]:
    """The orders of a stored campaign: its creators still on it, their due dates and codes."""
    from covey.campaigns.campaign import creators, due_dates, load_spec, tracking_code

    spec = load_spec(store, campaign_id)
    cs = [c for c in creators(store, campaign_id) if c["stage"] not in ("declined", "dropped")]
    orders = [
        Order(
            c["account_id"],
            c["handle"],
            c["platform"],
            c["language"] or "en",
            c["posts"],
            tuple(due_dates(spec, c["posts"])),
            tracking_code(spec, c["handle"]),
        )
        for c in cs
    ]
    return orders, {
        "hashtag": spec.hashtag or f"campaign{campaign_id}",
        "brand": spec.brand,
        "starts": spec.starts,
    }
