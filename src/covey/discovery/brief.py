"""A planner's brief, read: the topic to match, and the filters its words imply.

"UK creators living with Crohn's or colitis who talk openly about diet" means: the topic
"living with Crohn's or colitis ... diet", country GB, and a hint of lived experience. Places,
platforms and languages named in the brief become filters (the user's own flags win); the
words every brief shares ("creators who talk about") are dropped so they do not pull the
match towards creators in general. Briefs may be written in en, es, fr, de, it or pt.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from covey.errors import InputError

# Place words (accents stripped, lower case) -> ISO 3166-1 alpha-2. Demonyms count as places:
# "Spanish creators" are creators in Spain; "in Spanish" is a language (see _LANGUAGE_PHRASES).
_COUNTRIES: dict[str, tuple[str, ...]] = {
    "GB": ("uk", "u.k.", "britain", "british", "england", "english creators", "scotland", "scottish",
           "wales", "welsh", "united kingdom", "reino unido", "royaume-uni", "royaume uni",
           "grossbritannien", "vereinigten konigreich", "regno unito", "britanico", "britannique",
           "britisch", "britannico"),
    "US": ("us", "u.s.", "usa", "united states", "america", "american", "estados unidos",
           "etats-unis", "usa", "stati uniti", "eua", "estadounidense", "americain", "amerikanisch",
           "americano", "americana"),
    "IE": ("ireland", "irish", "irlanda", "irlande", "irland"),
    "AU": ("australia", "australian", "australie", "australien"),
    "CA": ("canada", "canadian", "canadien", "kanada"),
    "ES": ("spain",
        "spanish", "espana", "espagne", "spanien", "spagna", "espanha", "espanol", "espanola",
           "espanoles", "espagnol", "spanisch", "spagnolo", "espanhol"),
    "MX": ("mexico", "mexican", "mexicano", "mexicana", "mexicanos", "mexique", "mexiko", "messico"),
    "AR": ("argentina", "argentine", "argentinian", "argentino", "argentinien"),
    "FR": ("france",
        "french", "francia", "frankreich", "franca", "french creators", "francais", "francaise",
           "franceses", "francese", "franzosisch"),
    "DE": ("germany",
        "german", "german creators", "alemania", "allemagne", "deutschland", "germania",
           "alemanha", "deutsche", "deutschen", "aleman", "allemand", "tedesco", "alemao"),
    "AT": ("austria", "austrian", "autriche", "osterreich", "osterreichisch"),
    "IT": ("italy",
        "italian",
        "italiens", "italian creators", "italia", "italie", "italien", "italiano", "italiani",
           "italiana", "italienne"),
    "PT": ("portugal",
        "portuguese",
        "portugueses",
        "portuguesas",
        "portuguesa", "portuguese creators", "portugues", "portugais", "portugiesisch", "portoghese"),
    "BR": ("brazil", "brazilian", "brasil", "bresil", "brasilien", "brasile", "brasileiro",
           "brasileira", "brasileiros", "bresilien"),
}  # fmt: skip
_LANGUAGE_PHRASES: dict[str, tuple[str, ...]] = {
    "en": ("in english", "english-speaking", "english speaking", "en ingles", "en anglais", "auf englisch"),
    "es": ("in spanish", "spanish-speaking", "spanish speaking", "en espanol", "hispanohablantes",
           "hispanohablante", "en espagnol", "auf spanisch", "in spagnolo", "em espanhol"),
    "fr": ("in french", "french-speaking", "french speaking", "en frances", "francophone",
           "francophones", "en francais", "auf franzosisch", "in francese", "em frances"),
    "de": ("in german", "german-speaking", "german speaking", "en aleman", "en allemand",
           "germanophone", "auf deutsch", "deutschsprachig", "deutschsprachige", "in tedesco"),
    "it": ("in italian", "italian-speaking", "italian speaking", "en italiano", "en italien",
           "auf italienisch", "in italiano", "em italiano"),
    "pt": ("in portuguese", "portuguese-speaking", "portuguese speaking", "en portugues",
           "lusophone", "auf portugiesisch", "in portoghese", "em portugues"),
}  # fmt: skip
_PLATFORMS: dict[str, tuple[str, ...]] = {
    "instagram": ("instagram", "insta", "reels"),
    "tiktok": ("tiktok", "tik tok"),
    "youtube": ("youtube", "youtuber", "youtubers"),
    "bluesky": ("bluesky",),
    "mastodon": ("mastodon",),
}
_LIVED = re.compile(
    r"\b(living with|lives with|live with|lived experience|diagnosed|first[- ]hand|their own|"
    r"viven con|vive con|viviendo con|experiencia propia|vivent avec|vit avec|vecu|leben mit|lebt mit|"
    r"eigene erfahrung|vivono con|vive con|esperienza diretta|vivem com|vive com|experiencia propria)\b"
)
# Words every brief has that say nothing about the topic.
_BOILERPLATE = re.compile(
    r"\b(micro[- ]?influencers?|influencers?|influenciador[ae]s|influenceu(?:r|se)s|influencer:?innen|"
    r"creators?|content creators?|accounts?|people|profiles?|"
    r"who|whose|that|talk|talks|talking|openly|honestly|post|posts|posting|share|shares|sharing|"
    r"content|based|find|looking for|want|need|brand|campaign|audiences?|followers?|from|in|on|"
    r"creadores|creadoras|cuentas|que|hablan|habla|comparten|publican|sobre|createurs|createurs|"
    r"createrices|qui|parlent|partagent|publient|kreative|creator:innen|die|sprechen|teilen|"
    r"posten|uber|creatori|creatrici|che|parlano|condividono|criadores|criadoras|falam|"
    r"compartilham|partilham|sobre)\b"
)


@dataclass(frozen=True)
class Brief:
    """What a brief asks for: the topic text to embed, and the filters its words imply."""

    text: str
    topic: str
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    lived_experience: bool = False
    notes: tuple[str, ...] = field(default=())


def fold(text: str) -> str:
    """Lower case without accents, as the embedding model's tokenizer sees words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _find(folded: str, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    spans = []
    for p in phrases:
        for m in re.finditer(r"(?<![\w.])" + re.escape(p) + r"(?![\w])", folded):
            spans.append((m.start(), m.end()))
    return spans


def parse_brief(text: str) -> Brief:
    """Read a brief; raises InputError when it is empty or says nothing to match."""
    if not text or not text.strip():
        example = '"UK creators living with Crohn\'s who talk about diet"'
        raise InputError(f"the brief is empty: describe the creators you want, e.g. {example}", field="BRIEF")
    folded = fold(text)
    cut: list[tuple[int, int]] = []
    found: dict[str, list[str]] = {"countries": [], "languages": [], "platforms": []}
    # Languages first: "in Spanish" must not also read as the country Spain.
    for key, table in (
        ("languages", _LANGUAGE_PHRASES),
        ("countries", _COUNTRIES),
        ("platforms", _PLATFORMS),
    ):
        for code, phrases in table.items():
            for span in _find(folded, phrases):
                if any(s <= span[0] < e for s, e in cut):
                    continue
                cut.append(span)
                if code not in found[key]:
                    found[key].append(code)
    # "US" is also the English pronoun: only an upper-case "US" in the original names the country.
    if "US" in found["countries"] and not re.search(r"\b(US|U\.S\.|USA)\b|united states|americ", text):
        found["countries"].remove("US")
    topic = folded
    for s, e in sorted(cut, reverse=True):
        topic = topic[:s] + " " + topic[e:]
    topic = _BOILERPLATE.sub(" ", topic)
    topic = re.sub(r"\s+", " ", topic).strip(" ,.;:-")
    notes = []
    if found["countries"]:
        notes.append(f"country from the brief: {', '.join(found['countries'])}")
    if found["languages"]:
        notes.append(f"language from the brief: {', '.join(found['languages'])}")
    if found["platforms"]:
        notes.append(f"platform from the brief: {', '.join(found['platforms'])}")
    return Brief(
        text=text,
        topic=topic,
        countries=tuple(found["countries"]),
        languages=tuple(found["languages"]),
        platforms=tuple(found["platforms"]),
        lived_experience=bool(_LIVED.search(folded)),
        notes=tuple(notes),
    )
