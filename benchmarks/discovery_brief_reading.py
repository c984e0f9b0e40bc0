"""How the shipped search reads one language's briefs, word by word (session 22, diagnosis only).

For each brief of ``--briefs`` (``fresh``: ``discovery_fresh_briefs.FRESH_BRIEFS``; ``original``:
``discovery_realdata.BRIEFS``) in ``--lang``: each word as the shipped tokenizer reads it and as
the extended one does (``*`` marks an added multilingual row, with its length), whether the brief
opens the gate (a word read whole as one added row), the words side's vocabulary neighbours and
NDCG@10 over every channel for the search before session 21 (``BASE``), as shipped (``GATED``) and
with the brief embedded as shipped but the shipped vocabulary's neighbours, and each top 10. ``--shipped-words W1,W2`` re-scores ``GATED`` with those words of the
brief read by the shipped model's pieces (an ablation: which word's new reading moves the brief).

Nothing here is tuned or chosen: it explains figures, it does not pick a variant.

    python benchmarks/discovery_brief_reading.py --workdir WORKDIR --model M --briefs fresh --lang fr \\
        [--category "Film & Animation" --shipped-words annonces]

WORKDIR as for ``discovery_fresh_briefs.py``; M the extended model as ``covey`` loads it (the
shipped model and ``model/multilingual.npz``), written out by::

    python benchmarks/discovery_brief_reading.py --write-model M

Result (session 22, docs/discovery.md "Session 22: why French fresh briefs lose"): no slip in
how French text is read (accents, case, apostrophes, elisions); the French fresh loss is Film &
Animation (0.496 -> 0.214: ``annonces`` read as the added row *annonce*, back to 0.499 with it
read by the shipped pieces) and Music (0.848 -> 0.760: ``sortent`` read as the added stem
*sorte*, luck; the extended neighbours).
"""

# ruff: noqa: E501
from __future__ import annotations

import argparse
import json
from pathlib import Path

import discovery_briefside as bs
import discovery_fresh_briefs as fbr
import discovery_realdata as rd
import discovery_tune as dt
import numpy as np

from covey.discovery.brief import parse_brief
from covey.discovery.embedder import load_embedder
from covey.discovery.lexical import words
from covey.discovery.multilingual import load_extended
from covey.store import DuckDBStore


def pieces_by_word(tokenizer: object, topic: str) -> dict[int | None, list[tuple[str, int]]]:
    """(token, id) of each word of ``topic``, by word index."""
    enc = tokenizer.encode(topic, add_special_tokens=False)  # type: ignore[attr-defined]
    out: dict[int | None, list[tuple[str, int]]] = {}
    for tok, i, w in zip(enc.tokens, enc.ids, enc.word_ids, strict=True):
        out.setdefault(w, []).append((tok, i))
    return out


def reading(s: bs.Searcher, topic: str) -> str:
    """Each content-bearing word: shipped pieces -> extended pieces (added rows starred)."""
    ship, ext = pieces_by_word(s.embedder._tokenizer, topic), pieces_by_word(s.ext._tokenizer, topic)
    cells = []
    for w, p in ship.items():
        e = ext.get(w, [])
        if [t for t, _ in p] == [t for t, _ in e] and all(i < s.base_rows for _, i in e):
            continue  # read alike by both models
        shown = " ".join(
            t + (f"*{np.linalg.norm(s.ext.vectors[i]):.1f}" if i >= s.base_rows else "") for t, i in e
        )
        cells.append(f"{' '.join(t for t, _ in p)} -> {shown}")
    return "; ".join(cells)


def with_shipped_words(s: bs.Searcher, keep: set[str]) -> None:
    """Make ``s`` read the words in ``keep`` (folded) by the shipped model's pieces."""

    def brief_vector(topic: str, k: bs.Knobs) -> np.ndarray:
        ship, ext = pieces_by_word(s.embedder._tokenizer, topic), pieces_by_word(s.ext._tokenizer, topic)
        ids: list[int] = []
        for w, p in ship.items():
            whole = "".join(t.removeprefix("##") for t, _ in p)
            ids.extend(i for _, i in (p if whole in keep else ext.get(w, p)))
        v = s.ext.vectors[np.asarray(ids)].astype(np.float64).sum(axis=0)
        return (v / np.linalg.norm(v)).astype(np.float32)

    s.brief_vector = brief_vector  # type: ignore[method-assign]


def write_model(out: Path) -> None:
    """Write the shipped model plus its multilingual rows as one model directory (``out``)."""
    base = load_embedder()
    ext = load_extended(base)
    if ext is None:
        raise SystemExit(f"{base.model_dir}: no multilingual words beside the model")
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "model.npz", vectors=ext.vectors.astype(np.float16))
    (out / "tokenizer.json").write_text(ext._tokenizer.to_str(), encoding="utf-8")
    (out / "model.json").write_text(json.dumps(ext.meta, indent=2) + "\n", encoding="utf-8")
    print(f"{out}: {len(ext.vectors)} rows ({len(base.vectors)} shipped)")


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write-model", type=Path, help="only write the extended model here")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--db", default="yt3-all.duckdb")
    parser.add_argument("--model", type=Path, help="the extended model's directory")
    parser.add_argument("--briefs", choices=("fresh", "original"), default="fresh")
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--category", help="one category only")
    parser.add_argument("--shipped-words", default="", help="comma-separated folded words (ablation)")
    args = parser.parse_args()
    if args.write_model:
        write_model(args.write_model)
        return
    if args.workdir is None or args.model is None:
        parser.error("--workdir and --model are needed (or --write-model)")
    db = args.workdir / args.db
    catalog, labels, countries = dt.load_split(db)
    s = bs.Searcher(catalog, db, args.model)
    with DuckDBStore(db, read_only=True) as store:
        names = dict(store.query("SELECT account_id, display_name FROM accounts"))
    everyone = np.ones(len(catalog.account_ids), dtype=bool)
    briefs = fbr.FRESH_BRIEFS if args.briefs == "fresh" else rd.BRIEFS
    keep = {w for w in args.shipped_words.split(",") if w}
    for cat, per in briefs.items():
        if args.category and cat != args.category:
            continue
        brief = per[args.lang]
        topic = parse_brief(brief).topic
        relevant = sum(1 for c in labels.values() if c == cat)
        print(f"== {cat} | {brief}\n   topic: {topic}\n   reading: {reading(s, topic)}")
        print(f"   gate open: {s.has_added_word(topic)}")
        runs = [
            ("base", bs.VARIANTS[fbr.BASE]),
            ("gated", bs.VARIANTS[fbr.GATED]),
            ("extended brief, shipped neighbours", bs.VARIANTS["brief: extended model"]),
        ]
        for name, k in runs:
            query = s.query_vector(topic, k)
            ext = k.ext_neighbours and s.has_added_word(topic)
            terms = s.ext_terms if ext else s.ship_terms
            near = ", ".join(f"{w} {v:.2f}" for w, v in terms.neighbours(query))
            top = s.rank(brief, k, everyone)[:10]
            ndcg = rd.ndcg_at([labels.get(a) == cat for a in top], relevant)
            print(
                f"   {name}: NDCG@10 {ndcg:.3f}; content words {[w for w in words(topic) if terms.content(w)]}"
            )
            print(f"     neighbours: {near or '-'}")
            for a in top:
                mark = "+" if labels.get(a) == cat else " "
                print(
                    f"     {mark} {labels.get(a, '?')[:16]:16s} {countries.get(a, '?')} {names.get(a, '')[:40]}"
                )
        if keep:
            with_shipped_words(s, keep)
            top = s.rank(brief, bs.VARIANTS[fbr.GATED], everyone)[:10]
            ndcg = rd.ndcg_at([labels.get(a) == cat for a in top], relevant)
            print(f"   gated, {sorted(keep)} read by the shipped pieces: NDCG@10 {ndcg:.3f}")
            del s.brief_vector  # back to the class's method


if __name__ == "__main__":
    main()
