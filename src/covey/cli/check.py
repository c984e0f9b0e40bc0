"""`covey check`: a caption, a file of drafts, or every imported post against the rule packs."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from covey.cli.common import JsonOption, cli_errors, console, err_console, print_json
from covey.compliance import NOT_LEGAL_ADVICE, PRODUCT_KINDS, Checker, Draft, Result, builtin_packs, load_pack
from covey.compliance.drafts import BadLine, read_drafts
from covey.compliance.posts import check_store
from covey.countries import require_country
from covey.errors import InputError
from covey.store import open_store


def _line(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def _show(result: Result, caption: str) -> None:
    if not result.flags:
        console.print(f"No flags ({', '.join(result.packs)} packs; language {result.language}).")
    else:
        table = Table(title=f"{len(result.flags)} flag(s) - packs {', '.join(result.packs)}")
        for col in ("category", "rule", "severity", "where", "fix"):
            table.add_column(col, overflow="fold")
        for f in result.flags:
            table.add_row(
                f.category,
                f.rule,
                f.severity,
                f"{f.span.field} {f.span.start}-{f.span.end}: {f.span.text!r}",
                f.fix,
            )
        console.print(table)
        for f in result.flags:
            console.print(Text(f"{f.rule}: {f.citation}"), highlight=False)
    if not result.commercial:
        console.print("No material connection (not paid, gifted or affiliate): nothing to disclose.")
    console.print(Text(NOT_LEGAL_ADVICE, style="italic"))


def check(
    caption: Annotated[
        str | None, typer.Argument(help="The caption to check (or use --file / --db).")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="A JSONL file of drafts (see docs/compliance.md).")
    ] = None,
    db: Annotated[
        Path | None, typer.Option("--db", help="Check every post imported into this database.")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Audience country, e.g. GB, US, DE.")
    ] = None,
    platform: Annotated[str, typer.Option("--platform", help="instagram, tiktok, youtube...")] = "unknown",
    title: Annotated[str, typer.Option("--title", help="Video title (shown above the fold).")] = "",
    language: Annotated[
        str | None, typer.Option("--language", help="Caption language (detected if absent).")
    ] = None,
    paid: Annotated[bool, typer.Option("--paid", help="The creator is paid for this post.")] = False,
    gifted: Annotated[bool, typer.Option("--gifted", help="The creator got the product for free.")] = False,
    affiliate: Annotated[bool, typer.Option("--affiliate", help="The post earns a commission.")] = False,
    product_kind: Annotated[str, typer.Option("--product-kind", help=", ".join(PRODUCT_KINDS))] = "none",
    brand: Annotated[str, typer.Option("--brand", help="Brand name from the brief.")] = "",
    product: Annotated[str, typer.Option("--product", help="Product name from the brief.")] = "",
    pack: Annotated[
        list[Path] | None, typer.Option("--pack", help="An extra rule pack (TOML); repeatable.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check captions against the rule packs of the audience's country (not legal advice)."""
    with cli_errors():
        modes = sum(x is not None for x in (caption, file, db))
        if modes != 1:
            raise InputError("give exactly one of: a CAPTION, --file PATH, --db PATH")
        rules = builtin_packs()
        for p in pack or []:
            rules = rules.with_pack(load_pack(p))
        checker = Checker(rules)
        code = require_country(country, field="--country") if country else None
        if caption is not None:
            if code is None:
                raise InputError(
                    "--country is required with a caption (the audience's country)", field="--country"
                )
            if product_kind not in PRODUCT_KINDS:
                raise InputError(f"one of {', '.join(PRODUCT_KINDS)}", field="--product-kind")
            draft = Draft(
                caption=caption, country=code, platform=platform.lower(), title=title, language=language,
                paid=paid, gifted=gifted, affiliate=affiliate, product_kind=product_kind, brand=brand,
                product=product,
            )  # fmt: skip
            result = checker.check(draft)
            if as_json:
                print_json({**result.to_json(), "note": NOT_LEGAL_ADVICE})
            else:
                _show(result, caption)
            return
        if file is not None:
            _check_file(checker, file, code, as_json)
            return
        assert db is not None
        _check_db(checker, db, code, as_json)


def _check_file(checker: Checker, file: Path, country: str | None, as_json: bool) -> None:
    bad = 0
    counts: Counter[str] = Counter()
    table = Table(title=f"Drafts in {file}")
    for col in ("id", "flags"):
        table.add_column(col, overflow="fold")
    for n, _row, item in read_drafts(file, country=country):
        if isinstance(item, BadLine):
            bad += 1
            if as_json:
                _line({"line": n, "error": str(item.error)})
            err_console.print(Text(f"skipped: {item.error}"), highlight=False)
            continue
        result = checker.check(item)
        counts.update(f.category for f in result.flags)
        if as_json:
            _line({"id": result.id, "flags": [f.to_json() for f in result.flags]})
        else:
            table.add_row(result.id, ", ".join(f"{f.category} ({f.rule})" for f in result.flags) or "-")
    if not as_json:
        console.print(table)
        console.print(Text(NOT_LEGAL_ADVICE, style="italic"))
    else:
        err_console.print(Text(NOT_LEGAL_ADVICE), highlight=False)
    if bad:
        err_console.print(f"{bad} line(s) could not be read (see above).")
        raise typer.Exit(2)


def _check_db(checker: Checker, db: Path, country: str | None, as_json: bool) -> None:
    if not db.exists():
        raise InputError("no such database", path=db)
    counts: Counter[str] = Counter()
    posts = flagged = 0
    with open_store(db) as store:
        for result in check_store(store, country, checker):
            posts += 1
            if result.flags:
                flagged += 1
                counts.update(f.category for f in result.flags)
                if as_json:
                    _line({"id": result.id, "flags": [f.to_json() for f in result.flags]})
    if as_json:
        err_console.print(Text(f"{flagged} of {posts} posts flagged. {NOT_LEGAL_ADVICE}"), highlight=False)
        return
    table = Table(title=f"{flagged} of {posts} imported posts flagged")
    table.add_column("category")
    table.add_column("posts", justify="right")
    for cat, k in counts.most_common():
        table.add_row(cat, str(k))
    console.print(table)
    console.print(
        "Paid, gifted or affiliate status is inferred from each caption "
        "(a label, a code, talk about a tagged brand)."
    )
    console.print(Text(NOT_LEGAL_ADVICE, style="italic"))


def register(app: typer.Typer) -> None:
    """Add `check` to the `covey` command."""
    app.command("check")(check)
