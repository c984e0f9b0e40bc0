"""A small multilingual world for the discovery tests, written into a real DuckDB file.

Sixteen accounts in eight niche/market groups; posts in the account's language; audience
members shared inside each group (so communities and lookalikes have something to find).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa

from covey.store import DuckDBStore

NOW = datetime(2026, 6, 1)

# group -> (niche, country, language, post templates)
GROUPS: dict[str, tuple[str, str, str, list[str]]] = {
    "ibd_gb": (
        "ibd",
        "GB",
        "en",
        [
            "My Crohn's flare is back, low residue dinner again #crohns #ibd",
            "Infusion day at the IBD clinic, biologics keeping my colitis calm #ibdwarrior",
            "Living with Crohn's: what I eat during a flare-up #gutHealth",
            "Colonoscopy prep tips from someone with ulcerative colitis #colitis",
        ],
    ),
    "ibd_es": (
        "ibd",
        "ES",
        "es",
        [
            "Otro brote de Crohn esta semana, mi dieta baja en fibra me ayuda #crohn",
            "Día de infusión en la consulta de EII, mi intestino por fin tranquilo #eii",
            "Vivir con colitis ulcerosa: lo que como durante un brote #colitis",
        ],
    ),
    "diabetes_us": (
        "diabetes",
        "US",
        "en",
        [
            "Blood sugar rollercoaster today, my insulin pump saved me #t1d #diabetes",
            "CGM alarm at 3am again, hypo treated with juice #type1diabetes",
            "Counting carbs for pizza night with type 1 diabetes #insulin",
        ],
    ),
    "beauty_fr": (
        "beauty",
        "FR",
        "fr",
        [
            "Ma routine maquillage du matin et mon rouge à lèvres préféré #maquillage",
            "Soin de la peau : ma crème hydratante pour l'hiver #skincare #beaute",
            "Tuto maquillage des yeux, fard à paupières et mascara #makeup",
        ],
    ),
    "gaming_de": (
        "gaming",
        "DE",
        "de",
        [
            "Heute Abend zocken wir Fortnite im Livestream #gaming #twitch",
            "Neue Konsole ausgepackt, Videospiele bis spät in die Nacht #ps5",
            "Ranked Spiele mit der Community, kommt in den Stream #zocken",
        ],
    ),
    "food_it": (
        "food",
        "IT",
        "it",
        [
            "La ricetta della nonna: pasta fatta in casa #ricetta #cucina",
            "Pane fatto in casa con lievito madre, buonissimo #pane",
            "Cena veloce: risotto ai funghi, una ricetta semplice #cucinaitaliana",
        ],
    ),
    "travel_br": (
        "travel",
        "BR",
        "pt",
        [
            "Nossa viagem para a praia mais bonita do Nordeste #viagem #praia",
            "Dicas de mochilão: voo barato e hostel no centro #viajar",
            "Roteiro de três dias na cidade, guia completo #turismo",
        ],
    ),
    "fitness_gb": (
        "fitness",
        "GB",
        "en",
        [
            "Leg day at the gym: squats and deadlifts #fitness #gym",
            "Morning 10k run before work, new personal best #running",
            "Full body HIIT workout you can do at home #workout",
        ],
    ),
}
FOLLOWERS = [12_000, 45_000]


def build_world(
    path: Path, *, unknown_followers: str | None = "ibd_gb_2", extra_ibd: bool = True
) -> DuckDBStore:
    """Write the fixture world into a DuckDB file at ``path`` and return the open store."""
    store = DuckDBStore(path)
    creators, accounts, snaps, posts, audience, comments = [], [], [], [], [], []
    for g, (_niche, country, lang, templates) in GROUPS.items():
        count = 3 if (g == "ibd_gb" and extra_ibd) else 2
        for i in range(count):
            handle = f"{g}_{i}"
            aid = f"instagram:{handle}"
            creators.append({"creator_id": handle, "name": handle, "country": country, "languages": [lang]})
            accounts.append(
                {
                    "account_id": aid,
                    "creator_id": handle,
                    "platform": "instagram",
                    "handle": handle,
                    "bio": "",
                    "country": country,
                    "language": lang,
                }
            )
            if handle != unknown_followers:
                snaps.append({"account_id": aid, "taken_at": NOW, "followers": FOLLOWERS[i % 2]})
            for j in range(12):
                text = templates[(i + j) % len(templates)]
                posts.append(
                    {
                        "post_id": f"{aid}/{j}",
                        "account_id": aid,
                        "caption": text,
                        "hashtags": [w[1:].lower() for w in text.split() if w.startswith("#")],
                        "posted_at": NOW - timedelta(days=7 * j),
                        "likes": 300 + 10 * j,
                        "comments": 20,
                        "url": f"https://example.org/{aid}/{j}",
                    }
                )
            # Each group shares a pool of 40 members; every account sees 30 of them.
            for m in range(30):
                audience.append(
                    {"account_id": aid, "member_id": f"{g}-m{(m + 5 * i) % 40}", "relation": "follower"}
                )
            comments.append(
                {
                    "comment_id": f"{aid}/c",
                    "post_id": f"{aid}/0",
                    "author_id": f"{g}-m1",
                    "text": "so true",
                    "posted_at": NOW,
                    "by_creator": False,
                }
            )
    with store.transaction() as cur:
        for name, rows in (
            ("creators", creators),
            ("accounts", accounts),
            ("account_snapshots", snaps),
            ("posts", posts),
            ("audience_samples", audience),
            ("comments", comments),
        ):
            cur.register("_rows", pa.Table.from_pylist(rows))
            cur.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _rows")
            cur.unregister("_rows")
    return store


def add_posts(store: DuckDBStore, account_id: str, texts: list[str], *, start: int = 100) -> None:
    """Append new posts to one account (for the incremental-index tests)."""
    rows = [
        {
            "post_id": f"{account_id}/{start + k}",
            "account_id": account_id,
            "caption": t,
            "posted_at": NOW + timedelta(days=k + 1),
            "_imported_at": NOW,
        }
        for k, t in enumerate(texts)
    ]
    with store.transaction() as cur:
        cur.register("_rows", pa.Table.from_pylist(rows))
        cur.execute("INSERT INTO posts BY NAME SELECT * FROM _rows")
        cur.unregister("_rows")


def test_fixture_world_has_every_group(tmp_path: Path) -> None:
    store = build_world(tmp_path / "w.duckdb")
    try:
        counts = store.table_counts()
        assert counts["accounts"] == 17
        assert counts["posts"] == 17 * 12
    finally:
        store.close()
