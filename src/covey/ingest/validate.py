"""Field-level parsing of raw values into canonical types, one row at a time.

Used by the line-based readers (CSV, JSONL, Parquet whose columns need parsing, Instaloader).
Checks that need the whole import (required values, negative counts, allowed values,
duplicate keys, unknown parents) run in SQL over the staged rows (``covey.ingest.checks``),
so the Parquet fast path and the line-based path share one set of rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from covey.countries import country_code, suggest_country
from covey.ingest.dates import DateFormatError, DateRule, parse_human
from covey.ingest.numbers import MISSING, NumberError, parse_count, parse_float
from covey.model import AUDIENCE_RELATIONS, PLATFORMS, POST_KINDS, Column, ColumnType, Table

# Columns holding a country: read as people write it ("UK", "Deutschland"), stored as ISO alpha-2.
COUNTRY_COLUMNS: frozenset[tuple[str, str]] = frozenset({("creators", "country"), ("accounts", "country")})
_DEFAULT_DATES = DateRule()

# Values a column must take, checked in SQL; the line-based path lower-cases them first.
ALLOWED: dict[tuple[str, str], tuple[str, ...]] = {
    ("accounts", "platform"): PLATFORMS,
    ("posts", "kind"): POST_KINDS,
    ("audience_samples", "relation"): AUDIENCE_RELATIONS,
}

TRUE = frozenset({"true", "t", "yes", "y", "1"})
FALSE = frozenset({"false", "f", "no", "n", "0"})
# Unix times above this are taken as milliseconds (10^11 s is the year 5138).
_MILLIS_FROM = 10**11
_LIST_SPLIT = re.compile(r"[\s,;]+")


class FieldError(ValueError):
    """A value that cannot become its column's type; ``str()`` is the reason."""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in MISSING)


def parse_text(value: Any) -> str | None:
    """Text as given; numbers are turned into their decimal string (ids in JSON are often numbers)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(f"{value!r} ({type(value).__name__}) is not text")
    return str(value)


def parse_bool(value: Any) -> bool | None:
    """ "true"/"yes"/"1"/1 and "false"/"no"/"0"/0; empty is unknown."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in TRUE:
        return True
    if isinstance(value, str) and value.strip().lower() in FALSE:
        return False
    raise FieldError(f"{value!r} is not a boolean (true/false, yes/no, 1/0)")


def _from_unix(seconds: float) -> datetime:
    if abs(seconds) >= _MILLIS_FROM:
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError) as exc:
        raise FieldError(f"{seconds!r} is out of range for a unix time") from exc


def parse_timestamp(value: Any, rule: DateRule | None = None) -> datetime | None:
    """ISO 8601 with or without zone (converted to naive UTC), unix seconds (or milliseconds),
    or a date as spreadsheets write it, read by ``rule`` (default day-first; see ``covey.ingest.dates``)."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise FieldError(f"{value!r} is not a timestamp")
    if isinstance(value, int | float):
        return _from_unix(float(value))
    if not isinstance(value, str):
        raise FieldError(f"{value!r} ({type(value).__name__}) is not a timestamp")
    text = value.strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return _from_unix(float(text))
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        try:
            human = parse_human(text, rule or _DEFAULT_DATES)
        except DateFormatError as exc:
            raise FieldError(str(exc)) from exc
        if human is None:
            raise FieldError(
                f"{value!r} is not a date Covey reads (ISO 8601 2024-01-31, 31/01/2024, 2 Jan 2024, "
                "unix time; or pass --date-format)"
            ) from None
        return human
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def parse_date(value: Any, rule: DateRule | None = None) -> date | None:
    """An ISO 8601 date (or any form :func:`parse_timestamp` reads); a timestamp keeps its (UTC) date."""
    if _blank(value):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise FieldError(f"{value!r} is not a valid date") from exc
    return _date_of(parse_timestamp(value, rule))


def _date_of(ts: datetime | None) -> date | None:
    return ts.date() if ts is not None else None


def parse_list(value: Any, *, strip: str = "") -> list[str] | None:
    """A JSON list, or items separated by spaces, commas or semicolons; ``strip`` drops a prefix."""
    if value is None:
        return None
    items: list[Any]
    if isinstance(value, list | tuple):
        items = list(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.lower() in MISSING - {""}:
            return None
        if text.startswith("["):
            try:
                decoded = json.loads(text)
            except json.JSONDecodeError as exc:
                raise FieldError(f"{value!r} is not a valid JSON list: {exc.msg}") from exc
            if not isinstance(decoded, list):
                raise FieldError(f"{value!r} is not a list")
            items = decoded
        else:
            items = [p for p in _LIST_SPLIT.split(text) if p]
    else:
        raise FieldError(f"{value!r} ({type(value).__name__}) is not a list")
    out: list[str] = []
    for item in items:
        if not isinstance(item, str | int) or isinstance(item, bool):
            raise FieldError(f"list item {item!r} is not text")
        text_item = str(item).strip().lstrip(strip) if strip else str(item).strip()
        if text_item:
            out.append(text_item)
    return out


def _parse_count(value: Any) -> int | None:
    try:
        return parse_count(value)
    except NumberError as exc:
        raise FieldError(str(exc)) from exc


def _parse_float(value: Any) -> float | None:
    try:
        return parse_float(value)
    except NumberError as exc:
        raise FieldError(str(exc)) from exc


_PARSERS: dict[ColumnType, Callable[[Any], Any]] = {
    "text": parse_text,
    "int": _parse_count,
    "float": _parse_float,
    "bool": parse_bool,
    "timestamp": parse_timestamp,
    "date": parse_date,
    "text[]": parse_list,
}


def parse_country(value: Any) -> str | None:
    """An ISO 3166-1 alpha-2 code from a country as people write it ("UK", "Deutschland", "gb")."""
    text = parse_text(value)
    if text is None or text.strip().lower() in MISSING:
        return None
    code = country_code(text)
    if code is None:
        hint = suggest_country(text)
        tail = f": did you mean {hint}?" if hint else "; use an ISO 3166 code such as GB, US or DE"
        raise FieldError(f"unknown country {text!r}{tail}")
    return code


def column_parser(table: Table, column: Column, dates: DateRule | None = None) -> Callable[[Any], Any]:
    """The function that turns a raw value of ``column`` into its canonical Python value.

    ``dates`` says how dates that are not ISO 8601 are read (default: day-first).
    """
    if (table.name, column.name) in COUNTRY_COLUMNS:
        return parse_country
    if column.type == "timestamp":
        return lambda v: parse_timestamp(v, dates)
    if column.type == "date":
        return lambda v: parse_date(v, dates)
    if (table.name, column.name) in ALLOWED:
        return _enumerated
    if column.name == "hashtags":
        return lambda v: _lower_all(parse_list(v, strip="#"))
    if column.name == "mentions":
        return lambda v: parse_list(v, strip="@")
    return _PARSERS[column.type]


def _enumerated(value: Any) -> str | None:
    text = parse_text(value)
    return text.strip().lower() if text is not None else None


def _lower_all(items: list[str] | None) -> list[str] | None:
    return [i.lower() for i in items] if items is not None else None
