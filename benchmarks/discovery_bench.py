"""Scale benchmark of the discovery index: 1M synthetic creators, filtered queries, exact baseline.

Vectors are synthetic but shaped like profiles: unit vectors around 2,000 topic centres
(creators of one niche look alike), 256 dimensions as the shipped model. Metadata follows
the sample world's mix (platforms, countries, follower tiers with 5 % unknown, engagement,
authenticity missing for 20 %). Every query runs through the index (IVF + filters) and
through a brute-force exact scan of the same filtered rows; recall@10 compares the two.
Each creator also gets synthetic word counts (``--words`` distinct words: half from its
topic's 300 words, half from a Zipf vocabulary of 200,000), and every query also runs the
full hybrid search of `covey discover` (BM25 over the postings with 30 weighted terms, the
IVF search, reciprocal-rank fusion, one round of feedback: a second IVF search) timed as
``hybrid_p50_ms`` / ``hybrid_p95_ms``; the words side alone (BM25 top 200 of the passing
creators) as ``words_p50_ms`` / ``words_p95_ms``.

    flock /tmp/covey-heavy.lock python benchmarks/discovery_bench.py --creators 1000000 --out bench.json

``--cache DIR`` keeps the built world (2.4 GB at 1 M creators) and reuses it when the next run
asks for the same one (creators, dims, seed, words); the process then peaks at about 5 GB
(building, saving and reloading it in one run: the same), against 10.3 GB before session 18.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

# One BLAS thread per query, as a server answering concurrent queries runs; on a shared
# machine, multi-threaded matrix-vector products mostly wait for each other.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pyarrow as pa

from covey.discovery import lexical
from covey.discovery.catalog import Catalog, Filters, conform
from covey.discovery.index import FloatArray, VectorIndex
from covey.discovery.lexical import IntArray
from covey.discovery.search import CANDIDATES_MIN, hybrid, lexical_top

TOPIC_WORDS = 300
VOCABULARY = 200_000
QUERY_TERMS = 30

COUNTRIES = ["US", "GB", "IE", "AU", "CA", "ES", "MX", "AR", "FR", "DE", "AT", "IT", "PT", "BR"]
COUNTRY_W = [0.22, 0.11, 0.03, 0.05, 0.03, 0.07, 0.06, 0.02, 0.08, 0.08, 0.02, 0.07, 0.03, 0.13]
LANG = {"US": "en", "GB": "en", "IE": "en", "AU": "en", "CA": "en", "ES": "es", "MX": "es", "AR": "es",
        "FR": "fr", "DE": "de", "AT": "de", "IT": "it", "PT": "pt", "BR": "pt"}  # fmt: skip

FILTER_SETS: dict[str, Filters] = {
    "none (tier any)": Filters(tier=None),
    "tier micro": Filters(),
    "micro + GB": Filters(countries=("GB",)),
    "micro + instagram + es + engagement >= 2%": Filters(
        platforms=("instagram",), languages=("es",), min_engagement=0.02
    ),
    "micro + IE + lived experience + authenticity >= 70": Filters(
        countries=("IE",), lived_experience=True, min_authenticity=70.0
    ),
}


def synthetic(n: int, dims: int, topics: int, seed: int) -> tuple[FloatArray, FloatArray, pa.Table, IntArray]:
    """Unit vectors around topic centres, their centres, metadata, and each row's topic."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((topics, dims)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    topic = rng.integers(0, topics, n)
    vectors = np.empty((n, dims), dtype=np.float32)
    for s in range(0, n, 100_000):  # bounded temporaries
        e = min(n, s + 100_000)
        noise = rng.standard_normal((e - s, dims)).astype(np.float32) * (0.9 / np.sqrt(dims))
        vectors[s:e] = centres[topic[s:e]] + noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    country = rng.choice(COUNTRIES, n, p=np.array(COUNTRY_W) / sum(COUNTRY_W))
    followers = np.exp(rng.normal(9.3, 1.3, n)).astype(np.int64)
    unknown = rng.random(n) < 0.05
    authenticity = rng.uniform(20, 100, n)
    meta = pa.table(
        {
            "account_id": [f"a{i}" for i in range(n)],
            "creator_id": [f"c{i}" for i in range(n)],
            "handle": [f"h{i}" for i in range(n)],
            "platform": rng.choice(["instagram", "tiktok", "youtube"], n, p=[0.55, 0.28, 0.17]),
            "country": country,
            "language": [LANG[c] for c in country],
            "followers": pa.array(followers, mask=unknown),
            "engagement": rng.lognormal(np.log(0.03), 0.6, n),
            "lived_share": np.where(rng.random(n) < 0.1, rng.uniform(0.2, 0.6, n), 0.0),
            "posts": rng.integers(10, 200, n),
            "quality": rng.uniform(0, 100, n),
            "authenticity": pa.array(authenticity, mask=rng.random(n) < 0.2),
        }
    )
    return vectors, centres, meta, topic


def synthetic_words(topic: IntArray, per_creator: int, seed: int) -> tuple[IntArray, IntArray, IntArray]:
    """(row, term, count): half of each creator's words from its topic, half Zipf-common words."""
    rng = np.random.default_rng(seed)
    n = len(topic)
    half = per_creator // 2
    rows = np.repeat(np.arange(n, dtype=np.int64), 2 * half)
    own = topic[:, None] * TOPIC_WORDS + rng.integers(0, TOPIC_WORDS, (n, half))
    common = np.minimum(rng.zipf(1.3, (n, half)), VOCABULARY) + 2000 * TOPIC_WORDS
    terms = np.concatenate([own, common], axis=1).ravel().astype(np.int64)
    counts = rng.integers(1, 6, len(terms)).astype(np.int64)
    return rows, terms, counts


def query_words(topic: int, rng: np.random.Generator) -> dict[int, float]:
    """A brief's weighted terms: 20 of its topic's words and 10 common ones."""
    own = topic * TOPIC_WORDS + rng.choice(TOPIC_WORDS, 20, replace=False)
    common = 2000 * TOPIC_WORDS + rng.integers(1, 200, QUERY_TERMS - 20)
    weights = rng.uniform(0.4, 1.0, QUERY_TERMS)
    return {int(t): float(w) for t, w in zip([*own, *common], weights, strict=True)}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile, in milliseconds, rounded."""
    return round(float(np.percentile(values, q)) * 1000, 2)


def build_world(n: int, dims: int, seed: int, per_creator: int) -> tuple[Catalog, dict[str, float]]:
    """The synthetic catalog, built lean: the index is trained on the vectors alone and the
    words are mapped to its row order before they are aggregated (one pass, no re-sort), and
    the catalog's sums share the (unit) vectors' array. Returns it and the build times."""
    t0 = time.perf_counter()
    vectors, _, meta, topic = synthetic(n, dims, topics=2000, seed=seed)
    gen_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = VectorIndex(vectors)
    del vectors
    perm = index.train()
    position = np.empty(n, dtype=np.int64)
    position[perm] = np.arange(n, dtype=np.int64)
    rows, terms, counts = synthetic_words(topic, per_creator, seed)
    postings = lexical.Postings(*lexical.aggregate(position[rows], terms, counts), n_rows=n)
    del rows, terms, counts
    catalog = Catalog(
        conform(meta.take(pa.array(perm))), index.vectors, index, {"model": "synthetic"}, postings
    )
    return catalog, {"generate_s": round(gen_s, 1), "build_s": round(time.perf_counter() - t0, 1)}


def load_world(
    n: int, dims: int, seed: int, per_creator: int, cache: Path | None
) -> tuple[Catalog, dict[str, Any]]:
    """The catalog from ``cache`` when it holds this world, else built (and saved there)."""
    key = {"creators": n, "dims": dims, "seed": seed, "words": per_creator}
    manifest = cache / "manifest.json" if cache is not None else None
    if (
        manifest is not None
        and manifest.exists()
        and json.loads(manifest.read_text("utf-8")).get("bench") == key
    ):
        t0 = time.perf_counter()
        catalog = Catalog.load(manifest.parent)
        return catalog, {"cached": str(cache), "load_s": round(time.perf_counter() - t0, 1)}
    catalog, times = build_world(n, dims, seed, per_creator)
    catalog.manifest["bench"] = key
    with tempfile.TemporaryDirectory() as tmp:
        target = cache or Path(tmp)
        t0 = time.perf_counter()
        catalog.save(target)
        times["save_s"] = round(time.perf_counter() - t0, 1)
        times["index_on_disk_mb"] = round(
            sum(f.stat().st_size for f in target.rglob("*") if f.is_file()) / 2**20, 1
        )
        del catalog
        t0 = time.perf_counter()
        catalog = Catalog.load(target)
        times["load_s"] = round(time.perf_counter() - t0, 1)
    return catalog, times


def query_set(
    n_topics: int, dims: int, queries: int, seed: int, query_seed: int | None = None
) -> tuple[FloatArray, list[dict[int, float]]]:
    """Query vectors near random topic centres of the world of ``seed``, and their words.

    ``query_seed`` (default: ``seed``) draws other queries about the same world.
    """
    centres = np.random.default_rng(seed).standard_normal((n_topics, dims)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)  # the first draw of ``synthetic``
    rng = np.random.default_rng((seed if query_seed is None else query_seed) + 1)
    q_topics = rng.integers(0, len(centres), queries)
    qs = centres[q_topics] + rng.standard_normal((queries, dims)).astype(np.float32) * (0.9 / np.sqrt(dims))
    qs /= np.linalg.norm(qs, axis=1, keepdims=True)
    return qs, [query_words(int(t), rng) for t in q_topics]


def run(
    n: int, dims: int, queries: int, seed: int, per_creator: int, cache: Path | None = None
) -> dict[str, Any]:
    """Build (or load from ``cache``), then query the index; returns every figure."""
    catalog, times = load_world(n, dims, seed, per_creator, cache)
    qs, q_words = query_set(2000, dims, queries, seed)
    out: dict[str, Any] = {}
    for name, filters in FILTER_SETS.items():
        approx_t, exact_t, hybrid_t, words_t, recalls, scanned = [], [], [], [], [], []
        mask = catalog.mask(filters)
        passing = int(mask.sum())
        for q, words in zip(qs, q_words, strict=True):
            t0 = time.perf_counter()
            hits = catalog.search(q, 10, filters)
            approx_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            hybrid(catalog, words, q, CANDIDATES_MIN, catalog.mask(filters))
            hybrid_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            lexical_top(catalog, words, CANDIDATES_MIN, mask)  # the words side alone
            words_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            truth = catalog.search(q, 10, filters, exact=True)
            exact_t.append(time.perf_counter() - t0)
            want = set(truth.rows.tolist())
            recalls.append(len(want & set(hits.rows.tolist())) / max(1, len(want)))
            scanned.append(hits.scanned)
        out[name] = {
            "passing": passing,
            "index_p50_ms": percentile(approx_t, 50),
            "index_p95_ms": percentile(approx_t, 95),
            "exact_p50_ms": percentile(exact_t, 50),
            "exact_p95_ms": percentile(exact_t, 95),
            "hybrid_p50_ms": percentile(hybrid_t, 50),
            "hybrid_p95_ms": percentile(hybrid_t, 95),
            "words_p50_ms": percentile(words_t, 50),
            "words_p95_ms": percentile(words_t, 95),
            "recall_at_10": round(float(np.mean(recalls)), 4),
            "rows_scanned_mean": int(np.mean(scanned)),
        }
    return {
        "creators": n,
        "dims": dims,
        "queries": queries,
        "nlist": catalog.index.nlist,
        "postings": len(catalog.lexical.rows),
        **times,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
        "filters": out,
    }


def words_ab(n: int, queries: int, seed: int, per_creator: int) -> dict[str, Any]:
    """The words side alone, exact against common words read by their heads, interleaved.

    Builds only the postings (no vectors: a fraction of the full run's memory). Per filter set:
    p50/p95 of BM25 top 200 read exactly (every posting) and with heads (``HEAD_POSTINGS``), and
    how many of the exact top 200 the heads' top 200 keep.
    """
    t0 = time.perf_counter()
    _, _, meta, topic = synthetic(n, 8, topics=2000, seed=seed)  # 8 dims: the vectors are unused
    postings = lexical.Postings(*lexical.aggregate(*synthetic_words(topic, per_creator, seed)), n_rows=n)
    build_s = time.perf_counter() - t0
    catalog = Catalog.empty(8, {"model": "synthetic"})
    catalog.meta = meta  # filters only
    catalog._refresh_columns()
    rng = np.random.default_rng(seed + 1)
    q_words = [query_words(int(t), rng) for t in rng.integers(0, 2000, queries)]
    share = lexical.HEAD_SHARE
    out: dict[str, Any] = {}
    for name, filters in FILTER_SETS.items():
        mask = catalog.mask(filters)
        exact_t: list[float] = []
        head_t: list[float] = []
        kept: list[float] = []
        for words in q_words:
            tops = []
            for label, times in (("exact", exact_t), ("heads", head_t)):
                lexical.HEAD_SHARE = float("inf") if label == "exact" else share
                t0 = time.perf_counter()
                hit, scores = postings.scored(words, mask)
                top = hit[np.argsort(-scores, kind="stable")[:CANDIDATES_MIN]]
                times.append(time.perf_counter() - t0)
                tops.append(set(top.tolist()))
            kept.append(len(tops[0] & tops[1]) / max(1, len(tops[0])))
        lexical.HEAD_SHARE = share
        out[name] = {
            "passing": int(mask.sum()),
            "exact_p50_ms": percentile(exact_t, 50),
            "exact_p95_ms": percentile(exact_t, 95),
            "heads_p50_ms": percentile(head_t, 50),
            "heads_p95_ms": percentile(head_t, 95),
            "top200_kept_mean": round(float(np.mean(kept)), 4),
            "top200_kept_min": round(float(np.min(kept)), 4),
        }
    return {
        "creators": n,
        "queries": queries,
        "postings": len(postings.rows),
        "head_postings": lexical.HEAD_POSTINGS,
        "long_words": int((postings.head_of >= 0).sum()),
        "build_s": round(build_s, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "filters": out,
    }


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--creators", type=int, default=1_000_000)
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--words", type=int, default=40, help="distinct words per creator")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--cache", type=Path, help="directory keeping the built world: reused when it holds the same one"
    )
    parser.add_argument(
        "--words-ab", action="store_true", help="only the words side: exact against heads (less memory)"
    )
    args = parser.parse_args()
    if args.words_ab:
        report = words_ab(args.creators, args.queries, args.seed, args.words)
    else:
        report = run(args.creators, args.dims, args.queries, args.seed, args.words, args.cache)
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
