"""`covey serve` (the web app), `covey user ...` and `covey workspace ...` (its accounts)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from covey.cli.common import DEFAULT_DB, DbOption, JsonOption, cli_errors, console, print_json

AppDbOption = Annotated[
    Path | None,
    typer.Option("--app-db", help="The app database (users, workspaces); default beside --db."),
]

user_app = typer.Typer(help="Web app users: add, grant a role, make an API token.", no_args_is_help=True)
workspace_app = typer.Typer(help="Web app workspaces: each is its own Covey database.", no_args_is_help=True)


def _appdb(db: Path, app_db: Path | None):  # type: ignore[no-untyped-def]
    from covey.settings import load_settings
    from covey.web.accounts import AppDB, secret_key

    s = load_settings()
    s = replace(s, db=db, web=replace(s.web, app_db=app_db or s.web.app_db))
    return s, AppDB(s.app_db(), secret_key(s.secret_key_file()))


def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[
        str | None, typer.Option("--host", help="Address to listen on (default 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on (default 8000).")] = None,
    app_db: AppDbOption = None,
) -> None:
    """Serve the web app; the database --db is the workspace 'default' when none exists yet."""
    import uvicorn

    from covey.web.app import create_app

    with cli_errors():
        settings, appdb = _appdb(db, app_db)
        if not appdb.workspaces():
            appdb.add_workspace("default", db)
            console.print(f"workspace 'default' serves {db}", soft_wrap=True)
        users = appdb.user_count()
        appdb.close()
        settings = replace(
            settings,
            web=replace(settings.web, host=host or settings.web.host, port=port or settings.web.port),
        )
        app = create_app(settings)
    if not users:
        console.print(
            "No user yet: add one with  covey user add EMAIL --workspace default --role owner", markup=False
        )
    console.print(f"Covey at http://{settings.web.host}:{settings.web.port}/ (Ctrl+C stops it)", markup=False)
    uvicorn.run(app, host=settings.web.host, port=settings.web.port, log_level="warning", proxy_headers=True)


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(help="The user's e-mail address (their sign-in name).")],
    workspace: Annotated[
        str | None, typer.Option("--workspace", help="Give a role in this workspace.")
    ] = None,
    role: Annotated[str, typer.Option("--role", help="owner, editor or viewer.")] = "viewer",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (scripts).")
    ] = False,
    db: DbOption = DEFAULT_DB,
    app_db: AppDbOption = None,
) -> None:
    """Add a user (the password is asked for, never given on the command line)."""
    with cli_errors():
        password = (
            sys.stdin.readline().rstrip("\n")
            if password_stdin
            else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        )
        _, appdb = _appdb(db, app_db)
        try:
            appdb.add_user(email, password)
            if workspace:
                appdb.grant(email, workspace, role)
        finally:
            appdb.close()
    console.print(f"user {email} added" + (f" ({role} of {workspace})" if workspace else ""), markup=False)


@user_app.command("grant")
def user_grant(
    email: Annotated[str, typer.Argument(help="The user.")],
    workspace: Annotated[str, typer.Argument(help="The workspace.")],
    role: Annotated[str, typer.Argument(help="owner, editor or viewer.")],
    db: DbOption = DEFAULT_DB,
    app_db: AppDbOption = None,
) -> None:
    """Give a user a role in a workspace (replacing their earlier role there)."""
    with cli_errors():
        _, appdb = _appdb(db, app_db)
        try:
            appdb.grant(email, workspace, role)
        finally:
            appdb.close()
    console.print(f"{email} is {role} of {workspace}", markup=False)


@user_app.command("token")
def user_token(
    email: Annotated[str, typer.Argument(help="The user the token acts for.")],
    label: Annotated[str, typer.Option("--label", help="What the token is for.")] = "",
    db: DbOption = DEFAULT_DB,
    app_db: AppDbOption = None,
) -> None:
    """Make an API token (printed once; send it as 'Authorization: Bearer TOKEN')."""
    with cli_errors():
        _, appdb = _appdb(db, app_db)
        try:
            token = appdb.new_api_token(email, label)
        finally:
            appdb.close()
    print(token)


@workspace_app.command("add")
def workspace_add(
    name: Annotated[str, typer.Argument(help="Lower-case letters, digits and '-'.")],
    workspace_db: Annotated[
        Path | None,
        typer.Option("--workspace-db", help="Its Covey database (default: workspaces/NAME.duckdb)."),
    ] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="A user to make its owner.")] = None,
    db: DbOption = DEFAULT_DB,
    app_db: AppDbOption = None,
) -> None:
    """Add a workspace: its own Covey database file, so its data stays apart from the others'."""
    with cli_errors():
        settings, appdb = _appdb(db, app_db)
        try:
            path = workspace_db or settings.workspaces_dir() / f"{name}.duckdb"
            ws = appdb.add_workspace(name, path)
            if owner:
                appdb.grant(owner, name, "owner")
        finally:
            appdb.close()
    console.print(f"workspace {ws.name}: {ws.db_path}", markup=False)


@workspace_app.command("list")
def workspace_list(
    db: DbOption = DEFAULT_DB, app_db: AppDbOption = None, as_json: JsonOption = False
) -> None:
    """Every workspace and its database file."""
    with cli_errors():
        _, appdb = _appdb(db, app_db)
        try:
            spaces = appdb.workspaces()
        finally:
            appdb.close()
    if as_json:
        print_json([{"name": w.name, "db": str(w.db_path)} for w in spaces])
        return
    if not spaces:
        console.print("No workspace yet: covey workspace add NAME", markup=False)
        raise typer.Exit(1)
    for w in spaces:
        console.print(f"{w.name}\t{w.db_path}", markup=False)


def register(app: typer.Typer) -> None:
    """Add `serve`, `user` and `workspace`."""
    app.command("serve")(serve)
    app.add_typer(user_app, name="user")
    app.add_typer(workspace_app, name="workspace")
