"""`covey index`: build the discovery index beside the database, or bring it up to date.

Only posts not yet in the index are read and embedded (an anti-join against the post ids the
index keeps); metadata (followers, engagement, vetting scores) is cheap and re-read whole.
A different embedding model forces a full rebuild.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from covey.discovery.catalog import FORMAT_VERSION, Catalog, conform, index_dir
from covey.discovery.embedder import StaticEmbedder, load_embedder
from covey.discovery.profiles import HALF_LIFE_DAYS, account_metadata, bio_sums, new_post_sums
from covey.store import Store

log = logging.getLogger("covey.discovery.indexer")


@dataclass(frozen=True)
class IndexReport:
    """What one `covey index` run did."""

    path: Path
    accounts: int
    new_posts: int
    updated_accounts: int
    rebuilt: bool
    nlist: int
    seconds: float


def _model_tag(embedder: StaticEmbedder) -> str:
    return f"{embedder.name}:{embedder.dims}:{embedder.meta.get('lexicon_sha256', '')[:12]}"


def build_index(
    store: Store,
    directory: Path | None = None,
    *,
    rebuild: bool = False,
    embedder: StaticEmbedder | None = None,
    on_posts: Callable[[int], None] | None = None,
) -> IndexReport:
    """Create or update the index of ``store`` in ``directory`` (default: beside the database)."""
    started = time.perf_counter()
    embedder = embedder or load_embedder()
    if directory is None:
        if store.path is None:
            raise ValueError("an in-memory database needs an explicit index directory")
        directory = index_dir(store.path)
    tag = _model_tag(embedder)
    catalog: Catalog | None = None
    if not rebuild and (directory / "manifest.json").exists():
        if _format(directory) != FORMAT_VERSION:
            log.info("index format %s is older than %s: rebuilding", _format(directory), FORMAT_VERSION)
        else:
            catalog = Catalog.load(directory)
        if catalog is not None and catalog.manifest.get("model") != tag:
            log.info("model changed (%s -> %s): rebuilding", catalog.manifest.get("model"), tag)
            catalog = None
    rebuilt = catalog is None
    if catalog is None:
        shutil.rmtree(directory, ignore_errors=True)
        catalog = Catalog.empty(embedder.dims, {"model": tag, "half_life_days": HALF_LIFE_DAYS})
    posts_dir = directory / "posts"
    parts = sorted(posts_dir.glob("part-*.parquet")) if posts_dir.exists() else []
    glob = str(posts_dir / "part-*.parquet") if parts else None

    sums = new_post_sums(store, embedder, glob, on_batch=on_posts)
    meta = conform(account_metadata(store))
    fresh = [a for a in meta.column("account_id").to_pylist() if a not in catalog.row_of]
    added_ids = list(sums.account_ids)
    added = sums.sums
    assert sums.terms is not None
    owners, term_rows, term_ids, term_counts = list(sums.account_ids), *sums.terms
    if fresh:  # a new account's bio, dated at the reference date: it matters only without posts
        bios, bio_terms = bio_sums(store, embedder, fresh)
        added_ids += fresh
        added = np.vstack([added, bios]) if len(added) else bios
        term_rows = np.concatenate([term_rows, bio_terms[0] + len(owners)])
        term_ids = np.concatenate([term_ids, bio_terms[1]])
        term_counts = np.concatenate([term_counts, bio_terms[2]])
        owners += fresh
    catalog.upsert(meta, added_ids, added, (owners, term_rows, term_ids, term_counts))
    catalog.manifest["model"] = tag
    catalog.save(directory)
    if sums.post_ids:
        posts_dir.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table({"post_id": sums.post_ids}), posts_dir / f"part-{len(parts) + 1:05d}.parquet")
    report = IndexReport(
        path=directory,
        accounts=len(catalog),
        new_posts=len(sums.post_ids),
        updated_accounts=len(set(added_ids)),
        rebuilt=rebuilt,
        nlist=catalog.index.nlist,
        seconds=round(time.perf_counter() - started, 2),
    )
    log.info("index %s: %s", directory, report)
    return report


def _format(directory: Path) -> object:
    try:
        return json.loads((directory / "manifest.json").read_text(encoding="utf-8")).get("format")
    except (OSError, ValueError):
        return None


def open_index(store: Store, directory: Path | None = None) -> Catalog:
    """Load the index of ``store`` (InputError with the fix when it was never built)."""
    if directory is None:
        if store.path is None:
            raise ValueError("an in-memory database needs an explicit index directory")
        directory = index_dir(store.path)
    return Catalog.load(directory)
