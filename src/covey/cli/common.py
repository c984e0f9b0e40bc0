"""Pieces every command shares: the --db and --json options, output helpers, errors, exit codes.

Exit codes scripts can trust (README and docs/data-format.md):

* 0: done; every row of the input was loaded (or scored);
* 1: an error other than bad input;
* 2: bad input (a missing file or column, an unknown option value): nothing was written;
* 3: done, but some rows were rejected (named in the rejects file or the output); with
  ``--allow-rejects`` this is 0;
* 4: nothing was loaded: the input had no row, or every row was rejected;
* 130: interrupted (Ctrl-C); the database is as it was.
"""

from __future__ import annotations

import json
import math
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

AllowRejectsOption = Annotated[
    bool,
    typer.Option(
        "--allow-rejects",
        help="Exit 0 even when some rows were rejected (default: exit 3, so scripts notice).",
    ),
]


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


EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INPUT = 2
EXIT_REJECTS = 3
EXIT_NOTHING = 4
EXIT_INTERRUPTED = 130


def rows_exit_code(loaded: int, rejected: int, *, allow_rejects: bool = False) -> int:
    """The exit code of a command that loads or scores rows (see the module docstring)."""
    if loaded == 0:
        return EXIT_NOTHING
    if rejected and not allow_rejects:
        return EXIT_REJECTS
    return EXIT_OK


def say_rejected(rejected: int, *, allow_rejects: bool) -> None:
    """On stderr, why the exit code is 3: some rows were rejected and that was not allowed."""
    if rejected and not allow_rejects:
        were = "row was" if rejected == 1 else "rows were"
        err_console.print(
            f"{rejected:,} {were} rejected (exit code 3; --allow-rejects to accept).",
            highlight=False,
            markup=False,
        )


def finite(data: Any) -> Any:
    """``data`` with every NaN or infinite float replaced by None (unknown), at any depth."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [finite(v) for v in data]
    return data


def print_json(data: Any) -> None:
    """Print data as strict JSON on stdout (never NaN or Infinity: unknown is null)."""
    text = json.dumps(finite(data), indent=2, default=str, ensure_ascii=False, allow_nan=False)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def say(text: str, style: str | None = None) -> None:
    """Print a line as written: no Rich markup or highlighting (names and captions may hold [brackets])."""
    console.print(text, style=style, highlight=False, markup=False)


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
def cli_errors(interrupted: str = "interrupted (Ctrl-C)") -> Iterator[None]:
    """Turn Covey's errors into a one-line message and exit code 1 (2 for bad input).

    Ctrl-C prints ``interrupted`` on one line and exits 130 (no traceback); a database
    transaction that was open has been rolled back by then, so a command that writes in
    one transaction (`covey import`) may say that nothing changed.
    """
    from covey.errors import InputError

    try:
        yield
    except InputError as exc:
        _print_error(exc)
        raise typer.Exit(EXIT_INPUT) from exc
    except CoveyError as exc:
        _print_error(exc)
        raise typer.Exit(EXIT_ERROR) from exc
    except KeyboardInterrupt:
        err_console.print(Text(interrupted, style="bold yellow"), highlight=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _print_error(exc: Exception) -> None:
    # The message is data (file names, "[field]"), never Rich markup.
    # soft_wrap: a long path in the message is never broken by an inserted line end.
    err_console.print(Text.assemble(("error: ", "bold red"), str(exc)), highlight=False, soft_wrap=True)


DEFAULT_DB = _default_db()
