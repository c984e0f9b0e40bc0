"""The discovery index on disk: creator vectors, their metadata and filters, beside the database.

Layout of ``<db>.discovery/``::

    manifest.json         model, counts, settings
    vectors.npy           unit profile vectors, sorted by IVF list (float32)
    sums.npy              unnormalised recency-weighted sums, same order (for incremental updates)
    centroids.npy         IVF centroids (absent when the index is scanned exactly)
    mean.npy              the mean profile vector (Rocchio feedback's non-relevant centroid)
    meta.parquet          account_id and the filter fields, same order
    terms.npz             word counts per row (BM25 postings: row, hashed term, count)
    posts/part-*.parquet  post_id of every post already in the vectors
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from covey.discovery.index import FloatArray, Hits, VectorIndex, default_nlist
from covey.discovery.lexical import IntArray, Postings
from covey.errors import InputError, StoreError
from covey.tiers import DEFAULT_TIERS, Tiers

log = logging.getLogger("covey.discovery.catalog")

FORMAT_VERSION = 2  # 2: word postings (terms.npz) beside the vectors
META_COLUMNS = (
    "account_id",
    "creator_id",
    "handle",
    "platform",
    "country",
    "language",
    "followers",
    "engagement",
    "lived_share",
    "posts",
    "quality",
    "authenticity",
)
LIVED_SHARE_MIN = 0.2  # share of first-person condition posts that counts as lived experience


def index_dir(db: Path) -> Path:
    """Where the index of database ``db`` lives: beside it, ``<db>.discovery/``."""
    return db.with_name(db.name + ".discovery")


@dataclass(frozen=True)
class Filters:
    """Metadata filters; unknown follower counts pass follower filters (and are flagged)."""

    platforms: tuple[str, ...] = ()
    tier: str | None = "micro"
    tiers: Tiers = DEFAULT_TIERS
    min_followers: int | None = None
    max_followers: int | None = None
    min_engagement: float | None = None
    min_authenticity: float | None = None
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    lived_experience: bool = False
    exclude: frozenset[str] = field(default_factory=frozenset)

    def describe(self) -> list[str]:
        """The active filters in words, for messages."""
        out = []
        if self.platforms:
            out.append(f"platform {'/'.join(self.platforms)}")
        if self.tier:
            low, high = self.tiers.range(self.tier)
            out.append(f"tier {self.tier} ({low:,}-{'' if high is None else f'{high:,}'} followers)")
        if self.min_followers is not None:
            out.append(f"followers >= {self.min_followers:,}")
        if self.max_followers is not None:
            out.append(f"followers <= {self.max_followers:,}")
        if self.min_engagement is not None:
            out.append(f"engagement >= {self.min_engagement}")
        if self.min_authenticity is not None:
            out.append(f"authenticity >= {self.min_authenticity}")
        if self.countries:
            out.append(f"country {'/'.join(self.countries)}")
        if self.languages:
            out.append(f"language {'/'.join(self.languages)}")
        if self.lived_experience:
            out.append("lived experience")
        return out


class Catalog:
    """Profile vectors, metadata columns and the ANN index, all in the same row order."""

    def __init__(
        self,
        meta: pa.Table,
        sums: FloatArray,
        index: VectorIndex,
        manifest: dict[str, Any],
        lexical: Postings | None = None,
    ) -> None:
        self.meta = meta
        self.sums = sums
        self.index = index
        self.manifest = manifest
        self.lexical = lexical if lexical is not None else Postings.empty(len(meta))
        self._refresh_columns()

    def _refresh_columns(self) -> None:
        m = self.meta
        self.account_ids: list[str] = m.column("account_id").to_pylist()
        self.row_of = {a: i for i, a in enumerate(self.account_ids)}
        # Dictionary codes: comparing integers is ~100x faster than comparing Python strings.
        self._codes: dict[str, tuple[npt.NDArray[np.int64], dict[str, int]]] = {}
        for c in ("platform", "country", "language"):
            encoded = m.column(c).combine_chunks().dictionary_encode()
            codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
            self._codes[c] = (codes, {v: i for i, v in enumerate(encoded.dictionary.to_pylist())})
        self._num = {
            c: m.column(c).cast(pa.float64()).to_numpy(zero_copy_only=False)
            for c in ("followers", "engagement", "lived_share", "quality", "authenticity")
        }
        self._mean: FloatArray | None = None  # the rows changed: mean_vector is recomputed

    @property
    def mean_vector(self) -> FloatArray:
        """The mean profile of every indexed creator (zeros when there is none).

        Search's feedback subtracts it (Rocchio's non-relevant centroid). It is written with the
        index (``mean.npy``) because computing it reads every vector: about a second at a
        million creators, too slow to pay when a command opens the index.
        """
        if self._mean is None:
            vectors = self.index.vectors
            self._mean = (
                (np.ones(len(vectors), np.float32) @ vectors / len(vectors)).astype(np.float32)
                if len(vectors)
                else np.zeros(vectors.shape[1], np.float32)
            )
        return self._mean

    def numeric(self, name: str) -> npt.NDArray[np.float64]:
        """A numeric metadata column (NaN where unknown), in row order."""
        col: npt.NDArray[np.float64] = self._num[name]
        return col

    def __len__(self) -> int:
        return len(self.account_ids)

    def column(self, name: str) -> list[Any]:
        """One metadata column as a Python list, in row order."""
        return list(self.meta.column(name).to_pylist())

    def mask(self, f: Filters) -> npt.NDArray[np.bool_]:
        """Rows passing every filter (vectorised over all rows)."""
        ok = np.ones(len(self), dtype=bool)
        followers = self._num["followers"]
        known = ~np.isnan(followers)
        for name, wanted in (("platform", f.platforms), ("country", f.countries), ("language", f.languages)):
            if wanted:
                codes, lookup = self._codes[name]
                values = [w.upper() if name == "country" else w.lower() for w in wanted]
                # A lookup table indexed by code (its last entry: unknown, code -1); np.isin
                # sorts the column on every query, 30x slower at 1 M rows.
                allowed = np.zeros(len(lookup) + 1, dtype=bool)
                allowed[[lookup[v] for v in values if v in lookup]] = True
                ok &= allowed[codes]
        if f.tier:
            low, high = f.tiers.range(f.tier)
            inside = (followers >= low) & (followers < (np.inf if high is None else high))
            ok &= inside | ~known
        if f.min_followers is not None:
            ok &= (followers >= f.min_followers) | ~known
        if f.max_followers is not None:
            ok &= (followers <= f.max_followers) | ~known
        # NaN compares False: a filter on a score excludes accounts without that score.
        if f.min_engagement is not None:
            ok &= self._num["engagement"] >= f.min_engagement
        if f.min_authenticity is not None:
            ok &= self._num["authenticity"] >= f.min_authenticity
        if f.lived_experience:
            ok &= self._num["lived_share"] >= LIVED_SHARE_MIN
        if f.exclude:
            ok[[self.row_of[a] for a in f.exclude if a in self.row_of]] = False
        return ok

    def search(self, query: FloatArray, k: int, filters: Filters, *, exact: bool = False) -> Hits:
        """Top ``k`` rows for ``query`` among the rows passing ``filters``."""
        m = self.mask(filters)
        return self.index.exact(query, k, m) if exact else self.index.search(query, k, m)

    def vector(self, account_id: str) -> FloatArray:
        """The profile vector of one account."""
        row: FloatArray = self.index.vectors[self.row_of[account_id]]
        return row

    # -- updates -------------------------------------------------------------------------
    def upsert(
        self,
        meta: pa.Table,
        account_ids: list[str],
        added: FloatArray,
        terms: tuple[list[str], IntArray, IntArray, IntArray] | None = None,
    ) -> None:
        """Add ``added`` to the sums of ``account_ids``; metadata is replaced by ``meta``.

        ``terms`` adds word counts: (owner ids, position in the owner ids, term, count).
        Accounts in ``meta`` but not yet indexed get a row (zero vector until they post).
        """
        new_ids = [a for a in meta.column("account_id").to_pylist() if a not in self.row_of]
        dims = self.sums.shape[1]
        sums = np.vstack([self.sums, np.zeros((len(new_ids), dims), np.float32)])
        ids = self.account_ids + new_ids
        row_of = {a: i for i, a in enumerate(ids)}
        if account_ids:
            rows = np.fromiter((row_of[a] for a in account_ids if a in row_of), dtype=np.int64)
            known = np.fromiter((a in row_of for a in account_ids), dtype=bool, count=len(account_ids))
            np.add.at(sums, rows, added[known])  # an id may come twice (posts and bio)
        lexical = self.lexical
        if terms is not None and len(terms[1]):
            owner_rows = np.fromiter(
                (row_of.get(a, -1) for a in terms[0]), dtype=np.int64, count=len(terms[0])
            )
            rows_t = owner_rows[terms[1]]
            ok = rows_t >= 0
            lexical = lexical.add(rows_t[ok], terms[2][ok], terms[3][ok], len(ids))
        else:
            lexical = Postings(lexical.rows, lexical.terms, lexical.counts, len(ids))
        # Reorder the fresh metadata to the row order, dropping accounts no longer in the database.
        position = pa.array([row_of[a] for a in meta.column("account_id").to_pylist()], pa.int64())
        meta = meta.append_column("_row", position).sort_by("_row")
        keep = meta.column("_row").to_numpy()
        self.meta = meta.drop_columns(["_row"]).select(list(META_COLUMNS))
        self.sums = np.ascontiguousarray(sums[keep])
        vectors = self.sums / np.maximum(np.linalg.norm(self.sums, axis=1, keepdims=True), 1e-30)
        centroids = self.index.centroids
        trained = self.index.trained_rows
        self.index = VectorIndex(vectors.astype(np.float32), centroids)
        self.index.trained_rows = trained
        grown = len(self.index.vectors) > 2 * max(trained, 1)
        perm = (
            self.index.train()
            if (centroids is None and default_nlist(len(vectors))) or grown
            else (self.index.reorder())
        )
        self.sums = np.ascontiguousarray(self.sums[perm])
        self.meta = self.meta.take(pa.array(perm))
        self.lexical = lexical.take(keep[perm])
        self._refresh_columns()

    # -- persistence ---------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        """Write every array and the manifest (posts/ parts are written by the indexer)."""
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "vectors.npy", self.index.vectors)
        np.save(directory / "sums.npy", self.sums)
        np.save(directory / "offsets.npy", self.index.offsets)
        np.save(directory / "mean.npy", self.mean_vector)
        if self.index.centroids is not None:
            np.save(directory / "centroids.npy", self.index.centroids)
        else:
            (directory / "centroids.npy").unlink(missing_ok=True)
        pq.write_table(self.meta, directory / "meta.parquet")
        lex = self.lexical
        np.savez(directory / "terms.npz", rows=lex.rows, terms=lex.terms, counts=lex.counts)
        manifest = dict(
            self.manifest,
            format=FORMAT_VERSION,
            rows=len(self),
            nlist=self.index.nlist,
            trained_rows=self.index.trained_rows,
        )
        (directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def empty(cls, dims: int, manifest: dict[str, Any]) -> Catalog:
        """A catalog with no rows."""
        schema_meta = pa.table({c: pa.array([], type=_META_TYPES[c]) for c in META_COLUMNS})
        return cls(
            schema_meta,
            np.zeros((0, dims), np.float32),
            VectorIndex(np.zeros((0, dims), np.float32)),
            manifest,
        )

    @classmethod
    def load(cls, directory: Path) -> Catalog:
        """Open an index written by :meth:`save`."""
        manifest_path = directory / "manifest.json"
        if not manifest_path.exists():
            raise InputError(f"{directory}: no discovery index; run 'covey index' first")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT_VERSION:
            raise StoreError(
                f"{directory}: index format {manifest.get('format')}; rebuild with 'covey index --rebuild'"
            )
        centroids = np.load(directory / "centroids.npy") if (directory / "centroids.npy").exists() else None
        index = VectorIndex(np.load(directory / "vectors.npy"), centroids)
        index.offsets = np.load(directory / "offsets.npy")
        index.trained_rows = int(manifest.get("trained_rows", len(index.vectors)))
        meta = pq.read_table(directory / "meta.parquet")
        with np.load(directory / "terms.npz") as t:
            lexical = Postings(t["rows"], t["terms"], t["counts"], meta.num_rows)
        catalog = cls(meta, np.load(directory / "sums.npy"), index, manifest, lexical)
        mean_path = directory / "mean.npy"  # absent in an index written before it: recomputed
        if mean_path.exists():
            mean = np.load(mean_path)
            if mean.shape == (index.vectors.shape[1],):
                catalog._mean = mean.astype(np.float32)
        return catalog


_META_TYPES: dict[str, pa.DataType] = {
    "account_id": pa.string(),
    "creator_id": pa.string(),
    "handle": pa.string(),
    "platform": pa.string(),
    "country": pa.string(),
    "language": pa.string(),
    "followers": pa.int64(),
    "engagement": pa.float64(),
    "lived_share": pa.float64(),
    "posts": pa.int64(),
    "quality": pa.float64(),
    "authenticity": pa.float64(),
}


def conform(meta: pa.Table) -> pa.Table:
    """``meta`` with exactly META_COLUMNS, cast to their types."""
    return pa.table({c: meta.column(c).cast(_META_TYPES[c]) for c in META_COLUMNS})
