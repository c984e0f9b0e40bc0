"""The per-workspace cache: results are reused while the data stay the same, and only then."""

from __future__ import annotations

import shutil
from pathlib import Path

from web_support import WebWorld

from covey.ingest import import_path
from covey.store import DuckDBStore
from covey.web.cache import WorkspaceCache, data_stamp
from covey.web.queries import creator_table


def test_results_are_kept_until_an_import_changes_the_data(web_world: WebWorld, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(web_world.main_db, db)
    with DuckDBStore(db) as store:
        cache = WorkspaceCache(store, max_entries=2)
        first = cache.get("table", lambda: creator_table(store, None))
        again = cache.get("table", lambda: creator_table(store, None))
        assert again is first and (cache.hits, cache.misses) == (1, 1)
        stamp = data_stamp(store)
        (tmp_path / "new").mkdir()
        csv = "account_id,platform,handle\ncache:1,instagram,fresh\n"
        (tmp_path / "new" / "accounts.csv").write_text(csv)
        import_path(store, tmp_path / "new", rejects_dir=tmp_path / "rejects")
        assert data_stamp(store) != stamp
        after = cache.get("table", lambda: creator_table(store, None))
        assert after is not first and after.num_rows == first.num_rows + 1
        assert "cache:1" in after.column("account_id").to_pylist()
        # Bounded: the oldest entry goes first.
        cache.get("a", lambda: 1)
        cache.get("b", lambda: 2)
        assert cache.get("table", lambda: None) is None  # evicted, computed again


def test_the_score_job_computes_the_peer_bands_for_the_creator_pages(
    web_world: WebWorld, tmp_path: Path
) -> None:
    from covey.web.accounts import User
    from covey.web.deps import Principal, WorkspaceAccess
    from covey.web.jobs import Jobs
    from covey.web.services import start_score
    from covey.web.standing import peer_bands

    db = tmp_path / "copy.duckdb"
    shutil.copy(web_world.main_db, db)
    with DuckDBStore(db) as store:
        cache = WorkspaceCache(store)
        w = WorkspaceAccess("copy", "owner", store, Principal(User(1, "o@example.org"), None), cache)
        jobs = Jobs()
        job = start_score(w, jobs)
        done = jobs.wait("copy", job.job_id, timeout=240)
        assert done is not None and done.state == "done", done and done.error
        run_id = done.result["run_id"]
        kept = cache.peek(("peer_bands", run_id))
        assert kept and kept == peer_bands(store, run_id)
        assert all(b.p10 <= b.p25 <= b.p50 <= b.p75 <= b.p90 for b in kept.values())
