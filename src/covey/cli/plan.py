"""`covey plan`: choose creators and posts for a brief; size a campaign; reopen saved plans.

``covey plan "BRIEF" --budget 20000`` plans; ``covey plan size``, ``covey plan show ID`` and
``covey plan list`` are subcommands (a first argument that is not one of them is the brief).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from typer.core import TyperGroup

from covey.cli.common import DEFAULT_DB, DbOption, JsonOption, cli_errors, console, print_json, say
from covey.errors import InputError
from covey.planning.defaults import PLAN_DEFAULTS as D
from covey.planning.defaults import parse_creator_range
from covey.planning.result import PlanResult, rate_label


class _BriefFirstGroup(TyperGroup):
    """Routes `covey plan "BRIEF" ...` to the hidden `make` command, and shows its options in --help."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["make", *args]
        return super().parse_args(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        # `covey plan --help` is help for planning: the brief's options, then the subcommands.
        make = self.commands["make"]
        make.format_help(type(ctx)(make, info_name=ctx.info_name, parent=ctx.parent), formatter)


plan_app = typer.Typer(
    cls=_BriefFirstGroup,
    help='Plan a campaign: covey plan "BRIEF" --budget AMOUNT. Also: plan size, plan show ID, plan list.',
    no_args_is_help=True,
)


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for item in values or [] for v in item.split(",") if v.strip())


def _money(x: float | None, cur: str) -> str:
    return "-" if x is None else f"{x:,.0f} {cur}"


def _people(x: float, total: float) -> str:
    return f"{x:,.0f} ({x / total:.1%})" if total > 0 else f"{x:,.0f}"


def _rate(item: dict[str, Any]) -> str:
    """The creator's reach rate and, briefly, where it came from (measured, learned or the prior)."""
    return rate_label(item.get("reach_rate"), item.get("reach_rate_source"))


def _creator_table(items: list[dict[str, Any]], cur: str, title: str, details: bool) -> Table:
    t = Table(title=title)
    names = [f"@{it['handle'] or it['account_id']} ({it['platform']})" for it in items]
    # Names are never cut: the column is as wide as the longest one; other columns wrap instead.
    t.add_column("creator", no_wrap=True, min_width=max((len(n) for n in names), default=7))
    cols = ["posts", "cost", "reach/post"]
    if details:
        cols += ["tier", "followers", "real", "reach rate", "cost/post", "price"]
    for col in cols:
        t.add_column(col, justify="left" if col in ("tier", "price") else "right", overflow="fold")
    t.add_column("check", overflow="fold")
    for name, it in zip(names, items, strict=True):
        row = [str(it["posts"]), _money(it["cost"], cur), f"{it['reach_per_post']:,.0f}"]
        if details:
            real = it.get("real_share")
            row += [
                str(it["tier"]),
                f"{it['followers']:,.0f}" if it.get("followers") is not None else "-",
                "-" if real is None else f"{real:.0%} ({it.get('real_share_source', 'prior')})",
                _rate(it),
                _money(it["cost_per_post"], cur),
                it["price_note"],
            ]
        flag = it.get("warning") or ""
        row.append("fake followers" if "look fake" in flag else "not vetted" if flag else "ok")
        t.add_row(name, *row)
    return t


def _print_plan(result: PlanResult, *, details: bool = False, title: str | None = None) -> None:
    s, items = result.summary, result.items
    cur = s["currency"]
    k, kmax = s["frequency_window"]
    total = s["reach"]["target_size"]
    for w in s.get("warnings", []):
        say(f"warning: {w}", "yellow")
    for line in (s.get("headline"), s.get("rates_note"), s.get("unspent")):
        if line:
            say(line)
    pid = s.get("plan_id")
    head = title or (f"Plan {pid}" if pid else "Plan (not saved)")
    console.print(
        _creator_table(items, cur, f"{head}: {s['creators']} creators, {s['posts']} posts", details)
    )
    cmp = Table(title="Same budget, other choices (expected people of the target audience)")
    for col in (
        "option",
        "creators",
        "posts",
        "spent",
        "reached 1+",
        f"reached {k}+",
        f"{k} to {kmax} times",
    ):
        cmp.add_column(col, justify="left" if col == "option" else "right", overflow="fold")
    for o in s["options"]:
        r, hist = o["reach"]["reach"], o["reach"]["histogram"]
        cmp.add_row(
            o["name"], str(o["creators"]), str(o["posts"]), _money(o["spent"], cur),
            f"{r['1+']:,.0f}", f"{sum(hist[k:]):,.0f}", f"{sum(hist[k : kmax + 1]):,.0f}",
        )  # fmt: skip
    console.print(cmp)
    curve = s.get("budget_curve") or []
    if curve:
        say(
            f"Budget -> people reached {k}+ times: "
            + "; ".join(f"{p['budget']:,.0f} {cur} -> {p[f'reach_{k}plus']:,.0f}" for p in curve)
        )
        mc = s.get("marginal_cost_per_person")
        say(
            f"One more person reached {k}+ times costs about {_money(mc, cur)} at this budget "
            f"(the extra money of 25 % more budget / the extra people it reaches {k}+ times)."
            if mc
            else f"25 % more budget would reach no more people {k}+ times in the model."
        )
    unvetted = [it for it in items if (it.get("warning") or "").startswith("no vetting")]
    if unvetted:
        say(f"not vetted ({len(unvetted)} of {len(items)} creators): {unvetted[0]['warning']}.")
    if details:
        _print_details(s, k, kmax, total, cur)
    for note in s["notes"]:
        say(f"note: {note}")
    if not details:
        say("(--details shows the certificate, segments, histogram and price formula)", "dim")


def _print_details(s: dict[str, Any], k: int, kmax: int, total: float, cur: str) -> None:
    say(f"Target audience: {total:,.0f} people. {s['definitions']['audience']}")
    say(
        f"Reach (expected people): 1+ {_people(s['reach']['reach']['1+'], total)}, "
        f"{k}+ {_people(s['reach']['reach'][f'{k}+'], total)}, "
        f"5+ {_people(s['reach']['reach']['5+'], total)}; "
        f"in the {k}-{kmax} window {_people(s['in_window'], total)}"
    )
    hist = s["reach"]["histogram"]
    say(
        "Frequency histogram (exposures: people): "
        + ", ".join(f"{i}{'+' if i == len(hist) - 1 else ''}: {v:,.0f}" for i, v in enumerate(hist))
    )
    say(
        f"CPM (per 1,000 reached 1+) {_money(s['cpm'], cur)}; per person reached {k}+ times "
        f"{_money(s['cost_per_effective_person'], cur)}; expected engagements {s['engagements']:,.0f}"
    )
    c = s["certificate"]
    say(
        f"Objective: {c['objective']} = {c['value']:,.0f}; optimum <= {c['upper_bound']:,.0f} "
        f"(this plan >= {c['ratio']:.1%} of that bound). {c.get('bound', '')}. "
        f"Against the exact optimum: {c.get('measured_gap', 'not measured')}. Method: {c['method']}."
    )
    say(
        "Prices: the rate card's price by platform and tier x clamp((engagement rate / the tier's "
        "typical rate) ^ 0.5, 0.6, 1.8), or a quoted fee; see docs/planning.md."
    )


@plan_app.command("make", hidden=True)
def make(
    brief: Annotated[
        str, typer.Argument(help="What the campaign is about, in words (stored with the plan).")
    ],
    budget: Annotated[float, typer.Option("--budget", help="Money to spend on posts (positive).")],
    currency: Annotated[
        str,
        typer.Option(
            "--currency",
            help="ISO 4217 code of the budget. The default rate card (EUR) is converted with Covey's dated "
            "table (EUR USD GBP CHF SEK NOK DKK PLN CZK CAD AUD JPY); other currencies need --rate-card.",
        ),
    ] = D.currency,
    frequency: Annotated[
        int, typer.Option("--frequency", help="Exposures that count (window start).")
    ] = D.frequency,
    max_frequency: Annotated[
        int, typer.Option("--max-frequency", help="Window end: more exposures wear out (at most 9).")
    ] = D.max_frequency,
    objective: Annotated[
        str,
        typer.Option(
            "--objective",
            help="What to maximise: 'window' (people reached FREQUENCY to MAX-FREQUENCY times), "
            "'atleast' (FREQUENCY or more times) or 'reach1' (at least once).",
        ),
    ] = D.objective,
    creators: Annotated[
        str,
        typer.Option(
            "--creators", help="Creator count LOW-HIGH; LOW is relaxed (and said) where it costs reach."
        ),
    ] = D.creators,
    strict_creators: Annotated[
        bool, typer.Option("--strict-creators", help="Keep at least LOW creators even where it costs reach.")
    ] = False,
    max_posts: Annotated[int, typer.Option("--max-posts", help="Posts per creator at most.")] = D.max_posts,
    must: Annotated[list[str] | None, typer.Option("--must", help="Handle or account_id to include.")] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Handle or account_id to leave out.")
    ] = None,
    candidates: Annotated[
        Path | None,
        typer.Option(
            "--candidates", help="CSV/JSONL of handles or account_ids to choose from (fees in --currency)."
        ),
    ] = None,
    niche: Annotated[
        str | None, typer.Option("--niche", help="Target niche (candidate list's niche column).")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Target country: ISO code or name (GB, UK, Deutschland).")
    ] = None,
    language: Annotated[str | None, typer.Option("--language", help="Target language (ISO 639-1).")] = None,
    spread: Annotated[
        str | None, typer.Option("--spread", help="Spread creators over 'region' or 'community'.")
    ] = None,
    rate_card: Annotated[Path | None, typer.Option("--rate-card", help="Your rate card TOML.")] = None,
    priors: Annotated[Path | None, typer.Option("--priors", help="Your reach priors TOML.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the audience model's panel.")] = 0,
    save: Annotated[bool, typer.Option("--save/--no-save", help="Store the plan in the database.")] = True,
    details: Annotated[
        bool, typer.Option("--details", help="Also show the certificate, segments, histogram and prices.")
    ] = False,
    past_performers: Annotated[
        str | None,
        typer.Option(
            "--past-performers",
            help="favour: leave out creators with a poor re-book score from earlier campaigns; "
            "only: plan over creators with a good one alone.",
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Plan a campaign: the creators and posts that reach the most people of your audience
    FREQUENCY to MAX-FREQUENCY times within BUDGET, beside the naive choice and a macro creator.

    Example: covey plan "IBD awareness" --budget 20000 --currency EUR --country UK.
    Other commands: covey plan size (creators needed for a share of an audience),
    covey plan show ID, covey plan list.
    """
    from covey.planning.planner import Brief
    from covey.planning.session import run_plan
    from covey.store import open_store

    with cli_errors():
        low, high = parse_creator_range(creators)
        if spread not in (None, "region", "community"):
            raise InputError("--spread takes 'region' or 'community'", field="--spread")
        b = Brief(
            text=brief, budget=budget, currency=currency, frequency=frequency, max_frequency=max_frequency,
            min_creators=low, max_creators=high, max_posts=max_posts, must=_split(must),
            exclude=_split(exclude), niche=niche, country=country, language=language, spread=spread,
            seed=seed, objective=objective, strict_creators=strict_creators,
        )  # fmt: skip
        with open_store(db) as store:
            if past_performers is not None:
                from covey.campaigns.plan_hook import past_performers_brief

                b, candidates = past_performers_brief(store, b, candidates, past_performers)
            result = run_plan(
                store, b, candidates=candidates, rate_card=rate_card, priors=priors, save=save,
            )  # fmt: skip
    if as_json:
        print_json(result.to_dict())
    else:
        _print_plan(result, details=details)


@plan_app.command("size")
def size(
    audience: Annotated[float, typer.Option("--audience", help="People in the target audience.")],
    frequency: Annotated[int, typer.Option("--frequency", help="Exposures that count.")] = D.frequency,
    share: Annotated[
        float, typer.Option("--share", help="Share of the audience to reach that often.")
    ] = D.size_share,
    followers: Annotated[
        float, typer.Option("--followers", help="Typical followers per creator.")
    ] = D.size_followers,
    real_share: Annotated[float | None, typer.Option("--real-share", help="Real followers (prior).")] = None,
    reach_rate: Annotated[float | None, typer.Option("--reach-rate", help="Per-post reach (prior).")] = None,
    platform: Annotated[
        str, typer.Option("--platform", help="Platform for priors and prices.")
    ] = D.size_platform,
    max_posts: Annotated[int, typer.Option("--max-posts", help="Posts per creator at most.")] = D.max_posts,
    as_json: JsonOption = False,
) -> None:
    """How many creators and posts reach SHARE of an AUDIENCE FREQUENCY+ times?"""
    from covey.planning.sizing import size_campaign

    with cli_errors():
        sized = size_campaign(
            audience, frequency, share, followers=followers, real_share=real_share, reach_rate=reach_rate,
            platform=platform, max_posts=max_posts,
        )  # fmt: skip
    if as_json:
        print_json(sized.to_dict())
        return
    t = Table(title=f"Reach {share:.0%} of {audience:,.0f} people {frequency}+ times")
    for col in ("posts/creator", "creators", "posts", "cost", f"share {frequency}+", "share 1+"):
        t.add_column(col, justify="right")
    for r in sized.rows:
        t.add_row(
            str(r.posts_per_creator),
            str(r.creators) if r.creators else "not within 2,000",
            str(r.posts or "-"),
            _money(r.cost, sized.currency),
            f"{r.share_reached:.1%}",
            f"{r.share_1plus:.1%}",
        )
    console.print(t)
    console.print(
        f"Assumes creators of {followers:,.0f} followers ({sized.tier}, {platform}), "
        f"{sized.real_share:.0%} real, "
        f"each post reaching {sized.reach_rate:.0%} of real followers, audiences overlapping by chance; "
        f"card price {sized.price_per_post:,.0f} {sized.currency}/post.",
        highlight=False,
        markup=False,
    )


@plan_app.command("show")
def show(
    plan_id: Annotated[int, typer.Argument(help="The plan's id (see covey plan list).")],
    details: Annotated[
        bool, typer.Option("--details", help="Also show the certificate, segments, histogram and prices.")
    ] = False,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Reopen a saved plan: its creators, figures and inputs."""
    from covey.planning.plans import load_plan
    from covey.store import open_store

    with cli_errors(), open_store(db, read_only=True) as store:
        p = load_plan(store, plan_id)
    data = {"plan_id": p.plan_id, "created_at": p.created_at, "brief": p.brief, "inputs": p.inputs}
    if as_json:
        print_json({**data, "summary": p.summary, "items": p.items})
        return
    console.print(f"Plan {p.plan_id} ({str(p.created_at)[:16]}): {p.brief!r}", highlight=False, markup=False)
    console.print(
        f"Inputs: budget {p.inputs.get('budget'):,} {p.inputs.get('currency')}, "
        f"frequency {p.inputs.get('frequency')}-{p.inputs.get('max_frequency')}, "
        f"creators {p.inputs.get('min_creators')}-{p.inputs.get('max_creators')}, "
        f"max posts {p.inputs.get('max_posts')}, rate card {p.inputs.get('rate_card')}",
        highlight=False,
        markup=False,
    )
    _print_plan(
        p,
        details=details,
        title=f"Plan {p.plan_id}: {p.summary.get('creators')} creators, {p.summary.get('posts')} posts",
    )


@plan_app.command("list")
def list_(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Saved plans, newest first."""
    from covey.planning.plans import list_plans
    from covey.store import open_store

    with cli_errors(), open_store(db, read_only=True) as store:
        rows = list_plans(store)
    if as_json:
        print_json([asdict(r) for r in rows])
        return
    t = Table(title="Saved plans")
    for col in ("id", "created", "brief", "budget", "spent", "creators", "reach 3+"):
        # A narrow terminal folds the brief onto more lines rather than cutting it.
        t.add_column(col, overflow="fold", no_wrap=col != "brief")
    for r in rows:
        cur = r.currency or ""
        reach = "?" if r.reach_3plus is None else f"{r.reach_3plus:,.0f}"
        t.add_row(
            str(r.plan_id), str(r.created_at)[:16], r.brief, _money(r.budget, cur),
            _money(r.spent, cur), str(r.creators), reach,
        )  # fmt: skip
    console.print(t)


def register(app: typer.Typer) -> None:
    """Add `covey plan` and its subcommands."""
    app.add_typer(plan_app, name="plan")
