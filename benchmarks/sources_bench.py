"""The connectors under faults, and the HTTP layer's own overhead (issue 13).

1. Fault table: each fault is injected into a fetch against the fake APIs on 127.0.0.1
   (recorded responses, ``tests/sources_fake.py``); the rows in the database afterwards
   are compared with a clean fetch of the same account. A fetch that stops on a terminal
   fault (expired token, quota) or a crash is run again, as a user would, and must resume.
   "rows lost" = rows of the clean fetch missing after the faulted one; "duplicates" = rows
   whose key appears twice (the import keys make this 0 by construction; it is counted anyway).
2. Overhead: the same small GET, N times, through a plain ``httpx.Client`` loop and through
   ``covey.sources.http.HttpClient`` (retry loop, rate limiter, classification, JSON).

    python benchmarks/sources_bench.py [--requests 1000] [--write-docs]

``--write-docs`` puts the fault table into docs/sources.md between its markers.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from pytest_httpserver import HTTPServer  # noqa: E402

from covey.errors import SourceError  # noqa: E402
from covey.model import TABLES  # noqa: E402
from covey.sources import FetchOptions, FetchRequest, run_fetch  # noqa: E402
from covey.sources.bluesky.errors import classify as bluesky_classify  # noqa: E402
from covey.sources.http import HttpClient, RetryPolicy  # noqa: E402
from covey.store import DuckDBStore  # noqa: E402
from sources_fake import FakeApi, FakeClock, Fault  # noqa: E402

BSKY = "chriskenny.bsky.social"
MASTO = "@mastodonpy_test@localhost:3000"
TIME_COLUMNS = {"taken_at", "sampled_at"}
EXPIRED = {
    "error": {
        "message": "Error validating access token: Session has expired",
        "type": "OAuthException",
        "code": 190,
        "error_subcode": 463,
    }
}
QUOTA = {"error": {"code": 403, "message": "quota", "errors": [{"reason": "quotaExceeded"}]}}
CRASH = """
import os, sys
from covey.store import DuckDBStore
from covey.sources import FetchOptions, FetchRequest, run_fetch

def progress(what, done, total):
    if what == "posts" and done == 6:
        os._exit(3)

store = DuckDBStore(sys.argv[1])
opts = FetchOptions(max_posts=None, comments=5, followers=48, base_url=sys.argv[2])
run_fetch(store, FetchRequest("bluesky", sys.argv[3], opts), progress=progress)
"""


def keys(store: DuckDBStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every row's key per table (time columns left out: they differ between fetches)."""
    out = {}
    for t in TABLES:
        cols = [c for c in t.key if c not in TIME_COLUMNS]
        out[t.name] = [tuple(r) for r in store.query(f"SELECT {', '.join(cols)} FROM {t.name}")]
    return out


def fetch(store: DuckDBStore, fake: FakeApi, platform: str, target: str, opts: dict[str, Any]) -> None:
    clock = FakeClock()  # Retry-After and backoff waits are counted, not slept
    http = {
        "clock": clock,
        "sleep": clock.sleep,
        "rng": random.Random(3),
        "timeout": httpx.Timeout(0.3),
        "policy": RetryPolicy(attempts=8),
    }
    options = FetchOptions(base_url=fake.base(platform), **{"max_posts": None, **opts})
    run_fetch(store, FetchRequest(platform, target, options), http_options=http)


Setup = Callable[[FakeApi], None]


def _bursts(fake: FakeApi) -> None:
    """Three failures in a row on each of three endpoints."""
    fake.inject("getAuthorFeed", Fault("status", 500), 3)
    fake.inject("getPostThread", Fault("status", 503), 3)
    fake.inject("getFollowers", Fault("status", 502), 3)


SCENARIOS: list[tuple[str, str, str, dict[str, Any], Setup]] = [
    (
        "429 with Retry-After",
        "bluesky",
        BSKY,
        {"comments": 5, "followers": 48},
        lambda f: f.inject(
            "getAuthorFeed|getFollowers", Fault("status", 429, headers={"Retry-After": "30"}), 4
        ),
    ),
    (
        "429 with X-RateLimit-Reset (Mastodon)",
        "mastodon",
        MASTO,
        {"comments": 3, "followers": 10},
        lambda f: f.inject(
            "statuses",
            Fault("status", 429, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "60"}),
            2,
        ),
    ),
    (
        "bursts of 500/503",
        "bluesky",
        BSKY,
        {"comments": 5, "followers": 48},
        lambda f: _bursts(f),
    ),
    (
        "timeouts (server stalls 0.6 s, client waits 0.3 s)",
        "bluesky",
        BSKY,
        {"comments": 5, "followers": 48},
        lambda f: f.inject("getAuthorFeed|getProfiles", Fault("stall", seconds=0.6), 3),
    ),
    (
        "truncated JSON",
        "youtube",
        "@googledevelopers",
        {"comments": 20},
        lambda f: f.inject("playlistItems|videos|commentThreads", Fault("truncate"), 5),
    ),
    (
        "expired token (Instagram code 190), then a new token",
        "instagram",
        "me",
        {"comments": 10},
        lambda f: f.inject(r"/media$", Fault("status", 400, body=EXPIRED), 1),
    ),
    (
        "quota exceeded (YouTube), then after the reset",
        "youtube",
        "@googledevelopers",
        {"comments": 20},
        lambda f: f.inject("commentThreads", Fault("status", 403, body=QUOTA), 1),
    ),
    (
        "cursor that loops back (last page -> page 2)",
        "bluesky",
        BSKY,
        {"comments": 5, "followers": 48},
        lambda f: setattr(f, "wrap_cursor", True),
    ),
]


def scenario(
    server: HTTPServer, work: Path, name: str, platform: str, target: str, opts: dict[str, Any], setup: Setup
) -> dict[str, Any]:
    server.clear()
    clean = FakeApi(server)
    with DuckDBStore(work / f"{len(os.listdir(work))}-clean.duckdb") as store:
        fetch(store, clean, platform, target, opts)
        reference = keys(store)
    server.clear()
    fake = FakeApi(server)
    setup(fake)
    runs = 0
    stopped = ""
    with DuckDBStore(work / f"{len(os.listdir(work))}-fault.duckdb") as store:
        for _ in range(2):  # the fetch, and at most one re-run by the user
            runs += 1
            try:
                fetch(store, fake, platform, target, opts)
                break
            except SourceError as exc:
                stopped = type(exc).__name__
        status = store.query("SELECT status FROM source_fetches ORDER BY fetch_id DESC LIMIT 1")[0][0]
        got = keys(store)
    return row(
        name,
        sum(fake.injected.values()) or (1 if fake.wrap_cursor else 0),
        status == "done",
        runs,
        stopped,
        reference,
        got,
    )


def crash_scenario(server: HTTPServer, work: Path) -> dict[str, Any]:
    opts = {"comments": 5, "followers": 48}
    server.clear()
    with DuckDBStore(work / "crash-clean.duckdb") as store:
        fetch(store, FakeApi(server), "bluesky", BSKY, opts)
        reference = keys(store)
    server.clear()
    fake = FakeApi(server)
    db = work / "crash.duckdb"
    done = subprocess.run([sys.executable, "-c", CRASH, str(db), fake.base("bluesky"), BSKY], timeout=300)
    with DuckDBStore(db) as store:
        fetch(store, fake, "bluesky", BSKY, opts)
        status = store.query("SELECT status FROM source_fetches ORDER BY fetch_id DESC LIMIT 1")[0][0]
        got = keys(store)
    return row(
        "crash mid-fetch (process killed), then re-run",
        1,
        status == "done",
        2,
        f"exit {done.returncode}",
        reference,
        got,
    )


def row(
    name: str, injected: int, done: bool, runs: int, stopped: str, ref: dict[str, Any], got: dict[str, Any]
) -> dict[str, Any]:
    lost = sum(len(set(ref[t]) - set(got[t])) for t in ref)
    dups = sum(len(got[t]) - len(set(got[t])) for t in got)
    return {
        "fault": name,
        "injected": injected,
        "survived": done,
        "runs": runs,
        "stopped_with": stopped,
        "rows_expected": sum(len(set(v)) for v in ref.values()),
        "rows_lost": lost,
        "duplicates": dups,
    }


def _compare(
    plain_get: Callable[[], None], layer_get: Callable[[], None], n: int, block: int
) -> dict[str, float]:
    """Median seconds per request of each loop, run in alternating blocks of ``block`` requests.

    Alternating small blocks puts both loops under the same load at the same moments (the
    machine is shared), so the difference is the layer's, not the neighbours'.
    """
    plain_times, layer_times = [], []
    for _ in range(max(1, n // block)):
        for get, times in ((plain_get, plain_times), (layer_get, layer_times)):
            start = time.perf_counter()
            for _ in range(block):
                get()
            times.append((time.perf_counter() - start) / block)
    return {"plain": statistics.median(plain_times), "layer": statistics.median(layer_times)}


def overhead(server: HTTPServer, n: int, block: int = 50) -> dict[str, Any]:
    """The same GET through plain httpx and through HttpClient: on 127.0.0.1, then in memory."""
    server.clear()
    fake = FakeApi(server)
    return {
        "block": block,
        "local_server": _measure(fake.base("bluesky"), None, n, block),
        "in_memory": _measure("http://127.0.0.1:9/xrpc", _memory_transport(), n * 10, block),
    }


def _measure(base: str, transport: httpx.BaseTransport | None, count: int, block: int) -> dict[str, Any]:
    url = f"{base}/app.bsky.actor.getProfiles"
    params = {"actors": BSKY}
    with (
        httpx.Client(timeout=httpx.Timeout(20.0, connect=5.0), transport=transport) as client,
        HttpClient(
            "bluesky",
            base,
            bluesky_classify,
            rate=1e9,
            burst=10**9,
            limiter_key=f"bench-{base}",
            transport=transport,
        ) as http,
    ):

        def plain_get() -> None:
            r = client.get(url, params=params)
            r.raise_for_status()
            json.loads(r.content)

        def layer_get() -> None:
            http.get("app.bsky.actor.getProfiles", params)

        t = _compare(plain_get, layer_get, count, block)
    return {
        "requests": count,
        "plain_httpx_us": round(t["plain"] * 1e6, 1),
        "covey_layer_us": round(t["layer"] * 1e6, 1),
        "overhead_us": round((t["layer"] - t["plain"]) * 1e6, 1),
        "overhead_pct": round((t["layer"] / t["plain"] - 1) * 100, 1),
    }


def _memory_transport() -> httpx.MockTransport:
    """A transport answering every request from memory: no network, no server."""
    body = json.dumps({"profiles": [{"did": "did:plc:x", "handle": BSKY, "followersCount": 554}]}).encode()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    return httpx.MockTransport(answer)


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| fault | injected | survived | runs | stopped with | rows expected | rows lost | duplicates |",
        "|---|---:|---|---:|---|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['fault']} | {r['injected']} | {'yes' if r['survived'] else 'NO'} | {r['runs']} | "
            f"{r['stopped_with'] or '-'} | {r['rows_expected']} | {r['rows_lost']} | {r['duplicates']} |"
        )
    return "\n".join(lines)


def write_docs(text: str) -> None:
    doc = ROOT / "docs" / "sources.md"
    content = doc.read_text(encoding="utf-8")
    start, end = "<!-- fault-table:start -->", "<!-- fault-table:end -->"
    head, rest = content.split(start, 1)
    _, tail = rest.split(end, 1)
    doc.write_text(f"{head}{start}\n{text}\n{end}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=1000, help="requests per overhead round")
    parser.add_argument("--write-docs", action="store_true", help="put the fault table into docs/sources.md")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    args = parser.parse_args()
    # Fake keys for the fake APIs; the user's own settings are not read.
    os.environ["COVEY_SETTINGS"] = os.devnull
    for name in ("COVEY_YOUTUBE_API_KEY", "COVEY_INSTAGRAM_TOKEN", "COVEY_TIKTOK_TOKEN"):
        os.environ[name] = "bench-fake-key"
    os.environ["COVEY_INSTAGRAM_USER_ID"] = "17841406338772941"
    os.environ.pop("COVEY_MASTODON_TOKEN", None)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the fake server's access log
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        with tempfile.TemporaryDirectory(prefix="covey-sources-bench-") as tmp:
            work = Path(tmp)
            rows = [scenario(server, work, *s) for s in SCENARIOS]
            rows.append(crash_scenario(server, work))
        cost = overhead(server, args.requests)
    finally:
        server.clear()
        server.stop()
    if args.json:
        print(json.dumps({"faults": rows, "overhead": cost}, indent=2))
    else:
        print(table(rows))
        print()
        print(json.dumps(cost))
    if args.write_docs:
        write_docs(table(rows))
    if any(not r["survived"] or r["rows_lost"] or r["duplicates"] for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
