"""`covey import`: bring canonical files or Instaloader exports into the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from covey.cli.common import (
    DEFAULT_DB,
    AllowRejectsOption,
    DbOption,
    JsonOption,
    cli_errors,
    console,
    err_console,
    print_json,
    progress,
    rows_exit_code,
    say_rejected,
)
from covey.ingest import import_path
from covey.ingest.detect import FORMATS

FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help=f"Input format: {', '.join(FORMATS)}."),
]
TableOption = Annotated[
    str | None,
    typer.Option("--table", "-t", help="Table a single file holds, when its name does not say."),
]
RejectsOption = Annotated[
    Path | None,
    typer.Option(
        "--rejects",
        help="Folder for the rejects file (default: covey-rejects/ beside the database).",
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Text encoding of CSV files, e.g. utf-8, cp1252, latin-1, utf-16 (default: detected).",
    ),
]
DelimiterOption = Annotated[
    str | None,
    typer.Option(
        "--delimiter",
        help="Field separator of CSV files: a character, or comma, semicolon, tab, pipe (default: detected).",
    ),
]
DateFormatOption = Annotated[
    str,
    typer.Option(
        "--date-format",
        help="How to read dates such as 01/02/2024: auto (each CSV decides from its rows; "
        "day-first when they do not tell), dmy, mdy, or a pattern such as %d.%m.%Y %H:%M.",
    ),
]

INTERRUPTED = "interrupted: nothing was imported; the database is as it was"


def import_command(
    path: Annotated[
        Path, typer.Argument(help="A file or folder: canonical CSV/JSONL/Parquet, or Instaloader.")
    ],
    db: DbOption = DEFAULT_DB,
    fmt: FormatOption = "auto",
    table: TableOption = None,
    rejects: RejectsOption = None,
    encoding: EncodingOption = None,
    delimiter: DelimiterOption = None,
    date_format: DateFormatOption = "auto",
    allow_rejects: AllowRejectsOption = False,
    as_json: JsonOption = False,
) -> None:
    """Import data; bad rows go to a rejects file, good rows load in one transaction.

    Exit code 0 when every row loaded, 3 when some rows were rejected (0 with
    --allow-rejects), 4 when nothing loaded, 2 for unreadable input, 130 when interrupted.
    """
    from covey.settings import load_settings
    from covey.store import open_store

    with cli_errors(INTERRUPTED), open_store(db) as store, progress(transient=True) as bar:
        task = bar.add_task("importing", total=None)

        def report(description: str, completed: int, total: int) -> None:
            bar.update(task, description=description, completed=completed, total=total)

        summary = import_path(
            store,
            path,
            fmt=fmt,
            table=table,
            rejects_dir=rejects,
            progress=report,
            encoding=encoding,
            delimiter=delimiter,
            date_format=date_format,
            memory_limit=load_settings().import_memory_limit,
        )
    code = rows_exit_code(summary.loaded, summary.rejected, allow_rejects=allow_rejects)
    if as_json:
        print_json({**summary.to_dict(), "exit_code": code})
        raise typer.Exit(code)
    out = Table(title=f"import {summary.import_id}: {summary.source} ({summary.format})")
    for name in ("table", "read", "inserted", "updated", "unchanged", "rejected"):
        out.add_column(name, justify="left" if name == "table" else "right")
    for name, counts in summary.tables.items():
        c = counts.to_dict()
        out.add_row(name, *(f"{c[k]:,}" for k in ("read", "inserted", "updated", "unchanged", "rejected")))
    console.print(out)
    for note in summary.notes:
        console.print(f"note: {note}", highlight=False, markup=False)
    if summary.rejects_path:
        rows = "row" if summary.rejected == 1 else "rows"
        console.print(
            f"{summary.rejected:,} rejected {rows} written to {summary.rejects_path}",
            highlight=False,
            markup=False,
        )
    if summary.loaded == 0:
        what = "every row was rejected" if summary.rejected else "the input holds no rows"
        err_console.print(f"nothing was loaded: {what}.", highlight=False, markup=False)
    else:
        say_rejected(summary.rejected, allow_rejects=allow_rejects)
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Add `covey import` to the app."""
    app.command("import")(import_command)
