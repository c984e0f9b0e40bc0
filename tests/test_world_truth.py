"""The sample world's truth agrees with its data, and the data has the shapes the field measured."""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pytest

from covey.world import WorldConfig, generate
from covey.world.generate import DATA_TABLES
from covey.world.people import replicas
from test_world import TRUTH_FILES


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    out = tmp_path_factory.mktemp("truth")
    config = WorldConfig(
        creators=300, seed=7, audience_sample_size=150, pod_share=0.15, bought_share=0.1, purge_share=0.08,
        log10_followers_sd=1.0,
    )  # fmt: skip
    generate(config, out)
    c = duckdb.connect()
    for name in DATA_TABLES:
        c.execute(f"create view {name} as select * from read_parquet('{out / name}.parquet')")
    for name in TRUTH_FILES:
        c.execute(f"create view truth_{name} as select * from read_parquet('{out}/truth/{name}.parquet')")
    scale = json.loads((out / "truth" / "world.json").read_text())["audience_scale"]
    c.execute("create table world as select ?::double as scale", [scale])
    # A real member or commenter id is 'p<n>' or 'p<n>~<r>': the panel person and the replica.
    c.execute("create macro person_of(m) as split_part(m, '~', 1)")
    c.execute("create macro replica_of(m) as coalesce(try_cast(split_part(m, '~', 2) as bigint), 0)")
    return c


def one(con: duckdb.DuckDBPyConnection, query: str) -> tuple[object, ...]:
    row = con.execute(query).fetchone()
    assert row is not None
    return row


def test_ids_resolve(con: duckdb.DuckDBPyConnection) -> None:
    assert one(con, "select count(*) from truth_accounts anti join accounts using (account_id)") == (0,)
    assert one(con, "select count(*) from accounts anti join truth_accounts using (account_id)") == (0,)
    assert one(con, "select count(*) from accounts anti join creators using (creator_id)") == (0,)
    assert one(
        con, "select count(*) from truth_audience_members m anti join truth_people p using (person_id)"
    ) == (0,)
    # Comment authors are replicas of panel people, fake accounts ('fk...') or the world's own accounts.
    assert one(
        con,
        "select count(*) from comments c where author_id not like 'fk%' "
        "and person_of(author_id) not in (select person_id from truth_people) "
        "and author_id not in (select account_id from accounts)",
    ) == (0,)
    assert one(con, "select count(*) from comments anti join posts using (post_id)") == (0,)
    assert one(
        con, "select count(*) from comments where reply_to is not null and reply_to not in "
        "(select comment_id from comments)",
    ) == (0,)  # fmt: skip
    # Real followers in the samples are replicas of the account's panel members.
    assert one(
        con,
        "select count(*) from truth_audience_labels l where not is_fake and not exists "
        "(select 1 from truth_audience_members m "
        "where m.account_id = l.account_id and m.person_id = person_of(l.member_id))",
    ) == (0,)
    assert one(con, "select count(*) from audience_samples") == one(
        con, "select count(*) from truth_audience_labels"
    )
    assert one(
        con, "select count(*) - count(distinct (account_id, member_id, relation)) from audience_samples"
    ) == (0,)
    assert one(con, "select count(*) - count(distinct comment_id) from comments") == (0,)
    assert one(con, "select count(*) - count(distinct post_id) from posts") == (0,)


def test_replicas_stand_for_the_population(con: duckdb.DuckDBPyConnection) -> None:
    [(scale,)] = con.execute("select scale from world").fetchall()
    assert scale < 0.5  # a panel smaller than the population, or there is nothing to test
    people = con.execute(
        "select substr(person_of(member_id), 2)::bigint p, replica_of(member_id) r "
        "from truth_audience_labels where not is_fake union all "
        "select substr(person_of(author_id), 2)::bigint, replica_of(author_id) "
        "from comments where author_id like 'p%'"
    ).fetchnumpy()
    p, r = np.asarray(people["p"]), np.asarray(people["r"])
    reps = replicas(p, scale)
    assert (r < reps).all() and (r >= 0).all()
    assert (r > 0).mean() > 0.5  # most sampled people are not the panel person itself
    everyone = replicas(np.arange(1_000_000), scale)
    assert set(np.unique(everyone)) <= {int(1 / scale), int(1 / scale) + 1}
    assert everyone.mean() == pytest.approx(1 / scale, rel=1e-4)


def test_follower_samples_are_population_scale(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create or replace temp table samp as select account_id, count(*) n, "
        "count(*) filter (not is_fake) n_real from truth_audience_labels group by 1"
    )
    # Samples are full whenever the account has panel members, however few: the real part
    # is drawn from the population audience (members x replicas), not from the members.
    short, full, few_members = con.execute(
        "select count(*) filter (coalesce(s.n, 0) < least(150, t.followers) and t.real_followers > 1000), "
        "count(*) filter (coalesce(s.n, 0) = least(150, t.followers)), "
        "count(*) filter (m.k * 4 < least(150, t.followers) and s.n = least(150, t.followers)) "
        "from truth_accounts t join (select account_id, count(*) k from truth_audience_members group by 1) m "
        "using (account_id) left join samp s using (account_id)"
    ).fetchall()[0]
    assert short == 0 and full > 200 and few_members > 10
    # Shared sampled ids between two accounts: a shared panel member stands for ~1/s shared
    # people, each in both samples with probability (n_a / R_a)(n_b / R_b), R the real followers.
    # Were samples drawn from the panel alone, the observed/expected ratio would be ~1/s.
    [(observed, expected)] = con.execute(
        "with m as (select account_id, person_id from truth_audience_members), "
        "pm as (select a.account_id a, b.account_id b, count(*) shared from m a join m b "
        "on a.person_id = b.person_id and a.account_id < b.account_id group by 1, 2), "
        "l as (select account_id, member_id from truth_audience_labels where not is_fake), "
        "ps as (select a.account_id a, b.account_id b, count(*) shared from l a join l b "
        "on a.member_id = b.member_id and a.account_id < b.account_id group by 1, 2), "
        "cov as (select account_id, n_real / t.real_followers c from samp "
        "join truth_accounts t using (account_id)) "
        "select (select count(*) from ps), sum(pm.shared / w.scale * ca.c * cb.c) from pm, world w "
        "join cov ca on ca.account_id = pm.a join cov cb on cb.account_id = pm.b",
    ).fetchall()
    assert expected > 50
    assert observed == pytest.approx(expected, rel=0.25)


def test_post_counts_cover_the_stored_comments(con: duckdb.DuckDBPyConnection) -> None:
    assert one(
        con,
        "select count(*) from posts p join (select post_id, count(*) n from comments group by 1) c "
        "using (post_id) where p.comments < c.n",
    ) == (0,)


def test_latest_snapshot_is_the_truth_followers(con: duckdb.DuckDBPyConnection) -> None:
    assert one(
        con,
        "select count(*) from truth_accounts t join (select account_id, arg_max(followers, taken_at) f "
        "from account_snapshots group by 1) s using (account_id) where s.f <> t.followers",
    ) == (0,)
    assert one(
        con, "select count(*) from truth_accounts where followers <> real_followers + fake_followers"
    ) == (0,)


def test_fake_share_matches_the_labelled_sample(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select t.fake_share, avg(l.is_fake::int), count(*) from truth_audience_labels l "
        "join truth_accounts t using (account_id) group by t.account_id, t.fake_share having count(*) >= 30"
    ).fetchall()
    truth, sample, n = (np.array(x, dtype=float) for x in zip(*rows, strict=True))
    z = (sample - truth) / np.sqrt(np.maximum(truth * (1 - truth), 1e-3) / n)
    assert len(rows) > 100
    assert np.mean(np.abs(z) < 3) > 0.97
    assert abs(np.mean(sample - truth)) < 0.01
    # Mostly 5-35 %, some clean, a few far worse.
    shares = np.array(con.execute("select fake_share from truth_accounts").fetchall(), dtype=float)[:, 0]
    assert 0.5 < np.mean((shares >= 0.05) & (shares <= 0.35)) < 0.9
    assert np.mean(shares < 0.03) > 0.03 and np.mean(shares > 0.4) > 0.02


def test_fake_profiles_look_fake_but_overlap_with_real_ones(con: duckdb.DuckDBPyConnection) -> None:
    rows = dict(
        (k, v)
        for k, *v in con.execute(
            "select l.is_fake, avg(has_profile_pic::int), median(posts), median(followers), "
            "avg((bio = '')::int), avg((following > 1500)::int) from audience_samples s "
            "join truth_audience_labels l using (account_id, member_id, relation) group by 1"
        ).fetchall()
    )
    real, fake = rows[False], rows[True]
    assert real[0] > 0.95 and 0.3 < fake[0] < 0.6
    assert fake[1] < real[1] and fake[2] < real[2] and fake[3] > real[3]
    # No single rule separates them: plenty of fakes have a picture, plenty of real people have no bio.
    assert fake[0] > 0.3 and real[3] > 0.2


def test_growth_events_are_visible_in_the_snapshots(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "with d as (select account_id, taken_at, followers - lag(followers) over "
        "(partition by account_id order by taken_at) delta from account_snapshots), "
        "typical as (select account_id, median(delta) typical from d group by 1) "
        "select e.kind, e.followers_added, d.delta - t.typical, a.followers from truth_growth_events e "
        "join truth_accounts a on a.account_id = e.account_id "
        "join d on d.account_id = e.account_id and d.taken_at = e.at "
        "join typical t on t.account_id = e.account_id"
    ).fetchall()
    assert {r[0] for r in rows} == {"bought", "organic", "purge"}
    for kind, added, jump, followers in rows:
        assert (added > 0) == (kind in ("bought", "organic"))
        assert abs(added) >= 0.02 * followers
        # The jump stands out of the account's usual weekly change by about the amount added.
        assert abs(jump - added) <= 0.25 * abs(added) + 0.01 * followers, (kind, added, jump)


def test_bought_followers_leave_engagement_flat(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select e.account_id, avg(p.likes) filter (p.posted_at < e.at), "
        "avg(p.likes) filter (p.posted_at >= e.at), "
        "e.followers_added::double / t.followers from truth_growth_events e join posts p using (account_id) "
        "join truth_accounts t using (account_id) where e.kind = 'bought' group by all having count(*) > 20"
    ).fetchall()
    assert rows
    ratios = [after / before for _, before, after, _ in rows if before and after]
    # Followers jumped by 15-60 %; likes moved only with organic growth and noise.
    assert np.median(ratios) < 1.15


def test_pod_members_comment_on_each_other_within_minutes(con: duckdb.DuckDBPyConnection) -> None:
    [(pods, members)] = con.execute("select count(distinct pod_id), count(*) from truth_pods").fetchall()
    assert pods >= 2 and members >= 10
    assert one(
        con, "select min(n) >= 5 and max(n) <= 15 from (select count(*) n from truth_pods group by pod_id)"
    ) == (True,)
    rows = con.execute(
        "select median(epoch(c.posted_at - p.posted_at)) / 60, avg((tp.pod_id = ap.pod_id)::int), count(*) "
        "from comments c join posts p using (post_id) join truth_pods tp on tp.account_id = p.account_id "
        "join truth_pods ap on ap.account_id = c.author_id"
    ).fetchall()
    minutes, same_pod, n = rows[0]
    assert n > 100 and same_pod == 1.0 and minutes < 20


def test_community_creators_reply_in_threads(con: duckdb.DuckDBPyConnection) -> None:
    rows = dict(
        con.execute(
            "select t.style, avg(c.by_creator::int) from comments c join posts p using (post_id) "
            "join truth_accounts t on t.account_id = p.account_id group by 1"
        ).fetchall()
    )
    assert rows["community"] > 5 * rows["broadcast"]
    # Threads go several turns deep: a reply to a reply to a reply.
    [(deep,)] = con.execute(
        "select count(*) from comments c3 join comments c2 on c3.reply_to = c2.comment_id "
        "join comments c1 on c2.reply_to = c1.comment_id where c1.reply_to is not null"
    ).fetchall()
    assert deep > 0


def test_followers_are_heavy_tailed_across_every_tier(con: duckdb.DuckDBPyConnection) -> None:
    tiers = dict(con.execute("select tier, count(*) from truth_accounts group by 1").fetchall())
    assert set(tiers) == {"nano", "micro", "mid", "macro", "mega"}
    assert tiers["micro"] > tiers["mid"] > tiers["mega"]
    f = np.array(con.execute("select followers from truth_accounts").fetchall(), dtype=float)[:, 0]
    assert f.max() / np.median(f) > 300
    assert one(con, "select count(distinct platform) from accounts") == (3,)
    assert one(con, "select max(n) from (select count(*) n from accounts group by creator_id)") == (2,)


def test_instagram_like_rates_follow_the_published_order(con: duckdb.DuckDBPyConnection) -> None:
    rows = dict(
        con.execute(
            "select case when t.followers < 1000 then 'a' when t.followers < 10000 then 'b' "
            "when t.followers < 100000 then 'c' else 'd' end band, median(p.likes / t.followers) "
            "from posts p join truth_accounts t using (account_id) "
            "where t.platform = 'instagram' and not p.sponsored group by 1"
        ).fetchall()
    )
    # Markerly 2016: < 1k ~ 8 %, 1k-10k ~ 4 %, 10k-100k 2.37 %, above that lower still.
    assert rows["a"] > rows["b"] > rows["c"] > rows["d"]
    assert 0.05 < rows["a"] < 0.11 and 0.025 < rows["b"] < 0.055 and 0.015 < rows["c"] < 0.032


def test_sponsored_posts_engage_less_and_not_monotonically(con: duckdb.DuckDBPyConnection) -> None:
    rows = {
        (band, sponsored): rate
        for band, sponsored, rate in con.execute(
            "select case when t.followers < 1000 then 'nano' else 'micro' end, p.sponsored, "
            "median(p.likes / t.followers) from posts p join truth_accounts t using (account_id) "
            "where t.platform = 'instagram' and t.followers < 100000 group by 1, 2"
        ).fetchall()
    }
    assert rows[("nano", True)] < rows[("nano", False)] and rows[("micro", True)] < rows[("micro", False)]
    # Organic falls from nano to micro; sponsored rises (the inverted U of Wies et al. 2023).
    assert rows[("micro", True)] > rows[("nano", True)]


def test_compliance_truth_matches_posts(con: duckdb.DuckDBPyConnection) -> None:
    problems = dict(con.execute("select problem, count(*) from truth_compliance group by 1").fetchall())
    assert set(problems) == {"undisclosed_sponsorship", "health_claim", "prescription_medicine"}
    assert one(
        con,
        "select count(*) from truth_compliance c join posts p using (post_id) "
        "where c.problem = 'undisclosed_sponsorship' and p.sponsored",
    ) == (0,)
    assert one(
        con,
        "select count(*) from truth_compliance c join posts p using (post_id) "
        "where c.problem in ('health_claim', 'prescription_medicine') "
        "and position(c.detail in p.caption) = 0",
    ) == (0,)
    assert one(
        con,
        "select sum(undisclosed_sponsored_posts + health_claim_posts + prescription_posts) "
        "from truth_accounts",
    ) == (sum(problems.values()),)
    [(health_share,)] = con.execute(
        "select avg((niche in ('ibd', 'diabetes', 'mental_health'))::int) from truth_accounts "
        "where prescription_posts > 0"
    ).fetchall()
    assert health_share > 0.6


def test_audiences_overlap_more_within_a_niche_and_country(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "with m as (select account_id, person_id from truth_audience_members), "
        "sizes as (select account_id, count(*) n from m group by 1 having count(*) >= 30), "
        "pairs as (select a.account_id a, b.account_id b, count(*) shared from m a join m b "
        "on a.person_id = b.person_id and a.account_id < b.account_id group by 1, 2) "
        "select (ta.niche = tb.niche and ta.country = tb.country) same, "
        "avg(coalesce(p.shared, 0) / least(sa.n, sb.n)) "
        "from sizes sa join sizes sb on sa.account_id < sb.account_id "
        "join truth_accounts ta on ta.account_id = sa.account_id "
        "join truth_accounts tb on tb.account_id = sb.account_id "
        "left join pairs p on p.a = sa.account_id and p.b = sb.account_id group by 1"
    ).fetchall()
    overlap = dict(rows)
    assert overlap[True] > 3 * overlap[False]


def test_irregular_accounts_post_in_bursts(con: duckdb.DuckDBPyConnection) -> None:
    rows = dict(
        con.execute(
            "with g as (select account_id, epoch(posted_at - lag(posted_at) over "
            "(partition by account_id order by posted_at)) gap from posts), "
            "a as (select account_id, max(gap) / 86400 longest from g group by 1 having count(gap) > 10) "
            "select t.irregular, median(longest) from a join truth_accounts t using (account_id) group by 1"
        ).fetchall()
    )
    assert rows[True] > 2 * rows[False]


def test_drifting_accounts_leave_their_niche(con: duckdb.DuckDBPyConnection) -> None:
    from covey.world.vocab_niches import HASHTAGS

    con.execute("create or replace temp table niche_tags (niche varchar, tag varchar)")
    con.executemany(
        "insert into niche_tags values (?, ?)", [(n, t) for n, ts in HASHTAGS.items() for t in ts]
    )
    rows = {
        (drift, late): share
        for drift, late, share in con.execute(
            "with p as (select p.post_id, t.niche, t.topic_drift, "
            "p.posted_at > (select max(posted_at) - interval 60 day from posts) late, "
            "exists (select 1 from niche_tags n, unnest(p.hashtags) u(tag) where n.niche = t.niche "
            "and n.tag = u.tag) on_topic from posts p join truth_accounts t using (account_id) "
            "where len(p.hashtags) > 0) "
            "select topic_drift, late, avg(on_topic::int) from p group by 1, 2"
        ).fetchall()
    }
    assert rows[(False, True)] > 0.8
    assert rows[(True, True)] < rows[(True, False)] - 0.2


def test_generic_comments_rise_with_the_fake_share(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select t.fake_share, avg((c.author_id like 'fk%')::int) "
        "from comments c join posts p using (post_id) "
        "join truth_accounts t on t.account_id = p.account_id where t.pod_id is null "
        "group by t.account_id, t.fake_share having count(*) >= 20"
    ).fetchall()
    share, fake_comments = (np.array(x, dtype=float) for x in zip(*rows, strict=True))
    assert np.corrcoef(share, fake_comments)[0, 1] > 0.6


def test_english_is_spelt_by_market(con: duckdb.DuckDBPyConnection) -> None:
    rows = dict(
        con.execute(
            "select a.country in ('US', 'CA'), "
            "avg((caption like '%favorite%')::int) - avg((caption like '%favourite%')::int) "
            "from posts p join accounts a using (account_id) "
            "where a.language = 'en' and caption ilike '%favo%' group by 1"
        ).fetchall()
    )
    assert rows[True] == 1.0 and rows[False] == -1.0
