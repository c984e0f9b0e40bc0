"""Posts of a chunk of accounts: when, what kind, what they say, and how they engage.

Cadence is regular or bursty; drifting accounts move to another niche over the months;
paid posts are disclosed properly or not; health claims and prescription medicines are
planted mostly in health niches. Likes follow the benchmark curves of ``engagement.py``
applied to the real followers an account had when it posted, so bought followers leave
engagement flat and the real people of an organic burst lift it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from covey.world import content
from covey.world.config import MARKETS, WorldConfig
from covey.world.creators import Cast
from covey.world.engagement import (
    BENCHMARK_FAKE_SHARE,
    COMMENTS_PER_LIKE,
    LIKES_PER_VIEW,
    PLATFORMS,
    SAVES_PER_LIKE,
    SHARES_PER_LIKE,
    like_rate,
    niche_multiplier,
)
from covey.world.growth import US_PER_DAY, real_at
from covey.world.textops import blank_unless, join, tidy, where
from covey.world.vocab_niches import NICHES
from covey.world.writer import canonical_schema

_KINDS = {  # platform -> (kinds, probabilities)
    0: (("image", "carousel", "reel"), (0.45, 0.25, 0.30)),
    1: (("video",), (1.0,)),
    2: (("video", "short"), (0.7, 0.3)),
}
_ALL_KINDS = ("image", "carousel", "reel", "video", "short")
_VIDEO = np.array([k in ("reel", "video", "short") for k in _ALL_KINDS])
# Markets that spell the American way ("mom", "favorite"); the vocabulary is British.
_US_SPELLING = np.array([m[0] in ("US", "CA") for m in MARKETS])
_URL = pa.array(["https://www.instagram.com/p/", "https://www.tiktok.com/video/", "https://youtu.be/"])


@dataclass
class Network:
    """Whom a post can tag: every account's handle, accounts by niche, and the pods."""

    handles: pa.Array
    by_niche: np.ndarray  # account indices sorted by niche
    niche_offsets: np.ndarray
    pod_members: np.ndarray
    pod_offsets: np.ndarray
    pod_position: np.ndarray

    def partner(self, rng: np.random.Generator, c: Cast, acct: np.ndarray) -> np.ndarray:
        """Another account to tag: a pod partner for pod members, else one of the same niche."""
        niche = c.niche[acct]
        start, count = self.niche_offsets[niche], self.niche_offsets[niche + 1] - self.niche_offsets[niche]
        other = self.by_niche[start + (rng.random(len(acct)) * count).astype(np.int64)]
        pod = np.maximum(c.pod[acct], 0)
        size = self.pod_offsets[pod + 1] - self.pod_offsets[pod]
        step = 1 + (rng.random(len(acct)) * np.maximum(size - 1, 1)).astype(np.int64)
        pos = self.pod_offsets[pod] + (self.pod_position[acct] + step) % np.maximum(size, 1)
        in_pod = (c.pod[acct] >= 0) & (size > 1)
        mate = np.append(self.pod_members, 0)[np.where(in_pod, pos, -1)]
        return np.asarray(np.where(in_pod, mate, other))


@dataclass
class PostBatch:
    """A chunk's posts table plus what comments and truth need from it."""

    table: pa.Table
    account: np.ndarray
    posted_us: np.ndarray
    niche: np.ndarray
    comments: np.ndarray  # comment count as reported
    compliance: pa.Table
    undisclosed: np.ndarray  # per account of the chunk
    claims: np.ndarray
    rx: np.ndarray


def _times(rng: np.random.Generator, c: Cast, acct: np.ndarray, start: int, end: int) -> np.ndarray:
    n = len(acct)
    span = end - start
    regular = start + (rng.random(n) * span).astype(np.int64)
    # Bursty posters: three bursts per account, posts within days of a burst, long gaps between.
    # Three burst centres per account, drawn once per account (acct indexes them by offset).
    first = int(acct.min()) if n else 0
    centres = rng.random((int(acct.max()) - first + 1 if n else 0, 3))
    burst = rng.integers(0, 3, n)
    centre = start + (centres[acct - first, burst] * span).astype(np.int64)
    bursty = centre + (rng.exponential(3.0, n) * US_PER_DAY).astype(np.int64)
    t = np.where(c.irregular[acct], np.clip(bursty, start, end - 1), regular)
    return np.asarray(t)


def generate_posts(
    rng: np.random.Generator,
    config: WorldConfig,
    c: Cast,
    accounts: np.ndarray,
    acct_ids: pa.Array,
    acct_nums: np.ndarray,
    end_us: int,
    network: Network,
) -> PostBatch:
    """Posts of ``accounts`` (a contiguous range of account indices), sorted by account then time."""
    start_us = end_us - config.months * 30 * US_PER_DAY
    weeks = config.months * 30 / 7
    per_week = np.array([config.posts_per_week[p] for p in PLATFORMS])[c.platform[accounts]]
    n_posts = np.maximum(rng.poisson(per_week * weeks * rng.lognormal(-0.125, 0.5, len(accounts))), 1)
    acct = np.repeat(accounts, n_posts)
    t = _times(rng, c, acct, start_us, end_us)
    order = np.lexsort((t, acct))
    acct, t = acct[order], t[order]
    first = np.concatenate([[0], np.cumsum(n_posts)[:-1]])
    seq = np.arange(len(acct)) - np.repeat(first, n_posts)
    n = len(acct)
    platform, lang = c.platform[acct], c.language[acct]

    # Topic drift: after 40 % of the window, posts move to another niche with rising probability.
    progress = (t - start_us) / (end_us - start_us)
    drifted = c.drift[acct] & (rng.random(n) < np.clip((progress - 0.4) / 0.6, 0, 1) * 0.9)
    niche = np.where(drifted, c.drift_niche[acct], c.niche[acct])

    kind_idx = np.empty(n, dtype=np.int64)
    for p, (kinds, probs) in _KINDS.items():
        m = platform == p
        codes = np.array([_ALL_KINDS.index(k) for k in kinds])
        kind_idx[m] = codes[rng.choice(len(kinds), size=int(m.sum()), p=probs)]
    video = _VIDEO[kind_idx]

    # Paid posts and how (badly) they are disclosed.
    paid = rng.random(n) < c.sponsored_share[acct]
    improper = paid & (rng.random(n) < c.sloppy_disclosure[acct])
    variant = rng.integers(0, len(content.IMPROPER), n)
    claim = paid & (rng.random(n) < c.claims[acct])
    rx = rng.random(n) < np.clip(c.rx[acct] * np.where(paid, 3.0, 0.6), 0, 1)

    # Engagement from the real followers at posting time: bought followers add nothing, a burst's
    # real people engage like the others.
    real_t = real_at(c, acct, t, end_us)
    acct_noise = rng.lognormal(0.0, 0.35, len(accounts))[acct - accounts[0]]
    rate = like_rate(platform, c.followers[acct], paid) * niche_multiplier(c.niche[acct], NICHES)
    expected = real_t / (1 - BENCHMARK_FAKE_SHARE) * rate * acct_noise * rng.lognormal(0.0, 0.45, n)
    likes = rng.poisson(expected)
    lpv = np.array([LIKES_PER_VIEW[p] for p in PLATFORMS])[platform] * rng.lognormal(0, 0.3, n)
    views = np.round((likes + 1) / lpv).astype(np.int64)
    c2l = np.where(c.community[acct], COMMENTS_PER_LIKE["community"], COMMENTS_PER_LIKE["broadcast"])
    pod_bonus = np.where(c.pod[acct] >= 0, 4, 0)
    comments = (
        rng.poisson(likes * c2l * rng.lognormal(0, 0.4, n) * np.where(platform == 2, 1.5, 1.0)) + pod_bonus
    )
    social = (platform == 1) | c.insights[acct]  # TikTok shows shares and saves; insights reveal them
    shares = rng.poisson(likes * SHARES_PER_LIKE)
    saves = rng.poisson(likes * SAVES_PER_LIKE)

    # Text.
    brand = content.BRAND.pick(rng, niche)
    parts = content.caption_parts(rng, niche, lang, c.lived[acct], brand)
    proper_disc = content.DISCLOSURE.pick(rng, lang)
    proper_disc = where(
        pc.equal(proper_disc, "Paid partnership with").to_numpy(zero_copy_only=False),
        join(proper_disc, " @", brand),
        proper_disc,
    )
    head = blank_unless(paid & ~improper, proper_disc)
    claim_text = blank_unless(claim, content.CLAIMS.pick(rng, lang))
    rx_text, medicine = content.rx_sentence(rng, c.niche[acct], lang)
    rx_text = blank_unless(rx, rx_text)
    sp = blank_unless(improper & (variant == 1), pa.array(np.full(n, "#sp", dtype=object), pa.string()))
    thanks = blank_unless(improper & (variant == 2), join("Thanks @", brand, "!"))
    buried = improper & (variant == 3)
    extra_tag = blank_unless(buried, pa.array(np.full(n, "ad", dtype=object), pa.string()))
    tags = content.hashtags(rng, niche * content.NL + lang, extra_tag)
    # Shout-outs: 6 % of posts tag another account of the niche; pod members tag each other more.
    tag_other = rng.random(n) < np.where(c.pod[acct] >= 0, 0.3, 0.06)
    partner = network.partner(rng, c, acct)
    tag_other &= partner != acct
    partner_handle = network.handles.take(pa.array(partner))
    shout = blank_unless(tag_other, join("🤝 @", partner_handle))
    caption = join(
        head, " ", parts["main"], " ", parts["lived"], " ", blank_unless(paid, parts["brand"]), " ",
        claim_text, " ", rx_text, " ", thanks, " ", sp, " ", shout, " ", content.hashtag_text(tags),
    )  # fmt: skip
    caption = tidy(caption)
    caption = where(_US_SPELLING[c.market[acct]], content.american(caption), caption)
    # Mentions as the caption has them: the brand first, then the tagged account.
    counts = paid.astype(np.int64) + tag_other
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    brand_rows, tag_rows = np.flatnonzero(paid), np.flatnonzero(tag_other)
    values = pa.concat_arrays([brand.take(pa.array(brand_rows)), partner_handle.take(pa.array(tag_rows))])
    pos = np.concatenate([offsets[brand_rows], offsets[tag_rows] + paid[tag_rows]])
    mention_list = pa.ListArray.from_arrays(
        pa.array(offsets), values.take(pa.array(np.argsort(pos, kind="stable")))
    )

    platform_id = join(
        pc.cast(pa.array(acct_nums[acct]), pa.string()), "_", pc.cast(pa.array(seq), pa.string())
    )
    post_id = join(pa.array(np.array(PLATFORMS, dtype=object)[platform], pa.string()), ":", platform_id)
    title = pc.if_else(
        pa.array(platform == 2), content.titles(rng, niche, lang), pa.scalar(None, pa.string())
    )
    table = pa.table(
        {
            "post_id": post_id,
            "account_id": acct_ids.take(pa.array(acct)),
            "platform_id": platform_id,
            "kind": pa.array(np.array(_ALL_KINDS, dtype=object)[kind_idx], pa.string()),
            "title": title,
            "caption": caption,
            "hashtags": tags,
            "mentions": mention_list,
            "posted_at": pa.array(t, type=pa.timestamp("us")),
            "likes": pa.array(likes.astype(np.int64)),
            "comments": pa.array(comments.astype(np.int64)),
            "views": pa.array(views, mask=~video),
            "shares": pa.array(shares.astype(np.int64), mask=~social | (platform == 2)),
            "saves": pa.array(saves.astype(np.int64), mask=~social),
            "sponsored": pa.array(paid & ~improper),
            "url": join(_URL.take(pa.array(platform)), platform_id),
        },
        schema=canonical_schema("posts"),
    )

    # Truth: compliance problems planted in this chunk.
    undisclosed = paid & improper
    problem_rows = [
        (
            undisclosed,
            "undisclosed_sponsorship",
            pa.array(np.array(content.IMPROPER, dtype=object)[variant], pa.string()),
        ),
        (claim, "health_claim", claim_text),
        (rx, "prescription_medicine", medicine),
    ]
    pieces = []
    for mask, problem, detail in problem_rows:
        m = pa.array(mask)
        pieces.append(
            pa.table(
                {
                    "post_id": post_id.filter(m),
                    "account_id": table["account_id"].combine_chunks().filter(m),
                    "problem": pa.array(np.full(int(mask.sum()), problem, dtype=object), pa.string()),
                    "detail": detail.filter(m),
                }
            )
        )
    local = acct - accounts[0]
    return PostBatch(
        table=table,
        account=acct,
        posted_us=t,
        niche=niche,
        comments=comments,
        compliance=pa.concat_tables(pieces),
        undisclosed=np.bincount(local[undisclosed], minlength=len(accounts)),
        claims=np.bincount(local[claim], minlength=len(accounts)),
        rx=np.bincount(local[rx], minlength=len(accounts)),
    )
