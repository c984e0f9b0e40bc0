"""Micro-communities: groups of creators whose audiences overlap, named by what they post about.

Audience samples are sparse: a 200-follower sample of a 20k-follower account covers 1 % of it,
so two accounts sharing 30 % of their audiences share about 0.6 sampled members. One shared
member is weak evidence; many accounts each weakly linked to the others are strong evidence.
So every shared real-looking member (after the bot filters) links two accounts, and the
links are clustered by modularity, which weighs each pair's links against the chance level.

Why modularity is the coverage correction: if samples are uniform, accounts a and b with
samples n_a, n_b of audiences F_a, F_b share on average ``s_ab = c_a c_b O_ab`` members
(coverage ``c = n / F``, ``O_ab`` the shared real audience), and ``n_a n_b / P`` by chance
(P people in all). The corrected overlap over its chance value, ``O_ab P / (F_a F_b)``, is
``s_ab P / (n_a n_b)``; modularity's null model expects ``k_a k_b / 2m`` links, and an account's
link total k grows with its sample just as ``n_a`` does, so it compares ``s_ab`` with its chance
value without scaling the counts up. Counts stay counts, so a single member shared by two big
accounts (a huge corrected overlap, resting on one observation) is worth one link, not a
thousand. The corrected overlaps ``s_ab / (c_a c_b)`` are still computed, to describe groups.

Louvain (numpy, deterministic): nodes move to the neighbouring community with the best
modularity gain, many per round but never two whose moves spoil each other's gains (so nodes
never swap back and forth); then communities become nodes and it repeats.
Each group is named by the hashtags most over-represented in its posts, and its countries.
Planning can spread a campaign across communities with :func:`spread`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from covey.discovery.graph import louvain, resolution_for
from covey.discovery.lookalike import FAKE_MAX, real_audience
from covey.store import Store

log = logging.getLogger("covey.discovery.communities")

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# A member seen in more audiences than this (sampled or commenting, anywhere in the database,
# before any filter) is likelier a seller's bot than a fan: bots come in farms that every buyer
# shares, while a real person is rarely caught by more than two small samples. Raise it when
# samples cover most of each audience (full follower lists), where fans do show up many times.
MAX_MEMBER_ACCOUNTS = 3
# An account tied to its community by at least this many shared members (weighted as the links
# are) is in its core: on the sample world, pairs of core accounts share a niche 38 % of the time
# against 26 % for all pairs in a community (11 % by chance).
CORE_LINKS = 3.0
THEME_WORDS = 3
MIN_THEME_LIFT = 2.0  # a theme is used by at least twice the share of the group's accounts as overall


@dataclass
class Community:
    """A group of accounts whose audiences overlap.

    ``internal_overlap`` is the mean, over every pair of accounts in the group, of the
    coverage-corrected share of the smaller audience the pair shares (pairs with nothing in
    common count as 0; pairs with an unknown follower count are left out). ``extra`` holds
    ``links`` (pairs sharing a member), ``shared_members``, ``lift`` (the group's links over
    what chance would put inside it), ``core`` (the accounts tied to the group by at least
    ``CORE_LINKS`` shared members; the others rest on one or two) and ``countries``.
    """

    community_id: int
    name: str
    themes: list[str]
    account_ids: list[str]
    handles: list[str]
    internal_overlap: float
    audience: int  # distinct known real-looking audience members
    extra: dict[str, object] = field(default_factory=dict)


def known_audience(
    store: Store, accounts: Sequence[str] | None = None, audience: pa.Table | None = None
) -> pa.Table:
    """(account_id, member_id) of the audience members that can link accounts.

    Starts from :func:`real_audience` (sampled profiles the classifier believes, and
    commenters) and drops: commenters whose own profile was sampled anywhere in the database and
    judged fake (fake commenters have no profile of their own, but bot farms follow as well as
    comment); commenters who are accounts in the database (creators and engagement pods, not
    audience); and members seen in more than ``MAX_MEMBER_ACCOUNTS`` audiences. ``audience``
    is a :func:`real_audience` table of the same accounts (read when None).
    """
    audience = real_audience(store, accounts) if audience is None else audience
    only = only_s = "TRUE"
    tables: dict[str, pa.Table] = {"_aud": audience}
    elsewhere: list[str] = []
    if accounts is not None:
        tables["_only"] = pa.table({"account_id": pa.array(list(accounts), pa.string())})
        only = "account_id IN (SELECT account_id FROM _only)"
        only_s = "s.account_id IN (SELECT o.account_id FROM _only o)"
        elsewhere = _fake_elsewhere(store, tables)
    tables["_fake_elsewhere"] = pa.table({"member_id": pa.array(elsewhere, pa.string())})
    return store.sql(
        f"""WITH aud AS (SELECT DISTINCT account_id, member_id FROM _aud WHERE {only}),
            judged_fake AS (
                SELECT DISTINCT s.member_id FROM audience_samples s
                WHERE {only_s}
                  AND NOT EXISTS (SELECT 1 FROM aud
                                  WHERE aud.account_id = s.account_id AND aud.member_id = s.member_id)
                UNION SELECT member_id FROM _fake_elsewhere),
            seen AS (
                SELECT account_id, member_id FROM audience_samples
                UNION SELECT p.account_id, c.author_id FROM comments c JOIN posts p USING (post_id)
                WHERE c.by_creator IS NOT TRUE),
            crowded AS (SELECT member_id FROM seen GROUP BY 1 HAVING count(*) > {MAX_MEMBER_ACCOUNTS})
            SELECT account_id, member_id FROM aud
            WHERE member_id NOT IN (SELECT member_id FROM judged_fake)
              AND member_id NOT IN (SELECT member_id FROM crowded)
              AND member_id NOT IN (SELECT account_id FROM accounts)
            ORDER BY account_id, member_id""",
        **tables,
    )


def _fake_elsewhere(store: Store, tables: dict[str, pa.Table]) -> list[str]:
    """Members of the ``_aud`` table whose profile, sampled outside the ``_only`` table, looks fake.

    :func:`real_audience` classifies the chosen accounts' samples alone; a bot commenting on a
    chosen account may have been sampled as a follower of another.
    """
    profiles = store.sql(
        """SELECT * FROM audience_samples
           WHERE account_id NOT IN (SELECT account_id FROM _only)
             AND member_id IN (SELECT member_id FROM _aud)""",
        **tables,
    )
    if not profiles.num_rows:
        return []
    from covey.audience import load_model

    fake = load_model().predict_proba(profiles) >= FAKE_MAX
    return sorted(set(profiles.column("member_id").filter(pa.array(fake)).to_pylist()))


# (account_id, real_followers, coverage) over a registered ``_known`` table. Real followers: the
# latest follower count times the share of sampled profiles kept as real (all of it when nothing
# was sampled), at least the members known; coverage: members known over real followers.
COVERAGE_SQL = """
    WITH snap AS (SELECT account_id, arg_max(followers, taken_at) AS followers
                  FROM account_snapshots WHERE followers IS NOT NULL GROUP BY 1),
    sampled AS (SELECT account_id, count(DISTINCT member_id) AS n FROM audience_samples GROUP BY 1),
    kept AS (SELECT k.account_id, count(*) AS n FROM _known k
             SEMI JOIN audience_samples s ON s.account_id = k.account_id AND s.member_id = k.member_id
             GROUP BY 1),
    ids AS (SELECT account_id, count(*) AS n FROM _known GROUP BY 1),
    real AS (
        SELECT ids.account_id, ids.n,
               greatest(snap.followers * coalesce(kept.n / nullif(sampled.n, 0), 1.0), ids.n)
                   AS real_followers
        FROM ids JOIN snap USING (account_id)
        LEFT JOIN sampled USING (account_id) LEFT JOIN kept USING (account_id))
    SELECT account_id, real_followers, n / real_followers AS coverage FROM real"""


def overlap_edges(
    store: Store, accounts: Sequence[str] | None = None, audience: pa.Table | None = None
) -> pa.Table:
    """Account pairs (a < b) sharing at least one known audience member.

    Columns: ``a``, ``b``; ``shared`` (members in both); ``weight`` (each shared member seen in
    d audiences adds 1 / (d - 1), so it links every account it touches with one unit in all);
    ``overlap`` (coverage-corrected estimate of shared real followers, shared / (c_a c_b), null
    when a follower count is unknown) and ``overlap_share`` (that over the smaller real audience,
    at most 1). ``audience`` is a :func:`known_audience` table (computed when None).
    """
    known = known_audience(store, accounts) if audience is None else audience
    return store.sql(
        f"""WITH deg AS (SELECT member_id, count(*) AS d FROM _known GROUP BY 1 HAVING count(*) >= 2),
            pairs AS (
                SELECT x.account_id AS a, y.account_id AS b, count(*) AS shared,
                       sum(1.0 / (deg.d - 1)) AS weight
                FROM _known x JOIN deg USING (member_id)
                JOIN _known y ON y.member_id = x.member_id AND x.account_id < y.account_id
                GROUP BY 1, 2),
            cov AS ({COVERAGE_SQL})
            SELECT a, b, shared, weight,
                   shared / (ca.coverage * cb.coverage) AS overlap,
                   least(1.0, shared / (ca.coverage * cb.coverage)
                         / least(ca.real_followers, cb.real_followers)) AS overlap_share
            FROM pairs LEFT JOIN cov ca ON ca.account_id = a LEFT JOIN cov cb ON cb.account_id = b
            ORDER BY a, b""",
        _known=known,
    )


def _themes(store: Store, groups: dict[int, list[str]]) -> dict[int, list[str]]:
    """Each group's hashtags, by how much more of its accounts use them than accounts overall.

    Counted per account (not per post), against every account in the database; tags used
    about as much everywhere (#instagood, #ad) name nothing and are skipped.
    """
    rows = [(a, g) for g, accts in groups.items() for a in accts]
    if not rows:
        return {}
    table = store.sql(
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
            ORDER BY g, s DESC, tag""",
        _groups=pa.table({"account_id": [r[0] for r in rows], "g": [r[1] for r in rows]}),
    )
    found = zip(table.column("g").to_pylist(), table.column("tag").to_pylist(), strict=True)
    out: dict[int, list[str]] = {}
    for g, tag in found:
        out.setdefault(int(g), []).append(tag)
    return out


def find_communities(
    store: Store,
    accounts: Sequence[str] | None = None,
    *,
    min_size: int = 2,
    resolution: float | None = None,
) -> list[Community]:
    """Communities among ``accounts`` (all accounts when None), largest first.

    Accounts that share no known audience member with another, and groups smaller than
    ``min_size``, are in no community. ``resolution`` overrides :func:`resolution_for`.
    """
    known = known_audience(store, accounts)
    edges = overlap_edges(store, accounts, known)
    a_ids = edges.column("a").to_numpy(zero_copy_only=False)
    b_ids = edges.column("b").to_numpy(zero_copy_only=False)
    ids, inv = np.unique(np.concatenate([a_ids, b_ids]).astype(str), return_inverse=True)
    if not len(ids):
        return []
    src, dst = inv[: len(a_ids)].astype(np.int64), inv[len(a_ids) :].astype(np.int64)
    weight = edges.column("weight").to_numpy().astype(np.float64)
    gamma = resolution_for(weight) if resolution is None else resolution
    labels = louvain(len(ids), src, dst, weight, resolution=gamma)
    log.info("communities: %d accounts linked by %d pairs, resolution %.2f", len(ids), len(weight), gamma)

    groups: dict[int, list[str]] = {}
    for a, lab in zip(ids.tolist(), labels.tolist(), strict=True):
        groups.setdefault(lab, []).append(a)
    groups = {g: m for g, m in groups.items() if len(m) >= min_size}
    themes = _themes(store, groups)
    handles = dict(store.query("SELECT account_id, handle FROM accounts"))
    countries = dict(store.query("SELECT account_id, coalesce(upper(country), '?') FROM accounts"))
    stats = _group_stats(store, known, edges, labels[src], labels[dst], ids, labels)
    # Evidence per account: the weight of its links inside its own community.
    same = labels[src] == labels[dst]
    inside = np.bincount(src[same], weights=weight[same], minlength=len(ids)) + np.bincount(
        dst[same], weights=weight[same], minlength=len(ids)
    )
    core = dict(zip(ids.tolist(), (inside >= CORE_LINKS).tolist(), strict=True))
    out = []
    for rank_, (g, members) in enumerate(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])), 1):
        t = themes.get(g, [])
        top = _where(members, countries)
        out.append(
            Community(
                community_id=rank_,
                name=(" / ".join(f"#{x}" for x in t) if t else f"community {rank_}") + f" ({', '.join(top)})",
                themes=t,
                account_ids=members,
                handles=[handles.get(a, a) for a in members],
                internal_overlap=stats[g].overlap,
                audience=stats[g].audience,
                extra={
                    "links": stats[g].links,
                    "shared_members": stats[g].shared,
                    "lift": stats[g].lift,
                    "core": [a for a in members if core[a]],
                    "countries": top,
                },
            )
        )
    return out


def _group_stats(
    store: Store,
    known: pa.Table,
    edges: pa.Table,
    src_label: IntArray,
    dst_label: IntArray,
    ids: npt.NDArray[np.str_],
    labels: IntArray,
) -> dict[int, _Stats]:
    """Per label: links, shared members, lift over chance, mean corrected overlap, audience."""
    weight = edges.column("weight").to_numpy().astype(np.float64)
    shared = edges.column("shared").to_numpy().astype(np.int64)
    share = edges.column("overlap_share").to_numpy(zero_copy_only=False).astype(np.float64)
    k = int(labels.max()) + 1
    inside = src_label == dst_label
    lab = src_label[inside]
    links = np.bincount(lab, minlength=k)
    w_in = np.bincount(lab, weights=weight[inside], minlength=k)
    # Configuration null model: a group whose links total tot would hold tot^2 / 4m by chance.
    tot = np.bincount(src_label, weights=weight, minlength=k) + np.bincount(
        dst_label, weights=weight, minlength=k
    )
    chance = tot**2 / (4.0 * weight.sum())
    share_in = np.bincount(lab, weights=np.nan_to_num(share[inside]), minlength=k)
    # Pairs with an unknown follower count have no corrected overlap: they leave the mean.
    with_count = [
        r[0]
        for r in store.query("SELECT DISTINCT account_id FROM account_snapshots WHERE followers IS NOT NULL")
    ]
    counted = np.bincount(labels[np.isin(ids, np.array(with_count, dtype=str))], minlength=k)
    pairs = counted * (counted - 1) / 2
    per_group = store.sql(
        "SELECT g, count(DISTINCT member_id) AS n FROM _known JOIN _label USING (account_id) GROUP BY g",
        _known=known,
        _label=pa.table({"account_id": pa.array(ids.tolist(), pa.string()), "g": labels}),
    )
    audience = dict(zip(per_group.column("g").to_pylist(), per_group.column("n").to_pylist(), strict=True))
    shared_in = np.bincount(lab, weights=shared[inside], minlength=k)
    return {
        g: _Stats(
            links=int(links[g]),
            shared=int(shared_in[g]),
            lift=round(float(w_in[g] / chance[g]), 2) if chance[g] > 0 else 0.0,
            overlap=round(float(share_in[g] / pairs[g]), 4) if pairs[g] > 0 else 0.0,
            audience=int(audience.get(g, 0)),
        )
        for g in np.unique(labels).tolist()
    }


class _Stats(NamedTuple):
    links: int
    shared: int
    lift: float
    overlap: float
    audience: int


def _where(members: Sequence[str], countries: dict[str, str]) -> list[str]:
    """The group's most common countries (up to three), which tell apart groups of one niche."""
    counts: dict[str, int] = {}
    for a in members:
        counts[countries.get(a, "?")] = counts.get(countries.get(a, "?"), 0) + 1
    return sorted(counts, key=lambda c: (-counts[c], c))[:3]


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
