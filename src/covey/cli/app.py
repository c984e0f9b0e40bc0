"""The `covey` command: one Typer app; each capability adds its commands from its module."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from pathlib import Path

import typer
from rich.table import Table

from covey import __version__
from covey.cli.common import DEFAULT_DB, DbOption, JsonOption, cli_errors, console, print_json
from covey.store import open_store

app = typer.Typer(
    name="covey",
    help="Transparent micro-influencer marketing: ingest, vet, discover and plan, on your own machine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        console.print(f"covey {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what Covey does to stderr."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@app.command()
def stats(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Row counts of every table in the database."""
    with cli_errors(), open_store(db, read_only=True) as store:
        counts = store.table_counts()
        version = store.schema_version()
    if as_json:
        print_json({"db": str(db), "schema_version": version, "tables": counts})
        return
    table = Table(title=f"{db} (schema v{version})")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in counts.items():
        table.add_row(name, f"{n:,}")
    console.print(table)


def main() -> None:
    """Entry point of the `covey` script."""
    app()


# Each capability's commands live in their own module in covey/cli/, which defines
# `register(app: typer.Typer) -> None` and must not import this module. Modules are found
# by scanning the package, so adding a capability touches no shared file; this order only
# arranges `covey --help` along the data's journey.
_ORDER = ("demo", "world", "ingest", "audience", "vet", "discover", "plan")


def _command_modules() -> list[str]:
    found = {m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])}
    found -= {"app", "common", "__init__"}
    return [m for m in _ORDER if m in found] + sorted(found - set(_ORDER))


for _module in _command_modules():
    _mod = importlib.import_module(f"covey.cli.{_module}")
    if hasattr(_mod, "register"):
        _mod.register(app)
