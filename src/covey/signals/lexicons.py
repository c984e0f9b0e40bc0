"""Word lists the text signals match, in English, Spanish, French, German, Italian, Portuguese.

Lexicons are data, kept here so a reviewer can read and extend them in one place. Matching
is case-insensitive on whole words; the regular expressions avoid ``\\b`` (ASCII-only in
RE2, Unicode in Java) so DuckDB and Spark split words the same way.
"""

from __future__ import annotations

import re

# A letter or digit in any script; its absence on both sides marks a whole word.
_WORD = r"[\p{L}\p{N}]"


def words_regex(words: tuple[str, ...]) -> str:
    """A regular expression matching any of ``words`` as whole words (lower-case text)."""
    alternatives = "|".join(sorted((re.escape(w.lower()) for w in words), key=len, reverse=True))
    # Escaped spaces and '#' are plain characters to RE2 and Java alike; undo Python's escapes.
    alternatives = alternatives.replace("\\ ", " ").replace("\\#", "#").replace("\\'", "'")
    return rf"(^|[^\p{{L}}\p{{N}}])({alternatives})($|[^\p{{L}}\p{{N}}])"


LETTER_OR_DIGIT = _WORD

# Comments that would fit under any post: praise without content (pods and bots use them).
GENERIC_COMMENTS: tuple[str, ...] = (
    # en
    "nice", "nice pic", "nice post", "great post", "great pic", "love it", "love this", "amazing",
    "awesome", "so cool", "cool", "wow", "beautiful", "gorgeous", "great", "great content",
    "so good", "perfect", "stunning", "lovely", "keep it up", "well done", "fire", "omg",
    "follow me", "check my page", "dm me", "nice feed", "great job", "cute", "love", "yes",
    # es
    "genial", "precioso", "increíble", "que bonito", "me encanta", "hermoso", "buenísimo",
    # fr
    "magnifique", "trop beau", "j'adore", "superbe", "génial", "top", "bravo",
    # de
    "toll", "schön", "wunderschön", "super", "klasse", "mega", "hammer", "geil",
    # it
    "bellissimo", "bellissima", "stupendo", "fantastico", "che bello", "adoro",
    # pt
    "lindo", "linda", "maravilhoso", "incrível", "amei", "show", "top demais",
)  # fmt: skip

PROFANITY: tuple[str, ...] = (
    "fuck", "fucking", "shit", "bitch", "asshole", "bastard", "cunt", "dick", "wtf",
    "mierda", "joder", "puta", "cabrón", "gilipollas",
    "merde", "putain", "connard", "salope",
    "scheiße", "scheisse", "arschloch", "fotze", "wichser",
    "cazzo", "stronzo", "vaffanculo", "merda",
    "porra", "caralho", "foda-se",
)  # fmt: skip

HATE: tuple[str, ...] = (
    "subhuman", "vermin", "go back to your country", "white power", "race traitor",
    "inferior race", "gas them", "kill all", "sieg heil", "untermensch", "raza inferior",
    "sale race", "razza inferiore", "raça inferior",
)  # fmt: skip

SENSITIVE_TOPICS: tuple[str, ...] = (
    "abortion", "gun control", "election fraud", "terrorism", "suicide", "self-harm",
    "anti-vax", "antivax", "conspiracy", "cocaine", "gambling", "casino", "betting",
    "aborto", "suicidio", "terrorismo", "apuestas",
    "avortement", "suicide", "terrorisme", "paris sportifs",
    "abtreibung", "selbstmord", "terror", "glücksspiel", "wetten",
    "suicidio", "scommesse", "aborto", "apostas", "suicídio",
)  # fmt: skip

# FTC Health Products Compliance Guidance 2022: claims that need scientific substantiation.
HEALTH_CLAIMS: tuple[str, ...] = (
    "cures", "cured", "cure", "treats", "prevents", "clinically proven", "no side effects",
    "100% safe", "100 % safe", "guaranteed results", "miracle", "detox", "heals",
    "cura", "curó", "previene", "clínicamente probado", "sin efectos secundarios", "milagro",
    "guérit", "guéri", "prévient", "cliniquement prouvé", "sans effets secondaires", "miracle",
    "heilt", "geheilt", "klinisch bewiesen", "keine nebenwirkungen", "wundermittel",
    "guarisce", "clinicamente provato", "senza effetti collaterali", "miracoloso",
    "cura", "curou", "previne", "clinicamente comprovado", "sem efeitos colaterais", "milagroso",
)  # fmt: skip

# Prescription-only medicines often promoted on social media (ASA / CAP 12.12 cases).
PRESCRIPTION_MEDICINES: tuple[str, ...] = (
    "ozempic", "wegovy", "mounjaro", "zepbound", "semaglutide", "tirzepatide", "saxenda",
    "liraglutide", "botox", "accutane", "isotretinoin", "roaccutane", "adderall", "xanax",
    "humira", "stelara", "entyvio", "remicade", "infliximab", "adalimumab", "finasteride",
    "tretinoin", "minoxidil tablets", "viagra", "sildenafil", "diclegis", "metformin",
    "skyrizi", "risankizumab", "rinvoq", "upadacitinib", "xeljanz", "tofacitinib", "ustekinumab",
    "vedolizumab", "dupixent", "dupilumab", "lexapro", "escitalopram", "sertraline", "zoloft",
    "prozac", "fluoxetine", "wellbutrin", "bupropion", "ritalin", "methylphenidate", "vyvanse",
    "prednisone", "prednisolone", "azathioprine", "methotrexate", "ozempic®",
)  # fmt: skip

# Proper disclosure, when it opens the caption (FTC 16 CFR 255, CAP code, EU equivalents).
DISCLOSURE_STRONG: tuple[str, ...] = (
    "#ad", "ad", "advert", "advertisement", "#advert", "sponsored", "#sponsored", "paid partnership",
    "paid partnership with", "#paidpartnership", "in partnership with",
    "publicidad", "#publicidad", "patrocinado", "#patrocinado", "publicité", "#publicité",
    "sponsorisé", "#sponsorisé", "partenariat rémunéré", "werbung", "#werbung", "anzeige",
    "#anzeige", "bezahlte partnerschaft", "pubblicità", "#pubblicità", "#adv", "sponsorizzato",
    "publicidade", "#publicidade", "#publi", "parceria paga",
)  # fmt: skip

# Not enough on their own (FTC: "#sp", "#collab", "#partner", "thanks @brand").
DISCLOSURE_WEAK: tuple[str, ...] = (
    "#sp", "#spon", "#collab", "#partner", "#ambassador", "#gifted", "gifted", "#thanks",
    "thanks to", "thank you to", "gracias a", "merci à", "danke an", "grazie a", "obrigado a",
    "#colaboracion", "#collaborazione", "#kooperation", "#parceria",
)  # fmt: skip

# "thanks @brand" and its translations: a thank-you to a tagged account is not a disclosure.
THANKS_MENTION = r"(thanks|thank you|gracias|merci|danke|grazie|obrigad[oa])[\s,!]*@"

# Text that signals a material connection: a code, a link, a brand thanked or "gifted".
PAID_SIGNALS: tuple[str, ...] = (
    "use my code", "use code", "discount code", "promo code", "my code", "% off", "link in bio",
    "affiliate", "gifted", "sent me", "partnered with", "thanks to", "thank you to",
    "código", "descuento", "code promo", "réduction", "rabattcode", "gutscheincode",
    "codice sconto", "cupom", "desconto", "link na bio", "enlace en la bio", "lien en bio",
)  # fmt: skip

# Testimonial talk about a product; with an @mention of a brand it marks a material connection
# (FTC: a free product is a material connection too).
PRODUCT_TALK: tuple[str, ...] = (
    "been trying", "been using", "been testing", "loving my new", "my new favourite", "my new favorite",
    "obsessed with", "can't live without", "new favourite from", "new favorite from",
    "estoy probando", "llevo semanas probando", "me encanta lo nuevo de", "mi nuevo favorito",
    "je teste", "je craque pour", "mon nouveau chouchou", "ma nouvelle obsession",
    "ich teste", "ich probiere", "mein neuer liebling", "bin verliebt in",
    "sto provando", "sto usando", "adoro la novità", "il mio nuovo preferito",
    "estou testando", "estou usando", "meu novo favorito", "amando o novo", "amando a novidade",
    "semanas probando", "semanas usando", "la nouveauté de", "ich liebe das neue", "das neue von",
    "la novità di", "a novidade da", "a novidade do", "lo nuevo de",
)  # fmt: skip

# First-person talk of one's own condition or practice: lived experience in health niches.
FIRST_PERSON: tuple[str, ...] = (
    "my crohn's", "my crohns", "my colitis", "my ibd", "my diagnosis", "i was diagnosed",
    "i have crohn's", "i live with", "living with", "my journey", "my condition", "my flare",
    "my diabetes", "my type 1", "my endometriosis", "my chronic", "my illness", "my surgery",
    "mi diagnóstico", "vivo con", "mi enfermedad", "mon diagnostic", "je vis avec", "ma maladie",
    "meine diagnose", "ich lebe mit", "meine krankheit", "la mia diagnosi", "convivo con",
    "la mia malattia", "meu diagnóstico", "eu vivo com", "minha doença",
)  # fmt: skip
