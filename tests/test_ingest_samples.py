"""A small canonical world and writers for each file format (shared by the ingest tests).

Holds no tests itself; other test modules import it.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from covey.ingest.staging import ARROW_TYPES
from covey.model import TABLES, TABLES_BY_NAME
from covey.store import DuckDBStore

SAMPLE: dict[str, list[dict[str, Any]]] = {
    "creators": [{"creator_id": "alice", "name": "Alice", "country": "GB", "languages": ["en", "fr"]}],
    "accounts": [
        {
            "account_id": "instagram:1",
            "creator_id": "alice",
            "platform": "instagram",
            "handle": "alice.ibd",
            "display_name": "Alice | IBD",
            "bio": 'Living with Crohn\'s, "one day at a time"',
            "country": "GB",
            "language": "en",
            "created_at": date(2016, 5, 1),
            "external_url": "https://example.org",
            "is_verified": False,
        },
        {"account_id": "tiktok:2", "platform": "tiktok", "handle": "bobruns", "is_verified": True},
    ],
    "account_snapshots": [
        {"account_id": "instagram:1", "taken_at": datetime(2024, 1, 1, 12), "followers": 12500, "posts": 310},
        {"account_id": "tiktok:2", "taken_at": datetime(2024, 1, 1, 12), "followers": 3400, "following": 20},
    ],
    "posts": [
        {
            "post_id": "instagram:Cx1",
            "account_id": "instagram:1",
            "platform_id": "Cx1",
            "kind": "image",
            "caption": "Flare day, résumé of my week #IBD #Crohns with @gut.doc",
            "hashtags": ["ibd", "crohns"],
            "mentions": ["gut.doc"],
            "posted_at": datetime(2024, 1, 2, 8, 30),
            "likes": 480,
            "comments": 3,
            "sponsored": False,
            "url": "https://www.instagram.com/p/Cx1/",
        },
        {
            "post_id": "tiktok:77",
            "account_id": "tiktok:2",
            "kind": "video",
            "title": "Run club",
            "caption": "10k done",
            "hashtags": [],
            "mentions": [],
            "posted_at": datetime(2024, 1, 3, 18, 0, 5),
            "likes": 1200,
            "views": 20000,
            "shares": 12,
            "saves": 7,
            "sponsored": True,
        },
    ],
    "comments": [
        {
            "comment_id": "c1",
            "post_id": "instagram:Cx1",
            "author_id": "instagram:9",
            "author_handle": "fan",
            "text": "Sending love ❤️",
            "posted_at": datetime(2024, 1, 2, 9),
            "by_creator": False,
            "likes": 2,
        },
        {
            "comment_id": "c2",
            "post_id": "instagram:Cx1",
            "author_id": "instagram:1",
            "author_handle": "alice.ibd",
            "text": "Thank you!",
            "posted_at": datetime(2024, 1, 2, 10),
            "reply_to": "c1",
            "by_creator": True,
            "likes": 1,
        },
    ],
    "audience_samples": [
        {
            "account_id": "instagram:1",
            "member_id": "instagram:9",
            "relation": "follower",
            "username": "fan",
            "followers": 150,
            "following": 300,
            "posts": 12,
            "has_profile_pic": True,
            "is_private": False,
            "created_at": date(2019, 3, 3),
            "sampled_at": datetime(2024, 1, 5),
        }
    ],
}


def expected(table: str) -> list[dict[str, Any]]:
    """The sample rows of ``table`` as the database should hold them (every column, defaults)."""
    t = TABLES_BY_NAME[table]
    rows = []
    for row in SAMPLE[table]:
        full = {c: row.get(c) for c in t.column_names}
        if table == "accounts" and full["creator_id"] is None:
            full["creator_id"] = full["account_id"]  # accounts without a creator get their own
        rows.append(full)
    return sorted(rows, key=lambda r: tuple(str(r[k]) for k in t.key))


def db_rows(store: DuckDBStore, table: str) -> list[dict[str, Any]]:
    """Every row of ``table`` (canonical columns only), ordered by key."""
    t = TABLES_BY_NAME[table]
    cols = ", ".join(f'"{c}"' for c in t.column_names)
    order = ", ".join(f'"{k}"::VARCHAR' for k in t.key)
    return [
        dict(zip(t.column_names, r, strict=True))
        for r in store.query(f"SELECT {cols} FROM {table} ORDER BY {order}")
    ]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def write_csv(folder: Path, sample: dict[str, list[dict[str, Any]]] = SAMPLE) -> Path:
    """One ``<table>.csv`` per table of ``sample``."""
    folder.mkdir(parents=True, exist_ok=True)
    for t in TABLES:
        if t.name not in sample:
            continue
        with (folder / f"{t.name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(t.column_names)
            for row in sample[t.name]:
                w.writerow([_text(row.get(c)) for c in t.column_names])
    return folder


def write_jsonl(folder: Path, sample: dict[str, list[dict[str, Any]]] = SAMPLE) -> Path:
    """One ``<table>.jsonl`` per table of ``sample`` (only the keys each row has)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sample.items():
        with (folder / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, default=lambda v: v.isoformat(), ensure_ascii=False) + "\n")
    return folder


def write_parquet(folder: Path, sample: dict[str, list[dict[str, Any]]] = SAMPLE) -> Path:
    """One ``<table>.parquet`` per table of ``sample``, with the exact canonical Arrow types."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sample.items():
        t = TABLES_BY_NAME[name]
        schema = pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in t.columns])
        data = {c: [r.get(c) for r in rows] for c in t.column_names}
        pq.write_table(pa.Table.from_pydict(data, schema=schema), folder / f"{name}.parquet")
    return folder
