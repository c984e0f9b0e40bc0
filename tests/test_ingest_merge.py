"""Idempotency, updates, new snapshots and atomicity (a process killed mid-import)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from covey.ingest import import_path
from covey.store import DuckDBStore
from test_ingest_samples import SAMPLE, db_rows, write_csv, write_jsonl, write_parquet


def test_reimport_changes_nothing(store: DuckDBStore, tmp_path: Path) -> None:
    folder = write_parquet(tmp_path / "in")
    first = import_path(store, folder)
    before = store.table_counts()
    second = import_path(store, folder)
    assert store.table_counts() == before
    for name, counts in second.tables.items():
        assert counts.inserted == 0 and counts.updated == 0, name
        assert counts.unchanged == first.tables[name].read, name
    assert store.query("SELECT count(*) FROM imports") == [(2,)]


def test_same_data_in_another_format_is_unchanged(store: DuckDBStore, tmp_path: Path) -> None:
    import_path(store, write_csv(tmp_path / "csv"))
    again = import_path(store, write_jsonl(tmp_path / "jsonl"))
    assert all(c.inserted == 0 and c.updated == 0 for c in again.tables.values())


def test_newer_data_updates_rows_and_adds_snapshots(store: DuckDBStore, tmp_path: Path) -> None:
    import_path(store, write_jsonl(tmp_path / "v1"))
    newer = {
        "posts": [
            {
                "post_id": "instagram:Cx1",
                "account_id": "instagram:1",
                "posted_at": "2024-01-02T08:30:00",
                "likes": "1.1k",
                "comments": 9,
            }
        ],
        "account_snapshots": [
            {"account_id": "instagram:1", "taken_at": "2024-02-01T12:00:00", "followers": "13k"},
            {
                "account_id": "instagram:1",
                "taken_at": "2024-01-01T12:00:00",
                "followers": 12500,
                "posts": 310,
            },
        ],
    }
    summary = import_path(store, write_jsonl(tmp_path / "v2", newer))
    assert summary.tables["posts"].updated == 1 and summary.tables["posts"].inserted == 0
    assert summary.tables["account_snapshots"].inserted == 1
    assert summary.tables["account_snapshots"].unchanged == 1
    post = next(r for r in db_rows(store, "posts") if r["post_id"] == "instagram:Cx1")
    assert (post["likes"], post["comments"]) == (1100, 9)
    assert post["caption"] == SAMPLE["posts"][0]["caption"]  # unknown in the newer file: kept, not erased
    snaps = store.query(
        "SELECT taken_at, followers FROM account_snapshots WHERE account_id = 'instagram:1' ORDER BY 1"
    )
    assert snaps == [(datetime(2024, 1, 1, 12), 12500), (datetime(2024, 2, 1, 12), 13000)]


def test_parent_in_database_from_an_earlier_import(store: DuckDBStore, tmp_path: Path) -> None:
    import_path(
        store, write_csv(tmp_path / "a", {"creators": SAMPLE["creators"], "accounts": SAMPLE["accounts"]})
    )
    summary = import_path(store, write_csv(tmp_path / "b", {"posts": SAMPLE["posts"]}))
    assert summary.tables["posts"].inserted == 2 and summary.rejected == 0


def test_account_keeps_its_creator_when_reimported_without_one(store: DuckDBStore, tmp_path: Path) -> None:
    import_path(
        store, write_jsonl(tmp_path / "a", {"creators": SAMPLE["creators"], "accounts": SAMPLE["accounts"]})
    )
    bare = [{"account_id": "instagram:1", "platform": "instagram", "handle": "alice.ibd"}]
    import_path(store, write_jsonl(tmp_path / "b", {"accounts": bare}))
    assert store.query("SELECT creator_id FROM accounts WHERE account_id = 'instagram:1'") == [("alice",)]
    assert store.query("SELECT count(*) FROM creators") == [(2,)]


def test_unknown_creator_is_rejected(store: DuckDBStore, tmp_path: Path) -> None:
    acct = [{"account_id": "x:1", "creator_id": "nobody", "platform": "x", "handle": "h"}]
    summary = import_path(store, write_jsonl(tmp_path / "a", {"accounts": acct}))
    assert summary.tables["accounts"].rejected == 1
    assert store.table_counts()["accounts"] == 0


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_killed_import_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "covey.duckdb"
    with DuckDBStore(db) as s:
        import_path(s, write_csv(tmp_path / "base", {"creators": SAMPLE["creators"]}))
        before_rows = {t: db_rows(s, t) for t in ("creators", "accounts", "posts")}
    before_digest = _digest(db)
    folder = write_parquet(tmp_path / "in")
    code = (
        "import os, sys; from covey.store import DuckDBStore; from covey.ingest import import_path;"
        "crash = lambda table: os._exit(1) if table == 'posts' else None;"
        "import_path(DuckDBStore(sys.argv[1]), sys.argv[2], rejects_dir=sys.argv[3], after_merge=crash)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db), str(folder), str(tmp_path / "rej")], check=False
    )
    assert done.returncode == 1
    assert not (tmp_path / "rej").exists() or not list((tmp_path / "rej").glob("*.jsonl"))
    assert _digest(db) == before_digest  # byte for byte: nothing reached the file
    wal = db.with_name(db.name + ".wal")
    assert not wal.exists() or wal.stat().st_size == 0
    with DuckDBStore(db) as s:  # still opens, and holds exactly what it held
        assert {t: db_rows(s, t) for t in before_rows} == before_rows
        assert s.query("SELECT count(*) FROM imports") == [(1,)]
        assert s.table_counts()["account_snapshots"] == 0
    # without the crash the same import goes through
    with DuckDBStore(db) as s:
        assert import_path(s, folder).tables["posts"].inserted == 2


def test_each_import_is_recorded_with_its_summary(store: DuckDBStore, tmp_path: Path) -> None:
    folder = write_jsonl(tmp_path / "in", {"creators": [{"creator_id": "a"}, {"name": "no id"}]})
    summary = import_path(store, folder, rejects_dir=tmp_path / "rej")
    [(import_id, source, fmt, recorded)] = store.query(
        "SELECT import_id, source, format, summary FROM imports"
    )
    assert (import_id, source, fmt) == (1, str(folder), "jsonl")
    assert json.loads(recorded) == summary.to_dict()
    assert summary.rejects_path is not None and summary.rejects_path.exists()
    assert json.loads(recorded)["rejects_path"] == str(summary.rejects_path)
