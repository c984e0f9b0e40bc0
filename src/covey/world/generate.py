"""Generate a sample world: canonical data files plus the ground truth, chunk by chunk.

Order of work: draw creators and accounts (``creators.cast``), the people panel and a
pool of fake accounts; then, for each chunk of ``chunk_accounts`` accounts, its panel
memberships, posts, comments, snapshots and follower samples, written as row groups so
memory stays bounded; finally the per-account truth. Every chunk has its own random
stream derived from the seed, so the same seed gives byte-identical files.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from covey.world.audience import FakePool, sample_audience
from covey.world.comments import Authors, Members, generate_comments
from covey.world.config import MARKETS, WorldConfig, WorldSummary
from covey.world.content import KW
from covey.world.creators import MARKET_LANG, Cast, cast
from covey.world.engagement import PLATFORMS
from covey.world.growth import growth_events, post_key, snapshot_times, snapshots
from covey.world.partial import account_shapes, cut_comments, cut_rows, cut_snapshots, shapes_table
from covey.world.people import FIRST, LAST, Panel, build_panel, choose_scale, memberships
from covey.world.posts import Network, generate_posts
from covey.world.profiles import draw_profiles
from covey.world.textops import ids, join
from covey.world.truth import accounts_truth, pods_truth, write_world_json
from covey.world.vocab_niches import HASHTAGS, LANGUAGES, NICHES
from covey.world.writer import TRUTH_SCHEMAS, TableWriter, canonical_schema

log = logging.getLogger("covey.world")

Progress = Callable[[int, int], None]
DATA_TABLES = ("creators", "accounts", "account_snapshots", "posts", "comments", "audience_samples")
_EPOCH_DAY_US = 86_400_000_000


def _labels(values: tuple[str, ...] | list[str], index: np.ndarray) -> pa.Array:
    return pa.array(np.array(values, dtype=object)[index], pa.string())


def _identities(config: WorldConfig, c: Cast) -> dict[str, pa.Array]:
    """Ids, names and handles, plus the rows of the two small canonical tables."""
    rng = np.random.default_rng([config.seed, 3])
    lang = MARKET_LANG[c.creator_market]
    name = join(FIRST.pick(rng, lang), " ", LAST.pick(rng, lang))
    creator_ids = ids("cr", np.arange(c.n_creators) + 100_000)
    # languages: the market's language, plus English for bilingual creators.
    offsets = np.concatenate([[0], np.cumsum(1 + c.creator_bilingual)]).astype(np.int32)
    values = np.zeros(offsets[-1], dtype=np.int64)
    values[offsets[:-1]] = lang
    countries = [m[0] for m in MARKETS]
    out: dict[str, pa.Array] = {
        "creators.creator_id": creator_ids,
        "creators.name": name,
        "creators.country": _labels(countries, c.creator_market),
        "creators.languages": pa.ListArray.from_arrays(pa.array(offsets), _labels(LANGUAGES, values)),
    }
    na = c.n_accounts
    nums = 10_000_000 + np.arange(na, dtype=np.int64)
    account_ids = join(_labels(PLATFORMS, c.platform), ":", ids("", nums))
    first = pc.replace_substring_regex(
        pc.utf8_lower(pc.utf8_normalize(FIRST.pick(rng, c.language), "NFKD")), r"[^a-z]", ""
    )
    handles = join(first, _labels([HASHTAGS[n][0] for n in NICHES], c.niche), ids("", np.arange(na)))
    end_day = (config.end - datetime(1970, 1, 1)).days
    created = end_day - np.round(rng.lognormal(np.log(1400), 0.5, na)).astype(np.int64)
    has_url = rng.random(na) < 0.4
    bio = join(
        KW.pick(rng, c.niche * len(LANGUAGES) + c.language),
        " | #",
        _labels([HASHTAGS[n][1] for n in NICHES], c.niche),
    )
    out.update(
        {
            "accounts.account_id": account_ids,
            "accounts.creator_id": creator_ids.take(pa.array(c.creator)),
            "accounts.platform": _labels(PLATFORMS, c.platform),
            "accounts.handle": handles,
            "accounts.display_name": name.take(pa.array(c.creator)),
            "accounts.bio": bio,
            "accounts.country": _labels(countries, c.market),
            "accounts.language": _labels(LANGUAGES, c.language),
            "accounts.created_at": pa.array(created.astype(np.int32), pa.date32()),
            "accounts.external_url": pc.if_else(
                pa.array(has_url), join("https://linktr.ee/", handles), pa.scalar(None, pa.string())
            ),
            "accounts.is_verified": pa.array(
                np.where(c.followers >= 500_000, rng.random(na) < 0.6, rng.random(na) < 0.01)
            ),
        }
    )
    return out


def _table(prefix: str, cols: dict[str, pa.Array]) -> dict[str, pa.Array]:
    return {k.split(".", 1)[1]: v for k, v in cols.items() if k.startswith(prefix + ".")}


def _authors(config: WorldConfig, c: Cast, panel: Panel, ref_day: int) -> tuple[Authors, FakePool]:
    """Who can comment and be sampled: panel people, a pool of fake accounts, pods."""
    rng = np.random.default_rng([config.seed, 4])
    expected_fakes = float(
        (np.minimum(config.audience_sample_size, c.followers) * c.fake / np.maximum(c.followers, 1)).sum()
    )
    size = int(np.clip(expected_fakes / 2, 5_000, 2_000_000))
    fake_profile = draw_profiles(
        rng, np.ones(size, dtype=bool), rng.integers(0, len(LANGUAGES), size), FIRST, LAST, ref_day
    )
    members = np.flatnonzero(c.pod >= 0)
    members = members[np.argsort(c.pod[members], kind="stable")]
    n_pods = int(c.pod.max()) + 1 if len(members) else 0
    pod_offsets = np.concatenate(
        [[0], np.cumsum(np.bincount(c.pod[members], minlength=max(n_pods, 1)))]
    ).astype(np.int64)
    position = np.zeros(c.n_accounts, dtype=np.int64)
    position[members] = np.arange(len(members)) - pod_offsets[c.pod[members]]
    authors = Authors(
        person_id=panel.person_id,
        person_handle=panel.profile["username"],
        scale=panel.scale,
        fake_handle=fake_profile["username"],
        by_niche=panel.by_niche,
        niche_offsets=panel.niche_offsets,
        pod_members=members,
        pod_offsets=pod_offsets,
        pod_position=position,
    )
    return authors, FakePool(fake_profile)


def generate(config: WorldConfig, out_dir: Path, progress: Progress | None = None) -> WorldSummary:
    """Write a world to ``out_dir`` (data files) and ``out_dir/truth`` (ground truth).

    ``progress(done, total)`` is called after each chunk of accounts. Returns row counts.
    """
    began = time.perf_counter()
    out_dir = Path(out_dir)
    truth_dir = out_dir / "truth"
    truth_dir.mkdir(parents=True, exist_ok=True)
    end_us = int((config.end - datetime(1970, 1, 1)).total_seconds()) * 1_000_000
    ref_day = end_us // _EPOCH_DAY_US
    times = snapshot_times(end_us, config.months, config.snapshot_every_days)

    c = cast(config)
    ident = _identities(config, c)
    acct_ids, handles = ident["accounts.account_id"], ident["accounts.handle"]
    scale = choose_scale(config, c)
    panel = build_panel(config, c, scale, ref_day)
    authors, fakes = _authors(config, c, panel, ref_day)
    by_niche = np.argsort(c.niche, kind="stable")
    network = Network(
        handles=handles,
        by_niche=by_niche,
        niche_offsets=np.concatenate([[0], np.cumsum(np.bincount(c.niche, minlength=len(NICHES)))]),
        pod_members=authors.pod_members,
        pod_offsets=authors.pod_offsets,
        pod_position=authors.pod_position,
    )
    log.info(
        "world: %d creators, %d accounts, panel of %d people at scale %.4g",
        c.n_creators,
        c.n_accounts,
        panel.size,
        scale,
    )

    for name in ("creators", "accounts"):
        pq.write_table(
            pa.table(_table(name, ident), schema=canonical_schema(name)),
            out_dir / f"{name}.parquet",
            compression="zstd",
            compression_level=1,
        )
    people = pa.table(
        {
            "person_id": panel.person_id,
            "country": _labels([m[0] for m in MARKETS], panel.market),
            "language": _labels(LANGUAGES, MARKET_LANG[panel.market]),
            "interests": panel.interests,
        },
        schema=TRUTH_SCHEMAS["people"],
    )
    pq.write_table(
        people,
        truth_dir / "people.parquet",
        compression="zstd",
        compression_level=1,
        row_group_size=1_000_000,
    )
    del people

    writers = {
        name: TableWriter(out_dir / f"{name}.parquet", canonical_schema(name))
        for name in ("account_snapshots", "posts", "comments", "audience_samples")
    }
    for name in ("audience_members", "audience_labels", "compliance"):
        writers[name] = TableWriter(truth_dir / f"{name}.parquet", TRUTH_SCHEMAS[name])
    per_account = {k: np.zeros(c.n_accounts, dtype=np.int64) for k in ("undisclosed", "claims", "rx")}
    shapes = account_shapes(config.profile, config.seed, c.n_accounts)
    acct_nums = 10_000_000 + np.arange(c.n_accounts, dtype=np.int64)
    prior_posts = (
        np.random.default_rng([config.seed, 5]).lognormal(np.log(250), 1.0, c.n_accounts).astype(np.int64)
    )
    try:
        for chunk, lo in enumerate(range(0, c.n_accounts, config.chunk_accounts)):
            accounts = np.arange(lo, min(lo + config.chunk_accounts, c.n_accounts))
            rng = np.random.default_rng([config.seed, 10, chunk])
            m_acct, m_person = memberships(rng, c, panel, accounts)
            writers["audience_members"].write(
                {
                    "account_id": acct_ids.take(pa.array(m_acct)),
                    "person_id": panel.person_id.take(pa.array(m_person)),
                }
            )
            posts = generate_posts(rng, config, c, accounts, acct_ids, acct_nums, end_us, network)
            offsets = np.concatenate([[0], np.cumsum(np.bincount(m_acct - lo, minlength=len(accounts)))])
            comments, stored = generate_comments(
                rng,
                c,
                posts,
                lo,
                Members(m_person, offsets),
                authors,
                acct_ids,
                handles,
                config.max_comments_per_post,
            )
            # The platform's count covers at least the comments the data holds.
            posts.table = posts.table.set_column(
                posts.table.schema.get_field_index("comments"),
                "comments",
                pa.array(np.maximum(posts.comments, stored).astype(np.int64)),
            )
            writers["posts"].write({n: posts.table[n] for n in posts.table.column_names})
            # A partial profile drops, after every draw, what its source does not give.
            comments = cut_comments(comments, posts.table, acct_ids, shapes)
            writers["comments"].write({n: comments[n] for n in comments.column_names})
            writers["compliance"].write({n: posts.compliance[n] for n in posts.compliance.column_names})
            keys = post_key(posts.account, posts.posted_us, int(times[0]))
            snaps = snapshots(rng, c, acct_ids, accounts, times, end_us, keys, prior_posts[accounts])
            snaps = cut_snapshots(snaps, acct_ids, shapes)
            writers["account_snapshots"].write({n: snaps[n] for n in snaps.column_names})
            samples, labels = sample_audience(
                rng,
                c,
                accounts,
                m_acct,
                m_person,
                panel,
                fakes,
                acct_ids,
                config.audience_sample_size,
                end_us,
            )
            samples = cut_rows(samples, acct_ids, shapes, "samples")
            labels = cut_rows(labels, acct_ids, shapes, "samples")
            writers["audience_samples"].write({n: samples[n] for n in samples.column_names})
            writers["audience_labels"].write({n: labels[n] for n in labels.column_names})
            per_account["undisclosed"][accounts] = posts.undisclosed
            per_account["claims"][accounts] = posts.claims
            per_account["rx"][accounts] = posts.rx
            if progress is not None:
                progress(int(accounts[-1]) + 1, c.n_accounts)
    finally:
        for w in writers.values():
            w.close()

    pq.write_table(
        accounts_truth(
            c,
            acct_ids,
            ident["creators.creator_id"],
            per_account["undisclosed"],
            per_account["claims"],
            per_account["rx"],
        ),
        truth_dir / "accounts.parquet",
        compression="zstd",
        compression_level=1,
    )
    events = growth_events(c, acct_ids, times)
    pq.write_table(events, truth_dir / "growth_events.parquet", compression="zstd", compression_level=1)
    pq.write_table(
        pods_truth(c, acct_ids), truth_dir / "pods.parquet", compression="zstd", compression_level=1
    )
    pq.write_table(
        shapes_table(acct_ids, shapes),
        truth_dir / "data_profiles.parquet",
        compression="zstd",
        compression_level=1,
    )

    counts = {"creators": c.n_creators, "accounts": c.n_accounts}
    counts.update({name: w.rows for name, w in writers.items()})
    counts["growth_events"] = events.num_rows
    write_world_json(truth_dir / "world.json", config, scale, counts, panel.size)
    seconds = time.perf_counter() - began
    log.info("world written to %s in %.1f s: %s", out_dir, seconds, counts)
    return WorldSummary(str(out_dir), config.seed, config.creators, scale, counts, seconds)
