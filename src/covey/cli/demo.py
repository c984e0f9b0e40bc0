"""`covey demo`: a small world, imported, then every capability run on a sample brief.

The demo drives the very commands a user types (through the root Click command), so what
it shows is what `covey score`, `covey discover` and `covey plan` print; a capability that
is not installed or not built yet is skipped with a note rather than faked. At the end it
serves the demo world in the web app with a printed demo login (not under ``CI=true`` or with
``--no-serve``, so scripts and CI never block on a server).
"""

from __future__ import annotations

import os
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


DEMO_WORKSPACE = "demo"
DEMO_EMAIL = "demo@example.org"
DEMO_PASSWORD = "covey-demo-password"  # a demo world on the user's own machine, bound to 127.0.0.1
INTERRUPTED = 130  # the exit code of a command stopped by Ctrl+C


def _run(root: Any, argv: list[str]) -> int:
    """Run one `covey` command in-process; its exit code (0 ok, 130 interrupted by Ctrl+C).

    Not standalone, Typer *returns* the code of a ``typer.Exit`` (and turns Ctrl+C into
    ``Exit(130)``) instead of exiting, so the code is read from the return value.
    """
    try:
        rv = root.main(args=argv, prog_name="covey", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        return 1
    except KeyboardInterrupt:
        return INTERRUPTED
    except Exception as exc:
        # Usage errors of the Click layer Typer vendors: show them as a user would see them.
        if callable(getattr(exc, "show", None)):
            exc.show()  # type: ignore[attr-defined]
            return int(getattr(exc, "exit_code", 2) or 2)
        raise
    return rv if isinstance(rv, int) and not isinstance(rv, bool) else 0


def run_steps(root: Any, steps: list[tuple[str, list[str]]]) -> list[str]:
    """Run the steps in order; the commands that failed. Ctrl+C in a step stops the demo there
    (exit 130) rather than going on to the next step; a failed generate or import stops it too."""
    commands = getattr(root, "commands", {})
    failed: list[str] = []
    for title, argv in steps:
        console.print(Rule(f"[bold]{title}"))
        console.print(f"[dim]$ covey {' '.join(_quote(a) for a in argv)}[/]", highlight=False)
        if argv[0] not in commands:
            console.print(f"[yellow]skipped:[/] this Covey has no `{argv[0]}` command yet")
            continue
        code = _run(root, argv)
        if code == INTERRUPTED:
            err_console.print("[bold]demo stopped[/] (interrupted)")
            raise typer.Exit(INTERRUPTED)
        if code != 0:
            failed.append(argv[0])
            if argv[0] in ("world", "import"):
                break
    return failed


def in_ci(environ: dict[str, str] | os._Environ[str] | None = None) -> bool:
    """Whether ``CI`` is set to a true value (GitHub Actions, GitLab and most CIs set CI=true)."""
    value = (os.environ if environ is None else environ).get("CI", "")
    return value.strip().lower() in ("true", "1", "yes")


def prepare_demo_login(db: Path) -> tuple[str, str]:
    """The workspace 'demo' serving ``db`` and its owner demo@example.org with the demo password.

    Idempotent: a second demo finds both and only resets the password (ending old sessions),
    so the login it prints always works. Returns (e-mail, password).
    """
    from dataclasses import replace

    from covey.settings import load_settings
    from covey.web.accounts import AppDB, secret_key

    settings = replace(load_settings(), db=db)
    appdb = AppDB(settings.app_db(), secret_key(settings.secret_key_file()))
    try:
        if appdb.workspace(DEMO_WORKSPACE) is None:
            appdb.add_workspace(DEMO_WORKSPACE, db)
        if appdb.user(DEMO_EMAIL) is None:
            appdb.add_user(DEMO_EMAIL, DEMO_PASSWORD)
        else:
            appdb.set_password(DEMO_EMAIL, DEMO_PASSWORD)
        appdb.grant(DEMO_EMAIL, DEMO_WORKSPACE, "owner")
    finally:
        appdb.close()
    return DEMO_EMAIL, DEMO_PASSWORD


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
        serve: Annotated[
            bool,
            typer.Option(
                "--serve/--no-serve",
                help="End by serving the demo world in the web app (skipped when CI=true).",
            ),
        ] = True,
        port: Annotated[
            int | None, typer.Option("--port", help="Port of the web app (default 8000).")
        ] = None,
    ) -> None:
        """Generate a sample world, import it, and run vetting, discovery and planning on a sample brief:
        a health-care brand looking for UK creators with lived experience of IBD."""
        root = ctx.find_root().command
        if fresh:
            for path in (db, db.with_suffix(db.suffix + ".wal")):
                path.unlink(missing_ok=True)
            shutil.rmtree(out, ignore_errors=True)
        steps: list[tuple[str, list[str]]] = [
            (
                f"Generate a sample world of {creators} creators (seed {seed})",
                ["world", "generate", "--creators", str(creators), "--seed", str(seed), "--out", str(out)],
            ),
            ("Import it into the embedded database", ["import", str(out), "--db", str(db)]),
            *_steps(db, SAMPLE_BRIEF, budget),
        ]
        failed = run_steps(root, steps)
        console.print(Rule())
        if failed:
            err_console.print(f"[bold red]demo steps failed:[/] {', '.join(failed)}")
            raise typer.Exit(1)
        console.print(
            f"Done. The database is {db}; try `covey stats --db {db}` or `covey vet HANDLE --db {db}`."
        )
        _serve(db, port, now=serve and not in_ci())


def _serve(db: Path, port: int | None, *, now: bool) -> None:
    """Make the demo login and serve the demo world (``now``) or say how to; Ctrl+C stops it."""
    from covey.cli.common import cli_errors
    from covey.cli.serve import serve

    with cli_errors():
        email, password = prepare_demo_login(db)
    console.print(Rule("[bold]The demo world in the browser"))
    if not now:
        console.print(f"See it in the browser:  covey serve --db {db}", markup=False)
    console.print(f"Sign in as  {email}  with the password  {password}", markup=False)
    if now:
        serve(db=db, host=None, port=port, app_db=None)


def _quote(arg: str) -> str:
    return f'"{arg}"' if " " in arg else arg
