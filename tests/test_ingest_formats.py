"""Round trips: the canonical world written as CSV, JSONL and Parquet comes back exactly."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from covey.ingest import import_path
from covey.model import TABLES
from covey.store import DuckDBStore
from test_ingest_samples import SAMPLE, db_rows, expected, write_csv, write_jsonl, write_parquet

Writer = Callable[[Path], Path]


@pytest.mark.parametrize(
    ("writer", "fmt"), [(write_csv, "csv"), (write_jsonl, "jsonl"), (write_parquet, "parquet")]
)
def test_round_trip(store: DuckDBStore, tmp_path: Path, writer: Writer, fmt: str) -> None:
    folder = writer(tmp_path / "in")
    summary = import_path(store, folder)
    assert summary.format == fmt
    assert summary.rejected == 0 and summary.rejects_path is None
    for t in TABLES[1:]:
        assert db_rows(store, t.name) == expected(t.name), t.name
    # the account without a creator got a creator of its own, named after its handle
    assert sorted(store.query("SELECT creator_id, name FROM creators")) == [
        ("alice", "Alice"),
        ("tiktok:2", "bobruns"),
    ]
    counts = summary.to_dict()["tables"]
    assert counts["posts"] == {"read": 2, "inserted": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert counts["creators"]["inserted"] == 2  # one read, one made for tiktok:2
    assert store.query("SELECT count(*), max(format) FROM imports") == [(1, fmt)]


def test_single_file_named_anything_dot_table(store: DuckDBStore, tmp_path: Path) -> None:
    write_csv(tmp_path / "in")
    (tmp_path / "in" / "accounts.csv").rename(tmp_path / "export-2024.accounts.csv")
    write_csv(tmp_path / "only", {"creators": SAMPLE["creators"]})
    import_path(store, tmp_path / "only" / "creators.csv")
    summary = import_path(store, tmp_path / "export-2024.accounts.csv")
    assert summary.tables["accounts"].inserted == 2


def test_single_file_with_table_option(store: DuckDBStore, tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    path.write_text(json.dumps({"creator_id": "z", "name": "Zed"}) + "\n", encoding="utf-8")
    summary = import_path(store, path, table="creators")
    assert summary.tables["creators"].inserted == 1


def test_hashtags_and_mentions_come_from_the_caption_when_absent(store: DuckDBStore, tmp_path: Path) -> None:
    sample: dict[str, list[dict[str, Any]]] = {
        "creators": SAMPLE["creators"],
        "accounts": SAMPLE["accounts"][:1],
        "posts": [
            {
                "post_id": "p",
                "account_id": "instagram:1",
                "posted_at": "2024-02-01T10:00:00+01:00",
                "caption": "Day 3 #IBDWarrior #spoonie, thanks @Gut.Doc and mail me a@b.com #Ünïcode",
            },
            {"post_id": "q", "account_id": "instagram:1", "posted_at": 1706781600, "hashtags": "#a, b c"},
        ],
    }
    import_path(store, write_jsonl(tmp_path / "in", sample))
    rows = {r["post_id"]: r for r in db_rows(store, "posts")}
    assert rows["p"]["hashtags"] == ["ibdwarrior", "spoonie", "ünïcode"]
    assert rows["p"]["mentions"] == ["gut.doc"]
    assert str(rows["p"]["posted_at"]) == "2024-02-01 09:00:00"  # converted to UTC
    assert rows["q"]["hashtags"] == ["a", "b", "c"]
    assert str(rows["q"]["posted_at"]) == "2024-02-01 10:00:00"  # unix seconds


def test_counts_written_as_people_write_them(store: DuckDBStore, tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "in", {"creators": SAMPLE["creators"], "accounts": SAMPLE["accounts"]})
    (folder / "account_snapshots.csv").write_text(
        "account_id,taken_at,followers,following,posts\n"
        'instagram:1,2024-03-01,304.9K,"1,234",1.2k\n'
        "instagram:1,2024-03-02 10:00,1.39%,1,2\n"
        "instagram:1,2024-03-03T00:00:00Z,99999999999b,1,2\n"
        "instagram:1,2024-03-04,-3,1,2\n",
        encoding="utf-8",
    )
    summary = import_path(store, folder, rejects_dir=tmp_path / "rej")
    assert summary.tables["account_snapshots"].inserted == 1
    assert store.query("SELECT followers, following, posts FROM account_snapshots") == [(304900, 1234, 1200)]
    assert summary.rejects_path is not None
    rejects = [json.loads(line) for line in summary.rejects_path.read_text().splitlines()]
    reasons = {r["line"]: (r["field"], r["reason"]) for r in rejects}
    assert reasons[3][0] == "followers" and "rate" in reasons[3][1]
    assert reasons[4][0] == "followers" and "too large" in reasons[4][1]
    assert reasons[5] == ("followers", "negative count for followers")
    assert rejects[0]["raw"]["followers"] == "1.39%"  # the raw row as read


def test_parquet_with_text_counts_takes_the_parsing_path(store: DuckDBStore, tmp_path: Path) -> None:
    write_parquet(tmp_path / "in", {"creators": SAMPLE["creators"], "accounts": SAMPLE["accounts"]})
    table = pa.table(
        {
            "account_id": ["instagram:1", "instagram:1"],
            "taken_at": ["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"],
            "followers": ["12.5k", "lots"],
        }
    )
    pq.write_table(table, tmp_path / "in" / "account_snapshots.parquet")
    summary = import_path(store, tmp_path / "in")
    assert store.query("SELECT followers FROM account_snapshots") == [(12500,)]
    rejects = [json.loads(x) for x in summary.rejects_path.read_text().splitlines()]  # type: ignore[union-attr]
    assert [(r["line"], r["field"]) for r in rejects] == [(2, "followers")]  # line = row number


def test_parquet_fast_path_validates_in_sql(store: DuckDBStore, tmp_path: Path) -> None:
    posts = [dict(SAMPLE["posts"][0]), dict(SAMPLE["posts"][0]), dict(SAMPLE["posts"][1])]
    posts[1]["likes"] = 5  # duplicate post_id: rejected, naming the first row
    posts[2]["kind"] = "hologram"
    orphan = dict(SAMPLE["posts"][1], post_id="tiktok:78", account_id="tiktok:404")
    write_parquet(
        tmp_path / "in",
        {"creators": SAMPLE["creators"], "accounts": SAMPLE["accounts"], "posts": [*posts, orphan]},
    )
    summary = import_path(store, tmp_path / "in")
    assert summary.tables["posts"].inserted == 1 and summary.tables["posts"].rejected == 3
    rejects = [json.loads(x) for x in summary.rejects_path.read_text().splitlines()]  # type: ignore[union-attr]
    by_line = {r["line"]: r for r in rejects}
    assert by_line[2]["field"] == "post_id" and by_line[2]["reason"].endswith("posts.parquet:1")
    assert by_line[3]["field"] == "kind"
    assert by_line[4]["field"] == "account_id" and "tiktok:404" in by_line[4]["reason"]
    assert by_line[4]["raw"]["post_id"] == "tiktok:78"  # the raw row, rebuilt from the Parquet columns
    assert store.query("SELECT likes FROM posts") == [(480,)]


def test_parquet_timestamps_with_a_zone_become_utc(store: DuckDBStore, tmp_path: Path) -> None:
    write_parquet(tmp_path / "in", {"creators": SAMPLE["creators"], "accounts": SAMPLE["accounts"]})
    snap = pa.table(
        {
            "account_id": pa.array(["instagram:1"]),
            "taken_at": pa.array([1_700_000_000_000_000], type=pa.timestamp("us", tz="Europe/Berlin")),
            "followers": pa.array([10], type=pa.int32()),
        }
    )
    pq.write_table(snap, tmp_path / "in" / "account_snapshots.parquet")
    import_path(store, tmp_path / "in")
    assert str(store.query("SELECT taken_at FROM account_snapshots")[0][0]) == "2023-11-14 22:13:20"


def test_progress_is_reported_to_the_end(store: DuckDBStore, tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    import_path(
        store, write_csv(tmp_path / "in"), progress=lambda d, done, total: calls.append((d, done, total))
    )
    assert calls and calls[-1][0] == "done" and calls[-1][1] == calls[-1][2]
    assert any("posts" in d for d, _, _ in calls)
    assert [done for _, done, _ in calls] == sorted(done for _, done, _ in calls)  # never goes back
