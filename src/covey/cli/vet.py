"""`covey score` (score every account) and `covey vet HANDLE` (one account, explained)."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from covey.cli.common import DEFAULT_DB, DbOption, JsonOption, cli_errors, console, print_json, progress
from covey.errors import InputError
from covey.scores import COMPONENTS, latest_vetting, load_weights, score_store
from covey.scores.read import component_scores
from covey.scores.result import ComponentScore, VetResult
from covey.scores.summary import WARNING_KINDS
from covey.settings import load_settings
from covey.store import open_store

WeightsFile = Annotated[
    Path | None,
    typer.Option(
        "--weights",
        help="TOML file of weights: \\[weights], \\[red_flags] cap, \\[overall] min_coverage "
        "(see docs/scores.md).",
    ),
]
WeightPairs = Annotated[
    list[str] | None,
    typer.Option("--weight", help="Override one weight, e.g. --weight audience=3 (repeatable)."),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Score as of this date/time (ISO 8601); default: the newest post or follower count."
    ),
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

            run = score_store(
                store, w, as_of=when, on_step=on_step, memory_limit=load_settings().score_memory_limit
            )
            bar.update(task, completed=6, description="done")
            scored = component_scores(store, ["overall", "coverage"], run.run_id)
            rows = [
                tuple(r.values())
                for r in store.sql(
                    "SELECT s.account_id, a.handle, s.overall, s.coverage FROM scored s "
                    "JOIN accounts a USING (account_id) ORDER BY s.overall NULLS LAST, s.account_id",
                    scored=scored,
                ).to_pylist()
            ]
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
        print_json(
            {
                **info,
                "overall": [
                    {"account_id": r[0], "handle": r[1], "overall": r[2], "coverage": r[3]} for r in rows
                ],
            }
        )
        return
    console.print(
        f"Scored [bold]{run.accounts:,}[/] accounts as of {run.as_of:%Y-%m-%d %H:%M} UTC "
        f"(run {run.run_id}, score version {run.score_version}; fake shares: {run.classifier})."
    )
    unknown = sum(1 for r in rows if r[2] is None)
    if unknown:
        console.print(
            f"{unknown:,} account(s) have no overall score: less than {100 * run.weights.min_coverage:.0f} % "
            "of the weight has evidence (see docs/scores.md)."
        )
    known = [r for r in rows if r[2] is not None]
    if not known:
        return
    table = Table(title="Lowest overall scores (0-100, higher is cleaner)")
    table.add_column("handle", overflow="fold")
    table.add_column("overall", justify="right", no_wrap=True)
    table.add_column("evidence", justify="right", no_wrap=True)
    for _, handle, overall, coverage in known[:10]:
        table.add_row(f"@{handle}", _fmt(overall), "-" if coverage is None else f"{coverage:.0f} %")
    console.print(table)
    console.print(
        "'evidence' is the share of the score's weight the data could speak to; "
        "see one account with: covey vet HANDLE"
    )


Details = Annotated[
    bool,
    typer.Option("--details", help="Also show peer groups, every evidence item and the run's version."),
]

# Evidence kinds in words (the JSON keeps the technical names).
KIND_WORDS = {
    "post": "recent post",
    "audience_sample": "follower sample",
    "likely_fake_follower": "likely fake follower",
    "growth_bought": "follower jump, likely bought",
    "growth_purge": "followers removed",
    "pod_comment": "pod comment",
    "generic_comment": "generic comment",
    "emoji_only_comment": "emoji-only comment",
    "creator_reply": "creator's reply",
    "on_niche_post": "post on the niche",
    "sponsored_post": "sponsored post",
    "undisclosed_sponsorship": "paid-looking post, no label",
    "weak_disclosure": "weak label (#sp, #collab)",
    "buried_disclosure": "label buried at the end",
    "health_claim": "health claim",
    "prescription_medicine": "prescription medicine named",
    "lived_experience": "lived experience",
    "profanity": "profanity",
    "hate": "hate",
    "sensitive_topic": "sensitive topic",
}


def _finite(x: Any) -> Any:
    """JSON-safe copy: NaN and infinities become null (strict parsers reject them)."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_finite(v) for v in x]
    return x


def _score_text(x: Any) -> str:
    return "unknown" if x is None else f"{float(x):.0f}"


def _peers_text(c: ComponentScore, details: bool) -> str:
    if c.percentile is None:
        return "-"
    n = round(c.percentile)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    text = f"{n}{suffix} ({c.peers or 0:,} peers)"
    return f"{text} ({c.peer_group})" if details else text


def _show(r: VetResult, details: bool) -> None:
    a, run = r.account, r.run
    console.print(
        Text.assemble(("@" + str(a.handle), "bold"), f" on {a.platform}", f" (id {a.account_id})"),
        soft_wrap=True,
    )
    console.print(f"Vetted with the data up to {run.as_of:%d %b %Y}.", soft_wrap=True)
    for line in r.summary():
        console.print(Text(line, style="bold red" if line.startswith("Warning") else ""))
    table = Table(show_lines=True, expand=False)
    table.add_column("check", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("vs peers", justify="right", no_wrap=not details)
    table.add_column("what it means", ratio=1)
    order = {c: i for i, c in enumerate((*COMPONENTS, "overall", "coverage"))}
    for c in sorted(r.components, key=lambda c: order.get(c.component, 99)):
        if c.component == "coverage" and not details:
            continue
        score = _score_text(c.score) + (" %" if c.component == "coverage" and c.score is not None else "")
        table.add_row(c.component, score, _peers_text(c, details), c.sentence)
    console.print(table)
    console.print("Scores run 0-100, higher is cleaner; 'vs peers' is the percentile among similar accounts.")
    shown = [e for e in r.evidence if details or e.kind in WARNING_KINDS]
    if shown:
        ev = Table(title="Evidence" if details else "Evidence behind the warnings", expand=False)
        ev.add_column("check", no_wrap=True)
        ev.add_column("what", no_wrap=False)
        ev.add_column("where / detail", ratio=1, overflow="fold")
        for e in sorted(shown, key=lambda e: (order.get(e.component, 99), e.kind)):
            where = " - ".join(x for x in (e.url or "", e.detail or "") if x) or (e.item_id or "")
            ev.add_row(e.component, KIND_WORDS.get(e.kind, e.kind), where)
        console.print(ev)
    if details:
        console.print(
            f"Run {run.run_id}, score version {run.score_version}, as of {run.as_of:%Y-%m-%d %H:%M} "
            f"UTC; fake shares: {run.classifier}.",
            soft_wrap=True,
        )
    else:
        console.print("More: covey vet HANDLE --details (peer groups, all evidence) or --json.")


def vet(
    handle: str = typer.Argument(..., help="Handle (with or without '@') or account id."),
    db: DbOption = DEFAULT_DB,
    details: Details = False,
    as_json: JsonOption = False,
) -> None:
    """Show an account's latest vetting: a plain summary, every check and the evidence behind warnings."""
    with cli_errors(), open_store(db, read_only=True) as store:
        results = latest_vetting(store, handle)
    if as_json:
        print_json(_finite([r.to_dict() for r in results]))
        return
    for r in results:
        _show(r, details)


def register(app: typer.Typer) -> None:
    """Add `score` and `vet` to the `covey` command."""
    app.command("score")(score)
    app.command("vet")(vet)
