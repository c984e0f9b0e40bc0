"""Reading a user's profile file (CSV or JSONL) for scoring or training, row by row.

The rules are the import's (docs/data-format.md), so a file that imports also scores:

* a CSV's encoding and delimiter are detected (or given), its header names may be
  aliases ("Username", "Followers", "followers_count"; ``covey.ingest.aliases``, the
  ``audience_samples`` table), and dates may be written as spreadsheets write them;
* counts are read as people write them ("1,204", "3.5k", "2M"); empty, ``n/a``, ``-``,
  ``null`` are unknown, never zero; booleans are true/false, yes/no, 1/0;
* a bad value sets that row aside with its line, column and reason (:class:`RowReject`);
  the other rows are read. Every missing required column is named at once.

In a CSV an empty cell is unknown for numbers and booleans, and an empty text (no bio) for
text columns; in JSONL ``null`` is unknown and ``""`` is empty text.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from covey.audience.features import REQUIRED_COLUMNS
from covey.errors import InputError, UnknownFormatError
from covey.ingest.aliases import map_header, normalise
from covey.ingest.dates import DateRule, guess_order, order_note
from covey.ingest.numbers import NumberError, parse_count
from covey.ingest.textfile import head_rows, one_column_hint, read_records, text_format
from covey.ingest.validate import FieldError, parse_bool, parse_date

COUNT_COLUMNS = ("followers", "following", "posts")
BOOL_COLUMNS = ("has_profile_pic", "is_private")
TEXT_COLUMNS = ("username", "full_name", "bio", "external_url")
DATE_COLUMNS = ("created_at", "sampled_at")
KNOWN_COLUMNS = COUNT_COLUMNS + BOOL_COLUMNS + TEXT_COLUMNS + DATE_COLUMNS
_MEMO = 100_000  # distinct values remembered per column
_TYPES: dict[str, pa.DataType] = {
    **dict.fromkeys(COUNT_COLUMNS, pa.float64()),
    **dict.fromkeys(BOOL_COLUMNS, pa.bool_()),
    **dict.fromkeys(TEXT_COLUMNS, pa.string()),
    **dict.fromkeys(DATE_COLUMNS, pa.date32()),
}


@dataclass(frozen=True)
class RowReject:
    """A row set aside: where it is, which column, why, and the row as read."""

    line: int
    field: str | None
    reason: str
    raw: dict[str, Any] | str

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {"line": self.line, "field": self.field, "reason": self.reason, "raw": self.raw}


@dataclass(frozen=True)
class ProfileFile:
    """Parsed profiles of one file: canonical columns, the label if asked for, source lines,
    the rows set aside and notes on how the file was read."""

    path: Path
    table: pa.Table
    lines: np.ndarray
    labels: np.ndarray | None = None
    rejects: list[RowReject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.table.num_rows)


def _count(value: Any) -> float | None:
    try:
        number = parse_count(value)
    except NumberError as exc:
        raise FieldError(f"{exc}; expected a count such as 1204, 1,204 or 3.5k") from exc
    if number is not None and number < 0:
        raise FieldError(f"{value!r} is a negative count")
    return None if number is None else float(number)


def _parsers(dates: DateRule, is_csv: bool) -> dict[str, Callable[[Any], Any]]:
    def text(value: Any) -> str | None:
        if value is None:
            return "" if is_csv else None
        if is_csv and not value.strip():
            return ""
        if isinstance(value, list | dict):
            raise FieldError("expected a single value, got a list or object")
        return value if isinstance(value, str) else str(value)

    def username(value: Any) -> str | None:
        out = text(value)
        return out.strip() if out else ("" if is_csv else None)

    out: dict[str, Callable[[Any], Any]] = {}
    for name in KNOWN_COLUMNS:
        if name in COUNT_COLUMNS:
            out[name] = _count
        elif name in BOOL_COLUMNS:
            out[name] = parse_bool
        elif name in DATE_COLUMNS:
            out[name] = lambda v: parse_date(v, dates)
        else:
            out[name] = username if name == "username" else text
    return out


@dataclass
class _Source:
    """A profile file opened: its header as written, the names Covey reads it by, its rows."""

    header: list[str]
    names: list[str]  # canonical where the header holds an alias
    records: Iterator[tuple[int, dict[str, Any]]]
    dates: DateRule | None = None
    hint: str = ""  # added to a missing-columns error


def _csv_source(
    path: Path, encoding: str | None, delimiter: str | None, dates: DateRule | None, notes: list[str]
) -> _Source:
    fmt = text_format(path, encoding, delimiter)
    notes.extend(fmt.notes)
    head = head_rows(path, fmt)
    if not head:
        raise InputError("the file is empty; expected a header row", path=path, line=1)
    header = [h.strip() for h in head[0]]
    mapped = map_header("audience_samples", header)
    names = [c if c in KNOWN_COLUMNS else h for c, h in zip(mapped.columns, header, strict=True)]
    renamed = {h: c for h, c in mapped.renamed.items() if c in KNOWN_COLUMNS}
    if renamed:
        notes.append("columns read as " + ", ".join(f"{k!r} → {v}" for k, v in renamed.items()))
    if note := mapped.duplicates_note():
        notes.append(note)
    if dates is None:
        wanted = [i for i, n in enumerate(names) if n in DATE_COLUMNS]
        dates, ambiguous = guess_order(row[i] for row in head[1:] for i in wanted if i < len(row))
        if note := order_note(dates, ambiguous):
            notes.append(note)

    def records() -> Iterator[tuple[int, dict[str, Any]]]:
        for record in read_records(path, fmt, len(names)):
            if record.problem is not None:
                yield record.line, {"__error__": record.problem, "__raw__": record.fields}
            else:  # blanks: each parser reads "" as unknown
                yield record.line, dict(zip(names, record.fields, strict=True))

    return _Source(header, names, records(), dates, one_column_hint(header, fmt, delimiter))


def _jsonl_source(path: Path) -> _Source:
    # JSONL files are small enough to read twice: once for the keys, once for the rows.
    keys: dict[str, None] = {}
    parsed: list[tuple[int, dict[str, Any]]] = []
    with path.open("rb") as fh:
        for number, data in enumerate(fh, 1):
            if number == 1 and data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8) :]
            if not data.strip():
                continue
            try:  # as the import: a line that is not UTF-8 is set aside, never scored garbled
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raw = data.decode("utf-8", errors="replace").strip()
                parsed.append((number, {"__error__": "line is not valid UTF-8", "__raw__": raw}))
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                parsed.append((number, {"__error__": f"not valid JSON: {exc.msg}", "__raw__": text.strip()}))
                continue
            if not isinstance(obj, dict):
                parsed.append((number, {"__error__": "each line must be a JSON object", "__raw__": obj}))
                continue
            keys.update(dict.fromkeys(obj))
            parsed.append((number, obj))
    header = list(keys)
    mapped = map_header("audience_samples", header)
    rename = {h: c for h, c in zip(header, mapped.columns, strict=True) if c in KNOWN_COLUMNS and c != h}

    def records() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, obj in parsed:
            if rename and "__error__" not in obj:
                aliased = {rename[k]: v for k, v in obj.items() if k in rename}
                obj = {**aliased, **{k: v for k, v in obj.items() if k not in rename}}
            yield number, obj

    return _Source(header, [rename.get(h, h) for h in header], records())


def _label_name(names: list[str], label_column: str) -> str:
    if label_column in names:
        return label_column
    wanted = normalise(label_column)
    return next((n for n in names if normalise(n) == wanted), label_column)


def read_profiles(
    path: Path | str,
    *,
    label_column: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    dates: DateRule | None = None,
) -> ProfileFile:
    """Profiles from a CSV or JSONL file; see the module docstring for the accepted values.

    Raises InputError naming the file and *every* missing required column (and the label
    column, if asked for); a row with a bad value is set aside in ``rejects`` with its
    line, column and reason, and the others are read.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("no such file", path=path)
    notes: list[str] = []
    if suffix in (".csv", ".txt", ".tsv"):
        source = _csv_source(path, encoding, delimiter, dates, notes)
        is_csv = True
    elif suffix in (".jsonl", ".ndjson", ".json"):
        source = _jsonl_source(path)
        is_csv = False
    else:
        raise UnknownFormatError(f"unknown profile file type {suffix!r}; use .csv or .jsonl", path=path)
    names = source.names
    label = _label_name(names, label_column) if label_column else None
    needed = list(REQUIRED_COLUMNS) + ([label_column] if label_column else [])
    missing = [n for n in needed if (label if n == label_column else n) not in names]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise InputError(
            f"missing required column{plural} {', '.join(repr(m) for m in missing)} "
            f"(the file has: {', '.join(source.header) or 'none'}){source.hint}",
            path=path,
            field=", ".join(missing),
        )
    present = [n for n in KNOWN_COLUMNS if n in names]
    parsers = _parsers(source.dates or dates or DateRule(), is_csv)
    # Counts, flags and dates repeat a lot: each distinct text is parsed once (not text columns).
    plan: list[tuple[str, Callable[[Any], Any], dict[str, Any] | None]] = [
        (n, parsers[n], {} if n not in TEXT_COLUMNS else None) for n in present
    ]
    columns: dict[str, list[Any]] = {n: [] for n in present}
    lines: list[int] = []
    labels: list[int] = []
    rejects: list[RowReject] = []
    for number, row in source.records:
        if "__error__" in row:
            rejects.append(RowReject(number, None, str(row["__error__"]), _raw(row.get("__raw__"))))
            continue
        values: list[Any] = []
        column: str | None = None
        flag: bool | None = None
        try:
            for column, parse, memo in plan:
                value = row.get(column)
                if memo is None or type(value) is not str:
                    values.append(parse(value))
                elif value in memo:
                    values.append(memo[value])
                else:
                    values.append(memo.setdefault(value, parse(value)) if len(memo) < _MEMO else parse(value))
            if label is not None:
                column = label
                flag = parse_bool(row.get(label))
                if flag is None:
                    raise FieldError("the label is missing; expected 1 (fake) or 0 (genuine)")
        except FieldError as exc:
            rejects.append(RowReject(number, column, f"column {column!r}: {exc}", _raw(row)))
            continue
        for name, value in zip(present, values, strict=True):
            columns[name].append(value)
        lines.append(number)
        if label is not None:
            labels.append(int(bool(flag)))
    table = pa.table({n: pa.array(columns[n], _TYPES[n]) for n in present})
    label_array = np.asarray(labels, dtype=np.int8) if label is not None else None
    return ProfileFile(path, table, np.asarray(lines, dtype=np.int64), label_array, rejects, notes)


def _raw(value: Any) -> dict[str, Any] | str:
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items() if not str(k).startswith("__")}
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)
