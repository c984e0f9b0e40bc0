"""`covey demo`: a small world, imported, then every capability run on a sample brief.

The demo drives the very commands a user types (through the root Click command), so what
it shows is what `covey score`, `covey discover` and `covey plan` print; a capability that
is not installed or not built yet is skipped with a note rather than faked.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.rule import Rule

from covey.cli.common import console, err_console

SAMPLE_BRIEF = (
    "UK creators living with Crohn's or colitis who talk openly about diet, flare-ups "
    "and life with IBD, for a health-care brand's awareness campaign"
)


# The UK alone holds only a handful of IBD micro-creators in a demo-sized world, fewer than a
# 15-30 creator plan needs; the plan widens to English-speaking creators.
PLAN_BRIEF = "creators living with Crohn's or colitis who talk openly about diet, flare-ups and life with IBD"


def _steps(db: Path, brief: str, budget: int) -> list[tuple[str, list[str]]]:
    """The demo's steps after the import: (title, argv) for each capability."""
    return [
        ("Vet every creator: explainable, tier-aware scores", ["score", "--db", str(db)]),
        ("Index what creators post, for discovery", ["index", "--db", str(db)]),
        (
            "Discover: UK micro-influencers with lived experience of IBD",
            ["discover", brief, "--db", str(db), "--country", "GB", "--lived-experience", "--top", "10"],
        ),
        (
            f"Plan: reach English-speaking people living with IBD 3-5 times with {budget:,} EUR",
            [
                "plan",
                PLAN_BRIEF,
                "--db",
                str(db),
                "--budget",
                str(budget),
                "--currency",
                "EUR",
                "--language",
                "en",
                "--creators",
                "10-30",
            ],
        ),
    ]


def _run(root: Any, argv: list[str]) -> bool:
    """Run one `covey` command in-process; False when it failed (its message is shown)."""
    try:
        root.main(args=argv, prog_name="covey", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code == 0
    except typer.Abort:
        return False
    except Exception as exc:
        # Usage errors of the Click layer Typer vendors: show them as a user would see them.
        if callable(getattr(exc, "show", None)):
            exc.show()  # type: ignore[attr-defined]
            return False
        raise
    return True


def register(app: typer.Typer) -> None:
    """Add `covey demo` to the app."""

    @app.command()
    def demo(
        ctx: typer.Context,
        db: Annotated[Path, typer.Option("--db", help="Database file for the demo.")] = Path(
            "demo/covey.duckdb"
        ),
        out: Annotated[Path, typer.Option("--out", help="Folder for the generated world.")] = Path(
            "demo/world"
        ),
        creators: Annotated[int, typer.Option("--creators", help="Creators in the sample world.")] = 1200,
        seed: Annotated[int, typer.Option("--seed", help="Seed of the sample world.")] = 7,
        budget: Annotated[int, typer.Option("--budget", help="Campaign budget for the plan, EUR.")] = 15_000,
        fresh: Annotated[
            bool, typer.Option("--fresh/--keep", help="Start from an empty database and world.")
        ] = True,
    ) -> None:
        """Generate a sample world, import it, and run vetting, discovery and planning on a sample brief:
        a health-care brand looking for UK creators with lived experience of IBD."""
        root = ctx.find_root().command
        if fresh:
            for path in (db, db.with_suffix(db.suffix + ".wal")):
                path.unlink(missing_ok=True)
            shutil.rmtree(out, ignore_errors=True)
        commands = getattr(root, "commands", {})
        steps: list[tuple[str, list[str]]] = [
            (
                f"Generate a sample world of {creators} creators (seed {seed})",
                ["world", "generate", "--creators", str(creators), "--seed", str(seed), "--out", str(out)],
            ),
            ("Import it into the embedded database", ["import", str(out), "--db", str(db)]),
            *_steps(db, SAMPLE_BRIEF, budget),
        ]
        failed: list[str] = []
        for title, argv in steps:
            console.print(Rule(f"[bold]{title}"))
            console.print(f"[dim]$ covey {' '.join(_quote(a) for a in argv)}[/]", highlight=False)
            if argv[0] not in commands:
                console.print(f"[yellow]skipped:[/] this Covey has no `{argv[0]}` command yet")
                continue
            if not _run(root, argv):
                failed.append(argv[0])
                if argv[0] in ("world", "import"):
                    break
        console.print(Rule())
        if failed:
            err_console.print(f"[bold red]demo steps failed:[/] {', '.join(failed)}")
            raise typer.Exit(1)
        console.print(
            f"Done. The database is {db}; try `covey stats --db {db}` or `covey vet HANDLE --db {db}`."
        )


def _quote(arg: str) -> str:
    return f'"{arg}"' if " " in arg else arg
