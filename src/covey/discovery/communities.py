"""Micro-communities: groups of creators whose audiences overlap, named by what they post about.

Two accounts are linked when they share audience members (sampled followers, engagers and
commenters, by member id); the link weighs the Jaccard index of their known audiences.
Weighted label propagation (deterministic: ties go to the smallest label, nodes in a fixed
order) groups them; each group is named by the hashtags most over-represented in its posts.
Planning can spread a campaign across communities with :func:`spread`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from covey.discovery.lookalike import real_audience
from covey.store import DuckDBStore

log = logging.getLogger("covey.discovery.communities")

MIN_SHARED = 3  # members two accounts must share before they are linked
# A member in more sampled audiences than this is likelier a seller's bot than a fan (fans of a
# niche do follow several creators, so keep this above 2 unless samples are large).
MAX_MEMBER_ACCOUNTS = 3
MIN_JACCARD = 0.01
ITERATIONS = 20
THEME_WORDS = 3
MIN_THEME_LIFT = 2.0  # a theme is used by at least twice the share of the group's accounts as overall


@dataclass
class Community:
    """A group of accounts whose audiences overlap."""

    community_id: int
    name: str
    themes: list[str]
    account_ids: list[str]
    handles: list[str]
    internal_overlap: float  # mean Jaccard of the links inside the group
    audience: int  # distinct known audience members
    extra: dict[str, object] = field(default_factory=dict)


def overlap_edges(
    store: DuckDBStore, accounts: Sequence[str] | None = None, audience: pa.Table | None = None
) -> pa.Table:
    """Account pairs (a < b) sharing >= MIN_SHARED real-looking members: a, b, shared, jaccard."""
    audience = real_audience(store, accounts) if audience is None else audience
    cur = store.cursor()
    try:
        cur.register("_aud", audience)
        restrict = ""
        if accounts is not None:
            cur.register("_only", pa.table({"account_id": list(accounts)}))
            restrict = "WHERE account_id IN (SELECT account_id FROM _only)"
        return cur.sql(
            f"""WITH aud0 AS (SELECT DISTINCT account_id, member_id FROM _aud {restrict}),
                aud AS (SELECT * FROM aud0 WHERE member_id IN (
                    SELECT member_id FROM aud0 GROUP BY member_id HAVING count(*) <= {MAX_MEMBER_ACCOUNTS})),
                sizes AS (SELECT account_id, count(*) AS n FROM aud GROUP BY account_id),
                pairs AS (
                    SELECT x.account_id AS a, y.account_id AS b, count(*) AS shared
                    FROM aud x JOIN aud y ON x.member_id = y.member_id AND x.account_id < y.account_id
                    GROUP BY 1, 2 HAVING count(*) >= {MIN_SHARED})
                SELECT a, b, shared, shared / (sa.n + sb.n - shared) AS jaccard
                FROM pairs JOIN sizes sa ON sa.account_id = a JOIN sizes sb ON sb.account_id = b
                WHERE shared / (sa.n + sb.n - shared) >= {MIN_JACCARD}"""
        ).to_arrow_table()
    finally:
        cur.close()


def label_propagation(n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Community label per node by weighted label propagation over an undirected graph."""
    labels = np.arange(n)
    if len(src) == 0:
        return labels
    # Each node also votes for its own label with its strongest link's weight: synchronous
    # updates would otherwise make two linked nodes swap labels forever.
    strongest = np.zeros(n)
    np.maximum.at(strongest, src, weight)
    np.maximum.at(strongest, dst, weight)
    nodes = np.arange(n)
    u = np.concatenate([src, dst, nodes])
    v = np.concatenate([dst, src, nodes])
    w = np.concatenate([weight, weight, strongest]).astype(np.float64)
    for _ in range(ITERATIONS):
        # Summed weight of each (node, neighbour label); each node takes its heaviest label.
        key = u * n + labels[v]
        uniq, inv = np.unique(key, return_inverse=True)
        total = np.bincount(inv, weights=w)
        node, lab = uniq // n, uniq % n
        order = np.lexsort((lab, -total, node))  # per node: heaviest first, then smallest label
        first = np.ones(len(order), dtype=bool)
        first[1:] = node[order][1:] != node[order][:-1]
        new = labels.copy()
        new[node[order][first]] = lab[order][first]
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def _themes(store: DuckDBStore, groups: dict[int, list[str]]) -> dict[int, list[str]]:
    """Each group's hashtags, by how much more of its accounts use them than accounts overall.

    Counted per account (not per post), against every account in the database; tags used
    about as much everywhere (#instagood, #ad) name nothing and are skipped.
    """
    rows = [(a, g) for g, accts in groups.items() for a in accts]
    if not rows:
        return {}
    cur = store.cursor()
    try:
        cur.register("_groups", pa.table({"account_id": [r[0] for r in rows], "g": [r[1] for r in rows]}))
        found = cur.sql(
            f"""WITH tags AS (
                    SELECT DISTINCT p.account_id, lower(t.tag) AS tag
                    FROM posts p, unnest(coalesce(p.hashtags, []::VARCHAR[])) AS t(tag)),
                everyone AS (SELECT count(DISTINCT account_id) AS n FROM tags),
                df AS (SELECT tag, count(*) AS df FROM tags GROUP BY tag),
                grp AS (
                    SELECT g.g, t.tag, count(*) AS n
                    FROM tags t JOIN _groups g USING (account_id) GROUP BY ALL),
                gsize AS (SELECT g, count(*) AS n FROM _groups GROUP BY g),
                scored AS (
                    SELECT grp.g, grp.tag, (grp.n / gsize.n) / (df.df / everyone.n) * ln(1 + grp.n) AS s
                    FROM grp JOIN df USING (tag) JOIN gsize USING (g), everyone
                    WHERE (grp.n / gsize.n) / (df.df / everyone.n) >= {MIN_THEME_LIFT})
                SELECT g, tag FROM scored
                QUALIFY row_number() OVER (PARTITION BY g ORDER BY s DESC, tag) <= {THEME_WORDS}
                ORDER BY g, s DESC, tag"""
        ).fetchall()
    finally:
        cur.close()
    out: dict[int, list[str]] = {}
    for g, tag in found:
        out.setdefault(int(g), []).append(tag)
    return out


def find_communities(
    store: DuckDBStore, accounts: Sequence[str] | None = None, *, min_size: int = 2
) -> list[Community]:
    """Communities among ``accounts`` (all accounts when None), largest first."""
    audience = real_audience(store, accounts)
    edges = overlap_edges(store, accounts, audience)
    ids = sorted(set(edges.column("a").to_pylist()) | set(edges.column("b").to_pylist()))
    if not ids:
        return []
    pos = {a: i for i, a in enumerate(ids)}
    src = np.array([pos[a] for a in edges.column("a").to_pylist()], dtype=np.int64)
    dst = np.array([pos[b] for b in edges.column("b").to_pylist()], dtype=np.int64)
    jac = edges.column("jaccard").to_numpy()
    labels = label_propagation(len(ids), src, dst, jac)
    groups: dict[int, list[str]] = {}
    for a, lab in zip(ids, labels, strict=True):
        groups.setdefault(int(lab), []).append(a)
    groups = {g: m for g, m in groups.items() if len(m) >= min_size}
    themes = _themes(store, groups)
    handles = dict(store.query("SELECT account_id, handle FROM accounts"))
    countries = dict(store.query("SELECT account_id, coalesce(upper(country), '?') FROM accounts"))
    per = audience.group_by("account_id").aggregate([("member_id", "count_distinct")])
    sizes = dict(zip(per.column("account_id").to_pylist(), per.column(1).to_pylist(), strict=True))
    out = []
    for rank_, (g, members) in enumerate(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])), 1):
        inside = labels[src] == labels[dst]
        same = inside & (labels[src] == g)
        t = themes.get(g, [])
        out.append(
            Community(
                community_id=rank_,
                name=(" / ".join(f"#{x}" for x in t) if t else f"community {rank_}")
                + _where(members, countries),
                themes=t,
                account_ids=members,
                handles=[handles.get(a, a) for a in members],
                internal_overlap=round(float(jac[same].mean()) if same.any() else 0.0, 4),
                audience=int(sum(sizes.get(a, 0) for a in members)),
            )
        )
    return out


def _where(members: Sequence[str], countries: dict[str, str]) -> str:
    """' (GB, US)': the group's most common countries, which tell apart groups of one niche."""
    counts: dict[str, int] = {}
    for a in members:
        counts[countries.get(a, "?")] = counts.get(countries.get(a, "?"), 0) + 1
    top = sorted(counts, key=lambda c: (-counts[c], c))[:3]
    return f" ({', '.join(top)})"


def community_of(communities: Sequence[Community]) -> dict[str, int]:
    """account_id -> community_id."""
    return {a: c.community_id for c in communities for a in c.account_ids}


def spread(ranked: Sequence[str], communities: Sequence[Community], k: int) -> list[str]:
    """Pick ``k`` of ``ranked`` (best first) round-robin across communities.

    Each pass takes the best not-yet-chosen account of every community in turn, so a
    campaign reaches several audiences instead of buying frequency in one; accounts in no
    community form one group of their own each.
    """
    of = community_of(communities)
    queues: dict[object, list[str]] = {}
    for a in ranked:
        queues.setdefault(of.get(a, f"solo:{a}"), []).append(a)
    chosen: list[str] = []
    while len(chosen) < k and any(queues.values()):
        for key in list(queues):
            if queues[key] and len(chosen) < k:
                chosen.append(queues[key].pop(0))
    return chosen
