"""Uploads: saved with a size cap, zips unpacked safely (no path traversal, no zip bombs)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from covey.errors import InputError

ALLOWED_SUFFIXES = (".csv", ".jsonl", ".json", ".parquet", ".zip", ".gz", ".txt", ".xz")
CHUNK = 1 << 20
MAX_RATIO = 200  # an entry unpacking to more than 200x its compressed size is refused


def safe_name(filename: str) -> str:
    """A file name without folders or odd characters, keeping its suffix."""
    base = PurePosixPath(filename.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._-]", "_", base).lstrip(".")
    if not base or not base.lower().endswith(ALLOWED_SUFFIXES):
        raise InputError(f"{filename!r}: upload a CSV, JSONL or Parquet file, or a zip of them", field="file")
    return base[:120]


def save_upload(source: BinaryIO, target: Path, max_bytes: int) -> int:
    """Copy an upload to ``target`` in chunks; refuse (and delete) it past ``max_bytes``."""
    written = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > max_bytes:
                out.close()
                target.unlink(missing_ok=True)
                raise InputError(
                    f"{target.name}: larger than the upload limit of {max_bytes // (1 << 20)} MB",
                    field="file",
                )
            out.write(chunk)
    return written


def unpack_zip(archive: Path, into: Path, *, max_total: int, max_entries: int) -> Path:
    """Unpack ``archive`` into the folder ``into``; returns it.

    Refuses entries that would land outside the folder (absolute paths, '..', links),
    more than ``max_entries`` files, a total beyond ``max_total`` bytes (counted while
    writing, not trusted from the header) and entries compressed more than ``MAX_RATIO``
    times, the signature of a zip bomb. On refusal nothing stays unpacked.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        raise InputError(f"{archive.name}: not a zip file ({exc})", field="file") from exc
    into.mkdir(parents=True, exist_ok=True)
    root = into.resolve()
    try:
        with zf:
            infos = zf.infolist()
            if len(infos) > max_entries:
                raise InputError(f"{archive.name}: more than {max_entries} files", field="file")
            total = 0
            for info in infos:
                name = PurePosixPath(info.filename.replace("\\", "/"))
                if name.is_absolute() or ".." in name.parts or (info.external_attr >> 28) == 0o12:
                    raise InputError(f"{archive.name}: unsafe path {info.filename!r}", field="file")
                dest = (root / name).resolve()
                if not dest.is_relative_to(root):
                    raise InputError(f"{archive.name}: unsafe path {info.filename!r}", field="file")
                if info.is_dir():
                    dest.mkdir(parents=True, exist_ok=True)
                    continue
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                    raise InputError(
                        f"{archive.name}: {info.filename!r} is compressed suspiciously far", field="file"
                    )
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, dest.open("wb") as out:
                    while chunk := src.read(CHUNK):
                        total += len(chunk)
                        if total > max_total:
                            raise InputError(
                                f"{archive.name}: unpacks to more than {max_total // (1 << 20)} MB",
                                field="file",
                            )
                        out.write(chunk)
    except BaseException:
        shutil.rmtree(into, ignore_errors=True)
        raise
    return into
