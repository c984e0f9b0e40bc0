"""The shipped static embedding model and the brief reader: offline, numpy only, multilingual."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from covey.discovery.brief import parse_brief
from covey.discovery.embedder import MODEL_DIR, StaticEmbedder, highlight, load_embedder
from covey.errors import CoveyError, InputError, MissingDependencyError

TOPICS = {
    "ibd": "living with Crohn's disease and colitis flare-ups",
    "diabetes": "type 1 diabetes, insulin and blood sugar",
    "mental": "anxiety, depression and therapy",
    "beauty": "makeup tutorials and skincare",
    "gaming": "video games and live streams",
    "food": "home cooking recipes",
    "travel": "travel, beaches and flights",
    "finance": "saving money, budgeting and investing",
}
# A caption in another language and the topic it is about.
FOREIGN = [
    ("es", "Otro brote de Crohn esta semana, mi intestino no para", "ibd"),
    ("fr", "Ma glycémie ce matin, j'ai ajusté mon insuline", "diabetes"),
    ("de", "Meine Angst und Depression, heute wieder Therapie", "mental"),
    ("it", "Il mio trucco del giorno: rossetto e ombretto", "beauty"),
    ("pt", "Jogando videogames ao vivo na transmissão de hoje", "gaming"),
    ("es", "Receta casera: cocinar pan en casa", "food"),
    ("fr", "Notre voyage à la plage, vol pas cher", "travel"),
    ("de", "Sparen, Budget und Aktien: meine Geldanlage", "finance"),
]


def test_model_ships_small_and_loads_without_torch() -> None:
    # The model the index embeds posts with; the brief's multilingual words (multilingual.npz,
    # tests/test_discover_multilingual.py) have their own budget.
    size = sum(f.stat().st_size for f in MODEL_DIR.iterdir() if f.is_file() and f.stem != "multilingual")
    assert size < 15 * 2**20
    model = load_embedder()
    assert model.dims == 256 and len(model.vectors) == model.meta["vocabulary"]
    probe = (
        "import sys, covey.discovery.search, covey.discovery.embedder as e; e.load_embedder().embed(['x']);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'transformers')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_embeddings_are_unit_rows_and_empty_text_is_zero() -> None:
    model = load_embedder()
    out = model.embed(["my Crohn's flare", "", "de la que"])
    assert out.shape == (3, 256) and out.dtype == np.float32
    assert np.isclose(np.linalg.norm(out[0]), 1.0)
    assert not out[1].any() and not out[2].any()  # nothing, and stop words only
    assert model.is_meaningful("Crohn") and not model.is_meaningful("the about with")


@pytest.mark.parametrize(("lang", "text", "topic"), FOREIGN)
def test_a_caption_in_another_language_lands_on_its_english_topic(lang: str, text: str, topic: str) -> None:
    model = load_embedder()
    names = list(TOPICS)
    sims = model.embed(list(TOPICS.values())) @ model.embed_one(text)
    assert names[int(np.argmax(sims))] == topic, dict(zip(names, sims.round(3), strict=True))


def test_highlight_marks_the_words_that_match() -> None:
    model = load_embedder()
    text = "Pizza night, and another Crohn's flare kept me home"
    marked = highlight(text, model.word_matches(text, model.embed_one("Crohn's disease")), top=1)
    assert "**Crohn" in marked and marked.count("**") == 2


def test_a_damaged_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CoveyError, match="missing or damaged"):
        StaticEmbedder(tmp_path)


def test_distillation_needs_the_extra() -> None:
    if importlib.util.find_spec("sentence_transformers") is not None:
        pytest.skip("the distill extra is installed here")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        from distill_model import load_teacher
    finally:
        sys.path.pop(0)
    with pytest.raises(MissingDependencyError, match=r'pip install "covey\[distill\]"'):
        load_teacher()


def test_brief_reads_places_languages_platforms_and_lived_experience() -> None:
    b = parse_brief("UK creators living with Crohn's or colitis who talk openly about diet and flare-ups")
    assert b.countries == ("GB",) and b.lived_experience
    assert "crohn" in b.topic and "creators" not in b.topic and "uk" not in b.topic.split()
    b = parse_brief("Creadores en España que hablan de ansiedad")
    assert b.countries == ("ES",) and "ansiedad" in b.topic
    b = parse_brief("creators who post in Spanish on TikTok about travel")
    assert b.languages == ("es",) and b.countries == () and b.platforms == ("tiktok",)
    b = parse_brief("let us know who talks about diabetes")  # "us" the pronoun is no country
    assert b.countries == ()
    assert parse_brief("US moms talking about parenting").countries == ("US",)


def test_empty_brief_is_bad_input() -> None:
    with pytest.raises(InputError, match="empty"):
        parse_brief("  \n ")
