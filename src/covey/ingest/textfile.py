"""How a delimited text file is written: its encoding and its delimiter, detected or given.

Encoding (unless ``--encoding`` names one):

* a byte-order mark decides: UTF-8 (``utf-8-sig``) or UTF-16 (Excel's "Unicode text");
* else a file that is valid UTF-8 from end to end is UTF-8;
* else, if it holds more valid UTF-8 multi-byte characters than invalid bytes, it is UTF-8
  with damaged lines (each such line is set aside in the rejects, the rest loads);
* else it is Windows-1252 (cp1252, what Excel on Windows writes in Western Europe and the
  Americas), or ISO-8859-1 (latin-1) when it holds one of the five bytes cp1252 leaves
  undefined.

Why not a general detector (charset-normalizer): the files people bring are overwhelmingly
UTF-8 or cp1252; a statistical guess between dozens of code pages can pick a wrong one on
a short file, where these rules are exact for UTF-8 and never lose a byte otherwise. Any
other encoding is one ``--encoding`` away.

Delimiter (unless ``--delimiter`` gives one): a first line ``sep=;`` (Excel's own hint)
decides; else the candidate among ``,``, ``;``, tab and ``|`` that splits the header line
into the most fields, provided the next lines agree with it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from covey.errors import InputError

_CHUNK = 1 << 20
_HEAD_BYTES = 1 << 18
_HEAD_ROWS = 2_000
CANDIDATES = (",", ";", "\t", "|")
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_SEP_LINE = re.compile(r"^sep=(.)\s*$", re.IGNORECASE)
_SURROGATE = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "latin-1": "ISO-8859-1"}


@dataclass(frozen=True)
class TextFormat:
    """The encoding and delimiter of a text file, and the notes saying what was guessed."""

    encoding: str
    delimiter: str
    skip_lines: int  # lines before the header (a ``sep=`` line)
    notes: tuple[str, ...]

    @property
    def label(self) -> str:
        """The encoding's name as people know it."""
        return encoding_label(self.encoding)


def encoding_label(codec: str) -> str:
    """ "UTF-8", "Windows-1252"...: the name of a Python codec as people know it."""
    name = codecs.lookup(codec).name
    return _LABELS.get(name, _LABELS.get(codec, codec.upper()))


def check_encoding(name: str) -> str:
    """The codec for a user-given encoding name, or an InputError."""
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        raise InputError(
            f"unknown encoding {name!r}; use e.g. utf-8, cp1252, latin-1 or utf-16", field="--encoding"
        ) from None


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    with path.open("rb") as fh:
        try:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _fallback(path: Path) -> str:
    """The encoding of a file that is not valid UTF-8 throughout (see the module docstring)."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    good = bad = 0
    undefined = False
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            text = decoder.decode(chunk)
            bad += len(_SURROGATE.findall(text))
            good += len(_NON_ASCII.findall(text))
            undefined = undefined or not _CP1252_UNDEFINED.isdisjoint(chunk)
    if good and good >= bad:
        return "utf-8"
    return "latin-1" if undefined else "cp1252"


def detect_encoding(path: Path) -> tuple[str, str | None]:
    """The codec of ``path`` and a note when it is not plain UTF-8."""
    try:
        with path.open("rb") as fh:
            start = fh.read(4)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", path=path) from exc
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "read as UTF-16 (byte-order mark)"
    if _is_utf8(path):
        return "utf-8", None
    codec = _fallback(path)
    if codec == "utf-8":
        return codec, "mostly UTF-8: lines with bytes that are not UTF-8 are set aside"
    return codec, f"not UTF-8: read as {encoding_label(codec)} (pass --encoding if that is wrong)"


def _head(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, errors="surrogateescape", newline="") as fh:
        return fh.read(_HEAD_BYTES)


def _split(lines: list[str], delimiter: str) -> list[list[str]]:
    try:
        return [r for r in csv.reader(lines, delimiter=delimiter) if r]
    except csv.Error:
        return []


def sniff_delimiter(head: str) -> tuple[str, int, str | None]:
    """(delimiter, lines to skip before the header, note) from the start of a file.

    A candidate must split the header into more than one field, most later lines into as
    many, and leave no stray quote inside a field (a quote left over means the real
    delimiter sat inside quotes: ``name,"a; b"`` is comma-separated).
    """
    lines = head.splitlines(keepends=True)
    if lines and (m := _SEP_LINE.match(lines[0])):
        sep = m.group(1)
        return sep, 1, f"delimiter {_NAMES.get(sep, repr(sep))} (from the file's sep= line)"
    if len(lines) > 1 and len(head) >= _HEAD_BYTES:
        lines = lines[:-1]  # the last line may be cut
    best, best_key = ",", (False, 1)
    for cand in CANDIDATES:
        rows = _split(lines[:50], cand)
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        agree = sum(1 for r in rows[1:] if len(r) == width)
        if len(rows) > 1 and agree < (len(rows) - 1) / 2:
            continue
        clean = not any('"' in cell for r in rows for cell in r)
        key = (clean, width)
        if key > best_key:
            best, best_key = cand, key
    note = None if best == "," else f"delimiter {_NAMES[best]} (detected)"
    return best, 0, note


def check_delimiter(value: str) -> str:
    """A user-given delimiter: one character; ``tab``, ``\\t``, ``semicolon``... are understood."""
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " "}
    sep = named.get(value.strip().lower(), value)
    if len(sep) != 1:
        raise InputError(f"the delimiter must be one character, got {value!r}", field="--delimiter")
    return sep


def one_column_hint(header: list[str], fmt: TextFormat, given: str | None) -> str:
    """A hint for a missing-columns error when the header was read as one column by a guess."""
    if len(header) == 1 and given is None:
        return f"; the header was read as one column with the {fmt.delimiter!r} delimiter: pass --delimiter"
    return ""


def text_format(path: Path, encoding: str | None = None, delimiter: str | None = None) -> TextFormat:
    """Detect (or take) the encoding and delimiter of a delimited text file."""
    notes: list[str] = []
    if encoding:
        codec = check_encoding(encoding)
        if codec == "utf-8":
            codec = "utf-8-sig"  # a byte-order mark is never data
    else:
        codec, note = detect_encoding(path)
        if note:
            notes.append(note)
    try:
        head = _head(path, codec)
    except UnicodeError as exc:
        raise InputError(f"cannot read the file as {encoding_label(codec)}: {exc}", path=path) from exc
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", path=path) from exc
    if delimiter:
        # Excel's ``sep=`` line is never the header, even when the delimiter is given.
        first = head.splitlines()[0] if head else ""
        sep, skip = check_delimiter(delimiter), int(bool(_SEP_LINE.match(first)))
    else:
        sep, skip, note = sniff_delimiter(head)
        if note:
            notes.append(note)
    return TextFormat(codec, sep, skip, tuple(notes))


def head_rows(path: Path, fmt: TextFormat, limit: int = _HEAD_ROWS) -> list[list[str]]:
    """The header and up to ``limit`` rows from the start of the file (for sniffing dates)."""
    text = _head(path, fmt.encoding)
    reader = csv.reader(io.StringIO(text), delimiter=fmt.delimiter)
    rows: list[list[str]] = []
    try:
        for i, row in enumerate(reader):
            if i < fmt.skip_lines:
                continue
            rows.append(row)
            if len(rows) > limit:
                break
    except csv.Error:
        pass
    if len(text) >= _HEAD_BYTES and rows:
        rows.pop()  # possibly cut
    return rows


@dataclass(frozen=True)
class Record:
    """One data row of a delimited file: the line it starts on, its fields, and what is wrong.

    ``problem`` is None for a row that can be used; otherwise it says why not (malformed
    quoting, bytes not valid in the file's encoding, a field count other than the header's)
    and ``fields`` holds what could be read, undecodable bytes shown as U+FFFD.
    """

    line: int
    fields: list[str]
    problem: str | None = None


def read_records(path: Path, fmt: TextFormat, width: int) -> Iterator[Record]:
    """The rows after the header of a file written as ``fmt`` says; blank lines are skipped.

    ``width`` is the header's field count. Raises OSError when the file cannot be opened.
    """
    bad_bytes = f"line is not valid {fmt.label}"
    with path.open(encoding=fmt.encoding, errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh, delimiter=fmt.delimiter)
        for _ in range(fmt.skip_lines + 1):  # the sep= line, then the header
            next(reader, None)
        end = reader.line_num
        while True:
            start = end + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                end = reader.line_num
                yield Record(start, [], f"malformed CSV: {exc}")
                continue
            end = reader.line_num
            if not fields or all(not cell.strip() for cell in fields):
                continue  # blank line
            if _SURROGATE.search("".join(fields)):  # one search a row: rows are many
                yield Record(start, [_SURROGATE.sub("\ufffd", cell) for cell in fields], bad_bytes)
            elif len(fields) != width:
                yield Record(start, fields, f"row has {len(fields)} fields, the header has {width}")
            else:
                yield Record(start, fields)
