"""Reading drafts: one JSON object per line, checked field by field.

Fields: ``id``, ``caption`` (required), ``title``, ``hashtags`` (list), ``platform``,
``country`` (required unless a default is given), ``language``, ``paid``, ``gifted``,
``affiliate`` (true/false; absent means false), ``product_kind``, ``brand``, ``product``,
``platform_label``. A bad line is reported with its number and does not stop the others.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from covey.compliance.result import PRODUCT_KINDS, Draft
from covey.countries import require_country
from covey.errors import InputError

_BOOLS = ("paid", "gifted", "affiliate", "platform_label")
_TEXTS = ("id", "caption", "title", "platform", "language", "brand", "product")


def draft_from_dict(
    row: dict[str, Any],
    *,
    path: Path | str | None = None,
    line: int | None = None,
    country: str | None = None,
) -> Draft:
    """A Draft from one JSON object; InputError names the file, line and field."""

    def bad(reason: str, field: str) -> InputError:
        return InputError(reason, path=path, line=line, field=field)

    if not isinstance(row, dict):
        raise bad("expected a JSON object", "")
    for key in _TEXTS:
        if key in row and row[key] is not None and not isinstance(row[key], str | int):
            raise bad("must be text", key)
    caption = row.get("caption")
    if not isinstance(caption, str):
        raise bad("missing caption", "caption")
    for key in _BOOLS:
        if key in row and row[key] is not None and not isinstance(row[key], bool):
            raise bad("must be true or false", key)
    kind = row.get("product_kind") or "none"
    if kind not in PRODUCT_KINDS:
        raise bad(f"unknown product kind {kind!r}; one of {', '.join(PRODUCT_KINDS)}", "product_kind")
    raw_country = row.get("country") or country
    if not raw_country:
        raise bad("missing country (the audience's country, e.g. GB)", "country")
    try:
        code = require_country(str(raw_country))
    except InputError as exc:
        raise bad(exc.reason, "country") from exc
    tags = row.get("hashtags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise bad("must be a list of text", "hashtags")
    return Draft(
        caption=caption,
        country=code,
        platform=str(row.get("platform") or "unknown").lower(),
        title=str(row.get("title") or ""),
        hashtags=tuple(tags),
        language=str(row["language"]) if row.get("language") else None,
        paid=bool(row.get("paid", False)),
        gifted=bool(row.get("gifted", False)),
        affiliate=bool(row.get("affiliate", False)),
        product_kind=kind,
        brand=str(row.get("brand") or ""),
        product=str(row.get("product") or ""),
        platform_label=bool(row.get("platform_label", False)),
        id=str(row.get("id") if row.get("id") is not None else line or ""),
    )


@dataclass(frozen=True)
class BadLine:
    """A line that could not be read, and why."""

    line: int
    error: InputError


def read_drafts(
    path: Path, *, country: str | None = None
) -> Iterator[tuple[int, dict[str, Any], Draft | BadLine]]:
    """(line number, raw object, Draft or BadLine) for each non-blank line of a JSONL file."""
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError("no such file", path=path) from exc
    with handle:
        for n, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                row = json.loads(text)
            except json.JSONDecodeError as exc:
                yield n, {}, BadLine(n, InputError(f"not valid JSON: {exc.msg}", path=path, line=n))
                continue
            try:
                yield n, row, draft_from_dict(row, path=path, line=n, country=country)
            except InputError as exc:
                yield n, row if isinstance(row, dict) else {}, BadLine(n, exc)
