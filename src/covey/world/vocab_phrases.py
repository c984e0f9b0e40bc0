"""Sentence frames, by language, that ``content.py`` fills with niche keywords.

A caption frame is (a, b, c): text = a + keyword1 + b + keyword2 + c. A comment or title
frame is (a, b): text = a + keyword + b. Lived-experience, claim and medicine sentences
follow the same (a, b) shape around a niche word or a medicine name.
"""

from __future__ import annotations

CAPTION_FRAMES: dict[str, list[tuple[str, str, str]]] = {
    "en": [
        ("Honest update on ", " and ", "."),
        ("Let's talk about ", ": what changed with ", " this month."),
        ("Three things I learned about ", " (and ", ")."),
        ("Today was all about ", ", plus ", "."),
        ("Saving this for anyone asking about ", " and ", "!"),
        ("Small wins: ", " and ", " 🙌"),
    ],
    "es": [
        ("Actualización sincera sobre ", " y ", "."),
        ("Hablemos de ", ": lo que cambió con ", " este mes."),
        ("Tres cosas que aprendí sobre ", " (y ", ")."),
        ("Hoy tocó ", " y también ", "."),
        ("Para quien pregunta por ", " y ", "!"),
        ("Pequeñas victorias: ", " y ", " 🙌"),
    ],
    "fr": [
        ("Petit point honnête sur ", " et ", "."),
        ("Parlons de ", " : ce qui a changé avec ", " ce mois-ci."),
        ("Trois choses apprises sur ", " (et ", ")."),
        ("Aujourd'hui : ", ", et aussi ", "."),
        ("Pour celles et ceux qui demandent pour ", " et ", " !"),
        ("Petites victoires : ", " et ", " 🙌"),
    ],
    "de": [
        ("Ehrliches Update zu ", " und ", "."),
        ("Reden wir über ", ": was sich bei ", " diesen Monat geändert hat."),
        ("Drei Dinge, die ich über ", " gelernt habe (und ", ")."),
        ("Heute ging es um ", " und ", "."),
        ("Für alle, die nach ", " und ", " fragen!"),
        ("Kleine Erfolge: ", " und ", " 🙌"),
    ],
    "it": [
        ("Aggiornamento sincero su ", " e ", "."),
        ("Parliamo di ", ": cosa è cambiato con ", " questo mese."),
        ("Tre cose che ho imparato su ", " (e ", ")."),
        ("Oggi è stata la giornata di ", " e ", "."),
        ("Per chi mi chiede di ", " e ", "!"),
        ("Piccole vittorie: ", " e ", " 🙌"),
    ],
    "pt": [
        ("Atualização sincera sobre ", " e ", "."),
        ("Vamos falar de ", ": o que mudou com ", " este mês."),
        ("Três coisas que aprendi sobre ", " (e ", ")."),
        ("Hoje foi dia de ", " e ", "."),
        ("Pra quem pergunta sobre ", " e ", "!"),
        ("Pequenas vitórias: ", " e ", " 🙌"),
    ],
}

TITLE_FRAMES: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("Everything about ", " | honest review"),
        ("A week of ", ""),
        ("What nobody tells you about ", ""),
        ("", " explained in 10 minutes"),
    ],
    "es": [("Todo sobre ", " | opinión sincera"), ("Una semana de ", ""), ("Lo que nadie te cuenta de ", "")],
    "fr": [("Tout sur ", " | avis honnête"), ("Une semaine de ", ""), ("Ce qu'on ne dit pas sur ", "")],
    "de": [("Alles über ", " | ehrliche Meinung"), ("Eine Woche ", ""), ("Was dir keiner über ", " sagt")],
    "it": [
        ("Tutto su ", " | recensione sincera"),
        ("Una settimana di ", ""),
        ("Quello che nessuno dice su ", ""),
    ],
    "pt": [("Tudo sobre ", " | opinião sincera"), ("Uma semana de ", ""), ("O que ninguém conta sobre ", "")],
}

# First-person lived experience, health niches only; the keyword is the condition's word.
LIVED_FRAMES: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("Since my diagnosis, ", " has taught me patience."),
        ("Living with ", " for 8 years now."),
        ("My own experience with ", ": some days are hard."),
        ("I was diagnosed in 2019 and ", " is part of my life."),
    ],
    "es": [
        ("Desde mi diagnóstico, ", " me ha enseñado paciencia."),
        ("Convivo con ", " desde hace 8 años."),
        ("Mi propia experiencia con ", ": hay días duros."),
    ],
    "fr": [
        ("Depuis mon diagnostic, ", " m'a appris la patience."),
        ("Je vis avec ", " depuis 8 ans."),
        ("Mon expérience avec ", " : certains jours sont durs."),
    ],
    "de": [
        ("Seit meiner Diagnose hat mich ", " Geduld gelehrt."),
        ("Ich lebe seit 8 Jahren mit ", "."),
        ("Meine eigene Erfahrung mit ", ": manche Tage sind hart."),
    ],
    "it": [
        ("Dalla mia diagnosi, ", " mi ha insegnato la pazienza."),
        ("Convivo con ", " da 8 anni."),
        ("La mia esperienza con ", ": certi giorni sono duri."),
    ],
    "pt": [
        ("Desde o meu diagnóstico, ", " me ensinou paciência."),
        ("Convivo com ", " há 8 anos."),
        ("Minha experiência com ", ": alguns dias são difíceis."),
    ],
}
# The condition word lived-experience frames use ("my Crohn's" comes from the frame + this).
CONDITION: dict[str, dict[str, str]] = {
    "ibd": {
        "en": "my Crohn's",
        "es": "mi Crohn",
        "fr": "ma maladie de Crohn",
        "de": "Morbus Crohn",
        "it": "il mio Crohn",
        "pt": "minha doença de Crohn",
    },
    "diabetes": {
        "en": "my type 1 diabetes",
        "es": "mi diabetes tipo 1",
        "fr": "mon diabète de type 1",
        "de": "Typ-1-Diabetes",
        "it": "il mio diabete di tipo 1",
        "pt": "meu diabetes tipo 1",
    },
    "mental_health": {
        "en": "my anxiety",
        "es": "mi ansiedad",
        "fr": "mon anxiété",
        "de": "meiner Angststörung",
        "it": "la mia ansia",
        "pt": "minha ansiedade",
    },
}

# Sponsored sentence around the brand handle.
BRAND_FRAMES: dict[str, list[tuple[str, str]]] = {
    "en": [("Loving my new favourite from @", "."), ("Been trying @", " for a few weeks now.")],
    "es": [("Me encanta lo nuevo de @", "."), ("Llevo unas semanas probando @", ".")],
    "fr": [("Je craque pour la nouveauté de @", "."), ("Ça fait quelques semaines que je teste @", ".")],
    "de": [("Ich liebe das Neue von @", "."), ("Ich teste seit ein paar Wochen @", ".")],
    "it": [("Adoro la novità di @", "."), ("Sto provando @", " da qualche settimana.")],
    "pt": [("Amando a novidade da @", "."), ("Estou testando @", " há algumas semanas.")],
}
# Proper disclosure, up front.
DISCLOSURE: dict[str, list[str]] = {
    "en": ["#ad", "Ad |", "Paid partnership with"],
    "es": ["#publi", "Publicidad |"],
    "fr": ["#publicité", "Sponsorisé |"],
    "de": ["Anzeige |", "#werbung"],
    "it": ["#adv", "Pubblicità |"],
    "pt": ["#publi", "Publicidade |"],
}
# Claims a regulator flags (FTC Health Products Compliance Guidance 2022).
HEALTH_CLAIMS: dict[str, list[str]] = {
    "en": [
        "It cures my symptoms, full stop.",
        "Clinically proven to work.",
        "No side effects at all!",
        "100% safe and guaranteed results.",
    ],
    "es": ["Cura los síntomas, sin más.", "Clínicamente probado.", "¡Sin efectos secundarios!"],
    "fr": ["Ça guérit les symptômes, point.", "Cliniquement prouvé.", "Aucun effet secondaire !"],
    "de": ["Es heilt die Beschwerden, Punkt.", "Klinisch bewiesen.", "Keine Nebenwirkungen!"],
    "it": ["Cura i sintomi, punto.", "Clinicamente provato.", "Nessun effetto collaterale!"],
    "pt": ["Cura os sintomas, ponto.", "Comprovado clinicamente.", "Sem efeitos colaterais!"],
}
RX_FRAMES: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("Week 3 on ", " and I feel like a new person."),
        ("Ask your doctor about ", ", it changed everything."),
    ],
    "es": [
        ("Tercera semana con ", " y me siento otra."),
        ("Pregunta a tu médico por ", ", me cambió la vida."),
    ],
    "fr": [
        ("Troisième semaine sous ", " et je revis."),
        ("Parlez de ", " à votre médecin, ça a tout changé."),
    ],
    "de": [
        ("Woche 3 mit ", " und ich fühle mich neu."),
        ("Fragt euren Arzt nach ", ", es hat alles verändert."),
    ],
    "it": [
        ("Terza settimana con ", " e mi sento rinata."),
        ("Chiedete al medico di ", ", ha cambiato tutto."),
    ],
    "pt": [("Terceira semana com ", " e me sinto outra."), ("Pergunte ao médico sobre ", ", mudou tudo.")],
}

COMMENT_FRAMES: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("Needed this today, ", " has been rough for me too"),
        ("How long did ", " take for you?"),
        ("Same here with ", "! Thanks for sharing"),
        ("Your posts about ", " help so much ❤️"),
        ("Any tips for ", "?"),
        ("Ugh ", ", I feel this"),
    ],
    "es": [
        ("Lo necesitaba hoy, ", " también me cuesta"),
        ("¿Cuánto tardaste con ", "?"),
        ("¡Igual con ", "! Gracias por compartir"),
        ("Tus posts sobre ", " me ayudan mucho ❤️"),
    ],
    "fr": [
        ("J'en avais besoin, ", " c'est dur pour moi aussi"),
        ("Combien de temps pour ", " ?"),
        ("Pareil avec ", " ! Merci du partage"),
        ("Tes posts sur ", " m'aident tellement ❤️"),
    ],
    "de": [
        ("Genau das brauchte ich, ", " ist bei mir auch schwer"),
        ("Wie lange hat ", " bei dir gedauert?"),
        ("Bei mir genauso mit ", "! Danke fürs Teilen"),
        ("Deine Posts über ", " helfen mir so ❤️"),
    ],
    "it": [
        ("Ne avevo bisogno, ", " è dura anche per me"),
        ("Quanto ci è voluto per ", "?"),
        ("Uguale con ", "! Grazie per la condivisione"),
        ("I tuoi post su ", " mi aiutano tanto ❤️"),
    ],
    "pt": [
        ("Precisava disso hoje, ", " tem sido difícil pra mim também"),
        ("Quanto tempo levou ", "?"),
        ("Igual aqui com ", "! Obrigada por compartilhar"),
        ("Seus posts sobre ", " ajudam muito ❤️"),
    ],
}
CREATOR_REPLIES: dict[str, list[str]] = {
    "en": [
        "Thank you so much, that means a lot ❤️",
        "Sending you strength!",
        "So glad it helps 🙏",
        "Took me about a month, hang in there",
        "DM me and I'll send the link",
    ],
    "es": ["¡Mil gracias! ❤️", "¡Mucho ánimo!", "Me alegra que te ayude 🙏", "Unas semanas, paciencia"],
    "fr": ["Merci beaucoup ❤️", "Plein de courage !", "Contente que ça aide 🙏", "Quelques semaines, courage"],
    "de": ["Danke dir ❤️", "Ganz viel Kraft!", "Freut mich, dass es hilft 🙏", "Ein paar Wochen, durchhalten"],
    "it": ["Grazie mille ❤️", "Forza!", "Felice che ti aiuti 🙏", "Qualche settimana, tieni duro"],
    "pt": ["Muito obrigada ❤️", "Muita força!", "Que bom que ajuda 🙏", "Algumas semanas, aguenta firme"],
}
FOLLOWUPS: dict[str, list[str]] = {
    "en": ["Thank you, really needed that", "Will do, thanks!", "You're the best"],
    "es": ["Gracias, lo necesitaba", "¡Lo haré, gracias!"],
    "fr": ["Merci, j'en avais besoin", "Je vais essayer !"],
    "de": ["Danke, das brauchte ich", "Mache ich, danke!"],
    "it": ["Grazie, ne avevo bisogno", "Lo farò, grazie!"],
    "pt": ["Obrigada, precisava disso", "Vou fazer, valeu!"],
}
# Generic comments that fit any post: fake accounts, bots and engagement pods write these.
GENERIC_COMMENTS: list[str] = [
    "nice pic 🔥",
    "🔥🔥🔥",
    "😍😍",
    "Great post!",
    "Love this! 🙌",
    "Amazing content 👏",
    "💯💯",
    "wow",
    "👏👏👏",
    "Awesome 😍",
    "Check my page!",
    "so cool",
    "❤️❤️",
    "Beautiful 😍",
    "Keep it up 💪",
    "Nice 👍",
]

FIRST_NAMES: dict[str, list[str]] = {
    "en": [
        "Emma",
        "Olivia",
        "Liam",
        "Noah",
        "Sophie",
        "Jack",
        "Grace",
        "Aoife",
        "Chloe",
        "Ethan",
        "Mia",
        "Sean",
    ],
    "es": ["Lucía", "Sofía", "Mateo", "Hugo", "Valentina", "Martín", "Carmen", "Diego", "Paula", "Javier"],
    "fr": ["Léa", "Chloé", "Lucas", "Hugo", "Manon", "Louis", "Camille", "Jules", "Inès", "Théo"],
    "de": ["Lena", "Mia", "Lukas", "Finn", "Hannah", "Jonas", "Laura", "Paul", "Lea", "Felix"],
    "it": ["Giulia", "Sofia", "Francesco", "Leonardo", "Chiara", "Alessandro", "Martina", "Matteo"],
    "pt": ["Ana", "Beatriz", "João", "Pedro", "Mariana", "Lucas", "Gabriela", "Rafael", "Inês", "Tiago"],
}
LAST_NAMES: dict[str, list[str]] = {
    "en": ["Smith", "Murphy", "Walsh", "Brown", "Taylor", "Wilson", "Kelly", "Jones", "Evans", "Clarke"],
    "es": ["García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz", "Torres"],
    "fr": ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy", "Moreau"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann"],
    "it": ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Greco"],
    "pt": ["Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Ferreira", "Almeida", "Rodrigues"],
}
