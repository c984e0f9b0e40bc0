"""The words the compliance checker looks for, by language: labels, negations, claims, cues.

Terms are lower-case and matched as whole words (``detect.term_pattern``). Each label term
carries the language it belongs to, so a German post labelled "#ad" can be told apart from
one labelled "Werbung". Patterns (regular expressions) are used where a phrase has a gap
("sent me ... for free", "thanks @brand") and are written so that RE2 (DuckDB) and Python
read them alike: no look-around, no ``\\b``.
"""

from __future__ import annotations

# Label classes: "ad" says advertising; "gift" says a free product; "affiliate" says a commission;
# "weak" are the labels regulators call unclear (#sp, #collab, "thanks @brand", "in association with").
AD_LABELS: dict[str, tuple[str, ...]] = {
    "en": (
        "#ad",
        "#ads",
        "advert",
        "#advert",
        "advertisement",
        "#advertisement",
        "#advertising",
        "sponsored",
        "#sponsored",
        "sponsored by",
        "paid partnership",
        "#paidpartnership",
        "paid ad",
        "#paidad",
        "paid promotion",
        "#paidpromotion",
        "paid post",
        "for sponsoring",
        "sponsoring this",
        "#sponsoredpost",
        "#sponsoredcontent",
    ),
    "fr": (
        "publicité",
        "#publicité",
        "#publicite",
        "collaboration commerciale",
        "#collaborationcommerciale",
        "sponsorisé",
        "sponsorisée",
        "#sponsorisé",
        "#sponsorise",
        "partenariat rémunéré",
        "#partenariatrémunéré",
        "#pub",
    ),
    "de": (
        "werbung",
        "#werbung",
        "anzeige",
        "#anzeige",
        "bezahlte partnerschaft",
        "gesponsert",
        "#gesponsert",
    ),
    "es": (
        "publicidad",
        "#publicidad",
        "publi",
        "#publi",
        "patrocinado",
        "patrocinada",
        "#patrocinado",
        "patrocinado por",
        "colaboración pagada",
        "colaboración remunerada",
        "#colaboracionpagada",
        "#anuncio",
    ),
    "it": ("#adv", "pubblicità", "#pubblicità", "sponsorizzato", "#sponsorizzato"),
    "pt": (
        "publicidade",
        "#publicidade",
        "#publi",
        "publi",
        "parceria paga",
        "#parceriapaga",
        "patrocinado por",
    ),
}
# Terms that count only in captions of their own language ("publi" is Spanish and Portuguese).
OWN_LANGUAGE_ONLY = frozenset({"#pub", "publi"})
# The bare word "ad" counts only where it stands as a label: not inside a word, and followed by
# punctuation, a symbol or the end rather than by more words ("Ad |", "AD:", "(ad)", "✨Ad✨",
# "This is an ad."), so "an ad for shoes", "ad-free" and "ADHD" are not labels.
BARE_AD = r"(^|[^\w#@])ad\s*([^\w\s-]|-\s|$)"
# The same for RE2 and Java, whose \w is ASCII only.
BARE_AD_RE2 = r"(^|[^\p{L}\p{N}_#@])ad\s*([^\p{L}\p{N}_\s-]|-\s|$)"

GIFT_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("gifted", "#gifted", "gifted by", "#giftedby", "pr product", "pr package", "#prproduct",
           "free product", "#freeproduct", "for free", "complimentary", "c/o", "courtesy of"),
    "fr": ("offert par", "produit offert", "produits offerts", "#offert", "#cadeau"),
    "de": ("geschenkt von", "#geschenkt", "pr-sample", "pr sample", "zur verfügung gestellt"),
    "es": ("regalado por", "producto regalado", "me lo regaló", "#regalo"),
}  # fmt: skip
GIFT_PATTERNS: dict[str, tuple[str, ...]] = {
    "en": (r"(for|got|sent me|sent us) (the |these |this |a |some |their |my )?free",),
    "fr": (r"cadeau de @",),
    "es": (r"regalo de @",),
}
AFFILIATE_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("affiliate link", "affiliate links", "#affiliate", "#affiliatelink", "earn a commission",
           "earn a small commission", "i earn commission", "commissionable links"),
    "fr": ("lien affilié", "liens affiliés", "lien d'affiliation", "liens d'affiliation", "#affiliation"),
    "de": ("affiliate-link", "affiliate-links", "*affiliate-link", "werbelink", "werbelinks",
           "erhalte ich eine provision"),
    "es": ("enlace de afiliado", "enlaces de afiliado", "enlaces afiliados", "gano una comisión"),
}  # fmt: skip
WEAK_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("#sp", "#spon", "#sponsor", "#collab", "#partner", "#partnership", "#brandpartner",
           "#ambassador", "#brandambassador", "brand ambassador",
           "ambassador for", "thanks to", "thank you to", "in association with", "supported by",
           "in collaboration with", "in partnership with", "#thanks"),
    "fr": ("en partenariat avec", "partenariat", "#partenariat", "en collaboration avec",
           "#collaboration", "merci à"),
    "de": ("in kooperation mit", "kooperation", "#kooperation", "danke an", "in zusammenarbeit mit",
           "unterstützt von"),
    "es": ("en colaboración con", "#colaboracion", "#colaboración", "#colab", "gracias a",
           "embajador de", "embajadora de", "#embajador", "#embajadora"),
}  # fmt: skip
# "thanks @brand" and its translations: a thank-you to a tagged account is not a disclosure.
THANKS_PATTERN = r"(thanks|thank you|gracias|merci|danke|grazie|obrigad[oa])( a| à| an| to)?[\s,!]*@"

# Phrases that deny a connection; a label inside one is no label ("not sponsored").
NEGATIONS: tuple[str, ...] = (
    "not sponsored", "not an ad", "not an advert", "not a paid", "no ad", "isn't an ad",
    "isn't sponsored", "#notsponsored", "#notanad", "#nonsponsored", "non-sponsored", "unsponsored",
    "not paid", "unpaid", "not a collab",
    "pas de pub", "pas une pub", "pas sponsorisé", "non sponsorisé", "pas de publicité",
    "pas une publicité", "aucun partenariat", "pas de partenariat", "non rémunéré", "pas rémunéré",
    "keine werbung", "unbezahlte werbung", "unbeauftragte werbung", "keine kooperation",
    "nicht gesponsert", "unbezahlt", "keine anzeige", "ohne kooperation",
    "no es publicidad", "no es publi", "no patrocinado", "sin patrocinio", "sin publicidad",
    "no pagado", "no es una colaboración",
)  # fmt: skip

# Signs of a material connection in a post whose status is unknown (imported posts).
PAID_CUES: tuple[str, ...] = (
    "use my code", "use code", "discount code", "promo code", "my code", "% off", "affiliate",
    "code promo", "réduction", "rabattcode", "gutscheincode", "código", "cupón", "codice sconto",
    "cupom",
)  # fmt: skip
# Testimonial talk: with an @mention of a brand it marks a material connection.
PRODUCT_TALK: tuple[str, ...] = (
    "been trying", "been using", "been testing", "loving my new", "my new favourite", "my new favorite",
    "obsessed with", "new favourite from", "new favorite from", "partnered with", "sent me",
    "estoy probando", "semanas probando", "me encanta lo nuevo de", "mi nuevo favorito",
    "je teste", "je craque pour", "la nouveauté de", "mon nouveau chouchou",
    "ich teste", "ich probiere", "ich liebe das neue", "das neue von", "mein neuer liebling",
    "sto provando", "adoro la novità", "la novità di", "estou testando", "amando a novidade",
    "a novidade da", "a novidade do", "lo nuevo de",
)  # fmt: skip

# Claims that need competent and reliable scientific evidence (or cannot be true at all).
# Plain terms; the negation check (NEGATORS before them) spares "not a miracle", "no cure".
CLAIMS: dict[str, tuple[str, ...]] = {
    "en": ("cures", "cured", "cure for", "heals", "healed my", "heal your", "miracle", "miraculous",
           "guaranteed", "side-effect free", "side effect free",
           "100% safe", "100 % safe", "completely safe", "totally safe", "no side effects",
           "zero side effects", "without side effects", "free of side effects"),
    "fr": ("guérit", "guéri", "guérir", "guérie", "miracle", "miraculeux", "miraculeuse", "garanti",
           "garantis", "garantie", "garanties", "100% sûr", "100 % sûr", "sans effet secondaire",
           "sans effets secondaires", "aucun effet secondaire", "sans aucun effet secondaire"),
    "de": ("heilt", "geheilt", "wundermittel", "wunderheilung", "garantiert", "100% sicher",
           "100 % sicher", "keine nebenwirkungen", "ohne nebenwirkungen"),
    "es": ("cura", "curó", "curado", "milagro", "milagroso", "milagrosa", "garantizado",
           "garantizados", "garantizada", "100% seguro", "100% segura", "100 % seguro",
           "sin efectos secundarios", "cero efectos secundarios"),
    # Italian and Portuguese, so that creators writing in them are not blind spots.
    "it": ("guarisce", "miracolo", "miracoloso", "miracolosa", "garantito", "garantiti", "100% sicuro",
           "nessun effetto collaterale", "senza effetti collaterali"),
    "pt": ("curou", "milagre", "milagroso", "milagrosa", "garantido", "garantidos", "100% seguro",
           "sem efeitos colaterais", "nenhum efeito colateral"),
}  # fmt: skip
# "Clinically proven": a claim unless the caption points to its evidence.
PROVEN_PATTERN = (
    r"(clinically|scientifically|medically) (proven|tested and proven)|"
    r"(cliniquement|scientifiquement|médicalement) (prouvé|prouvée|prouvés|démontré|démontrée)|"
    r"(klinisch|wissenschaftlich|medizinisch) (bewiesen|erwiesen|belegt)|"
    r"(clínicamente|científicamente) (probado|probada|comprobado|comprobada|demostrado|demostrada)|"
    r"clinicamente (provato|provata|dimostrato|dimostrata|comprovado|comprovada|provado|provada)|"
    r"(comprovado|comprovada|provado|provada) clinicamente"
)
EVIDENCE_PATTERN = r"doi[:.]|pubmed|nct[0-9]{5}|clinicaltrials|study|studie|étude|estudio|trial|essai|ensayo"

# Words that, shortly before a claim or an instruction, negate it ("no cure", "never stop").
NEGATORS: tuple[str, ...] = (
    "no", "not", "never", "isn't", "doesn't", "don't", "won't", "cannot", "can't", "nor",
    "pas", "ne", "n'", "jamais", "ni", "kein", "keine", "keinen", "nicht", "nie", "niemals",
    "nunca", "tampoco",
)  # fmt: skip

# Verbs of cure/treatment/prevention and the diseases they must not be claimed against.
DISEASE_VERBS: tuple[str, ...] = (
    "cure", "cures", "cured", "heal", "heals", "healed", "treat", "treats", "prevent", "prevents",
    "reverse", "reverses", "reversed", "fight", "fights",
    "guérit", "guérir", "soigne", "soigné", "soigner", "prévient", "traite", "combat",
    "heilt", "heilen", "lindert", "lindern", "verhindert", "bekämpft",
    "cura", "curó", "curar", "trata", "previene", "alivia", "combate",
)  # fmt: skip
DISEASES: tuple[str, ...] = (
    "anxiety", "depression", "diabetes", "colitis", "crohn's", "crohns", "crohn", "ibd", "ibs",
    "arthritis", "cancer", "eczema", "psoriasis", "acne", "migraine", "migraines", "asthma",
    "insomnia", "adhd", "covid", "flu", "infection", "infections", "hypertension", "cholesterol",
    "alzheimer's", "dementia", "endometriosis", "pcos", "disease", "flares", "symptoms",
    "symptômes", "beschwerden", "síntomas", "sintomi", "sintomas",
    "anxiété", "dépression", "diabète", "rectocolite", "crohn", "arthrite", "eczéma", "migraine",
    "maladie", "cancer", "insomnie", "asthme",
    "angststörung", "depressionen", "krebs", "neurodermitis", "schübe", "colitis-schübe",
    "krankheit", "migräne", "schlaflosigkeit",
    "ansiedad", "depresión", "artritis", "cáncer", "eccema", "migraña", "insomnio", "enfermedad",
)  # fmt: skip

# Telling people to stop, skip or replace treatment (CAP 12.2; loi 2023-451 "abstention").
DISCOURAGE_PATTERN = (
    r"(stop|stopped|quit|ditch|ditched|drop|dropped|skip|throw away|throw out|get off|got off|come off|"
    r"came off|give up|gave up|replace) (taking )?(your |my |all |the )?"
    r"(meds|medication|medications|medicine|medicines|insulin|inhaler|antidepressants|pills|"
    r"prescriptions?|treatment|chemo|chemotherapy)|"
    r"(you )?(don't|do not|won't) need (your )?(insulin|meds|medication|medicine|chemo|antidepressants)|"
    r"(instead of|no need for) (taking )?(your |any )?"
    r"(meds|medication|insulin|chemo|antidepressants|treatment)|"
    r"(arrêtez|arrête|arrêter|arrêté|abandonnez|oubliez) (votre |vos |ton |tes |mon |mes |le |les )?"
    r"(traitement|traitements|médicaments|insuline|chimio|antidépresseurs)|"
    r"plus besoin (de |d')(traitement|médicaments|insuline)|"
    r"(setzt|setz|setze|setzen sie) (eure |deine |ihre |alle |die )?(medikamente|tabletten|insulin) ab|"
    r"(medikamente|tabletten|insulin) (absetzen|abgesetzt)|kein insulin mehr|keine medikamente mehr|"
    r"(deja|dejé|dejar|dejad|abandona|abandonar|abandoné) (tu |tus |su |sus |la |los |mi |mis )?"
    r"(medicación|medicamentos|tratamiento|insulina|quimio|antidepresivos)|"
    r"ya no necesitas (la |tu )?(insulina|medicación|medicamentos|tratamiento)|"
    # A product said to replace treatment ("these probiotics replace my meds").
    r"(replaces|replaced|replacing) (your |my |all |the )?"
    r"(meds|medication|medications|medicine|medicines|insulin|inhaler|antidepressants|pills|treatment)|"
    r"(remplace|remplacent|remplacer|remplacé|remplacés) (votre |vos |ton |tes |mon |mes |le |les )?"
    r"(traitement|traitements|médicaments|insuline|antidépresseurs)|"
    r"(ersetzt|ersetzen|ersetze) (eure |deine |ihre |meine |die )?(medikamente|tabletten|insulin|therapie)|"
    r"(sustituye|sustituyen|reemplaza|reemplazan|sustituir|reemplazar) (tu |tus |su |sus |la |los |mi |mis )?"
    r"(medicación|medicamentos|tratamiento|insulina)"
)
# A stop verb right before a named prescription medicine ("ditched my Pentasa", "dejé la
# mesalazina"), or "abgesetzt" right after one: the post tells of stopping that medicine.
STOP_BEFORE_MEDICINE = (
    r"(?<![\w])(stop|stopped|quit|ditch|ditched|drop|dropped|got off|came off|gave up|threw away|"
    r"arrêté|arrêter|arrêtez|abandonné|jeté|dejé|dejar|dejad|deja|abandoné|abandona|abandonar)"
    r"(?:[^\S\n]+(?:taking|de prendre))?"
    r"(?:[^\S\n]+(?:my|your|the|mon|ma|mes|votre|vos|le|la|les|mein|meine|meinen|mi|mis|tu|tus|el|los))?"
    r"[^\S\n]+$"
)
STOP_AFTER_MEDICINE = r"[^\S\n]+(abgesetzt|absetzen|gestoppt)(?![\w])"
# A guarantee of delivery, returns or a warranty period ("garantie 5 ans") is commercial, not a
# health claim; "guaranteed results in 7 days" still is one.
COMMERCIAL_GUARANTEE = (
    r"(guaranteed|garanti|garantie|garantis|garanties|garantiert|garantizado|garantizada|garantito|"
    r"garantido)(?:[^\S\n]+[\w'’-]+){0,2}?[^\S\n]+(delivery|shipping|dispatch|returns?|refunds?|"
    r"livraison|lieferung|versand|rückgabe|entrega|envío|devolución|"
    r"[0-9]+[^\S\n]*(?:years?|yrs?|ans|jahre|años|anni|anos))(?![\w])"
)
