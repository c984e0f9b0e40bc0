"""Niche vocabulary: what each niche talks about, in each language, plus its hashtags and brands.

Written by hand, short on purpose: captions and comments are assembled from these arrays
(see ``content.py``), so a niche's words are what a topic classifier should pick up.
"""

from __future__ import annotations

NICHES: tuple[str, ...] = (
    "ibd",
    "diabetes",
    "mental_health",
    "fitness",
    "food",
    "beauty",
    "parenting",
    "gaming",
    "travel",
    "finance",
)
HEALTH_NICHES: tuple[str, ...] = ("ibd", "diabetes", "mental_health")
# How common each niche is among creators and in people's interests.
NICHE_WEIGHTS: tuple[float, ...] = (0.06, 0.07, 0.08, 0.15, 0.14, 0.13, 0.10, 0.10, 0.10, 0.07)
LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "de", "it", "pt")

# fmt: off
KEYWORDS: dict[str, dict[str, list[str]]] = {
    "ibd": {
        "en": [
            "Crohn's flares", "colitis fatigue", "infusion day", "gut health", "low-residue meals",
            "the IBD clinic", "colonoscopy prep", "ostomy life", "biologics", "chronic illness",
        ],
        "es": [
            "los brotes de Crohn", "la colitis", "el día de infusión", "la salud intestinal",
            "dieta baja en fibra", "la consulta de EII", "la colonoscopia", "vivir con ostomía",
        ],
        "fr": [
            "les poussées de Crohn", "la rectocolite", "le jour de perfusion", "la santé intestinale",
            "le régime sans résidu", "la consultation MICI", "la coloscopie", "la vie avec une stomie",
        ],
        "de": [
            "Morbus-Crohn-Schübe", "Colitis ulcerosa", "der Infusionstag", "Darmgesundheit",
            "ballaststoffarme Küche", "die CED-Ambulanz", "die Darmspiegelung", "Leben mit Stoma",
        ],
        "it": [
            "le riacutizzazioni di Crohn", "la colite", "il giorno dell'infusione", "la salute intestinale",
            "la dieta povera di scorie", "l'ambulatorio MICI", "la colonscopia", "la vita con la stomia",
        ],
        "pt": [
            "as crises de Crohn", "a retocolite", "o dia da infusão", "a saúde intestinal",
            "a dieta pobre em fibras", "a consulta de DII", "a colonoscopia", "a vida com ostomia",
        ],
    },
    "diabetes": {
        "en": [
            "blood sugar", "type 1 life", "CGM sensors", "carb counting", "an insulin pump",
            "a hypo at night", "HbA1c results", "low-carb dinners", "the endo appointment",
        ],
        "es": [
            "la glucosa", "la diabetes tipo 1", "los sensores", "contar hidratos", "la bomba de insulina",
            "una hipo de noche", "la hemoglobina glicada", "cenas bajas en carbohidratos",
        ],
        "fr": [
            "la glycémie", "le diabète de type 1", "les capteurs", "compter les glucides",
            "la pompe à insuline", "une hypo la nuit", "l'HbA1c", "les dîners pauvres en glucides",
        ],
        "de": [
            "Blutzucker", "Typ-1-Alltag", "Glukosesensoren", "Kohlenhydrate zählen", "die Insulinpumpe",
            "eine nächtliche Unterzuckerung", "HbA1c-Werte", "Low-Carb-Abendessen",
        ],
        "it": [
            "la glicemia", "il diabete di tipo 1", "i sensori", "contare i carboidrati", "il microinfusore",
            "un'ipo notturna", "l'emoglobina glicata", "cene low carb",
        ],
        "pt": [
            "a glicemia", "o diabetes tipo 1", "os sensores", "contar carboidratos", "a bomba de insulina",
            "uma hipo à noite", "a hemoglobina glicada", "jantares low carb",
        ],
    },
    "mental_health": {
        "en": [
            "anxiety", "therapy sessions", "burnout recovery", "a panic attack", "self-care days",
            "journaling", "depression", "setting boundaries", "a mindful walk",
        ],
        "es": [
            "la ansiedad", "la terapia", "salir del burnout", "un ataque de pánico", "el autocuidado",
            "escribir un diario", "la depresión", "poner límites",
        ],
        "fr": [
            "l'anxiété", "les séances de thérapie", "l'après burn-out", "une crise d'angoisse",
            "prendre soin de soi", "le journaling", "la dépression", "poser des limites",
        ],
        "de": [
            "Angststörungen", "die Therapiestunde", "der Weg aus dem Burnout", "eine Panikattacke",
            "Selbstfürsorge", "Tagebuch schreiben", "Depressionen", "Grenzen setzen",
        ],
        "it": [
            "l'ansia", "la terapia", "uscire dal burnout", "un attacco di panico", "la cura di sé",
            "scrivere un diario", "la depressione", "mettere dei limiti",
        ],
        "pt": [
            "a ansiedade", "a terapia", "sair do burnout", "uma crise de pânico", "o autocuidado",
            "escrever um diário", "a depressão", "impor limites",
        ],
    },
    "fitness": {
        "en": [
            "leg day", "a new deadlift PR", "a 5k run", "HIIT workouts", "protein goals", "mobility work",
            "the home gym", "marathon training",
        ],
        "es": [
            "el día de pierna", "mi récord en peso muerto", "correr 5 km", "entreno HIIT",
            "la proteína diaria", "la movilidad", "el gimnasio en casa", "preparar el maratón",
        ],
        "fr": [
            "la séance jambes", "mon record au soulevé de terre", "mon 5 km", "les séances HIIT",
            "les protéines", "la mobilité", "la salle à la maison", "la prépa marathon",
        ],
        "de": [
            "Beintag", "neuer Kreuzheben-Rekord", "mein 5-km-Lauf", "HIIT-Training", "Proteinziel",
            "Mobilitätstraining", "das Home-Gym", "Marathonvorbereitung",
        ],
        "it": [
            "il leg day", "il nuovo record di stacco", "la mia corsa di 5 km", "l'allenamento HIIT",
            "le proteine", "la mobilità", "la palestra di casa", "la preparazione alla maratona",
        ],
        "pt": [
            "o treino de perna", "meu recorde no levantamento terra", "minha corrida de 5 km",
            "o treino HIIT", "a meta de proteína", "a mobilidade", "a academia em casa",
            "o treino para a maratona",
        ],
    },
    "food": {
        "en": [
            "sourdough bread", "a one-pot pasta", "meal prep", "homemade ramen", "the farmers market",
            "a lemon tart", "weeknight curry", "fresh pesto",
        ],
        "es": [
            "pan de masa madre", "pasta en una olla", "batch cooking", "ramen casero", "el mercado",
            "tarta de limón", "un curry rápido", "pesto fresco",
        ],
        "fr": [
            "le pain au levain", "les pâtes one-pot", "le batch cooking", "un ramen maison", "le marché",
            "une tarte au citron", "un curry de semaine", "le pistou maison",
        ],
        "de": [
            "Sauerteigbrot", "One-Pot-Pasta", "Meal Prep", "selbstgemachte Ramen", "der Wochenmarkt",
            "Zitronentarte", "schnelles Curry", "frisches Pesto",
        ],
        "it": [
            "il pane con lievito madre", "la pasta in un'unica pentola", "il meal prep",
            "il ramen fatto in casa", "il mercato contadino", "la crostata al limone", "un curry veloce",
            "il pesto fresco",
        ],
        "pt": [
            "pão de fermentação natural", "macarrão de uma panela só", "marmitas da semana",
            "lámen caseiro", "a feira", "torta de limão", "um curry rápido", "pesto fresco",
        ],
    },
    "beauty": {
        "en": [
            "a skincare routine", "a dewy foundation", "retinol", "the new lipstick", "SPF every day",
            "curly hair care", "a glowy makeup look", "sensitive skin",
        ],
        "es": [
            "mi rutina de skincare", "una base jugosa", "el retinol", "el nuevo labial",
            "protector solar diario", "el cuidado del pelo rizado", "un maquillaje luminoso",
            "la piel sensible",
        ],
        "fr": [
            "ma routine soin", "un fond de teint lumineux", "le rétinol", "le nouveau rouge à lèvres",
            "la crème solaire au quotidien", "les cheveux bouclés", "un maquillage glowy",
            "la peau sensible",
        ],
        "de": [
            "meine Hautpflegeroutine", "eine strahlende Foundation", "Retinol", "der neue Lippenstift",
            "täglich Sonnenschutz", "Lockenpflege", "ein Glow-Make-up", "empfindliche Haut",
        ],
        "it": [
            "la mia skincare", "un fondotinta luminoso", "il retinolo", "il nuovo rossetto",
            "la protezione solare ogni giorno", "i capelli ricci", "un trucco glow", "la pelle sensibile",
        ],
        "pt": [
            "minha rotina de skincare", "uma base iluminada", "o retinol", "o batom novo",
            "protetor solar todo dia", "o cuidado com cachos", "uma make glow", "a pele sensível",
        ],
    },
    "parenting": {
        "en": [
            "toddler tantrums", "the school run", "bedtime routines", "newborn sleep", "family dinners",
            "screen time rules", "the mum guilt", "potty training",
        ],
        "es": [
            "las rabietas", "ir al cole", "la rutina de dormir", "el sueño del bebé",
            "las cenas en familia", "las pantallas", "la culpa de madre", "quitar el pañal",
        ],
        "fr": [
            "les colères du petit", "le trajet de l'école", "le rituel du coucher",
            "le sommeil du nourrisson", "les dîners en famille", "les écrans", "la culpabilité maternelle",
            "l'apprentissage du pot",
        ],
        "de": [
            "Trotzanfälle", "der Schulweg", "die Abendroutine", "Babyschlaf", "Familienessen",
            "Regeln für Bildschirmzeit", "das Mama-Schuldgefühl", "Töpfchentraining",
        ],
        "it": [
            "i capricci", "l'uscita da scuola", "la routine della nanna", "il sonno del neonato",
            "le cene in famiglia", "le regole sugli schermi", "il senso di colpa da mamma",
            "togliere il pannolino",
        ],
        "pt": [
            "as birras", "a ida para a escola", "a rotina do sono", "o sono do recém-nascido",
            "os jantares em família", "o tempo de tela", "a culpa materna", "o desfralde",
        ],
    },
    "gaming": {
        "en": [
            "the new patch", "a ranked grind", "speedruns", "the boss fight", "indie games",
            "the stream setup", "a retro console", "co-op night",
        ],
        "es": [
            "el nuevo parche", "subir en ranked", "mi speedrun", "el jefe final", "los juegos indie",
            "el setup del stream", "una consola retro", "la noche cooperativa",
        ],
        "fr": [
            "le nouveau patch", "le grind en classé", "mon speedrun", "le combat de boss", "les jeux indé",
            "le setup de stream", "une console rétro", "la soirée coop",
        ],
        "de": [
            "der neue Patch", "Ranked-Grind", "mein Speedrun", "der Bosskampf", "Indie-Games",
            "das Stream-Setup", "eine Retro-Konsole", "Koop-Abend",
        ],
        "it": [
            "la nuova patch", "il grind in ranked", "la mia speedrun", "la boss fight", "i giochi indie",
            "il setup per lo stream", "una console retro", "la serata in co-op",
        ],
        "pt": [
            "o patch novo", "subir no ranqueado", "meu speedrun", "a luta contra o chefe", "os jogos indie",
            "o setup da live", "um console retrô", "a noite de co-op",
        ],
    },
    "travel": {
        "en": [
            "a weekend in Lisbon", "packing light", "the night train", "hidden beaches", "a road trip",
            "budget hostels", "the old town", "sunrise hikes",
        ],
        "es": [
            "un finde en Lisboa", "viajar ligero", "el tren nocturno", "calas escondidas", "un road trip",
            "hostales baratos", "el casco antiguo", "rutas al amanecer",
        ],
        "fr": [
            "un week-end à Lisbonne", "voyager léger", "le train de nuit", "les plages cachées",
            "un road trip", "les auberges pas chères", "la vieille ville", "les randos au lever du soleil",
        ],
        "de": [
            "ein Wochenende in Lissabon", "leicht reisen", "der Nachtzug", "versteckte Strände",
            "ein Roadtrip", "günstige Hostels", "die Altstadt", "Wanderungen bei Sonnenaufgang",
        ],
        "it": [
            "un weekend a Lisbona", "viaggiare leggeri", "il treno notturno", "spiagge nascoste",
            "un road trip", "ostelli economici", "il centro storico", "escursioni all'alba",
        ],
        "pt": [
            "um fim de semana em Lisboa", "viajar leve", "o trem noturno", "praias escondidas",
            "uma viagem de carro", "hostels baratos", "o centro histórico", "trilhas ao nascer do sol",
        ],
    },
    "finance": {
        "en": [
            "index funds", "a budget spreadsheet", "an emergency fund", "paying off debt", "ISA season",
            "side hustles", "compound interest", "the rent vs buy question",
        ],
        "es": [
            "los fondos indexados", "mi hoja de presupuesto", "el fondo de emergencia", "pagar deudas",
            "la declaración de la renta", "ingresos extra", "el interés compuesto", "alquilar o comprar",
        ],
        "fr": [
            "les ETF", "mon tableau de budget", "l'épargne de précaution", "rembourser ses dettes",
            "le PEA", "les revenus complémentaires", "les intérêts composés", "louer ou acheter",
        ],
        "de": [
            "ETF-Sparpläne", "mein Haushaltsbuch", "der Notgroschen", "Schulden abbauen",
            "die Steuererklärung", "Nebeneinkommen", "der Zinseszins", "mieten oder kaufen",
        ],
        "it": [
            "i fondi indicizzati", "il mio foglio di budget", "il fondo emergenze", "estinguere i debiti",
            "la dichiarazione dei redditi", "le entrate extra", "l'interesse composto", "affitto o mutuo",
        ],
        "pt": [
            "os fundos de índice", "minha planilha de orçamento", "a reserva de emergência",
            "quitar dívidas", "o imposto de renda", "a renda extra", "os juros compostos",
            "alugar ou comprar",
        ],
    },
}
# fmt: on

# fmt: off
HASHTAGS: dict[str, list[str]] = {
    "ibd": [
        "crohns", "ibd", "colitis", "ibdwarrior", "crohnsdisease", "spooniesupport", "chronicillness",
        "gutHealth", "ulcerativecolitis", "invisibleillness",
    ],
    "diabetes": [
        "type1diabetes", "t1d", "diabetes", "insulinpump", "cgm", "diabeteslife", "lowcarb", "bloodsugar",
        "t1dlooksmelikeme",
    ],
    "mental_health": [
        "mentalhealth", "anxiety", "selfcare", "therapy", "mentalhealthmatters", "burnout", "mindfulness",
        "depression",
    ],
    "fitness": [
        "fitness", "gym", "legday", "running", "hiit", "fitfam", "strengthtraining", "workout",
    ],
    "food": [
        "food", "foodie", "homecooking", "sourdough", "recipe", "mealprep", "baking", "vegetarian",
    ],
    "beauty": [
        "skincare", "makeup", "beauty", "skincareroutine", "curlyhair", "glowingskin", "spf", "mua",
    ],
    "parenting": [
        "parenting", "momlife", "toddlerlife", "newborn", "dadlife", "familytime", "motherhood",
    ],
    "gaming": [
        "gaming", "gamer", "twitch", "speedrun", "indiegames", "retrogaming", "esports", "ps5",
    ],
    "travel": [
        "travel", "wanderlust", "travelgram", "roadtrip", "backpacking", "europe", "slowtravel",
    ],
    "finance": [
        "personalfinance", "investing", "budgeting", "money", "fire", "savings", "financialfreedom",
    ],
}
# fmt: on
# A few local tags per language, mixed into every niche's hashtags in that language.
LOCAL_TAGS: dict[str, list[str]] = {
    "en": ["instagood", "photooftheday"],
    "es": ["españa", "vidasana", "consejos"],
    "fr": ["france", "conseils", "quotidien"],
    "de": ["deutschland", "alltag", "tipps"],
    "it": ["italia", "consigli", "vitaquotidiana"],
    "pt": ["brasil", "dicas", "diaadia"],
}

# fmt: off
BRANDS: dict[str, list[str]] = {
    "ibd": [
        "gutwellnutrition", "calmbowel_co", "ostocare", "flareaway_supplements",
    ],
    "diabetes": [
        "glucoguard", "sugarsense_cgm", "lowcarbpantry", "insupatch",
    ],
    "mental_health": [
        "mindease_app", "calmcapsules", "therapynowco", "serenitea",
    ],
    "fitness": [
        "ironfuelprotein", "stridegear", "flexbands_co", "pulsewatch",
    ],
    "food": [
        "olivegrovefarms", "crustandcrumb", "spicetrail", "greenbox_meals",
    ],
    "beauty": [
        "glowlab_skin", "velvetlip", "curlcraft", "dermapure",
    ],
    "parenting": [
        "tinysteps_baby", "snugglesleep", "lunchboxhero", "playmatco",
    ],
    "gaming": [
        "hyperclick_gear", "pixelforge", "streamdeckpro", "nebulachairs",
    ],
    "travel": [
        "roamlite_bags", "nightjet_travel", "staywander", "trailmaps",
    ],
    "finance": [
        "stackcash_app", "indexly", "budgetbee", "coinharbor",
    ],
}
# fmt: on
# Prescription-only medicines a regulator treats as promotion when they appear in content.
PRESCRIPTION_MEDICINES: dict[str, list[str]] = {
    "ibd": ["Humira", "Stelara", "Entyvio", "Remicade", "Skyrizi"],
    "diabetes": ["Ozempic", "Wegovy", "Mounjaro", "semaglutide"],
    "mental_health": ["Sertraline", "Lexapro", "Zoloft"],
    "fitness": ["Wegovy", "Mounjaro"],
    "beauty": ["Botox"],
}
