"""Comments under a chunk's posts: real followers, fakes, engagement pods and creator replies.

Top-level comments come from three kinds of author: the account's real followers (a few
come back again and again), fake accounts writing generic text (at a rate
that rises with the account's fake share), and the other members of the account's pod,
who comment generically within minutes of posting. Community creators reply, and threads
go up to four turns deep; broadcast creators rarely answer.

A real commenter is a replica of one of the account's panel members (see
:func:`covey.world.people.replicas`): the replica is fixed per (account, person), so a
returning commenter keeps one id on that account, while two accounts sharing a panel
member share the commenter only as often as two real audiences would (1 in ~1/s).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from covey.world import content
from covey.world.creators import Cast
from covey.world.growth import US_PER_DAY
from covey.world.people import replica_ids, replicas
from covey.world.posts import PostBatch
from covey.world.textops import ids, join, where
from covey.world.writer import canonical_schema

US_PER_MINUTE = 60_000_000
US_PER_HOUR = 3_600_000_000


@dataclass
class Authors:
    """Who may comment: the panel's people, the fake pool, and the pods (all global)."""

    person_id: pa.Array
    person_handle: pa.Array
    scale: float  # the panel's audience_scale: each person stands for ~1/scale people
    fake_handle: pa.Array  # fake account i has id "fk<i>"
    by_niche: np.ndarray  # panel people sorted by niche interest (fallback commenters)
    niche_offsets: np.ndarray
    pod_members: np.ndarray  # account indices sorted by pod
    pod_offsets: np.ndarray
    pod_position: np.ndarray  # each account's position inside its pod's member list


@dataclass
class Members:
    """A chunk's panel members as CSR: members of local account a are person[off[a]:off[a + 1]]."""

    person: np.ndarray
    offsets: np.ndarray


def generate_comments(
    rng: np.random.Generator,
    c: Cast,
    posts: PostBatch,
    first_account: int,
    members: Members,
    authors: Authors,
    acct_ids: pa.Array,
    handles: pa.Array,
    max_per_post: int,
) -> tuple[pa.Table, np.ndarray]:
    """The comments table of a chunk, and the number stored under each post."""
    acct, t = posts.account, posts.posted_us
    n_posts = len(acct)
    pod = c.pod[acct]
    pod_size = np.where(
        pod >= 0, authors.pod_offsets[np.maximum(pod, 0) + 1] - authors.pod_offsets[np.maximum(pod, 0)], 0
    )
    n_pod = np.minimum(np.maximum(pod_size - 1, 0), 4)
    n_top = np.minimum(np.maximum(posts.comments - n_pod, 0), max_per_post) + n_pod
    pi = np.repeat(np.arange(n_posts), n_top)
    j = np.arange(len(pi)) - np.repeat(np.cumsum(n_top) - n_top, n_top)
    a = acct[pi]
    n = len(pi)

    is_pod = j < n_pod[pi]
    p_fake = np.minimum(0.03 + 0.8 * c.fake[a] / np.maximum(c.followers[a], 1), 0.85)
    is_fake = ~is_pod & (rng.random(n) < p_fake)
    is_real = ~is_pod & ~is_fake

    # Real authors: a skewed draw over the account's members, from a per-account random start,
    # so some followers come back often without the same people favoured everywhere.
    local = a - first_account
    m_off = members.offsets[local]
    m_cnt = members.offsets[local + 1] - m_off
    shift = rng.integers(0, 1 << 30, len(members.offsets))[local]
    rank = (rng.random(n) ** 2.5 * m_cnt).astype(np.int64)
    # Appending -1 keeps the gather valid for accounts with no members (they use the fallback).
    person_or_none = np.append(members.person, -1)
    member_pick = person_or_none[np.where(m_cnt > 0, m_off + (rank + shift) % np.maximum(m_cnt, 1), -1)]
    niche = posts.niche[pi]
    n_start = authors.niche_offsets[niche]
    n_cnt = authors.niche_offsets[niche + 1] - n_start
    fallback = authors.by_niche[n_start + (rng.random(n) * n_cnt).astype(np.int64)]
    person = np.where(m_cnt > 0, member_pick, fallback)
    # Which replica of the person comments here: a hash of (account, person), the same on
    # every post of the account, independent between accounts.
    mix = (person.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) ^ (
        (a.astype(np.uint64) + np.uint64(1)) * np.uint64(0xC2B2AE3D27D4EB4F)
    )
    mix = (mix ^ (mix >> np.uint64(31))) * np.uint64(0x94D049BB133111EB)
    rep = ((mix >> np.uint64(32)) % replicas(person, authors.scale).astype(np.uint64)).astype(np.int64)

    fake_id = rng.integers(0, len(authors.fake_handle), n)
    pod_off = authors.pod_offsets[np.maximum(c.pod[a], 0)]
    pod_pos = (authors.pod_position[a] + 1 + j) % np.maximum(pod_size[pi], 1)
    pod_author = np.append(authors.pod_members, 0)[np.where(is_pod, pod_off + pod_pos, -1)]
    author_id = where(is_real, replica_ids(authors.person_id, person, rep), ids("fk", fake_id))
    author_id = where(is_pod, acct_ids.take(pa.array(pod_author)), author_id)
    handle = where(
        is_real, authors.person_handle.take(pa.array(person)), authors.fake_handle.take(pa.array(fake_id))
    )
    handle = where(is_pod, handles.take(pa.array(pod_author)), handle)
    lang = c.language[a]
    text = where(is_real, content.comment_text(rng, niche, lang), content.generic_text(rng, n))
    delay = np.where(
        is_pod,
        rng.uniform(1, 20, n) * US_PER_MINUTE,
        np.where(
            is_fake, rng.exponential(3.0, n) * US_PER_HOUR, rng.lognormal(np.log(6.0), 1.2, n) * US_PER_HOUR
        ),
    )
    posted = t[pi] + np.minimum(delay, 60 * US_PER_DAY).astype(np.int64)
    post_id = posts.table["post_id"].combine_chunks()
    comment_id = join(post_id.take(pa.array(pi)), "-", ids("", j))
    likes = np.where(is_real, rng.poisson(0.8, n), rng.poisson(0.1, n))

    levels = [
        {
            "comment_id": comment_id, "post": pi, "author_id": author_id, "handle": handle, "text": text,
            "posted": posted, "reply_to": pa.nulls(n, pa.string()), "by_creator": np.zeros(n, bool),
            "likes": likes,
        }
    ]  # fmt: skip
    # Threads: creator reply, commenter follow-up, creator again.
    parent_ok = is_real
    reply_p = np.where(c.community[a], 0.6, 0.03)
    original_author, original_handle = author_id, handle
    for depth in (1, 2, 3):
        prev = levels[-1]
        p = reply_p if depth == 1 else np.full(len(prev["post"]), 0.35 if depth == 2 else 0.5)
        keep = parent_ok & (rng.random(len(prev["post"])) < p)
        k = pa.array(keep)
        rows = np.flatnonzero(keep)
        ppi = prev["post"][rows]
        pa_acct = acct[ppi]
        m = len(rows)
        creator_turn = depth != 2
        if creator_turn:
            a_id, a_handle = acct_ids.take(pa.array(pa_acct)), handles.take(pa.array(pa_acct))
            txt = content.REPLIES.pick(rng, c.language[pa_acct])
        else:
            a_id, a_handle = original_author.filter(k), original_handle.filter(k)
            txt = content.FOLLOWUPS.pick(rng, c.language[pa_acct])
        levels.append(
            {
                "comment_id": join(prev["comment_id"].filter(k), "r"), "post": ppi, "author_id": a_id,
                "handle": a_handle, "text": txt,
                "posted": prev["posted"][rows] + (rng.exponential(5.0, m) * US_PER_HOUR).astype(np.int64),
                "reply_to": prev["comment_id"].filter(k), "by_creator": np.full(m, creator_turn),
                "likes": rng.poisson(0.5, m),
            }
        )  # fmt: skip
        parent_ok = np.ones(m, dtype=bool)
        original_author, original_handle = (
            (original_author.filter(k), original_handle.filter(k)) if creator_turn else (a_id, a_handle)
        )
    table = pa.table(
        {
            "comment_id": pa.concat_arrays([lv["comment_id"] for lv in levels]),
            "post_id": post_id.take(pa.array(np.concatenate([lv["post"] for lv in levels]))),
            "author_id": pa.concat_arrays([lv["author_id"] for lv in levels]),
            "author_handle": pa.concat_arrays([lv["handle"] for lv in levels]),
            "text": pa.concat_arrays([lv["text"] for lv in levels]),
            "posted_at": pa.array(np.concatenate([lv["posted"] for lv in levels]), pa.timestamp("us")),
            "reply_to": pa.concat_arrays([lv["reply_to"] for lv in levels]),
            "by_creator": pa.array(np.concatenate([lv["by_creator"] for lv in levels])),
            "likes": pa.array(np.concatenate([lv["likes"] for lv in levels]).astype(np.int64)),
        },
        schema=canonical_schema("comments"),
    )
    stored = np.bincount(np.concatenate([lv["post"] for lv in levels]), minlength=n_posts)
    return table, stored
