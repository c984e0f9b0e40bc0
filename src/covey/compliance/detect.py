"""Finding things in a caption: labels and where they stand, negations, claims, medicines.

Everything here is regular expressions compiled once (Python ``re``, case-insensitive,
Unicode word boundaries); ``Scan`` holds what one text contains. The checker (``check.py``)
turns a scan into flags according to the rule packs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from covey.compliance import lexicon as lx
from covey.compliance.medicines import prescription_medicines

# Characters visible before the platform's "more" fold. Approximations of what the apps show
# in the feed on a phone (captions are cut after about this many characters); see
# docs/compliance.md. Unknown platforms get the shortest.
FOLD_CHARS: dict[str, int] = {
    "instagram": 125,
    "tiktok": 100,
    "youtube": 100,
    "facebook": 125,
    "linkedin": 140,
    "threads": 500,
    "x": 280,
    "twitter": 280,
    "bluesky": 300,
    "mastodon": 500,
    "unknown": 100,
}
# A label with this many hashtags right before it reads as one more hashtag of a pile
# ("#travel #food #ad"); a label that opens a run of hashtags ("#ad #travel") does not.
PILE_HASHTAGS = 1


def _trie(terms: list[str]) -> str:
    """Terms as one prefix-factored alternation: Python's ``re`` tries alternatives one by
    one, so a trie is many times faster than a flat list on long term lists."""
    root: dict[str, Any] = {}
    for t in terms:
        node = root
        for ch in t:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


def term_pattern(terms: tuple[str, ...] | list[str]) -> str:
    """A regular expression matching any of ``terms`` (lower case) as whole words."""
    words = sorted({t.lower() for t in terms if t})
    bounded = [t for t in words if t[0].isalnum() or t[0] in "#_"]
    free = [t for t in words if t not in bounded]
    parts = []
    if bounded:
        parts.append(r"(?<![\w#@])" + _trie(bounded) + r"(?![\w])")
    if free:
        parts.append(_trie(free) + r"(?![\w])")
    return "|".join(parts) if parts else r"(?!x)x"


@cache
def compiled(terms: tuple[str, ...]) -> re.Pattern[str]:
    """``term_pattern`` compiled (cached per term list); match it on ``lower(text)``."""
    return re.compile(term_pattern(terms))


def lower(text: str) -> str:
    """``text`` in lower case with the same length (so offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _index(table: dict[str, tuple[str, ...]], cls: str) -> dict[str, tuple[str, frozenset[str]]]:
    out: dict[str, tuple[str, set[str]]] = {}
    for lang, terms in table.items():
        for t in terms:
            out.setdefault(t, (cls, set()))[1].add(lang)
    return {t: (c, frozenset(langs)) for t, (c, langs) in out.items()}


# term -> (class, languages); a term in several classes keeps the strongest (ad > affiliate...).
LABEL_TERMS: dict[str, tuple[str, frozenset[str]]] = {
    **_index(lx.WEAK_LABELS, "weak"),
    **_index(lx.GIFT_LABELS, "gift"),
    **_index(lx.AFFILIATE_LABELS, "affiliate"),
    **_index(lx.AD_LABELS, "ad"),
}
_LABELS = re.compile(term_pattern(tuple(LABEL_TERMS)))
_BARE_AD = re.compile(lx.BARE_AD)
_GIFT_PATTERNS = [(re.compile(p), lang) for lang, ps in lx.GIFT_PATTERNS.items() for p in ps]
_THANKS = re.compile(lx.THANKS_PATTERN)
_NEGATIONS = compiled(lx.NEGATIONS)
_PAID_CUES = compiled(lx.PAID_CUES)
_PRODUCT_TALK = compiled(lx.PRODUCT_TALK)
_CLAIMS_ALL = compiled(tuple(t for ts in lx.CLAIMS.values() for t in ts))
# For a caption of unknown language: every claim word except those that mean something else
# in another language ("cura": cures in Spanish, care in Italian and Portuguese).
_CLAIMS_UND = compiled(tuple(t for ts in lx.CLAIMS.values() for t in ts if t != "cura"))
# A caption's own language's claims plus English ones: "cura" cures in Spanish, cares in Italian.
_CLAIMS_BY_LANG = {
    lang: compiled(tuple(lx.CLAIMS[lang]) + (tuple(lx.CLAIMS["en"]) if lang != "en" else ()))
    for lang in lx.CLAIMS
}
_CLAIM_EXCEPTIONS = re.compile(r"cured (ham|meats?|salmon|bacon|sausages?|pork|fish|eggs?)")
_COMMERCIAL_GUARANTEE = re.compile(lx.COMMERCIAL_GUARANTEE)
_STOP_BEFORE = re.compile(lx.STOP_BEFORE_MEDICINE)
_STOP_AFTER = re.compile(lx.STOP_AFTER_MEDICINE)
_PROVEN = re.compile(lx.PROVEN_PATTERN)
_EVIDENCE = re.compile(lx.EVIDENCE_PATTERN)
_DISEASE_CLAIM = re.compile(
    r"(?<![\w])" + _trie(list(lx.DISEASE_VERBS)) + r"(?![\w])"
    r"(?:[^\S\n]+[\w'’-]+){0,4}?[^\S\n]+" + _trie(list(lx.DISEASES)) + r"(?![\w])"
)
_DISCOURAGE = re.compile(r"(?<![\w])(" + lx.DISCOURAGE_PATTERN + r")(?![\w])")
_NEGATORS = frozenset(lx.NEGATORS)
# Every negation phrase contains one of these; every gift pattern one of those.
_NEGATION_KEYS = (
    "not",
    "no ",
    "non",
    "isn't",
    "unpaid",
    "unsponsored",
    "pas ",
    "aucun",
    "kein",
    "unbezahlt",
    "unbeauftragt",
    "nicht",
    "ohne",
    "sin ",
)
_GIFT_KEYS = ("free", "cadeau", "regalo")
_WORDS = re.compile(r"[\w'’]+")
# A cheap first pass: does the text hold anything a health rule could flag?
_HEALTH_ANY = compiled(
    tuple(t for ts in lx.CLAIMS.values() for t in ts)
    + lx.DISEASE_VERBS
    + ("proven", "prouvé", "prouvée", "bewiesen", "erwiesen", "belegt", "probado", "probada", "comprobado",
       "demostrado", "provato", "comprovado", "provado", "stop", "stopped", "quit", "ditch",
       "ditched", "drop", "dropped", "skip", "throw", "got off", "came off", "gave up", "replace",
       "no need for", "abgesetzt", "abandonar", "abandoné",
       "get off", "come off", "give up", "don't need", "do not need", "won't need", "instead of",
       "arrêtez", "arrête", "arrêter", "arrêté", "abandonnez", "oubliez", "plus besoin", "setzt", "setz",
       "setze", "setzen", "absetzen", "kein insulin", "keine medikamente", "deja", "dejé", "dejar",
       "dejad", "abandona", "ya no necesitas", "replaces", "replaced", "replacing", "remplace",
       "remplacent", "remplacer", "remplacé", "remplacés", "ersetzt", "ersetzen", "ersetze",
       "sustituye", "sustituyen", "reemplaza", "reemplazan", "sustituir", "reemplazar", "threw away",
       "abandonné", "jeté", "gestoppt")
)  # fmt: skip


@cache
def _medicines() -> re.Pattern[str]:
    return compiled(prescription_medicines())


@dataclass(frozen=True)
class Label:
    """A disclosure label found in the text."""

    cls: str  # ad | gift | affiliate | weak
    languages: frozenset[str]
    term: str
    start: int
    end: int


@dataclass
class Scan:
    """What one text (title + caption) contains."""

    text: str
    labels: list[Label] = field(default_factory=list)
    negations: list[tuple[int, int]] = field(default_factory=list)

    @property
    def paid_cue(self) -> bool:
        """A discount code, 'affiliate', or testimonial talk next to an @mention."""
        t = self.text
        return _PAID_CUES.search(t) is not None or ("@" in t and _PRODUCT_TALK.search(t) is not None)


def _negated_before(text: str, start: int) -> bool:
    """True when one of the three words before ``start`` negates what follows."""
    before = _WORDS.findall(text[max(0, start - 40) : start])[-3:]
    return any(w in _NEGATORS or w.startswith(("n'", "n’")) for w in before)


def scan_labels(text: str) -> Scan:
    """Disclosure labels (minus those inside a negation), negations and paid cues.

    ``text`` is lower case (``lower``), as for every function here."""
    s = Scan(text)
    # Substring tests (fast, in C) decide which of the rarer patterns need to run at all.
    if any(k in text for k in _NEGATION_KEYS):
        s.negations = [m.span() for m in _NEGATIONS.finditer(text)]

    def denied(a: int, b: int) -> bool:
        return any(a < ne and b > ns for ns, ne in s.negations)

    for m in _LABELS.finditer(text):
        term = m.group(0)
        cls, langs = LABEL_TERMS[term]
        if not denied(*m.span()):
            s.labels.append(Label(cls, langs, term, m.start(), m.end()))
    for m in _BARE_AD.finditer(text) if "ad" in text else ():
        a = m.start() + m.group(0).index("ad")
        if not denied(a, a + 2):
            s.labels.append(Label("ad", frozenset({"en"}), "ad", a, a + 2))
    for rx, lang in _GIFT_PATTERNS if any(k in text for k in _GIFT_KEYS) else ():
        for m in rx.finditer(text):
            if not denied(*m.span()):
                s.labels.append(Label("gift", frozenset({lang}), m.group(0).lower(), m.start(), m.end()))
    for m in _THANKS.finditer(text) if "@" in text else ():
        if not denied(*m.span()):
            s.labels.append(Label("weak", frozenset(), m.group(0).lower(), m.start(), m.end()))
    s.labels.sort(key=lambda lab: lab.start)
    return s


def in_pile(text: str, start: int) -> bool:
    """True when at least PILE_HASHTAGS hashtags stand right before ``start``."""
    tokens = text[:start].split()
    run = 0
    for tok in reversed(tokens):
        if not tok.startswith("#"):
            break
        run += 1
    return run >= PILE_HASHTAGS


def health_possible(text: str) -> bool:
    """Cheap test: False means no claim or discouragement can be in ``text``."""
    return _HEALTH_ANY.search(text) is not None


def claims(text: str, language: str = "und") -> list[tuple[int, int]]:
    """Spans of health claims that are not negated ('not a miracle') and, for 'clinically
    proven', not backed by a reference in the caption. ``language`` picks the claim words
    (all languages when 'und')."""
    out = []
    for m in _CLAIMS_BY_LANG.get(language, _CLAIMS_UND).finditer(text):
        if (
            _CLAIM_EXCEPTIONS.match(text, m.start())
            or _COMMERCIAL_GUARANTEE.match(text, m.start())
            or _negated_before(text, m.start())
        ):
            continue
        out.append(m.span())
    if not _EVIDENCE.search(text):
        out += [m.span() for m in _PROVEN.finditer(text) if not _negated_before(text, m.start())]
    return sorted(out)


def claim_phrases_raw(text: str) -> list[tuple[int, int]]:
    """Every claim phrase, negated or not (so 'no side effects' is never read as risk info)."""
    return [m.span() for m in _CLAIMS_ALL.finditer(text)]


def disease_claims(text: str) -> list[tuple[int, int]]:
    """'cures my anxiety', 'prevent flares of my colitis': a cure verb close before a disease."""
    return [m.span() for m in _DISEASE_CLAIM.finditer(text) if not _negated_before(text, m.start())]


def discouragements(text: str) -> list[tuple[int, int]]:
    """'stop taking your meds', 'arrêtez votre traitement'... unless negated ('never stop')."""
    return [m.span() for m in _DISCOURAGE.finditer(text) if not _negated_before(text, m.start())]


def medicine_mentions(text: str, extra: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """Spans of prescription-only medicines named in ``text`` (plus ``extra`` names)."""
    spans = [m.span() for m in _medicines().finditer(text)]
    if extra:
        spans += [m.span() for m in compiled(tuple(e.lower() for e in extra if e)).finditer(text)]
    return sorted(spans)


def find_terms(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of ``terms`` (whole words) in ``text``."""
    return [m.span() for m in compiled(terms).finditer(text)]


def stopped_medicines(text: str, rx_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans (verb and name) where a named prescription medicine is said to be stopped:
    'ditched my Pentasa', 'dejé la mesalazina', 'Ozempic abgesetzt'. Such a medicine is what
    the post turns people away from, not what it promotes."""
    out = []
    for a, b in rx_spans:
        before = _STOP_BEFORE.search(text[max(0, a - 40) : a])
        if before and not _negated_before(text, max(0, a - 40) + before.start()):
            out.append((max(0, a - 40) + before.start(), b))
            continue
        after = _STOP_AFTER.match(text, b)
        if after and not _negated_before(text, a):
            out.append((a, after.end()))
    return out
