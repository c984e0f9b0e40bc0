"""Import speed and memory on a synthetic world of canonical Parquet files.

Usage (from the repository root; heavy, so take the shared lock)::

    flock /tmp/covey-heavy.lock .venv/bin/python benchmarks/import_bench.py \
        --creators 100000 --posts-per-creator 50 --comments-per-post 2 --audience-per-creator 200

It writes ``<out>/<table>.parquet`` with the exact canonical Arrow types (what
``covey world generate`` writes), then runs ``covey.ingest.import_path`` in a child process
and reports wall time, peak RSS of that child (``resource.getrusage``) and the summary. A
second import of the same files measures the idempotent path (everything unchanged).
Use ``--world DIR`` to import the files of ``covey world generate`` instead.

Measured 2026-11-21 on the shared 2-core machine with the defaults above (100,000 creators,
300k snapshots, 5M posts, 10M comments, 20M audience rows): generation 47 s; first import
51 s, peak RSS 1.7 GiB; second, idempotent import 56 s (everything unchanged), peak RSS
4.4 GiB; database 0.95 GiB. The real world, ``covey world generate --creators 100000
--seed 1`` then ``--world`` (130k accounts, 3.4M snapshots, 6.3M posts, 20.2M comments,
24.4M audience rows): generation 143 s (peak RSS 2.1 GiB), import 51 s (peak RSS 3.1 GiB),
0 rejects, database 2.0 GiB.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

_CHILD = """
import json, logging, sys, time
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s", stream=sys.stderr)
from covey.ingest import import_path
from covey.store import DuckDBStore
store = DuckDBStore(sys.argv[1])
t = time.perf_counter()
summary = import_path(store, sys.argv[2], rejects_dir=sys.argv[3])
elapsed = time.perf_counter() - t
store.close()
print(json.dumps({"seconds": elapsed, "summary": summary.to_dict()}))
"""


def generate(out: Path, creators: int, posts_per: int, comments_per: int, audience_per: int) -> None:
    """Write synthetic canonical Parquet files (DuckDB generates them column-wise, no Python rows)."""
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET threads = 2")
    posts = creators * posts_per
    queries = {
        "creators": f"""SELECT 'c' || i AS creator_id, 'Creator ' || i AS name,
                ['GB', 'US', 'DE', 'FR'][1 + i % 4] AS country, ['en'] AS languages
                FROM range({creators}) t(i)""",
        "accounts": f"""SELECT 'instagram:' || i AS account_id, 'c' || i AS creator_id,
                'instagram' AS platform,
                'user' || i AS handle, 'User ' || i AS display_name, 'bio of ' || i AS bio, 'GB' AS country,
                'en' AS language, DATE '2015-01-01' + (i % 3000)::INT AS created_at,
                NULL::VARCHAR AS external_url, false AS is_verified FROM range({creators}) t(i)""",
        "account_snapshots": f"""SELECT 'instagram:' || (i // 3) AS account_id,
                TIMESTAMP '2024-01-01' + INTERVAL (i % 3 * 30) DAY AS taken_at,
                (1000 + hash(i) % 99000)::BIGINT AS followers, (hash(i + 1) % 2000)::BIGINT AS following,
                (50 + i % 500)::BIGINT AS posts FROM range({creators * 3}) t(i)""",
        "posts": f"""SELECT 'instagram:p' || i AS post_id, 'instagram:' || (i % {creators}) AS account_id,
                'p' || i AS platform_id, ['image', 'video', 'reel', 'carousel'][1 + i % 4] AS kind,
                NULL::VARCHAR AS title,
                'caption ' || i || ' #tag' || (i % 97) || ' @user' || (i % 1000) AS caption,
                ['tag' || (i % 97)] AS hashtags, ['user' || (i % 1000)] AS mentions,
                TIMESTAMP '2023-01-01' + INTERVAL (i % 31536000) SECOND AS posted_at,
                (hash(i) % 5000)::BIGINT AS likes, (hash(i + 7) % 200)::BIGINT AS comments,
                NULL::BIGINT AS views, NULL::BIGINT AS shares, NULL::BIGINT AS saves,
                (i % 20 = 0) AS sponsored, 'https://www.instagram.com/p/p' || i || '/' AS url
                FROM range({posts}) t(i)""",
        "comments": f"""SELECT 'instagram:k' || i AS comment_id, 'instagram:p' || (i % {posts}) AS post_id,
                'instagram:m' || (hash(i) % 2000000) AS author_id,
                'm' || (hash(i) % 2000000) AS author_handle,
                'nice post ' || (i % 1000) AS text,
                TIMESTAMP '2023-01-02' + INTERVAL (i % 31536000) SECOND AS posted_at,
                CASE WHEN i % 10 = 0 AND i > 0 THEN 'instagram:k' || (i - 1) END AS reply_to,
                (i % 10 = 0) AS by_creator, (hash(i) % 50)::BIGINT AS likes
                FROM range({posts * comments_per}) t(i)""",
        "audience_samples": f"""SELECT 'instagram:' || (i % {creators}) AS account_id,
                'instagram:m' || (i // {creators}) * 7919 + (i % {creators}) AS member_id,
                'follower' AS relation, 'm' || i AS username, NULL::VARCHAR AS full_name,
                (hash(i) % 3000)::BIGINT AS followers, (hash(i + 3) % 3000)::BIGINT AS following,
                (hash(i + 5) % 300)::BIGINT AS posts, (i % 5 <> 0) AS has_profile_pic,
                (i % 3 = 0) AS is_private, NULL::VARCHAR AS bio, NULL::VARCHAR AS external_url,
                NULL::DATE AS created_at, TIMESTAMP '2024-06-01' AS sampled_at
                FROM range({creators * audience_per}) t(i)""",
    }
    for table, sql in queries.items():
        target = out / f"{table}.parquet"
        con.execute(f"COPY ({sql}) TO '{target}' (FORMAT PARQUET, ROW_GROUP_SIZE 122880)")
        rows = con.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()
        print(f"generated {target} ({rows[0] if rows else 0:,} rows)", file=sys.stderr)
    con.close()


def run_import(db: Path, world: Path, rejects: Path) -> dict[str, object]:
    """Import ``world`` into ``db`` in a child process; wall time, import time and peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(db), str(world), str(rejects)],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    wall = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = round(wall, 1)
    result["peak_rss_gib"] = round(max(peak_kib, before) / 1024**2, 2)
    return result


def main() -> None:
    """Generate (unless --world is given), import twice, print the figures as JSON."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--creators", type=int, default=100_000)
    parser.add_argument("--posts-per-creator", type=int, default=50)
    parser.add_argument("--comments-per-post", type=int, default=2)
    parser.add_argument("--audience-per-creator", type=int, default=200)
    parser.add_argument("--world", type=Path, help="Import this folder of <table>.parquet instead.")
    parser.add_argument("--workdir", type=Path, help="Where to put files (default: a temporary folder).")
    parser.add_argument("--once", action="store_true", help="Skip the second (idempotent) import.")
    parser.add_argument("--reuse", action="store_true", help="Keep <workdir>/world if it is there.")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="covey-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    world = args.world
    figures: dict[str, object] = {}
    if world is None and args.reuse and (work / "world" / "audience_samples.parquet").exists():
        world = work / "world"
    if world is None:
        world = work / "world"
        t = time.perf_counter()
        per = (args.posts_per_creator, args.comments_per_post, args.audience_per_creator)
        generate(world, args.creators, *per)
        figures["generate_seconds"] = round(time.perf_counter() - t, 1)
    db = work / "bench.duckdb"
    db.unlink(missing_ok=True)
    figures["first_import"] = run_import(db, world, work / "rejects")
    if not args.once:
        figures["second_import"] = run_import(db, world, work / "rejects")
    figures["db_size_gib"] = round(db.stat().st_size / 1024**3, 2)
    print(json.dumps(figures, indent=2))
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
