"""Pieces every command shares: the --db and --json options, output helpers, errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from covey.errors import CoveyError

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    Path,
    typer.Option("--db", help="The Covey database file (created if missing).", envvar="COVEY_DB"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]


def _default_db() -> Path:
    """The database commands use without --db: covey.toml's ``db``, else covey.duckdb.

    Read once when the command line starts (never when the library is imported); a broken
    settings file is a one-line error, like every other bad input.
    """
    from covey.settings import load_settings

    try:
        return load_settings().db
    except CoveyError as exc:
        _print_error(exc)
        raise SystemExit(2) from exc


def print_json(data: Any) -> None:
    """Print data as JSON on stdout, untouched by Rich's markup."""
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def progress(*, transient: bool = False) -> Progress:
    """A progress bar for long work; quiet when stderr is not a terminal."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=transient,
    )


@contextmanager
def cli_errors() -> Iterator[None]:
    """Turn Covey's errors into a one-line message and exit code 1 (2 for bad input)."""
    from covey.errors import InputError

    try:
        yield
    except InputError as exc:
        _print_error(exc)
        raise typer.Exit(2) from exc
    except CoveyError as exc:
        _print_error(exc)
        raise typer.Exit(1) from exc


def _print_error(exc: Exception) -> None:
    # The message is data (file names, "[field]"), never Rich markup.
    err_console.print(Text.assemble(("error: ", "bold red"), str(exc)), highlight=False)


DEFAULT_DB = _default_db()
