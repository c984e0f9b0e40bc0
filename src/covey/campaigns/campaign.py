"""A campaign: what the brand wants, the creators it books, from a saved plan or by hand.

The campaign's settings live in :class:`Spec` (kept as JSON in ``campaign_campaigns.spec``);
the booked creators in ``campaign_creators``, each with the posts and fee agreed and the rate
card's price for comparison. Every change is an event in ``campaign_events``.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from covey.countries import require_country, require_currency
from covey.errors import InputError
from covey.store import Store

log = logging.getLogger("covey.campaigns.campaign")

HASHTAG = re.compile(r"^[a-z0-9_]{3,60}$")


@dataclass(frozen=True)
class Spec:
    """Everything a campaign says before any creator is booked."""

    name: str
    brand: str
    starts: date
    ends: date
    budget: float
    currency: str = "EUR"
    objective: str = "reach"
    jurisdictions: tuple[str, ...] = ()
    hashtag: str = ""
    visual_identifier: str = ""
    key_messages: tuple[str, ...] = ()
    must_say: tuple[str, ...] = ()
    must_not_say: tuple[str, ...] = ()
    utm_base: str = ""
    code_pattern: str = ""
    product_kind: str = "consumer"
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A plain dict (dates as ISO text)."""
        d = asdict(self)
        d["starts"], d["ends"] = self.starts.isoformat(), self.ends.isoformat()
        return d


@dataclass(frozen=True)
class Booking:
    """One creator booked on a campaign."""

    account_id: str
    handle: str
    platform: str
    country: str | None
    language: str | None
    posts: int
    fee: float | None
    card_price: float | None
    contact: str = ""
    planned: dict[str, Any] = field(default_factory=dict)


def check_spec(spec: Spec) -> Spec:
    """The spec with codes normalised; InputError naming the field otherwise."""
    if not spec.name.strip():
        raise InputError("a campaign needs a name", field="name")
    if not spec.brand.strip():
        raise InputError("a campaign needs a brand", field="brand")
    if spec.ends < spec.starts:
        raise InputError(f"ends {spec.ends} is before starts {spec.starts}", field="ends")
    if not spec.budget > 0:
        raise InputError("the budget must be positive", field="budget")
    tag = spec.hashtag.lstrip("#").lower()
    if tag and not HASHTAG.match(tag):
        raise InputError(
            f"hashtag {spec.hashtag!r}: 3-60 letters, digits or '_' (no spaces)", field="hashtag"
        )
    if spec.code_pattern and "{handle}" not in spec.code_pattern:
        raise InputError(
            "the discount-code pattern must hold {handle}, e.g. BRAND-{handle}", field="code_pattern"
        )
    return Spec(
        **{
            **asdict(spec),
            "currency": require_currency(spec.currency),
            "jurisdictions": tuple(require_country(j, field="jurisdictions") for j in spec.jurisdictions),
            "hashtag": tag,
            "key_messages": tuple(spec.key_messages),
            "must_say": tuple(spec.must_say),
            "must_not_say": tuple(spec.must_not_say),
        }
    )


def hashtag_uses(store: Store, tag: str) -> int:
    """Imported posts that already carry ``#tag`` (a campaign hashtag must be new)."""
    row = store.query(
        "SELECT count(*) FROM posts WHERE list_contains(hashtags, ?) OR lower(caption) LIKE ?",
        [tag, f"%#{tag}%"],
    )
    return int(row[0][0]) if row else 0


def _next_id(cur: Any, table: str, column: str) -> int:
    row = cur.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchone()
    return int(row[0]) if row else 1


def log_event(
    cur: Any,
    campaign_id: int,
    account_id: str | None,
    actor: str,
    kind: str,
    detail: str = "",
    from_stage: str | None = None,
    to_stage: str | None = None,
) -> None:
    """Append one event to the audit trail (inside the caller's transaction)."""
    cur.execute(
        "INSERT INTO campaign_events VALUES (?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?)",
        [
            _next_id(cur, "campaign_events", "event_id"),
            campaign_id,
            account_id,
            actor,
            kind,
            from_stage,
            to_stage,
            detail,
        ],
    )


def due_dates(spec: Spec, posts: int) -> list[date]:
    """Deliverable due dates spread evenly over the campaign window (the last on its end)."""
    days = (spec.ends - spec.starts).days
    return [spec.starts + timedelta(days=round(days * (i + 1) / posts)) for i in range(posts)]


def create_campaign(
    store: Store,
    spec: Spec,
    bookings: list[Booking],
    *,
    actor: str,
    plan_id: int | None = None,
    first_stage: str = "prospect",
) -> int:
    """Store a new campaign and its creators in one transaction; returns its id."""
    spec = check_spec(spec)
    if spec.hashtag:
        used = hashtag_uses(store, spec.hashtag)
        if used:
            raise InputError(
                f"#{spec.hashtag} is already in {used:,} imported posts: choose a hashtag nobody uses, "
                "so the campaign's posts can be told apart",
                field="hashtag",
            )
    with store.transaction() as cur:
        cid = _next_id(cur, "campaign_campaigns", "campaign_id")
        cur.execute(
            "INSERT INTO campaign_campaigns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, ?)",
            [
                cid,
                spec.name,
                spec.brand,
                spec.objective,
                spec.budget,
                spec.currency,
                spec.starts,
                spec.ends,
                spec.hashtag,
                plan_id,
                json.dumps(spec.to_json()),
                actor,
            ],
        )
        log_event(cur, cid, None, actor, "created", f"plan {plan_id}" if plan_id else "by hand")
        for b in bookings:
            _insert_booking(cur, cid, spec, b, actor, first_stage)
    log.info("campaign %d created with %d creators", cid, len(bookings))
    return cid


def _insert_booking(cur: Any, cid: int, spec: Spec, b: Booking, actor: str, stage: str) -> None:
    if b.posts < 1:
        raise InputError(f"@{b.handle}: agreed posts must be at least 1", field="posts")
    found = cur.execute(
        "SELECT count(*) FROM campaign_creators WHERE campaign_id = ? AND account_id = ? AND NOT removed",
        [cid, b.account_id],
    ).fetchone()
    if found and found[0]:
        raise InputError(f"@{b.handle} is already on campaign {cid}", field="account")
    cur.execute(
        "INSERT INTO campaign_creators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, ?)",
        [
            cid,
            b.account_id,
            b.handle,
            b.platform,
            b.country,
            b.language,
            stage,
            b.posts,
            b.fee,
            b.card_price,
            b.contact,
            json.dumps(b.planned, default=str),
        ],
    )
    cur.execute(
        "DELETE FROM campaign_deliverables WHERE campaign_id = ? AND account_id = ?", [cid, b.account_id]
    )
    for i, due in enumerate(due_dates(spec, b.posts), start=1):
        cur.execute(
            "INSERT INTO campaign_deliverables VALUES (?, ?, ?, ?, NULL)", [cid, b.account_id, i, due]
        )
    log_event(cur, cid, b.account_id, actor, "added", f"{b.posts} posts, fee {b.fee}", None, stage)


def add_creator(store: Store, campaign_id: int, booking: Booking, *, actor: str) -> None:
    """Book one more creator on a campaign (stage 'prospect')."""
    spec = load_spec(store, campaign_id)
    with store.transaction() as cur:
        _insert_booking(cur, campaign_id, spec, booking, actor, "prospect")


def booking_from_store(
    store: Store, who: str, posts: int, fee: float | None, card_price: float | None = None
) -> Booking:
    """A booking for an imported account given by handle (with or without '@') or account id."""
    key = who.lstrip("@")
    rows = store.query(
        "SELECT account_id, handle, platform, country, language FROM accounts "
        "WHERE account_id = ? OR lower(handle) = lower(?) ORDER BY account_id LIMIT 1",
        [key, key],
    )
    if not rows:
        raise InputError(f"no imported account {who!r} (give a handle or an account id)", field="creator")
    a, h, p, c, lang = rows[0]
    return Booking(str(a), str(h), str(p), c, lang, posts, fee, card_price)


def bookings_from_plan(store: Store, plan_id: int) -> tuple[list[Booking], dict[str, Any]]:
    """The creators of a saved plan as bookings (fee = the planned price), and the plan's inputs."""
    from covey.planning.plans import load_plan

    plan = load_plan(store, plan_id)
    out = []
    for it in plan.items:
        b = booking_from_store(store, str(it["account_id"]), int(it["posts"]), None)
        price = it.get("cost_per_post")
        planned = {
            k: it.get(k)
            for k in (
                "posts",
                "cost",
                "reach_per_post",
                "engagements",
                "real_audience",
                "real_share_source",
                "reach_rate",
                "cost_per_post",
            )
        }
        fee = float(price) * int(it["posts"]) if price is not None else None
        out.append(
            Booking(
                b.account_id,
                b.handle,
                b.platform,
                b.country,
                b.language,
                b.posts,
                fee,
                float(price) if price is not None else None,
                planned=planned,
            )
        )
    return out, {**plan.inputs, "summary": plan.summary}


def no_campaign(known_rows: list[Any], campaign_id: int) -> InputError:
    """The error for an unknown campaign id, listing the known ones."""
    known = [str(r[0]) for r in known_rows]
    hint = f"campaigns: {', '.join(known)}" if known else "no campaign yet"
    return InputError(f"no campaign {campaign_id}; {hint} (see 'covey campaign list')", field="campaign")


def load_spec(store: Store, campaign_id: int) -> Spec:
    """The spec of a stored campaign; InputError listing the known ids otherwise."""
    rows = store.query("SELECT spec FROM campaign_campaigns WHERE campaign_id = ?", [campaign_id])
    if not rows:
        raise no_campaign(store.query("SELECT campaign_id FROM campaign_campaigns ORDER BY 1"), campaign_id)
    d = json.loads(rows[0][0])
    d["starts"], d["ends"] = date.fromisoformat(d["starts"]), date.fromisoformat(d["ends"])
    for k in ("jurisdictions", "key_messages", "must_say", "must_not_say"):
        d[k] = tuple(d[k])
    return Spec(**d)


def campaign_row(store: Store, campaign_id: int) -> dict[str, Any]:
    """The campaign's stored columns (spec included) as a dict."""
    spec = load_spec(store, campaign_id)
    r = store.query(
        "SELECT plan_id, created_at, created_by FROM campaign_campaigns WHERE campaign_id = ?", [campaign_id]
    )[0]
    return {
        "campaign_id": campaign_id,
        "plan_id": r[0],
        "created_at": str(r[1]),
        "created_by": r[2],
        **spec.to_json(),
    }


def creators(store: Store, campaign_id: int, *, removed: bool = False) -> list[dict[str, Any]]:
    """The campaign's creators (booked, not removed unless asked), with stage and fees."""
    cols = (
        "account_id",
        "handle",
        "platform",
        "country",
        "language",
        "stage",
        "posts",
        "fee",
        "card_price",
        "contact",
        "removed",
        "planned",
    )
    rows = store.query(
        f"SELECT {', '.join(cols)} FROM campaign_creators WHERE campaign_id = ? "
        + ("" if removed else "AND NOT removed ")
        + "ORDER BY handle",
        [campaign_id],
    )
    out = []
    for r in rows:
        d = dict(zip(cols, r, strict=True))
        d["planned"] = json.loads(d["planned"] or "{}")
        out.append(d)
    return out


def list_campaigns(store: Store) -> list[dict[str, Any]]:
    """Every campaign with its headline settings, newest first."""
    rows = store.query(
        """SELECT c.campaign_id, c.name, c.brand, c.budget, c.currency, c.starts, c.ends, c.hashtag,
            c.plan_id,
                  (SELECT count(*) FROM campaign_creators k WHERE k.campaign_id = c.campaign_id
                      AND NOT k.removed)
           FROM campaign_campaigns c ORDER BY c.campaign_id DESC"""
    )
    keys = (
        "campaign_id",
        "name",
        "brand",
        "budget",
        "currency",
        "starts",
        "ends",
        "hashtag",
        "plan_id",
        "creators",
    )
    return [dict(zip(keys, r, strict=True)) for r in rows]


def tracking_code(spec: Spec, handle: str) -> str:
    """The creator's discount code from the campaign's pattern (upper case), '' without one."""
    if not spec.code_pattern:
        return ""
    return spec.code_pattern.replace("{handle}", re.sub(r"[^A-Za-z0-9]", "", handle)).upper()


def tracked_link(spec: Spec, handle: str) -> str:
    """The creator's UTM link: the base plus utm_source=covey, utm_campaign, utm_content=handle."""
    if not spec.utm_base:
        return ""
    sep = "&" if "?" in spec.utm_base else "?"
    camp = re.sub(r"[^a-z0-9]+", "-", spec.name.lower()).strip("-")
    return (
        f"{spec.utm_base}{sep}utm_source=covey&utm_medium=influencer&utm_campaign={camp}&utm_content={handle}"
    )
