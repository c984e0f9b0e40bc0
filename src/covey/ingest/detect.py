"""What a path holds: which files, in which format, for which table.

A file named after a table (``posts.csv``, ``posts.jsonl``, ``posts.parquet``, or
``<anything>.posts.csv``) is canonical; ``--table`` names the table of a single file
otherwise. A folder is searched for canonical files at its top level; without any, it is
read as an Instaloader export (searched recursively). Anything else is a clear error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from covey.errors import InputError, UnknownFormatError
from covey.ingest.instaloader import is_instaloader_file
from covey.model import TABLES, TABLES_BY_NAME

Format = Literal["csv", "jsonl", "parquet", "instaloader"]
FORMATS: tuple[str, ...] = ("auto", "csv", "jsonl", "parquet", "instaloader")
# Excel saves "Text (Tab delimited)" and "Unicode Text" (UTF-16) as .txt; both are CSV here.
_EXTENSIONS: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_ORDER = {t.name: i for i, t in enumerate(TABLES)}


@dataclass(frozen=True)
class Source:
    """One thing to read: a canonical table file, or an Instaloader export folder."""

    path: Path
    format: Format
    table: str | None = None  # None for Instaloader folders (they feed several tables)


def _table_of(path: Path) -> str | None:
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    candidate = stem.rsplit(".", 1)[-1]
    return candidate if candidate in TABLES_BY_NAME else None


def _format_of(path: Path) -> Format | None:
    return _EXTENSIONS.get(path.suffix.lower())


def _file_source(path: Path, fmt: str, table: str | None) -> Source:
    if fmt == "instaloader" or (fmt == "auto" and is_instaloader_file(path) and _format_of(path) is None):
        return Source(path.parent, "instaloader")
    found = _format_of(path) if fmt == "auto" else fmt
    if found is None:
        raise UnknownFormatError(
            f"unknown format '{path.suffix or path.name}'; use .csv (.tsv, .txt), .jsonl or .parquet, "
            "or pass --format",
            path=path,
        )
    name = table or _table_of(path)
    if name is None:
        tables = ", ".join(TABLES_BY_NAME)
        raise InputError(
            f"cannot tell which table this file holds; name it <table>{path.suffix} "
            f"(one of {tables}) or pass --table",
            path=path,
        )
    if name not in TABLES_BY_NAME:
        raise InputError(f"unknown table '{name}'; one of {', '.join(TABLES_BY_NAME)}", path=path)
    return Source(path, found, name)  # type: ignore[arg-type]


def find_sources(path: Path, fmt: str = "auto", table: str | None = None) -> list[Source]:
    """The sources under ``path``, parents' tables first; raises InputError if there are none."""
    if fmt not in FORMATS:
        raise UnknownFormatError(f"unknown format '{fmt}'; one of {', '.join(FORMATS)}", path=path)
    if not path.exists():
        raise InputError("no such file or folder", path=path)
    if path.is_file():
        return [_file_source(path, fmt, table)]
    if not path.is_dir():
        raise InputError("not a file or folder", path=path)
    sources: list[Source] = []
    if fmt != "instaloader":
        for child in sorted(path.iterdir()):
            kind = _format_of(child)
            name = _table_of(child)
            if child.is_file() and kind is not None and name is not None and fmt in ("auto", kind):
                sources.append(Source(child, kind, name))
    instaloader_files = (p for p in path.rglob("*.json*") if p.is_file() and is_instaloader_file(p))
    if not sources and fmt in ("auto", "instaloader") and any(instaloader_files):
        sources.append(Source(path, "instaloader"))
    if not sources:
        wanted = "Instaloader files" if fmt == "instaloader" else "files named after a table (e.g. posts.csv)"
        raise InputError(f"nothing Covey recognises here: no {wanted}", path=path)
    return sorted(sources, key=lambda s: (_ORDER.get(s.table or "", -1), str(s.path)))
