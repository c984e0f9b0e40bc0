"""`covey score` (score every account) and `covey vet HANDLE` (one account, explained)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from covey.cli.common import DEFAULT_DB, DbOption, JsonOption, cli_errors, console, print_json, progress
from covey.errors import InputError
from covey.scores import COMPONENTS, latest_vetting, load_weights, score_store
from covey.store import open_store

WeightsFile = Annotated[
    Path | None, typer.Option("--weights", help="TOML file with a \\[weights] table (see docs/scores.md).")
]
WeightPairs = Annotated[
    list[str] | None,
    typer.Option("--weight", help="Override one weight, e.g. --weight audience=3 (repeatable)."),
]
AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Score as of this date/time (ISO 8601); default: the newest post."),
]


def _fmt(x: Any, digits: int = 0) -> str:
    return "-" if x is None else f"{float(x):.{digits}f}"


def score(
    db: DbOption = DEFAULT_DB,
    weights: WeightsFile = None,
    weight: WeightPairs = None,
    as_of: AsOf = None,
    as_json: JsonOption = False,
) -> None:
    """Compute every account's vetting scores and store them (a new run each time)."""
    with cli_errors():
        w = load_weights(weights, weight)
        when = None
        if as_of:
            try:
                when = datetime.fromisoformat(as_of)
            except ValueError as exc:
                raise InputError(f"not an ISO 8601 date: {as_of!r}", field="--as-of") from exc
        with open_store(db) as store, progress(transient=True) as bar:
            task = bar.add_task("scoring", total=6)

            def on_step(name: str, i: int, total: int) -> None:
                bar.update(task, completed=i, description=name)

            run = score_store(store, w, as_of=when, on_step=on_step)
            bar.update(task, completed=6, description="done")
            rows = store.query(
                "SELECT s.account_id, a.handle, s.score FROM account_scores s "
                "JOIN accounts a USING (account_id) WHERE s.run_id = ? AND s.component = 'overall' "
                "ORDER BY s.score NULLS LAST, s.account_id",
                [run.run_id],
            )
    info = {
        "run_id": run.run_id,
        "score_version": run.score_version,
        "as_of": run.as_of,
        "computed_at": run.computed_at,
        "accounts": run.accounts,
        "audience_classifier": run.classifier,
        **run.weights.as_dict(),
    }
    if as_json:
        print_json({**info, "overall": [{"account_id": r[0], "handle": r[1], "overall": r[2]} for r in rows]})
        return
    console.print(
        f"Scored [bold]{run.accounts:,}[/] accounts as of {run.as_of:%Y-%m-%d %H:%M} UTC "
        f"(run {run.run_id}, score version {run.score_version}; fake shares: {run.classifier})."
    )
    table = Table(title="Lowest overall scores (weighted mean of components, 0-100)")
    for col in ("account", "handle", "overall"):
        table.add_column(col, justify="right" if col == "overall" else "left")
    for account_id, handle, overall in rows[:10]:
        table.add_row(account_id, handle, _fmt(overall))
    console.print(table)
    console.print("See one account with: covey vet HANDLE")


def vet(handle: str = typer.Argument(..., help="Handle (with or without '@') or account id."),
        db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:  # fmt: skip
    """Show an account's latest scores: every component, its percentile, evidence and sentence."""
    with cli_errors(), open_store(db, read_only=True) as store:
        results = latest_vetting(store, handle)
    if as_json:
        print_json([r.__dict__ for r in results])
        return
    for r in results:
        run = r.run
        console.print(
            f"[bold]@{r.account['handle']}[/] ({r.account['account_id']}, {r.account['platform']}) - "
            f"run {run['run_id']}, score version {run['score_version']}, as of {run['as_of']:%Y-%m-%d}"
        )
        table = Table(show_lines=True)
        table.add_column("component")
        table.add_column("score", justify="right")
        table.add_column("percentile among peers", justify="right")
        table.add_column("why")
        order = {c: i for i, c in enumerate((*COMPONENTS, "overall"))}
        for c in sorted(r.components, key=lambda c: order.get(c["component"], 99)):
            pct = (
                "-"
                if c["percentile"] is None
                else f"{c['percentile']:.0f} ({c['peers']} peers: {c['peer_group']})"
            )
            table.add_row(c["component"], _fmt(c["score"]), pct, c["sentence"])
        console.print(table)
        if r.evidence:
            ev = Table(title="Evidence")
            for col in ("component", "kind", "item", "detail"):
                ev.add_column(col)
            for e in sorted(r.evidence, key=lambda e: (order.get(e["component"], 99), e["kind"])):
                ev.add_row(e["component"], e["kind"], e["url"] or e["item_id"] or "", e["detail"] or "")
            console.print(ev)


def register(app: typer.Typer) -> None:
    """Add `score` and `vet` to the `covey` command."""
    app.command("score")(score)
    app.command("vet")(vet)
