"""A second, unseen brief set for the real-data discovery benchmark, and the ship rule it serves.

Session 20 explored, on the tune half and after the held-out run of another variant, a brief-side
variant of session 19's multilingual words (``discovery_briefside.py``): the brief embedded by the
extended model and the words side's vocabulary neighbours taken from the extended vocabulary only
when the brief holds a word the extended model reads as one added row. Its design has seen the
held-out result of ``discovery_realdata.BRIEFS``, so those briefs cannot judge it. ``FRESH_BRIEFS``
below is an independent set, written in session 21 before any run of any method on it: the same
nine categories and six languages, phrased differently (other words, a marketer's angle), from the
category's name alone, without looking at any channel. They are not changed after the run.

Ship rule, fixed before the run (session 21), for ONE variant chosen in advance,
``GATED`` = "brief: extended, extended neighbours only when the brief holds an added word", against
the search as shipped ("shipped (session 18)"), on ``FRESH_BRIEFS``, with
``discovery_crosslingual.paired_bootstrap`` (briefs resampled within each category, 2,000
resamples, seed 0), reported over every channel (all 14 countries) and over each half:

- ship if (a) over every channel the 95 % interval of the goal-mean NDCG@10 change is above zero,
  or (b) over every channel French and German fresh briefs both gain (goal-category mean NDCG@10
  per language) while English fresh briefs lose at most 0.01;
- AND the sample world's discovery eval (``discovery_eval.py``) stays at NDCG@10 1.000.

The original briefs' figures of ``GATED`` on the held-out half are reported beside it, labelled
contaminated (the variant's design saw them).

    python benchmarks/discovery_fresh_briefs.py --workdir WORKDIR --model M --briefs fresh \\
        --halves all,tune,held_out --out OUT.json
    python benchmarks/discovery_fresh_briefs.py --workdir WORKDIR --model M --briefs original \\
        --halves held_out --out OUT.json

WORKDIR holds ``discovery_realdata.py``'s database and index (shipped model), M the extended
model built by ``distill_multilingual.py`` (see docs/discovery.md, "Session 20 (2)").

Result (session 21, run once at e09bf9c; docs/discovery.md "Session 21"): over every channel
0.324 -> 0.411 (95 % interval of the change +0.037 to +0.137), so (a) holds; English fresh
briefs unchanged (0.441), German 0.258 -> 0.446, French 0.311 -> 0.264 (so (b) would not);
sample world 1.000 on seeds 11 and 7. Shipped as ``covey.discovery.multilingual``.
"""

# ruff: noqa: E501
from __future__ import annotations

from pathlib import Path

import discovery_briefside as bs
import discovery_crosslingual as cl
import discovery_feedback as fb
import discovery_realdata as rd
import discovery_tune as dt

BASE = "shipped (session 18)"
GATED = "brief: extended, extended neighbours only when the brief holds an added word"

# category -> {language: brief}; written from the category's name in session 21, before any run.
FRESH_BRIEFS: dict[str, dict[str, str]] = {
    "Music": {
        "en": "Looking for artists and bands who put out new tracks, albums and concert clips for their fans",
        "es": "Buscamos artistas y grupos que estrenan temas, discos y conciertos para sus fans",
        "fr": "On cherche des artistes et des groupes qui sortent des morceaux, des albums et des vidéos de concert",
        "de": "Wir suchen Künstler und Bands, die neue Lieder, Alben und Konzertmitschnitte herausbringen",
        "pt": "Procuramos artistas e bandas que lançam faixas novas, álbuns e shows para os fãs",
        "it": "Cerchiamo artisti e band che pubblicano nuovi brani, album e concerti per i loro fan",
    },
    "Gaming": {
        "en": "Channels where players try new console and PC games, review them and share tips to beat levels",
        "es": "Canales donde se prueban juegos de consola y PC, con reseñas y trucos para pasar niveles",
        "fr": "Des chaînes où l'on teste des jeux sur console et PC, avec des critiques et des astuces pour finir les niveaux",
        "de": "Kanäle, auf denen neue Konsolen- und PC-Spiele ausprobiert, bewertet und mit Tipps durchgespielt werden",
        "pt": "Canais que testam jogos de console e PC, com análises e dicas para passar de fase",
        "it": "Canali che provano giochi per console e PC, con recensioni e trucchi per superare i livelli",
    },
    "Entertainment": {
        "en": "Creators who talk about reality shows, TV dramas, famous people and the latest showbiz gossip",
        "es": "Creadores que comentan realities, telenovelas, gente famosa y los últimos chismes de la farándula",
        "fr": "Créateurs qui commentent la téléréalité, les feuilletons, les stars et les derniers potins du showbiz",
        "de": "Creator, die über Reality-Shows, Fernsehserien, Stars und den neuesten Klatsch aus dem Showbusiness reden",
        "pt": "Criadores que comentam reality shows, novelas, famosos e as últimas fofocas das celebridades",
        "it": "Creator che commentano reality, fiction in TV, personaggi famosi e gli ultimi gossip dello spettacolo",
    },
    "People & Blogs": {
        "en": "Everyday people filming their routines, home life, kids and what happens in their week",
        "es": "Gente normal que graba su rutina, su casa, sus hijos y lo que les pasa cada semana",
        "fr": "Des gens ordinaires qui filment leur routine, leur vie à la maison, leurs enfants et leur semaine",
        "de": "Ganz normale Leute, die ihre Routine, ihr Zuhause, ihre Kinder und ihre Woche filmen",
        "pt": "Pessoas comuns que gravam a rotina, a casa, os filhos e o que acontece na semana",
        "it": "Persone comuni che filmano la routine, la casa, i figli e quello che succede nella settimana",
    },
    "Film & Animation": {
        "en": "Movie lovers who review new releases, break down trailers and share animated shorts",
        "es": "Amantes del cine que reseñan estrenos, analizan avances y comparten cortos animados",
        "fr": "Passionnés de films qui critiquent les nouveautés, décortiquent les bandes-annonces et partagent des courts métrages d'animation",
        "de": "Filmfans, die neue Kinofilme besprechen, Trailer analysieren und Animationskurzfilme zeigen",
        "pt": "Fãs de filmes que fazem críticas de lançamentos, analisam trailers e mostram curtas de animação",
        "it": "Appassionati di film che recensiscono le novità, analizzano i trailer e condividono cortometraggi animati",
    },
    "Sports": {
        "en": "Channels following leagues and tournaments: basketball, boxing, Formula 1, goals, scores and player interviews",
        "es": "Canales que siguen ligas y torneos: baloncesto, boxeo, Fórmula 1, goles, resultados y entrevistas a jugadores",
        "fr": "Chaînes qui suivent les championnats et les tournois : basket, boxe, Formule 1, buts, scores et interviews de joueurs",
        "de": "Kanäle über Ligen und Turniere: Basketball, Boxen, Formel 1, Tore, Ergebnisse und Spielerinterviews",
        "pt": "Canais que acompanham campeonatos e torneios: basquete, boxe, Fórmula 1, gols, resultados e entrevistas com jogadores",
        "it": "Canali che seguono campionati e tornei: basket, boxe, Formula 1, gol, risultati e interviste ai giocatori",
    },
    "Comedy": {
        "en": "Funny creators doing stand-up, skits and hidden-camera jokes that make people laugh",
        "es": "Creadores divertidos con monólogos, cámara oculta y vídeos que hacen reír",
        "fr": "Créateurs marrants qui font du stand-up, des caméras cachées et des vidéos qui font rire",
        "de": "Lustige Creator mit Stand-up, versteckter Kamera und Videos zum Lachen",
        "pt": "Criadores engraçados com stand-up, câmera escondida e vídeos de dar risada",
        "it": "Creator divertenti con stand-up, candid camera e video che fanno ridere",
    },
    "News & Politics": {
        "en": "Journalists and commentators explaining the day's headlines, government decisions and world affairs",
        "es": "Periodistas y comentaristas que explican los titulares del día, las decisiones del gobierno y lo que pasa en el mundo",
        "fr": "Journalistes et chroniqueurs qui expliquent les gros titres du jour, les décisions du gouvernement et l'actualité internationale",
        "de": "Journalisten und Kommentatoren, die die Schlagzeilen des Tages, Regierungsentscheidungen und das Weltgeschehen erklären",
        "pt": "Jornalistas e comentaristas que explicam as manchetes do dia, as decisões do governo e o que acontece no mundo",
        "it": "Giornalisti e commentatori che spiegano i titoli del giorno, le decisioni del governo e i fatti dal mondo",
    },
    "Science & Technology": {
        "en": "Reviewers who unbox new phones, laptops and electronics, and channels that make science and space easy to understand",
        "es": "Canales que hacen unboxing de teléfonos, portátiles y electrónica, y que explican la ciencia y el espacio de forma sencilla",
        "fr": "Chaînes qui déballent des téléphones, des ordinateurs portables et de l'électronique, et qui vulgarisent la science et l'espace",
        "de": "Kanäle, die neue Handys, Laptops und Elektronik auspacken und Wissenschaft und Weltraum einfach erklären",
        "pt": "Canais que fazem unboxing de celulares, notebooks e eletrônicos e explicam ciência e o espaço de um jeito simples",
        "it": "Canali che fanno unboxing di telefoni, portatili ed elettronica e spiegano in modo semplice la scienza e lo spazio",
    },
}


def main() -> None:
    """Command line: the shipped search and ``GATED`` on one brief set, over ``--halves``."""
    parser = fb.split_parser(__doc__)
    parser.add_argument("--model", type=Path, required=True, help="the extended model's directory")
    parser.add_argument("--briefs", choices=("fresh", "original"), required=True)
    args = parser.parse_args()
    if args.briefs == "fresh":
        # rd.score reads the module's BRIEFS when it scores; the fresh set takes its place.
        rd.BRIEFS = FRESH_BRIEFS
    args.only = [BASE, GATED]
    db = args.workdir / args.db
    catalog, labels, countries = dt.load_split(db)
    searcher = bs.Searcher(catalog, db, args.model)
    cl.run_and_save(searcher, bs.VARIANTS, args, labels, countries)


if __name__ == "__main__":
    main()
