"""`covey index`, `covey discover` and `covey communities`: find creators for a brief."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from covey.cli.common import DEFAULT_DB, DbOption, JsonOption, cli_errors, console, print_json, progress

if TYPE_CHECKING:
    from covey.discovery.rank import Result


def register(app: typer.Typer) -> None:
    """Add the discovery commands to the `covey` app."""
    _register_communities(app)

    @app.command("index")
    def index_command(
        db: DbOption = DEFAULT_DB,
        rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-embed every post from scratch.")] = False,
        as_json: JsonOption = False,
    ) -> None:
        """Build the discovery index beside the database, or add what is new since the last run."""
        from covey.discovery.indexer import build_index
        from covey.store import open_store

        with cli_errors(), open_store(db) as store:
            total = int(store.query("SELECT count(*) FROM posts")[0][0])
            with progress(transient=True) as bar:
                task = bar.add_task("embedding posts", total=total)
                report = build_index(store, rebuild=rebuild, on_posts=lambda n: bar.advance(task, n))
        data = {k: str(v) if isinstance(v, Path) else v for k, v in report.__dict__.items()}
        if as_json:
            print_json(data)
            return
        what = "built" if report.rebuilt else "updated"
        console.print(
            f"{what} {report.path}: {report.accounts:,} accounts, {report.new_posts:,} new posts embedded "
            f"({report.updated_accounts:,} accounts changed), "
            f"{'exact scan' if not report.nlist else f'{report.nlist} IVF lists'}, {report.seconds} s"
        )

    @app.command("discover")
    def discover_command(
        brief: Annotated[
            str, typer.Argument(help="What the creators talk about, in any of en/es/fr/de/it/pt.")
        ] = "",
        db: DbOption = DEFAULT_DB,
        platform: Annotated[list[str] | None, typer.Option("--platform", help="Only this platform.")] = None,
        tier: Annotated[str, typer.Option("--tier", help="Follower tier, or 'any'.")] = "micro",
        tier_bounds: Annotated[
            str | None,
            typer.Option(
                "--tier-bounds",
                envvar="COVEY_TIER_BOUNDS",
                help="Lowest follower counts of micro, mid, macro, mega, e.g. 10000,100000,500000,1000000.",
            ),
        ] = None,
        min_followers: Annotated[int | None, typer.Option("--min-followers")] = None,
        max_followers: Annotated[int | None, typer.Option("--max-followers")] = None,
        min_engagement: Annotated[
            float | None, typer.Option("--min-engagement", help="Engagement by followers, e.g. 0.02.")
        ] = None,
        min_authenticity: Annotated[
            float | None, typer.Option("--min-authenticity", help="Vetting authenticity score, 0-100.")
        ] = None,
        country: Annotated[
            list[str] | None, typer.Option("--country", help="Country: ISO code or name, e.g. GB, UK, Spain.")
        ] = None,
        language: Annotated[
            list[str] | None, typer.Option("--language", help="ISO language, e.g. es.")
        ] = None,
        lived_experience: Annotated[
            bool,
            typer.Option("--lived-experience", help="Only creators who post about a condition first-hand."),
        ] = False,
        like: Annotated[list[str] | None, typer.Option("--like", help="A creator the brand trusts.")] = None,
        exclude: Annotated[
            list[str] | None, typer.Option("--exclude", help="A creator to leave out.")
        ] = None,
        top: Annotated[int, typer.Option("--top", help="How many creators to show.")] = 20,
        past_performers: Annotated[
            str | None,
            typer.Option(
                "--past-performers",
                help="favour: creators with a good re-book score from earlier campaigns first; "
                "only: them alone.",
            ),
        ] = None,
        as_json: JsonOption = False,
    ) -> None:
        """Creators whose posts fit the brief, ranked by fit x vetting quality, with evidence."""
        from covey.discovery.catalog import Filters
        from covey.discovery.rank import WELL_FIT_SHARE
        from covey.discovery.result import discovery_json
        from covey.discovery.search import discover
        from covey.store import open_store
        from covey.tiers import DEFAULT_TIERS, parse_tier, parse_tier_bounds

        with cli_errors():
            tiers = parse_tier_bounds(tier_bounds) if tier_bounds else DEFAULT_TIERS
            tier_name = parse_tier(tier, DEFAULT_TIERS)
            filters = Filters(
                platforms=tuple(p.lower() for p in platform or ()),
                tier=tier_name,
                tiers=tiers,
                min_followers=min_followers,
                max_followers=max_followers,
                min_engagement=min_engagement,
                min_authenticity=min_authenticity,
                countries=tuple(country or ()),
                languages=tuple(c.lower() for c in language or ()),
                lived_experience=lived_experience,
            )
            with open_store(db, read_only=True) as store:
                asked = top * 5 if past_performers == "only" else top  # 'only' keeps a few of many
                found = discover(store, brief, filters, like=like or (), exclude=exclude or (), top=asked)
                if past_performers is not None:
                    from covey.campaigns.history import rerank_past

                    kept, note = rerank_past(store, found.results, past_performers)  # type: ignore[arg-type]
                    found.results, found.notes = kept[:top], [*found.notes, note]
        if as_json:
            print_json(discovery_json(brief, found))
            return
        for note in found.notes:
            console.print(f"[dim]{escape(note)}[/]")
        if not found.results:
            console.print("[bold]No creator found.[/]")
            raise typer.Exit(1)
        well = [r for r in found.results if r.fits_well]
        loose = [r for r in found.results if not r.fits_well]
        console.print(
            _table(f"{len(well)} of {found.passing:,} creators passing the filters fit well", well, 1)
        )
        if loose:
            title = (
                f"{len(loose)} more fit loosely (fit below {WELL_FIT_SHARE:.0%} of the best): "
                "set apart, check first"
            )
            console.print(_table(title, loose, len(well) + 1, dim=True))
        console.print("[bold]Evidence[/] (each creator's post closest to the brief; matching words marked)")
        for i, r in enumerate(found.results, 1):
            if r.evidence:
                console.print(f"{i:>3}. @{escape(r.handle)}: {_marked(r.evidence[0].highlighted[:200])}")


def _table(title: str, results: list[Result], first: int, *, dim: bool = False) -> Table:
    """One table of results; unknown quality shows the prior it was ranked with."""
    table = Table(title=title, style="dim" if dim else "")
    for col in ("#", "handle", "platform", "country", "followers", "fit", "quality", "score"):
        table.add_column(col, justify="left" if col in ("handle", "platform", "country") else "right")
    for i, r in enumerate(results, first):
        if r.quality is not None:
            quality = f"{r.quality:.0f}"
        else:
            quality = "n/a" if r.quality_prior is None else f"? ({r.quality_prior:g})"
        table.add_row(
            str(i), f"@{escape(r.handle)}", r.platform, r.country or "?",
            "?" if r.followers is None else f"{r.followers:,}", f"{r.fit:.3f}", quality, f"{r.score:.3f}",
        )  # fmt: skip
    return table


def _marked(text: str) -> str:
    """Rich markup for a text whose matching words are wrapped in ``**``.

    Without colour (output piped to a file or a pager, or ``NO_COLOR``) a style would vanish and
    take the marks with it, so the words keep their ``**`` there, as in ``--json``.
    """
    parts = escape(text).split("**")
    if console.color_system is None or console.no_color:
        return "**".join(parts)
    return "".join(f"[bold yellow]{p}[/]" if j % 2 else p for j, p in enumerate(parts))


def _register_communities(app: typer.Typer) -> None:
    @app.command("communities")
    def communities_command(
        db: DbOption = DEFAULT_DB,
        niche: Annotated[
            str | None, typer.Option("--niche", help="Only creators whose posts fit this topic.")
        ] = None,
        min_size: Annotated[int, typer.Option("--min-size", help="Smallest community shown.")] = 2,
        as_json: JsonOption = False,
    ) -> None:
        """Groups of creators whose audiences overlap, named by their themes."""
        from covey.discovery.communities import find_communities
        from covey.discovery.search import niche_accounts
        from covey.store import open_store

        with cli_errors(), open_store(db, read_only=True) as store:
            accounts = niche_accounts(store, niche) if niche else None
            found = find_communities(store, accounts, min_size=min_size)
        if as_json:
            print_json([c.__dict__ for c in found])
            return
        if not found:
            console.print("No communities: no two creators share enough audience members"
                          + (f" among creators fitting {niche!r}" if niche else "") + ".")  # fmt: skip
            raise typer.Exit(1)
        table = Table(title=f"{len(found)} communities" + (f" in {niche!r}" if niche else ""))
        for col in ("#", "name", "creators", "overlap", "audience", "handles"):
            table.add_column(col)
        for c in found:
            table.add_row(
                str(c.community_id), escape(c.name), str(len(c.account_ids)), f"{c.internal_overlap:.3f}",
                f"{c.audience:,}", escape(", ".join("@" + h for h in c.handles[:6]))
                + (" ..." if len(c.handles) > 6 else ""),
            )  # fmt: skip
        console.print(table)
