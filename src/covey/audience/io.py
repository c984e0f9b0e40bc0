"""Reading a user's profile file (CSV or JSONL) for scoring or training, with located errors.

Rows are read as text with the line each starts on, then each column is parsed in one
vectorised pass; the first bad value is reported with its file, line and column. Counts
may be written as people write them ("1,204", "3.5k", "2M"); booleans as true/false,
1/0, yes/no; dates as ISO 8601 (``2021-03-04`` or a timestamp, of which the date is kept).
In a CSV an empty cell is unknown for numbers and booleans, and an empty text (no bio)
for text columns; in JSONL ``null`` is unknown and ``""`` is empty text.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from covey.audience.features import REQUIRED_COLUMNS
from covey.errors import InputError, UnknownFormatError

COUNT_COLUMNS = ("followers", "following", "posts")
BOOL_COLUMNS = ("has_profile_pic", "is_private")
TEXT_COLUMNS = ("username", "full_name", "bio", "external_url")
DATE_COLUMNS = ("created_at", "sampled_at")
KNOWN_COLUMNS = COUNT_COLUMNS + BOOL_COLUMNS + TEXT_COLUMNS + DATE_COLUMNS

_TRUE = ("true", "1", "yes", "y", "t")
_FALSE = ("false", "0", "no", "n", "f")
_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9}


@dataclass(frozen=True)
class ProfileFile:
    """Parsed profiles of one file: canonical columns, the label if asked for, and source lines."""

    path: Path
    table: pa.Table
    lines: np.ndarray
    labels: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.table.num_rows)


def _raw_csv(path: Path) -> tuple[list[str], list[list[str | None]], list[int]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise InputError("the file is empty; expected a header row", path=path, line=1) from None
        rows: list[list[str | None]] = []
        lines: list[int] = []
        last = reader.line_num
        for record in reader:
            start = last + 1
            last = reader.line_num
            if not record or all(not cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                raise InputError(
                    f"{len(record)} fields where the header has {len(header)}", path=path, line=start
                )
            rows.append(list(record))
            lines.append(start)
    return header, rows, lines


def _raw_jsonl(path: Path) -> tuple[list[str], list[list[str | None]], list[int]]:
    objects: list[dict[str, object]] = []
    lines: list[int] = []
    header: dict[str, None] = {}
    with path.open(encoding="utf-8-sig") as fh:
        for number, text in enumerate(fh, 1):
            if not text.strip():
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(f"not valid JSON: {exc.msg}", path=path, line=number) from exc
            if not isinstance(obj, dict):
                raise InputError("each line must be a JSON object", path=path, line=number)
            for key, value in obj.items():
                if isinstance(value, list | dict):
                    raise InputError(
                        "expected a single value, got a list or object", path=path, line=number, field=key
                    )
                header.setdefault(key, None)
            objects.append(obj)
            lines.append(number)
    names = list(header)

    def text_of(value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    rows = [[text_of(obj.get(name)) for name in names] for obj in objects]
    return names, rows, lines


def _first_bad(
    path: Path, column: str, values: pa.Array, bad: np.ndarray, lines: np.ndarray, what: str
) -> None:
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        value = values[i].as_py()
        shown = "an empty value" if value is None else repr(value)
        # The column is named in the reason too, so it survives any rendering of the location.
        raise InputError(
            f"{shown} in column {column!r} is not {what}", path=path, line=int(lines[i]), field=column
        )


def _blank_to_null(values: pa.Array) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(values)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def parse_counts(path: Path, column: str, values: pa.Array, lines: np.ndarray) -> pa.Array:
    """Non-negative counts ("1,204", "3.5k") as float64; blanks are null."""
    text = pc.utf8_lower(pc.replace_substring_regex(_blank_to_null(values), r"[,_\s]", ""))
    ok = pc.match_substring_regex(text, r"^([0-9]+\.?[0-9]*|\.[0-9]+)[kmb]?$")
    bad = np.asarray(pc.fill_null(pc.invert(ok), False).to_numpy(zero_copy_only=False))
    _first_bad(path, column, values, bad, lines, "a count (e.g. 1204, 1,204 or 3.5k)")
    number = pc.cast(pc.replace_substring_regex(text, r"[kmb]$", ""), pa.float64())
    factor = pa.array(np.ones(len(values)))
    for suffix, mult in _SUFFIX.items():
        factor = pc.if_else(pc.fill_null(pc.ends_with(text, suffix), False), mult, factor)
    return pc.round(pc.multiply(number, factor))


def parse_bools(path: Path, column: str, values: pa.Array, lines: np.ndarray) -> pa.Array:
    """true/false, 1/0, yes/no as booleans; blanks are null."""
    text = pc.utf8_lower(_blank_to_null(values))
    is_true = pc.is_in(text, value_set=pa.array(_TRUE))
    is_false = pc.is_in(text, value_set=pa.array(_FALSE))
    bad = np.asarray(
        pc.and_(pc.is_valid(text), pc.invert(pc.or_(is_true, is_false))).to_numpy(zero_copy_only=False)
    )
    _first_bad(path, column, values, bad, lines, "true or false")
    return pc.if_else(pc.is_null(text), pa.scalar(None, pa.bool_()), is_true)


def parse_dates(path: Path, column: str, values: pa.Array, lines: np.ndarray) -> pa.Array:
    """ISO 8601 dates or timestamps as date32 (the date part); blanks are null."""
    text = _blank_to_null(values)
    ok = pc.match_substring_regex(text, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ].*)?$")
    bad = np.asarray(pc.fill_null(pc.invert(ok), False).to_numpy(zero_copy_only=False))
    _first_bad(path, column, values, bad, lines, "an ISO 8601 date (YYYY-MM-DD)")
    day = pc.utf8_slice_codeunits(text, 0, 10)
    try:
        return pc.cast(day, pa.date32())
    except pa.ArrowInvalid:
        # Well-shaped but impossible (2021-02-30): find it, only on this error path.
        for i, v in enumerate(day.to_pylist()):
            try:
                if v is not None:
                    pc.cast(pa.array([v]), pa.date32())
            except pa.ArrowInvalid:
                raise InputError(
                    f"{v!r} is not a calendar date", path=path, line=int(lines[i]), field=column
                ) from None
        raise


def read_profiles(path: Path | str, *, label_column: str | None = None) -> ProfileFile:
    """Profiles from a CSV or JSONL file; see the module docstring for the accepted values.

    Raises InputError naming the file and column when a required column (or the label
    column, if asked for) is missing, and the file, line and column of the first bad value.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("no such file", path=path)
    if suffix in (".csv", ".txt"):
        header, rows, line_list = _raw_csv(path)
    elif suffix in (".jsonl", ".ndjson", ".json"):
        header, rows, line_list = _raw_jsonl(path)
    else:
        raise UnknownFormatError(f"unknown profile file type {suffix!r}; use .csv or .jsonl", path=path)
    needed = list(REQUIRED_COLUMNS) + ([label_column] if label_column else [])
    for name in needed:
        if name not in header:
            raise InputError(
                f"missing required column '{name}' (the file has: {', '.join(header) or 'none'})",
                path=path,
                field=name,
            )
    lines = np.asarray(line_list, dtype=np.int64)
    raw = {name: pa.array([r[j] for r in rows], pa.string()) for j, name in enumerate(header)}
    columns: dict[str, pa.Array] = {}
    for name in KNOWN_COLUMNS:
        if name not in raw:
            continue
        if name in COUNT_COLUMNS:
            columns[name] = parse_counts(path, name, raw[name], lines)
        elif name in BOOL_COLUMNS:
            columns[name] = parse_bools(path, name, raw[name], lines)
        elif name in DATE_COLUMNS:
            columns[name] = parse_dates(path, name, raw[name], lines)
        else:
            columns[name] = raw[name] if suffix != ".csv" else pc.fill_null(raw[name], "")
    labels = None
    if label_column:
        parsed = parse_bools(path, label_column, raw[label_column], lines)
        missing = np.asarray(pc.is_null(parsed).to_numpy(zero_copy_only=False))
        _first_bad(path, label_column, raw[label_column], missing, lines, "a 0/1 label")
        labels = np.asarray(parsed.to_numpy(zero_copy_only=False), dtype=np.int8)
    return ProfileFile(path, pa.table(columns), lines, labels)
