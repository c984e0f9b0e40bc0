"""Server time of every page of the web app on a demo-sized world (issue 10).

Builds (or reuses, with --db) a scored and indexed world, then requests every page
``--requests`` times in-process (FastAPI's TestClient: routing, access checks, queries and
rendering; no network) and prints p50/p95/max per page in milliseconds, and the median CPU
time the process spent per request (all threads, DuckDB's included: what a request costs,
whatever else the machine is doing). Target: p95 under 200 ms for every page on the demo
world, under 300 ms for the creators page on a 100,000-creator world.

    python benchmarks/web_bench.py --creators 1200 --seed 5 --requests 30
    python benchmarks/web_bench.py --db big.duckdb --pages creators,"creators filtered" --no-plan
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient

from covey.settings import Settings, WebSettings
from covey.store import DuckDBStore
from covey.web.accounts import AppDB, secret_key
from covey.web.app import create_app

PASSWORD = "benchmark password"
BRIEF = "creators living with Crohn's or colitis who talk openly about diet and flare-ups"


def build(db: Path, creators: int, seed: int) -> None:
    """Generate, import, score and index a world into ``db``."""
    from covey.discovery.indexer import build_index
    from covey.ingest import import_path
    from covey.scores import score_store
    from covey.world import WorldConfig, generate

    world = db.parent / "world"
    began = time.perf_counter()
    generate(WorldConfig(creators=creators, seed=seed), world)
    with DuckDBStore(db) as store:
        import_path(store, world, rejects_dir=db.parent / "rejects")
        score_store(store)
        build_index(store)
    print(f"built the world in {time.perf_counter() - began:.0f} s", file=sys.stderr)


def sign_in(client: TestClient) -> str:
    page = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert token
    client.post("/login", data={"email": "bench@example.org", "password": PASSWORD, "login_token": token[1]})
    home = client.get("/w/bench")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    assert csrf
    return csrf[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--creators", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--db", type=Path, help="reuse this scored and indexed database")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--pages", help="only these pages (comma-separated names)")
    parser.add_argument("--no-plan", action="store_true", help="make no plan (no plan pages)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="covey-web-bench-"))
    db = args.db or work / "covey.duckdb"
    if args.db is None:
        build(db, args.creators, args.seed)
    settings = Settings(db=db, web=WebSettings(app_db=work / "app.sqlite3"))
    appdb = AppDB(settings.app_db(), secret_key(settings.secret_key_file()))
    appdb.add_workspace("bench", db)
    appdb.add_user("bench@example.org", PASSWORD)
    appdb.grant("bench@example.org", "bench", "owner")
    appdb.close()
    with TestClient(create_app(settings)) as client:
        csrf = sign_in(client)
        # One plan to show (planning itself is a POST, timed once and reported apart).
        began = time.perf_counter()
        plan_url = ""
        if not args.no_plan:
            r = client.post(
                "/w/bench/plan",
                data={"csrf_token": csrf, "brief": BRIEF, "budget": "30000", "min_creators": "10",
                      "max_creators": "30", "niche": "crohn's and colitis"},
                follow_redirects=False,
            )  # fmt: skip
            plan_url = r.headers["location"]
        plan_seconds = time.perf_counter() - began
        top = client.get("/api/w/bench/creators?per_page=1&sort=followers").json()["rows"][0]["account_id"]
        pages = {
            "home": "/w/bench",
            "creators": "/w/bench/creators",
            "creators filtered": "/w/bench/creators?platform=instagram&tier=micro&min_overall=50"
            "&sort=followers",
            "creators page 10": "/w/bench/creators?page=10",
            "creators sorted by a score": "/w/bench/creators?sort=authenticity&order=asc&min_audience=40"
            "&language=en&page=5",
            "creators search": "/w/bench/creators?q=an&sort=handle",
            "creators deep page": "/w/bench/creators?page=2000&sort=followers",
            "creator": f"/w/bench/creators/{quote(top, safe='')}",
            "discover": f"/w/bench/discover?brief={quote(BRIEF)}&tier=micro",
            "discover evidence": f"/w/bench/discover/evidence?brief={quote(BRIEF)}&tier=micro",
            "saved plans": "/w/bench/plans",
            "saved plan": plan_url,
            "creators.json": "/w/bench/creators.json",
            "api creator": f"/api/w/bench/creators/{quote(top, safe='')}",
        }
        if args.no_plan:
            del pages["saved plan"]
        if args.pages:
            wanted = [p.strip() for p in args.pages.split(",")]
            pages = {name: url for name, url in pages.items() if name in wanted}
        rows = []
        for name, url in pages.items():
            # The first request fills the workspace cache (and the first discover loads the model):
            # reported apart as "first", the others are what a user paging back and forth waits.
            began = time.perf_counter()
            assert client.get(url).status_code == 200, url
            first = (time.perf_counter() - began) * 1000
            times, cpu = [], []
            for _ in range(args.requests):
                began, began_cpu = time.perf_counter(), time.process_time()
                resp = client.get(url)
                times.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
                assert resp.status_code == 200, url
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            rows.append({"page": name, "first_ms": round(first, 1),
                         "p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1),
                         "max_ms": round(times[-1], 1),
                         "cpu_ms": round(statistics.median(cpu), 1)})  # fmt: skip
    accounts = DuckDBStore(db, read_only=True).table_counts()["accounts"]
    if args.json:
        print(
            json.dumps({"accounts": accounts, "plan_post_s": round(plan_seconds, 2), "pages": rows}, indent=2)
        )
        return
    print(f"{accounts:,} accounts; {args.requests} requests per page; plan (POST) {plan_seconds:.2f} s")
    print(f"{'page':<20} {'first':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu ms':>8}  p95 < 200 ms")
    for r in rows:
        ok = "ok" if r["p95_ms"] < 200 else "MISSED"
        print(
            f"{r['page']:<20} {r['first_ms']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['max_ms']:>8} "
            f"{r['cpu_ms']:>8}  {ok}"
        )


if __name__ == "__main__":
    main()
