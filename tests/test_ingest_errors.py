"""Malformed input: bad lines are set aside with their location; unreadable input is a clear error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from covey.errors import InputError, UnknownFormatError
from covey.ingest import import_path
from covey.store import DuckDBStore
from test_ingest_samples import SAMPLE, write_csv

HEADER = "account_id,creator_id,platform,handle,is_verified,created_at\n"


def _rejects(summary: Any) -> list[dict[str, Any]]:
    assert summary.rejects_path is not None
    return [json.loads(line) for line in summary.rejects_path.read_text(encoding="utf-8").splitlines()]


def test_row_level_problems_in_csv(store: DuckDBStore, tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "in", {"creators": SAMPLE["creators"]})
    body = (
        (
            HEADER
            + "instagram:1,alice,instagram,alice,yes,2016-05-01\n"  # good
            + "instagram:2,,instagram,,no,\n"  # missing handle
            + "instagram:3,,instagram,bob,maybe,\n"  # not a boolean
            + "instagram:4,,instagram,carl,1,2016-13-45\n"  # not a date
            + "instagram:1,,instagram,dupe,0,\n"  # duplicate id
            + 'instagram:5,,instagram,"multi\nline",0,\n'  # a quoted field over two lines: fine
            + "instagram:6,,instagram,too,0,,extra\n"  # wrong number of fields
        ).encode()
        + b"instagram:7,,instagram,caf\xe9,0,\n"
        + b"instagram:8,,instagram,dora,true,\n"
        + "instagram:9,,instagram,zoë,no,\n".encode()  # UTF-8 elsewhere: line 10 is damaged, not cp1252
    )
    (folder / "accounts.csv").write_bytes(body)
    summary = import_path(store, folder)
    got = {r["line"]: (r["field"], r["reason"]) for r in _rejects(summary)}
    assert got[3] == ("handle", "missing required value")
    assert got[4][0] == "is_verified" and "not a boolean" in got[4][1]
    assert got[5][0] == "created_at"
    assert got[6][0] == "account_id" and got[6][1].endswith("accounts.csv:2")
    assert "fields" in got[9][1]
    assert got[10] == (None, "line is not valid UTF-8")  # that line only, not the file
    assert sorted(got) == [3, 4, 5, 6, 9, 10]
    counts = summary.tables["accounts"]
    assert (counts.read, counts.inserted, counts.rejected) == (10, 4, 6)
    handles = [r[0] for r in store.query("SELECT handle FROM accounts ORDER BY account_id")]
    assert handles == ["alice", "multi\nline", "dora", "zoë"]


def test_jsonl_truncated_wrong_types_and_bad_utf8(store: DuckDBStore, tmp_path: Path) -> None:
    lines = [
        json.dumps({"creator_id": "a", "name": "A", "languages": ["en"]}).encode(),
        b'{"creator_id": "b", "name": ',  # truncated
        json.dumps({"creator_id": "c", "languages": {"en": 1}}).encode(),  # wrong type
        b'{"creator_id": "d", "name": "\xff"}',  # bad UTF-8
        b"[1, 2]",
        json.dumps({"creator_id": 42, "languages": "en fr"}).encode(),  # number id: text; list from words
        b"",
    ]
    (tmp_path / "creators.jsonl").write_bytes(b"\n".join(lines))
    summary = import_path(store, tmp_path / "creators.jsonl")
    got = {r["line"]: r for r in _rejects(summary)}
    assert sorted(got) == [2, 3, 4, 5]
    assert got[2]["reason"].startswith("invalid JSON")
    assert got[2]["raw"] == '{"creator_id": "b", "name": '
    assert got[3]["field"] == "languages"
    assert got[4]["reason"] == "line is not valid UTF-8"
    assert store.query("SELECT creator_id, languages FROM creators ORDER BY 1") == [
        ("42", ["en", "fr"]),
        ("a", ["en"]),
    ]


def test_missing_required_column_is_an_error_naming_file_and_column(
    store: DuckDBStore, tmp_path: Path
) -> None:
    (tmp_path / "posts.csv").write_text("post_id,posted_at\np1,2024-01-01\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_path(store, tmp_path / "posts.csv")
    assert err.value.field == "account_id" and err.value.path == str(tmp_path / "posts.csv")
    assert store.query("SELECT count(*) FROM imports") == [(0,)]


def test_missing_required_key_in_every_jsonl_line(store: DuckDBStore, tmp_path: Path) -> None:
    (tmp_path / "creators.jsonl").write_text('{"name": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="creator_id"):
        import_path(store, tmp_path / "creators.jsonl")


def test_empty_file_is_an_error(store: DuckDBStore, tmp_path: Path) -> None:
    (tmp_path / "posts.csv").write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        import_path(store, tmp_path / "posts.csv")


def test_header_only_file_imports_nothing(store: DuckDBStore, tmp_path: Path) -> None:
    (tmp_path / "creators.csv").write_text("creator_id,name\n", encoding="utf-8")
    summary = import_path(store, tmp_path / "creators.csv")
    assert summary.tables["creators"].read == 0 and summary.rejects_path is None


@pytest.mark.parametrize(
    ("name", "content", "error", "match"),
    [
        ("missing.csv", None, InputError, "no such file"),
        ("posts.xlsx", b"PK", UnknownFormatError, "unknown format"),
        ("stuff.csv", b"a,b\n", InputError, "which table"),
        ("posts.parquet", b"not parquet", InputError, "Parquet"),
    ],
)
def test_unreadable_inputs(
    store: DuckDBStore, tmp_path: Path, name: str, content: bytes | None, error: type[Exception], match: str
) -> None:
    if content is not None:
        (tmp_path / name).write_bytes(content)
    with pytest.raises(error, match=match):
        import_path(store, tmp_path / name)


def test_folder_with_nothing_recognisable(store: DuckDBStore, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="nothing Covey recognises"):
        import_path(store, tmp_path)


def test_unknown_format_option(store: DuckDBStore, tmp_path: Path) -> None:
    with pytest.raises(UnknownFormatError):
        import_path(store, write_csv(tmp_path / "in"), fmt="xml")


def test_huge_number_is_rejected_with_a_reason(store: DuckDBStore, tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "in", {"creators": SAMPLE["creators"], "accounts": SAMPLE["accounts"]})
    (folder / "account_snapshots.csv").write_text(
        "account_id,taken_at,followers\ninstagram:1,2024-01-01,123456789012345678901234567890\n",
        encoding="utf-8",
    )
    summary = import_path(store, folder)
    [reject] = _rejects(summary)
    assert reject["field"] == "followers" and "too large" in reject["reason"]


def test_unwritable_rejects_folder_is_an_error_and_nothing_loads(store: DuckDBStore, tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    (tmp_path / "creators.jsonl").write_text('{"creator_id": "a"}\n{"name": "no id"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="rejects file"):
        import_path(store, tmp_path / "creators.jsonl", rejects_dir=tmp_path / "blocker" / "sub")
    assert store.table_counts()["creators"] == 0
