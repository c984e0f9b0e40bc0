"""`covey import`: bring canonical files or Instaloader exports into the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from covey.cli.common import DEFAULT_DB, DbOption, JsonOption, cli_errors, console, print_json, progress
from covey.ingest import import_path
from covey.ingest.detect import FORMATS
from covey.store import open_store

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


def import_command(
    path: Annotated[
        Path, typer.Argument(help="A file or folder: canonical CSV/JSONL/Parquet, or Instaloader.")
    ],
    db: DbOption = DEFAULT_DB,
    fmt: FormatOption = "auto",
    table: TableOption = None,
    rejects: RejectsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import data; bad rows go to a rejects file, good rows load in one transaction."""
    with cli_errors(), open_store(db) as store, progress(transient=True) as bar:
        task = bar.add_task("importing", total=None)

        def report(description: str, completed: int, total: int) -> None:
            bar.update(task, description=description, completed=completed, total=total)

        summary = import_path(store, path, fmt=fmt, table=table, rejects_dir=rejects, progress=report)
    if as_json:
        print_json(summary.to_dict())
        return
    out = Table(title=f"import {summary.import_id}: {summary.source} ({summary.format})")
    for name in ("table", "read", "inserted", "updated", "unchanged", "rejected"):
        out.add_column(name, justify="left" if name == "table" else "right")
    for name, counts in summary.tables.items():
        c = counts.to_dict()
        out.add_row(name, *(f"{c[k]:,}" for k in ("read", "inserted", "updated", "unchanged", "rejected")))
    console.print(out)
    if summary.rejects_path:
        console.print(f"{summary.rejected:,} rejected rows written to {summary.rejects_path}")


def register(app: typer.Typer) -> None:
    """Add `covey import` to the app."""
    app.command("import")(import_command)
