"""Ideas for discovery quality, each measured once on the real YouTube channels (none shipped).

Runs the same 54 briefs as ``discovery_realdata.py`` over the same channels, with one change at
a time, and prints NDCG@10 per category and per language:

- ``none``: the shipped search (the baseline, to check the harness reproduces the benchmark);
- ``idf``: token weights of the embedding pooling from the indexed corpus itself: every token's
  row is multiplied by its idf over the channels (ln((N + 1) / (df + 1))) divided by the median
  idf of the content tokens, in place of the English word frequencies alone; content words
  stay content words (norm at least 1), the model's stop words are left as they are;
- ``sqrt``: the same with the square root of that ratio (half the change);
- ``affix``: German-style compounds on the words side: every folded word of 9 letters or more
  is also indexed (and queried) as its prefixes and suffixes of 4 letters or more, so
  "Filmtrailer" also counts as "film" and "trailer".

The database is the one ``discovery_realdata.py --workdir DIR`` imported; each idea builds its
own index in ``DIR/idea-<name>``.

    python benchmarks/discovery_ideas.py --workdir /tmp/rd idf sqrt affix none
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path

import discovery_realdata as rd
import numpy as np

from covey.discovery import lexical
from covey.discovery.catalog import Catalog, Filters
from covey.discovery.embedder import CONTENT_NORM, StaticEmbedder, load_embedder
from covey.discovery.indexer import build_index
from covey.discovery.search import discover
from covey.store import DuckDBStore

AFFIX_MIN_WORD, AFFIX_MIN = 9, 4
_plain_words = lexical.words


def affixed_words(text: str) -> list[str]:
    """Folded words, plus the prefixes and suffixes of the long ones."""
    out = _plain_words(text)
    extra = []
    for w in out:
        if len(w) >= AFFIX_MIN_WORD:
            extra += [w[:i] for i in range(AFFIX_MIN, len(w) - AFFIX_MIN + 1)]
            extra += [w[i:] for i in range(AFFIX_MIN, len(w) - AFFIX_MIN + 1)]
    return out + extra


def corpus_weighted(base: StaticEmbedder, docs: list[str], power: float) -> StaticEmbedder:
    """A copy of ``base`` whose content tokens are scaled by (corpus idf / median idf) ** power."""
    vocab = len(base.vectors)
    tokens, counts = base.token_ids(docs)
    owner = np.repeat(np.arange(len(docs)), counts)
    df = np.bincount(np.unique(owner * vocab + tokens) % vocab, minlength=vocab)
    idf = np.log((len(docs) + 1) / (df + 1))
    norms = np.linalg.norm(base.vectors, axis=1)
    content = norms >= CONTENT_NORM
    ratio = (idf / np.median(idf[content & (df > 0)])) ** power
    scale = np.where(content, np.maximum(ratio, 1.0001 * CONTENT_NORM / np.maximum(norms, 1e-6)), 1.0)
    out = copy.copy(base)
    out.vectors = (base.vectors * scale[:, None]).astype(np.float32)
    return out


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("ideas", nargs="+", choices=["none", "idf", "sqrt", "affix"])
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--db", default="yt3-all.duckdb")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    db = args.workdir / args.db
    ids, docs, _ = rd.channel_documents(db)
    labels = rd._labels(rd.DATA, set(ids))
    report = {}
    for idea in args.ideas:
        embedder = load_embedder()
        lexical.words = affixed_words if idea == "affix" else _plain_words
        if idea in ("idf", "sqrt"):
            embedder = corpus_weighted(embedder, docs, 1.0 if idea == "idf" else 0.5)
        directory = args.workdir / f"idea-{idea}"
        with DuckDBStore(db, read_only=True) as store:
            build_index(store, directory, rebuild=True, embedder=embedder)
            catalog = Catalog.load(directory)

            def rank(
                brief: str, catalog: Catalog = catalog, embedder: StaticEmbedder = embedder
            ) -> list[str]:
                found = discover(
                    store,
                    brief,
                    Filters(tier=None),
                    top=50,
                    evidence=False,
                    catalog=catalog,
                    embedder=embedder,
                )
                return [r.account_id for r in found.results]

            run = rd.score(idea, rank, labels, raw_brief=True)
        report[idea] = run
        print(idea, "goal mean NDCG@10", run["mean_ndcg10_goal"], flush=True)
        print("  languages", {k: v["ndcg10"] for k, v in run["per_language"].items()})
        print("  categories", {k: v["ndcg10"] for k, v in run["per_category"].items()})
    lexical.words = _plain_words
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
