"""The USE-native static model (``distill_use_native.py``) against main as shipped, on real channels.

Main as shipped (session 21): the index and the posts embedded by the MiniLM-distilled model, the
brief read by it plus session 19's multilingual rows (``discovery_fresh_briefs.GATED``: the
benchmark searcher of ``discovery_briefside.py``, which matches ``covey discover`` to the fourth
decimal). The variant: every channel re-indexed with the USE-native model (``--index``), the
brief read by the same model, no brief-side extension (the model directory has no
``multilingual.npz``), the search otherwise as shipped (``discovery_crosslingual.Knobs()``: RRF,
words x 2, Rocchio feedback with the negative centroid, vocabulary neighbours, relevance floor).

Ship rule, fixed by the lead before any run (session 24). Model choices (at most 4 variants) are
made on the tune half of the original briefs (``discovery_realdata.BRIEFS``, TUNE_COUNTRIES) only.
Then ONE variant, run once against main as shipped (same machine, same hour), passes if ALL hold:

1. ``discovery_fresh_briefs.FRESH_BRIEFS`` over every channel: the 95 % paired-bootstrap interval
   (``discovery_crosslingual.paired_bootstrap``: briefs resampled within category, 2,000
   resamples, seed 0) of the goal-mean NDCG@10 change is above zero;
2. English fresh briefs lose at most 0.01 goal-mean NDCG@10, and session 23's 23 English briefs
   (``RESTORED_BRIEFS``, copied from branch ``s23-stopwords``) lose at most 0.01 in their set mean
   NDCG@10 (the mean over the set's 14 categories, every channel);
3. the original briefs' held-out half (HELD_OUT_COUNTRIES) loses at most 0.01 goal-mean NDCG@10;
4. the sample world's discovery eval (``discovery_eval.py``, seeds 11 and 7) stays at NDCG@10 1.000;
5. embedding throughput stays >= 50x MiniLM's and the model directory <= 40 MB.

    python benchmarks/discovery_use_native.py --workdir W --model M --index      # W: a copy of the database
    python benchmarks/discovery_use_native.py --workdir W --model M --briefs original --halves tune --out N.json
    python benchmarks/discovery_use_native.py --workdir MAINW --main-model EXT --briefs original --halves tune --out B.json
    python benchmarks/discovery_use_native.py --compare B.json N.json
    python benchmarks/discovery_use_native.py --workdir W --model M --speed         # condition 5

MAINW holds ``discovery_realdata.py``'s database and index (shipped model), EXT the extended model
as covey loads it (``discovery_brief_reading.py --write-model EXT``).

Result (session 24, run once at 86cd3fe; docs/discovery.md "Session 24"): fails conditions 1
(fresh, every channel 0.411 -> 0.408, interval -0.042 to +0.036), 3 (held out 0.611 -> 0.567)
and 4 (0.9997 and 0.9975); 2 holds (English fresh 0.441 -> 0.448, session 23's set 0.303 ->
0.303) and 5 holds (about 230x MiniLM's throughput, 21.7 MB). Not shipped.
"""

# ruff: noqa: E501
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import discovery_briefside as bs
import discovery_crosslingual as cl
import discovery_fresh_briefs as fresh
import discovery_realdata as rd
import discovery_tune as dt
import numpy as np

from covey.discovery.catalog import Catalog
from covey.discovery.embedder import StaticEmbedder
from covey.discovery.indexer import build_index
from covey.discovery.lexical import QueryTerms
from covey.store import DuckDBStore

# category -> {brief id: brief}; session 23's English briefs (branch s23-stopwords,
# benchmarks/discovery_restored_words.py), written from the category names before any run.
RESTORED_BRIEFS: dict[str, dict[str, str]] = {
    "Science & Technology": {
        "en-1": "Tech creators who review AI tools, apps and gadgets",
        "en-2": "Channels that explain AI, robots and new science discoveries in plain words",
    },
    "Howto & Style": {
        "en-1": "Plus-size fashion creators sharing outfits, try-on hauls and styling tips",
        "en-2": "Coffee and home how-to creators teaching pour-over brewing, recipes and DIY fixes",
    },
    "Education": {"en-1": "Educational channels about war history, ancient empires and how the world works"},
    "News & Politics": {"en-1": "Commentators covering the war, elections and world politics every day"},
    "Film & Animation": {
        "en-1": "Movie reviewers who break down war films, thrillers and animated features",
        "en-2": "Film fans reacting to AI-generated short films, trailers and cartoons",
    },
    "Gaming": {
        "en-1": "Gamers playing war shooters and survival games where you die and respawn",
        "en-2": "Streamers testing AI companions, mods and new open-world games",
    },
    "Comedy": {
        "en-1": "Comedians doing one-man shows, stand-up and sketches about dating and AI",
        "en-2": "Funny creators making pranks and parodies about con artists and scams",
    },
    "Sports": {
        "en-1": "Football channels with match highlights, hat tricks and goals",
        "en-2": "Golf and sports creators sharing par saves, pro tips and tournament recaps",
    },
    "Music": {
        "en-1": "Singers and songwriters with songs about love, sin and heartbreak",
        "en-2": "Producers who make beats with AI tools and share new music videos",
    },
    "Entertainment": {
        "en-1": "Pop culture creators covering Comic-Con, superhero movies and celebrity news",
        "en-2": "Channels reacting to AI videos, viral trends and reality TV",
    },
    "People & Blogs": {
        "en-1": "Vloggers sharing daily life as a family man: kids, home and weekend routines",
        "en-2": "Everyday vlogs of home life: den makeovers, cooking, cleaning, plus family outings",
    },
    "Pets & Animals": {
        "en-1": "Pet creators caring for dogs, cats and rabbits: fur grooming, hay and vet tips"
    },
    "Autos & Vehicles": {
        "en-1": "Car enthusiasts doing test drives, die-cast model collections and garage builds"
    },
    "Travel & Events": {"en-1": "Travel vloggers sharing city guides plus budget tips for weekend trips"},
}
BRIEF_SETS = {"original": rd.BRIEFS, "fresh": fresh.FRESH_BRIEFS, "restored": RESTORED_BRIEFS}
LANGUAGES = ("en", "es", "fr", "de", "pt", "it")


class NativeSearcher(cl.Searcher):
    """The search as shipped, with every brief and channel read by the model in ``model``."""

    def __init__(self, catalog: Catalog, db: Path, model: Path) -> None:
        super().__init__(catalog, db)
        self.embedder = StaticEmbedder(model)
        if self.embedder.dims != self.base.shape[1]:
            raise SystemExit(f"{model}: not the model the index in {db.parent} was built with")
        self.terms = QueryTerms(self.embedder)


def reindex(db: Path, model: Path) -> dict[str, Any]:
    """Rebuild the discovery index of ``db`` (beside it) with the model in ``model``."""
    with DuckDBStore(db) as store:
        report = build_index(store, rebuild=True, embedder=StaticEmbedder(model))
    return {"accounts": report.accounts, "posts": report.new_posts, "seconds": round(report.seconds, 1)}


def run_arm(args: argparse.Namespace) -> dict[str, Any]:
    """One arm (main as shipped with ``--main-model``, or the model of ``--model``) on one brief
    set, over ``--halves``: ``{half: discovery_realdata.score's report}``."""
    rd.BRIEFS = BRIEF_SETS[args.briefs]  # rd.score reads the module's BRIEFS when it scores
    db = args.workdir / args.db
    catalog, labels, countries = dt.load_split(db)
    if args.main_model is not None:
        searcher: cl.Searcher = bs.Searcher(catalog, db, args.main_model)
        knobs: Any = bs.VARIANTS[fresh.GATED]
    else:
        searcher, knobs = NativeSearcher(catalog, db, args.model), cl.Knobs()
    out: dict[str, Any] = {"arm": "main" if args.main_model else str(args.model), "briefs": args.briefs}
    for half in args.halves.split(","):
        started = time.perf_counter()
        out[half] = dt.evaluate(searcher, knobs, labels, countries, dt.HALVES[half])
        print(f"{half:9s} {figures(out[half])} ({time.perf_counter() - started:.0f} s)", flush=True)
    return out


def set_mean(report: dict[str, Any]) -> float:
    """Mean NDCG@10 over every category of the set (session 23's figure for its 14 categories)."""
    return round(float(np.mean([v["ndcg10"] for v in report["per_category"].values()])), 4)


def figures(r: dict[str, Any]) -> str:
    """One line: goal mean, set mean, R@50, per language."""
    langs = " ".join(f"{lang} {v['ndcg10']:.3f}" for lang, v in r["per_language"].items())
    return (
        f"goal {r['mean_ndcg10_goal']:.4f} set {set_mean(r):.4f} R@50 {r['mean_recall50_goal']:.4f} | {langs}"
    )


def compare(base_path: Path, new_path: Path) -> dict[str, Any]:
    """The rule's figures of the arm in ``new_path`` against the one in ``base_path``."""
    base, new = (json.loads(p.read_text(encoding="utf-8")) for p in (base_path, new_path))
    out: dict[str, Any] = {}
    for half in [h for h in new if h in dt.HALVES and h in base]:
        a, b = base[half], new[half]
        every = {"goal_categories": list(a["per_category"])}
        row: dict[str, Any] = {
            "goal": [a["mean_ndcg10_goal"], b["mean_ndcg10_goal"]],
            "goal_ci95": cl.paired_bootstrap(a, b),
            "set": [set_mean(a), set_mean(b)],
            "set_ci95": cl.paired_bootstrap({**a, **every}, {**b, **every}),
            "recall50": [a["mean_recall50_goal"], b["mean_recall50_goal"]],
            "per_language": {
                lang: [a["per_language"][lang]["ndcg10"], b["per_language"][lang]["ndcg10"]]
                for lang in a["per_language"]
            },
            "per_category": {
                c: [a["per_category"][c]["ndcg10"], b["per_category"][c]["ndcg10"]] for c in a["per_category"]
            },
        }
        out[half] = row
        print(f"{new['briefs']} | {half}")
        print(
            f"  goal mean {row['goal'][0]:.4f} -> {row['goal'][1]:.4f} {row['goal_ci95']}  set mean {row['set'][0]:.4f} -> {row['set'][1]:.4f} {row['set_ci95']}  R@50 {row['recall50'][0]:.4f} -> {row['recall50'][1]:.4f}"
        )
        print("  " + "  ".join(f"{lang} {x:.3f} -> {y:.3f}" for lang, (x, y) in row["per_language"].items()))
        print("  " + "  ".join(f"{c[:13]} {x:.3f} -> {y:.3f}" for c, (x, y) in row["per_category"].items()))
    return out


def speeds(db: Path, model: Path, posts: int = 2000, rounds: int = 3) -> dict[str, Any]:
    """Posts per CPU second of what ``covey index`` does per post (embed it, count its words),
    the shipped model and ``model`` interleaved over the same real videos, ``rounds`` times each.
    CPU time of this process: on a shared machine the wall clock measures the neighbours too."""
    from covey.discovery.embedder import MODEL_DIR
    from covey.discovery.lexical import count_terms

    _, _, per_video = rd.channel_documents(db)
    texts = [t for v in per_video for t in v][:posts]
    models = {"shipped": StaticEmbedder(MODEL_DIR), "native": StaticEmbedder(model)}
    out: dict[str, list[float]] = {name: [] for name in models}
    for _ in range(rounds):
        for name, embedder in models.items():
            started = time.process_time()
            embedder.embed(texts)
            count_terms(list(range(len(texts))), texts)
            out[name].append(round(len(texts) / (time.process_time() - started), 1))
    print(out)
    return {"posts": len(texts), **out}


def main() -> None:
    """Command line: ``--index``, one arm on one brief set, or ``--compare``."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--db", default="yt3-all.duckdb")
    parser.add_argument("--model", type=Path, help="the USE-native model's directory")
    parser.add_argument(
        "--main-model", type=Path, help="main as shipped: the extended model as covey loads it"
    )
    parser.add_argument("--index", action="store_true", help="re-index --workdir's database with --model")
    parser.add_argument("--briefs", choices=tuple(BRIEF_SETS), default="original")
    parser.add_argument("--halves", default="tune")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--speed", action="store_true", help="posts per CPU second, shipped and --model")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BASE", "NEW"))
    args = parser.parse_args()
    if args.compare:
        report = compare(*args.compare)
    elif args.speed:
        report = speeds(args.workdir / args.db, args.model)
    elif args.index:
        report = reindex(args.workdir / args.db, args.model)
        print(report)
    else:
        report = run_arm(args)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
