"""A small language detector for captions: counts frequent function words per language.

Good enough to tell English, French, German and Spanish apart (and Italian and Portuguese,
so that they are not mistaken for Spanish) in a sentence or two; hashtags, @mentions and
links are ignored. Returns "und" (undetermined) when no function word is found.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and is are was were to of in on for with my your this that it i you we they have has "
        "be been not but so just at from our me what all new out about get got its it's i'm if "
        "how when can will do don't im am an by these those here there after before now every "
        "more than into over who which would should could"
    ),
    "fr": _words(
        "le la les et est sont un une des du de pour avec mon ma mes ton ta tes ce cette qui que "
        "je tu nous vous pas sur dans au aux ne plus j'ai c'est très mais ou où votre vos son sa "
        "ça été en avec chez sous aussi tout toute tous fait nouveau nouvelle nouveaux cet "
        "ces leur notre nos mais donc car être avoir"
    ),
    "de": _words(
        "der die das und ist sind ein eine einen mit für von zu ich du wir ihr nicht auf im in "
        "dem den des mein meine dein deine bei auch aber wie was habe hat noch nur sich euch "
        "seit ganz wird heute einer einem dieses diese dieser kein keine mehr alle nach oder "
        "über uns eure euer dank sie er es wir sind war"
    ),
    "es": _words(
        "el la los las y es son un una unos unas de del para con mi mis tu tus que en por no "
        "lo le se al pero muy más este esta esto como yo hoy sin nuevo nueva nuevas nuevos"
    ),
    "it": _words(
        "il lo gli e è sono un una di del della per con mio mia che non in questo questa ho "
        "anche molto sempre"
    ),
    "pt": _words(
        "o os as e é são um uma de do da para com meu minha que não em na no isso esta muito "
        "também estou você"
    ),
}
# Letters that occur in one language of the set and not (or rarely) in the others.
LETTERS: dict[str, str] = {
    "ä": "de",
    "ö": "de",
    "ü": "de",
    "ß": "de",
    "ñ": "es",
    "¿": "es",
    "¡": "es",
    "ç": "fr",
    "è": "fr",
    "ê": "fr",
    "œ": "fr",
    "ã": "pt",
    "õ": "pt",
}
_SKIP = re.compile(r"[#@]\S+|https?://\S+")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
LANGUAGES = tuple(STOPWORDS)
# word -> the languages whose function words include it (one dict lookup per word).
_LANGS_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words_of in STOPWORDS.items():
    for _w in _words_of:
        _LANGS_OF[_w] = (*_LANGS_OF.get(_w, ()), _lang)


def detect_language(text: str) -> str:
    """The caption's language code ('en', 'fr', 'de', 'es', 'it', 'pt') or 'und'."""
    counts = dict.fromkeys(LANGUAGES, 0.0)
    low = text.lower()
    for ch, lang in LETTERS.items():
        if ch in low:
            counts[lang] += 0.5
    get = _LANGS_OF.get
    for word in _WORD.findall(_SKIP.sub(" ", low)):
        for lang in get(word, ()):
            counts[lang] += 1
    best = max(LANGUAGES, key=counts.__getitem__)
    return best if counts[best] > 0 else "und"
