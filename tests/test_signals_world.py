"""A small hand-made world with planted problems, written into a real DuckDB store.

Shared by the signal, score and Spark-parity tests. Every planted problem is known, so
tests can check that the signal that should catch it does, and the others stay quiet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pyarrow as pa

from covey.model import TABLES_BY_NAME
from covey.store import DuckDBStore

T0 = datetime(2026, 1, 1)
N_POSTS = 30


@dataclass
class MiniWorld:
    """Ground truth of the hand-made world."""

    accounts: list[str] = field(default_factory=list)
    pod: set[str] = field(default_factory=set)
    bought: set[str] = field(default_factory=set)
    fake_heavy: set[str] = field(default_factory=set)
    undisclosed: set[str] = field(default_factory=set)
    health: set[str] = field(default_factory=set)
    profane: set[str] = field(default_factory=set)
    replier: set[str] = field(default_factory=set)
    drift: set[str] = field(default_factory=set)

    @property
    def problems(self) -> set[str]:
        return self.pod | self.bought | self.fake_heavy | self.undisclosed | self.health | self.profane


def follower_profile(aid: str, m: int, fake: bool) -> dict[str, object]:
    """Sampled follower ``m`` of ``aid``: a farm-like profile when ``fake``, an ordinary person otherwise."""
    return {"account_id": aid, "member_id": f"{aid}/m{m}", "relation": "follower",
            "username": f"user{m:05d}x" if fake else f"reader_{m}", "has_profile_pic": not fake,
            "following": 4000 if fake else 250, "followers": 3 if fake else 300,
            "posts": 0 if fake else 40, "bio": "" if fake else "runner, mum"}  # fmt: skip


def _insert(store: DuckDBStore, table: str, rows: list[dict[str, object]]) -> None:
    cols = TABLES_BY_NAME[table].column_names
    data = pa.Table.from_pylist([{c: r.get(c) for c in cols} for r in rows])
    with store.transaction() as cur:
        cur.register("_rows", data)
        names = ", ".join(f'"{c}"' for c in cols)
        cur.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _rows")
        cur.unregister("_rows")


def build_world(store: DuckDBStore, n_accounts: int = 48, seed: int = 7) -> MiniWorld:
    """Write accounts, snapshots, posts, comments and audience samples; return the truth."""
    rng = np.random.default_rng(seed)
    w = MiniWorld()
    accounts, snaps, posts, comments, audience = [], [], [], [], []
    niches = ("ibd", "running")
    pod_ring = [f"pod{i}" for i in range(6)]
    fans = [f"fan{i}" for i in range(400)]
    for i in range(n_accounts):
        aid = f"instagram:{i}"
        w.accounts.append(aid)
        niche = niches[i % 2]
        role = i % 8
        if role == 1:
            w.pod.add(aid)
        elif role == 2:
            w.bought.add(aid)
        elif role == 3:
            w.fake_heavy.add(aid)
        elif role == 4 and i < 24:
            w.undisclosed.add(aid)
        elif role == 4:
            w.health.add(aid)
        elif role == 5 and i < 24:
            w.profane.add(aid)
        if role in (0, 6):
            w.replier.add(aid)
        if role == 7 and i > 24:
            w.drift.add(aid)
        followers = int(rng.integers(2_000, 60_000))
        accounts.append(
            {"account_id": aid, "creator_id": aid, "platform": "instagram", "handle": f"creator{i}",
             "created_at": date(2018, 1, 1) + timedelta(days=int(rng.integers(0, 1500)))}
        )  # fmt: skip
        f = followers * 0.8
        for k in range(8):
            if aid in w.bought and k == 5:
                f *= 1.4
            else:
                f *= 1.03
            snaps.append(
                {"account_id": aid, "taken_at": T0 + timedelta(days=30 * k), "followers": int(f),
                 "following": 300, "posts": 100 + k * 4}
            )  # fmt: skip
        rate = rng.uniform(0.02, 0.06)
        for j in range(N_POSTS):
            pid = f"{aid}/p{j}"
            at = T0 + timedelta(days=7 * j + float(rng.uniform(0, 1)))
            on_topic = not (aid in w.drift and j >= N_POSTS // 2)
            tags = [niche, f"{niche}life", "love"] if on_topic else ["food", "travel", "love"]
            caption = f"Day {j} of my {niche} story"
            if aid in w.undisclosed and j % 5 == 0:
                caption += " use my code SAVE20 for 20% off, link in bio"
            if aid in w.health and j % 6 == 0:
                caption += " this tea cures inflammation, clinically proven"
            if aid in w.profane and j % 7 == 0:
                caption += " what the fuck is this weather"
            if role == 0 and j % 10 == 0:
                caption = "#ad Paid partnership with Brand: " + caption
            likes = int(followers * rate * rng.uniform(0.8, 1.2))
            n_comments = 8
            posts.append(
                {"post_id": pid, "account_id": aid, "kind": "image", "caption": caption, "hashtags": tags,
                 "posted_at": at, "likes": likes, "comments": n_comments, "url": f"https://x.test/{pid}"}
            )  # fmt: skip
            for c in range(n_comments):
                cid = f"{pid}/c{c}"
                if aid in w.pod and c < 5:
                    author, when, text = pod_ring[c], at + timedelta(minutes=2 + c), "great post 🔥"
                else:
                    author = fans[int(rng.integers(0, 40)) + 40 * (i % 10)]
                    when = at + timedelta(hours=float(rng.uniform(1, 48)))
                    text = "I had the same flare last spring, what helped you?" if c % 2 else "😍😍"
                comments.append(
                    {"comment_id": cid, "post_id": pid, "author_id": author, "text": text, "posted_at": when}
                )
                if aid in w.replier and c % 2 == 0:
                    comments.append(
                        {"comment_id": cid + "/r", "post_id": pid, "author_id": aid, "text": "thank you!",
                         "posted_at": when + timedelta(minutes=30), "reply_to": cid, "by_creator": True}
                    )  # fmt: skip
        # Bought followers are fakes and stay: a 40 % jump leaves about 30 % more fakes in the sample.
        fake_rate = 0.45 if aid in w.fake_heavy else 0.35 if aid in w.bought else 0.05
        for m in range(100):
            fake = rng.uniform() < fake_rate
            audience.append(follower_profile(aid, m, fake))
    _insert(store, "accounts", accounts)
    _insert(store, "account_snapshots", snaps)
    _insert(store, "posts", posts)
    _insert(store, "comments", comments)
    _insert(store, "audience_samples", audience)
    return w


def test_world_has_every_table(store: DuckDBStore) -> None:
    world = build_world(store)
    counts = store.table_counts()
    assert counts["accounts"] == len(world.accounts)
    assert counts["posts"] == len(world.accounts) * N_POSTS
    assert counts["comments"] > counts["posts"]
    assert world.pod and world.bought and world.fake_heavy and world.undisclosed
