"""`covey campaign` commands after booking: outreach, briefs, drafts, tracking, report, simulation.

No `register` here: ``covey.cli.campaign`` adds these commands to its group.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from covey.cli.campaign import ActorOption, Id, Who, _actor, _date
from covey.cli.common import DEFAULT_DB, DbOption, JsonOption, cli_errors, print_json, say
from covey.errors import InputError


def outreach(
    campaign_id: Id,
    sender: Annotated[str, typer.Option("--sender", help="Your e-mail address (From).")],
    eml: Annotated[Path | None, typer.Option("--eml", help="Write one .eml file per creator here.")] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Write all messages to this CSV.")] = None,
    smtp: Annotated[str | None, typer.Option("--smtp", help="Send now via HOST:PORT (optional).")] = None,
    template: Annotated[
        Path | None, typer.Option("--template", help="Your own template ($name, ...).")
    ] = None,
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Draft first-contact messages (why we chose you, from each creator's own posts); export or send."""
    from covey.campaigns.outreach import draft_messages, export_csv, export_eml, require_sender, send_smtp
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        require_sender(sender)
        tpl = template.read_text(encoding="utf-8") if template else None
        msgs = draft_messages(store, campaign_id, sender=sender, template=tpl)
        out: dict[str, object] = {"messages": len(msgs)}
        if eml:
            out["eml"] = [str(p) for p in export_eml(msgs, eml, sender)]
        if csv_out:
            out["csv"] = str(export_csv(msgs, csv_out))
        if smtp:
            host, _, port = smtp.rpartition(":")
            if not host or not port.isdigit():
                raise InputError(f"{smtp!r}: give HOST:PORT", field="--smtp")
            out["smtp"] = send_smtp(
                store, campaign_id, msgs, sender=sender, host=host, port=int(port), actor=_actor(actor)
            )
    if as_json:
        print_json({**out, "drafts": [m.__dict__ for m in msgs]})
        return
    for m in msgs:
        say(f"--- to @{m.handle} <{m.to or 'no contact yet'}>: {m.subject}\n{m.body}")
    say(f"{len(msgs)} message(s) drafted for creators at stage 'prospect'.")


def brief(
    campaign_id: Id,
    out: Annotated[Path | None, typer.Option("--out", help="Write each brief as .md and .html here.")] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write each brief as PDF (covey\\[pdf]).")] = False,
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Write a new version of the campaign brief and of every creator's brief."""
    from covey.campaigns.briefs import write_briefs
    from covey.store import open_store

    if pdf and out is None:
        with cli_errors():
            raise InputError("--pdf writes files: give --out DIR too", field="--pdf")
    with cli_errors(), open_store(db) as store:
        if pdf:
            from covey.campaigns.pdf import to_pdf

            to_pdf("check", [])  # the missing-extra message before anything is written
        docs = write_briefs(store, campaign_id, actor=_actor(actor))
    if out:
        out.mkdir(parents=True, exist_ok=True)
        for d in docs:
            stem = f"campaign-{campaign_id}" + (
                f"-{d['account_id'].replace(':', '_')}" if d["account_id"] else ""
            )
            (out / f"{stem}-v{d['version']}.md").write_text(d["markdown"], encoding="utf-8")
            (out / f"{stem}-v{d['version']}.html").write_text(d["html"], encoding="utf-8")
            if pdf:
                from covey.campaigns.briefs import sections_from_markdown
                from covey.campaigns.pdf import to_pdf

                body, lost = to_pdf(*sections_from_markdown(d["markdown"]))
                (out / f"{stem}-v{d['version']}.pdf").write_bytes(body)
                if lost:
                    say(f"{stem}: {''.join(lost)} cannot be set in the PDF's font (written as '?'); "
                         "print the HTML from a browser instead")  # fmt: skip
    if as_json:
        print_json(docs)
        return
    say(docs[0]["markdown"])
    say(f"{len(docs)} brief(s) written (version {docs[0]['version']})" + (f" to {out}" if out else ""))


def draft(
    campaign_id: Id,
    who: Who,
    post: Annotated[int, typer.Option("--post", help="Which agreed post (1, 2, ...).")] = 1,
    caption: Annotated[str | None, typer.Option("--caption", help="The draft's text.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the text from this file.")] = None,
    media: Annotated[str, typer.Option("--media", help="Reference to the image or video.")] = "",
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Submit a draft version of a post; it is checked for disclosure, claims and the campaign's rules."""
    from covey.campaigns.approval import submit
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        text = file.read_text(encoding="utf-8") if file else caption
        if text is None:
            raise InputError("give --caption TEXT or --file FILE", field="--caption")
        res = submit(store, campaign_id, who, post, text, actor=_actor(actor), media_ref=media)
    if as_json:
        print_json(res)
        return
    say(
        f"@{res['handle']} post {post} version {res['version']}: "
        + ("no flags" if res["compliant"] else f"{len(res['flags'])} flag(s)")
    )
    for f in res["flags"]:
        say(f"  {f['category']}: {f['message']} Fix: {f['fix']}")


def _decide(
    campaign_id: int,
    who: str,
    post: int,
    version: int,
    decision: str,
    comment: str,
    actor: str | None,
    db: Path,
) -> None:
    from covey.campaigns.approval import decide
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        decide(store, campaign_id, who, post, version, decision, actor=_actor(actor), comment=comment)
    say(f"{who} post {post} version {version}: {decision}")


PostOpt = Annotated[int, typer.Option("--post", help="Which agreed post.")]
VersionOpt = Annotated[int, typer.Option("--version", help="Which draft version.")]


def approve(
    campaign_id: Id,
    who: Who,
    post: PostOpt = 1,
    version: VersionOpt = 1,
    comment: Annotated[str, typer.Option("--comment")] = "",
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Approve a draft version (refused while it has flags)."""
    _decide(campaign_id, who, post, version, "approved", comment, actor, db)


def send_back(
    campaign_id: Id,
    who: Who,
    comment: Annotated[str, typer.Option("--comment", help="What to change.")],
    post: PostOpt = 1,
    version: VersionOpt = 1,
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Send a draft version back with comments."""
    _decide(campaign_id, who, post, version, "changes_requested", comment, actor, db)


def drafts_(campaign_id: Id, db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Every draft version, its flags and the decisions on it."""
    from covey.campaigns.approval import drafts
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        rows = drafts(store, campaign_id)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        say(
            f"@{r['handle']} post {r['deliverable']} v{r['version']} ({r['actor']}): "
            f"{len(r['flags'])} flag(s); {r['decisions'] or 'no decision'}"
        )


def track_(
    campaign_id: Id,
    today: Annotated[str | None, typer.Option("--today", help="Date to judge 'missing' by.")] = None,
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Match imported posts to the campaign; flag late, missing, non-compliant and double-matched posts."""
    from covey.campaigns.tracking import flags, track
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        res = track(store, campaign_id, actor=_actor(actor), today=_date(today, "--today") if today else None)
        fl = flags(store, campaign_id)
    if as_json:
        print_json({**res, "flags": fl})
        return
    say(f"{res['matched_new']} new post(s) matched.")
    for f in fl:
        say(f"  {f['kind']}: @{f['handle']} {f['detail']}")


def match(
    campaign_id: Id, post_id: str, post: PostOpt = 1, actor: ActorOption = None, db: DbOption = DEFAULT_DB
) -> None:
    """Match one imported post by hand to a creator's agreed post (refused if matched already)."""
    from covey.campaigns.tracking import match_post
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        match_post(store, campaign_id, post_id, post, actor=_actor(actor))
    say(f"{post_id} matched to post {post}")


def conversions(
    campaign_id: Id,
    file: Path,
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Import clicks and conversions (CSV: code or utm_content, clicks, conversions[, revenue])."""
    from covey.campaigns.conversions import import_conversions
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        res = import_conversions(store, campaign_id, file, actor=_actor(actor))
    if as_json:
        print_json(res)
        return
    say(f"{res['rows']} row(s): {res['clicks']:,} clicks, {res['conversions']:,} conversions")


def insights(
    campaign_id: Id,
    file: Path,
    actor: ActorOption = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Import creators' post insights (CSV: post or handle + post_number; reach, impressions, views)."""
    from covey.campaigns.insights import import_insights
    from covey.store import open_store

    with cli_errors(), open_store(db) as store:
        res = import_insights(store, campaign_id, file, actor=_actor(actor))
    if as_json:
        print_json(res)
        return
    say(
        f"{res['rows']} post(s) of {res['creators']} creator(s), {res['with_reach']} with reach; "
        "the report measures those creators' reach rates from it."
    )


def report(
    campaign_id: Id,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write the report as an offline HTML page.")
    ] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Write per-creator rows as CSV.")] = None,
    cpm: Annotated[Path | None, typer.Option("--cpm", help="Your EMV table (TOML, like emv.toml).")] = None,
    rates_from_views: Annotated[
        str,
        typer.Option(
            "--rates-from-views",
            help="Reach rates from the people the delivered posts reached (reported reach, else "
            "views): auto (creators whose real audience is known), on, off.",
        ),
    ] = "auto",
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Plan against actual: posts, reach, engagements, CPE, CPM, EMV, conversions, per creator and total."""
    from covey.campaigns.render import interval_text, to_csv, to_html
    from covey.campaigns.report import build_report
    from covey.store import open_store

    choice = {"auto": None, "on": True, "off": False}
    with cli_errors():
        if rates_from_views not in choice:
            raise InputError("--rates-from-views takes auto, on or off", field="--rates-from-views")
    with cli_errors(), open_store(db) as store:
        rep = build_report(store, campaign_id, emv_path=cpm, rates_from_views=choice[rates_from_views])
    if html:
        html.write_text(to_html(rep), encoding="utf-8")
    if csv_out:
        csv_out.write_text(to_csv(rep), encoding="utf-8")
    if as_json:
        print_json(rep)
        return
    t, cur = rep["total"], rep["campaign"]["currency"]

    def f(x: object, d: int = 0) -> str:
        return "unknown" if x is None else f"{x:,.{d}f}" if isinstance(x, float | int) else str(x)

    say(
        f"{rep['campaign']['name']}: {f(t['posts_delivered'])} of {f(t['posts_agreed'])} posts delivered "
        f"({f(t['late'])} late, {f(t['missing'])} missing, {f(t['non_compliant'])} non-compliant)."
    )
    if rep["reach"]:
        r = rep["reach"]
        say(
            f"People reached 3+ times: {f(r['delivered']['3+'])}{interval_text(rep, '3+')} (planned "
            f"{f(r['planned']['3+'])}); 1+: {f(r['delivered']['1+'])}{interval_text(rep, '1+')} (planned "
            f"{f(r['planned']['1+'])}), by the plan's own model."
        )
        for row in rep["creators"]:
            if row["posts_delivered"]:
                say(
                    f"  @{row['handle']}: reach rate {f(row['reach_rate'], 3)} "
                    f"from {row['reach_rate_source']}"
                )
    else:
        say(rep["reach_note"])
    say(
        f"Impressions {f(t['impressions'])}; engagements {f(t['engagements'])} (expected "
        f"{f(t['engagements_expected'])}); fee {f(t['fee'])} {cur}; CPE {f(t['cpe'], 2)}; CPM "
        f"{f(t['cpm'], 2)}; "
        f"EMV {f(t['emv'])} {cur}; conversions {f(t['conversions'])}, cost per conversion "
        f"{f(t['cost_per_conversion'], 2)}."
    )
    em = rep["emv_table"]
    say(
        f"EMV table ({em['source']}): {em['formula']}; CPM in {em['currency']}: "
        + ", ".join(f"{k} {v:,.2f}" for k, v in em["cpm"].items())
    )


def simulate_command(
    world: Annotated[Path, typer.Option("--world", help="The sample world's folder (with truth/).")],
    out: Annotated[
        Path, typer.Option("--out", help="Folder for posts.parquet, conversions.csv, insights.csv, truth/.")
    ],
    plan: Annotated[int | None, typer.Option("--plan", help="Simulate this saved plan.")] = None,
    campaign: Annotated[int | None, typer.Option("--campaign", help="Simulate this campaign.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Simulate a plan's or campaign's delivery on a sample world (late, dropped, undisclosed posts)."""
    from covey.world.campaign import orders_from_store, simulate

    with cli_errors():
        orders, info = orders_from_store(db, campaign_id=campaign, plan_id=plan)
        truth = simulate(
            world, orders, out, hashtag=info["hashtag"], brand=info["brand"], seed=seed, starts=info["starts"]
        )
    if as_json:
        print_json(truth)
        return
    say(
        f"Simulated delivery into {out}: import {out / 'posts.parquet'} with 'covey import', then "
        f"'covey campaign track'; the insights the creators shared: 'covey campaign insights ID "
        f"{out / 'insights.csv'}'. Truth in {out / 'truth' / 'campaign.json'}: " + json.dumps(truth["reach"])
    )


def add_commands(app: typer.Typer) -> None:
    """Attach these commands to the `campaign` group."""
    app.command("outreach")(outreach)
    app.command("brief")(brief)
    app.command("draft")(draft)
    app.command("approve")(approve)
    app.command("send-back")(send_back)
    app.command("drafts")(drafts_)
    app.command("track")(track_)
    app.command("match")(match)
    app.command("conversions")(conversions)
    app.command("insights")(insights)
    app.command("report")(report)
