"""`covey settings`: the settings in force (covey.toml, COVEY_* variables, defaults), explained."""

from __future__ import annotations

from dataclasses import fields

import typer
from rich.table import Table

from covey.cli.common import JsonOption, cli_errors, console, print_json


def settings_command(as_json: JsonOption = False) -> None:
    """Show every setting's value in force, its default and what it does."""
    from covey.settings import Settings, describe, load_settings

    with cli_errors():
        current = load_settings()
    values = {f.name: getattr(current, f.name) for f in fields(Settings) if f.name != "web"}
    values |= {f"web.{f.name}": getattr(current.web, f.name) for f in fields(current.web)}
    rows = [(name, values[name], default, text) for name, default, text in describe()]
    if as_json:
        print_json([{"name": n, "value": v, "default": d, "help": h} for n, v, d, h in rows])
        return
    table = Table(title="Settings (covey.toml or $COVEY_CONFIG, then COVEY_* variables)")
    for col in ("setting", "value", "default", "what it does"):
        table.add_column(col)
    for name, value, default, text in rows:
        table.add_row(name, str(value), default, text)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add `covey settings`."""
    app.command("settings")(settings_command)
