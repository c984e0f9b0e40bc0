"""`covey campaign ...`: campaigns from a plan to a report; `covey world campaign` simulates delivery."""

from __future__ import annotations

import getpass
import os
from datetime import date, datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from covey.cli.common import DEFAULT_DB, DbOption, JsonOption, cli_errors, console, print_json, say
from covey.errors import InputError

campaign_app = typer.Typer(
    help="Campaigns: outreach, briefs, approval, tracking and reports.", no_args_is_help=True
)

Id = Annotated[int, typer.Argument(help="The campaign's id (see covey campaign list).")]
Who = Annotated[str, typer.Argument(help="The creator: handle (with or without @) or account id.")]
ActorOption = Annotated[
    str | None,
    typer.Option("--actor", help="Who is doing this, for the audit trail (default: your user name)."),
]


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return os.environ.get("COVEY_USER") or getpass.getuser()
    except OSError:
        return "unknown"


def _date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date (YYYY-MM-DD)", field=field) from None


@campaign_app.command("create")
def create(
    from_plan: Annotated[
        int | None, typer.Option("--from-plan", help="Book the creators of this saved plan.")
    ] = None,
    name: Annotated[str, typer.Option("--name", help="Campaign name.")] = "",
    brand: Annotated[str, typer.Option("--brand", help="The brand.")] = "",
    starts: Annotated[str, typer.Option("--starts", help="First day (YYYY-MM-DD).")] = "",
    ends: Annotated[str, typer.Option("--ends", help="Last day (YYYY-MM-DD).")] = "",
    budget: Annotated[float | None, typer.Option("--budget", help="Budget (default: the plan's).")] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", help="ISO 4217 code (default: the plan's).")
    ] = None,
    objective: Annotated[str, typer.Option("--objective", help="What the campaign is for.")] = "reach",
    jurisdiction: Annotated[
        list[str] | None, typer.Option("--jurisdiction", help="A market (repeatable).")
    ] = None,
    hashtag: Annotated[
        str, typer.Option("--hashtag", help="Campaign hashtag; must be unused in the data.")
    ] = "",
    visual: Annotated[str, typer.Option("--visual", help="Visual identifier creators show.")] = "",
    message: Annotated[list[str] | None, typer.Option("--message", help="Key message (repeatable).")] = None,
    must_say: Annotated[list[str] | None, typer.Option("--must-say", help="Must say (repeatable).")] = None,
    must_not_say: Annotated[list[str] | None, typer.Option("--must-not-say", help="Must not say.")] = None,
    utm: Annotated[str, typer.Option("--utm", help="Link base for tracked (UTM) links.")] = "",
    code_pattern: Annotated[
        str, typer.Option("--code-pattern", help="Discount code, e.g. BRAND-{handle}.")
    ] = "",
    product_kind: Annotated[
        str, typer.Option("--product-kind", help="For the compliance check.")
    ] = "consumer",
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Create a campaign from a saved plan (--from-plan ID) or by hand (then add creators)."""
    from covey.campaigns.campaign import Spec, bookings_from_plan, create_campaign
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        bookings: list[Any] = []
        extra: dict[str, Any] = {}
        if from_plan is not None:
            bookings, inputs = bookings_from_plan(store, from_plan)
            budget = budget if budget is not None else float(inputs["budget"])
            currency = currency or str(inputs["currency"])
            extra["brief"] = inputs.get("text", "")
            name = name or f"Plan {from_plan}"
        for value, flag in ((name, "--name"), (brand, "--brand"), (starts, "--starts"), (ends, "--ends")):
            if not value:
                raise InputError(f"{flag} is required", field=flag)
        if budget is None:
            raise InputError("--budget is required without --from-plan", field="--budget")
        spec = Spec(
            name=name,
            brand=brand,
            starts=_date(starts, "--starts"),
            ends=_date(ends, "--ends"),
            budget=budget,
            currency=currency or "EUR",
            objective=objective,
            jurisdictions=tuple(jurisdiction or ()),
            hashtag=hashtag,
            visual_identifier=visual,
            key_messages=tuple(message or ()),
            must_say=tuple(must_say or ()),
            must_not_say=tuple(must_not_say or ()),
            utm_base=utm,
            code_pattern=code_pattern,
            product_kind=product_kind,
            extra=extra,
        )
        cid = create_campaign(store, spec, bookings, actor=_actor(actor), plan_id=from_plan)
    if as_json:
        print_json({"campaign_id": cid, "creators": len(bookings)})
        return
    say(f"Campaign {cid} created with {len(bookings)} creators (all at stage 'prospect').")


@campaign_app.command("list")
def list_(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Campaigns, newest first."""
    from covey.campaigns.campaign import list_campaigns
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        rows = list_campaigns(store)
    if as_json:
        print_json(rows)
        return
    t = Table(title="Campaigns")
    for col in ("id", "name", "brand", "dates", "budget", "hashtag", "plan", "creators"):
        t.add_column(col)
    for r in rows:
        t.add_row(
            str(r["campaign_id"]),
            r["name"],
            r["brand"],
            f"{r['starts']} to {r['ends']}",
            f"{r['budget']:,.0f} {r['currency']}",
            "#" + (r["hashtag"] or ""),
            str(r["plan_id"] or "-"),
            str(r["creators"]),
        )
    console.print(t)


@campaign_app.command("show")
def show(campaign_id: Id, db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """A campaign's settings and its creators: stage, posts, agreed fee against the rate card's price."""
    from covey.campaigns.campaign import campaign_row, creators
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        row, cs = campaign_row(store, campaign_id), creators(store, campaign_id)
    if as_json:
        print_json({"campaign": row, "creators": cs})
        return
    say(
        f"Campaign {campaign_id}: {row['name']} ({row['brand']}), {row['starts']} to {row['ends']}, "
        f"budget {row['budget']:,.0f} {row['currency']}, #{row['hashtag']}"
    )
    t = Table(title="Creators")
    for col in (
        "creator",
        "platform",
        "stage",
        "posts",
        f"agreed fee {row['currency']}",
        "card price",
        "contact",
    ):
        t.add_column(col)
    for c in cs:
        card = c["card_price"] * c["posts"] if c["card_price"] is not None else None
        t.add_row(
            "@" + c["handle"],
            c["platform"],
            c["stage"],
            str(c["posts"]),
            "not agreed" if c["fee"] is None else f"{c['fee']:,.0f}",
            "unknown" if card is None else f"{card:,.0f}",
            c["contact"] or "",
        )
    console.print(t)


@campaign_app.command("add")
def add(
    campaign_id: Id,
    who: Who,
    posts: Annotated[int, typer.Option("--posts", help="Posts agreed.")] = 1,
    fee: Annotated[float | None, typer.Option("--fee", help="Fee agreed (campaign currency).")] = None,
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Book one more creator (an imported account) on the campaign."""
    from covey.campaigns.campaign import add_creator, booking_from_store
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        add_creator(store, campaign_id, booking_from_store(store, who, posts, fee), actor=_actor(actor))
    say(f"{who} added to campaign {campaign_id} (stage 'prospect').")


@campaign_app.command("terms")
def terms(
    campaign_id: Id,
    who: Who,
    fee: Annotated[
        float | None, typer.Option("--fee", help="Agreed fee for all posts (campaign currency).")
    ] = None,
    posts: Annotated[int | None, typer.Option("--posts", help="Agreed number of posts.")] = None,
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Record what was agreed: the fee and/or the number of posts (posts only before any draft)."""
    from covey.campaigns.pipeline import set_terms
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        set_terms(store, campaign_id, who, actor=_actor(actor), fee=fee, posts=posts)
    say(f"{who}: terms recorded (see 'covey campaign show {campaign_id}').")


@campaign_app.command("stage")
def stage(
    campaign_id: Id,
    who: Who,
    to: Annotated[str, typer.Argument(help="The new stage.")],
    note: Annotated[str, typer.Option("--note", help="Why.")] = "",
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Move a creator to another outreach stage (only the changes the workflow allows)."""
    from covey.campaigns.pipeline import move
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        before, after = move(store, campaign_id, who, to, actor=_actor(actor), detail=note)
    say(f"{who}: {before} -> {after}")


@campaign_app.command("remove")
def remove_(campaign_id: Id, who: Who, actor: ActorOption = None, db: DbOption = DEFAULT_DB) -> None:
    """Take a creator off the campaign (refused while contracted: move them to 'dropped' first)."""
    from covey.campaigns.pipeline import remove
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        remove(store, campaign_id, who, actor=_actor(actor))
    say(f"{who} removed from campaign {campaign_id}; their history stays in the audit trail.")


@campaign_app.command("note")
def note_(campaign_id: Id, who: Who, text: str, actor: ActorOption = None, db: DbOption = DEFAULT_DB) -> None:
    """Add a note about a creator."""
    from covey.campaigns.pipeline import note
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        note(store, campaign_id, who, text, actor=_actor(actor))


@campaign_app.command("contact")
def contact(
    campaign_id: Id, who: Who, value: str, actor: ActorOption = None, db: DbOption = DEFAULT_DB
) -> None:
    """Record how to reach a creator (e-mail address)."""
    from covey.campaigns.pipeline import set_contact
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        set_contact(store, campaign_id, who, value, actor=_actor(actor))


@campaign_app.command("task")
def task(
    campaign_id: Id,
    title: str,
    due: Annotated[str, typer.Option("--due", help="YYYY-MM-DD")],
    who: Annotated[str | None, typer.Option("--creator", help="About this creator.")] = None,
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Add a task due on a date."""
    from covey.campaigns.pipeline import add_task
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        tid = add_task(store, campaign_id, who, title, _date(due, "--due"), actor=_actor(actor))
    say(f"task {tid} added")


@campaign_app.command("due")
def due(
    campaign_id: Id,
    by: Annotated[str | None, typer.Option("--by", help="YYYY-MM-DD (default today).")] = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Tasks and deliverables due by a date that are not done."""
    from covey.campaigns.pipeline import tasks_due
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        rows = tasks_due(store, campaign_id, _date(by, "--by") if by else datetime.now().date())
    if as_json:
        print_json(rows)
        return
    for r in rows:
        say(f"{r['due']}  {r['kind']:11s} @{r['handle'] or '-'}: {r['title']}")
    if not rows:
        say("nothing due")


@campaign_app.command("events")
def events_(campaign_id: Id, db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """The audit trail: every change, who made it and when."""
    from covey.campaigns.pipeline import events
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        rows = events(store, campaign_id)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        move = f" {r['from_stage']} -> {r['to_stage']}" if r["to_stage"] or r["from_stage"] else ""
        say(
            f"{str(r['happened_at'])[:19]} {r['actor']}: {r['kind']}{move} {r['account_id'] or ''} "
            f"{r['detail'] or ''}"
        )


@campaign_app.command("history")
def history(who: Who, db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """A creator's campaigns: posts agreed and delivered, late, fees, notes, share on time."""
    from covey.campaigns.history import creator_history
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        h = creator_history(store, who)
    if as_json:
        print_json(h)
        return
    t = h["total"]
    share = "unknown (nothing due yet)" if t["on_time_share"] is None else f"{t['on_time_share']:.0%}"
    say(
        f"@{h['handle']}: {t['campaigns']} campaign(s), {t['posts_delivered']} of {t['posts_agreed']} posts "
        f"delivered, {share} of due posts live on time, fees {t['fees']:,.0f}."
    )
    say(h["rebook"]["sentence"])
    for c in h["campaigns"]:
        say(
            f"  {c['campaign_id']} {c['name']} ({c['brand']}, {c['starts']}): {c['stage']}, "
            f"{c['delivered']}/{c['posts']} posts, {c['late']} late, {c['non_compliant']} non-compliant"
            + _reach_said(c)
        )
    for n in h["notes"]:
        say(f"  note ({n['at'][:10]}, {n['actor']}): {n['text']}")


def _reach_said(c: dict[str, Any]) -> str:
    """', reached 6,000 people per post (30 % of its real followers; 22 % planned)' where reported."""
    if c.get("reach_per_post") is None:
        return ""
    rate, planned = c.get("reach_rate_measured"), c.get("reach_rate_planned")
    how = (
        ""
        if rate is None
        else f" ({rate:.0%} of its real followers"
        + (f"; {planned:.0%} planned)" if planned is not None else ")")
    )
    return f", reached {c['reach_per_post']:,.0f} people per post as reported{how}"


def register(app: typer.Typer) -> None:
    """Add `covey campaign` and `covey world campaign`."""
    from covey.cli import campaign_flow

    campaign_flow.add_commands(campaign_app)
    app.add_typer(campaign_app, name="campaign")
    # `covey world campaign` joins the world group (registered before this module) without editing
    # cli/world.py; where that group is absent the command is still reachable as `covey campaign simulate`.
    world = next((g.typer_instance for g in app.registered_groups if g.name == "world"), None)
    if world is not None:
        world.command("campaign")(campaign_flow.simulate_command)
    campaign_app.command("simulate")(campaign_flow.simulate_command)
