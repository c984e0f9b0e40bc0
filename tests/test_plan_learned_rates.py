"""Reach rates learned from past campaigns' insights: a measured creator plans on its own rate
(known: no spread), the others of its platform on the prior moved toward what the measured
showed; nothing changes without insights or with the priors' switch off; the plan keeps what it
learned."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from covey.campaigns.campaign import Spec, booking_from_store, create_campaign
from covey.campaigns.insights import import_insights
from covey.campaigns.reach import delivered_reach, plan_model
from covey.campaigns.tracking import track
from covey.planning.learned_rates import (
    PRIOR_CREATORS,
    LearnedRates,
    apply_learned,
    learn_rates,
    reported_reach,
)
from covey.planning.planner import Brief, build_model, identifiers_table
from covey.planning.reach import load_priors
from covey.planning.session import gather, run_plan
from covey.store import DuckDBStore
from covey.tiers import DEFAULT_TIERS

FOLLOWERS = 20_000
# (account, handle, platform, follower sample?, reported reach per post or None)
ACCOUNTS = (
    ("instagram:1", "anna", "instagram", True, 6000),
    ("instagram:2", "bea", "instagram", True, 4400),
    ("instagram:3", "cara", "instagram", True, None),
    ("tiktok:4", "dan", "tiktok", False, 9000),  # no sample: real audience unknown, not measured
)
SPEC = Spec(
    name="Past", brand="Acme", starts=date(2026, 3, 1), ends=date(2026, 3, 28), budget=3000,
    hashtag="acmepastx", code_pattern="ACME-{handle}",
)  # fmt: skip


@pytest.fixture
def history(store: DuckDBStore, tmp_path: Path) -> tuple[DuckDBStore, Path]:
    """Four creators with follower counts and (three of them) a real-looking follower sample; a past
    campaign in which anna, bea and dan delivered one post each and reported its reach."""
    with store.transaction() as cur:
        for a, h, p, sampled, _ in ACCOUNTS:
            cur.execute(
                "INSERT INTO accounts (account_id, platform, handle, country, language) "
                "VALUES (?, ?, ?, 'GB', 'en')",
                [a, p, h],
            )
            cur.execute(
                "INSERT INTO account_snapshots (account_id, taken_at, followers) VALUES (?, ?, ?)",
                [a, datetime(2026, 2, 1), FOLLOWERS],
            )
            for j in range(40 if sampled else 0):
                cur.execute(
                    "INSERT INTO audience_samples (account_id, member_id, relation, followers, following, "
                    "posts, has_profile_pic, bio) VALUES (?, ?, 'follower', 300, 200, 80, TRUE, 'hi')",
                    [a, f"{h}-{j}"],
                )
    books = [booking_from_store(store, h, 1, 300.0, 150.0) for _, h, _, _, r in ACCOUNTS if r]
    cid = create_campaign(store, SPEC, books, actor="maria")
    with store.transaction() as cur:
        for a, h, _, _, reach in ACCOUNTS:
            if reach:
                cur.execute(
                    "INSERT INTO posts (post_id, account_id, platform_id, caption, posted_at, likes, "
                    "comments, url) VALUES (?, ?, ?, '#ad with @acme #acmepastx', ?, 40, 4, ?)",
                    [f"{a}-p", a, f"{h}p", datetime(2026, 3, 5), f"https://example.com/{h}p"],
                )
    track(store, cid, actor="maria", today=date(2026, 4, 1))
    csv = tmp_path / "insights.csv"
    csv.write_text(
        "post,reach\n" + "".join(f"{a}-p,{reach}\n" for a, *_, reach in ACCOUNTS if reach), encoding="utf-8"
    )
    import_insights(store, cid, csv, actor="maria")
    listed = tmp_path / "cands.csv"
    listed.write_text("account_id,niche\n" + "".join(f"{a},ibd\n" for a, *_ in ACCOUNTS), encoding="utf-8")
    return store, listed


def _prior(platform: str) -> float:
    return load_priors().reach_rate(platform, DEFAULT_TIERS.of(FOLLOWERS))


def _off(tmp_path: Path) -> Path:
    shipped = (Path(__file__).parents[1] / "src/covey/planning/priors.toml").read_text(encoding="utf-8")
    path = tmp_path / "priors-off.toml"
    path.write_text(
        shipped.replace("learn_from_insights = true", "learn_from_insights = false"), encoding="utf-8"
    )
    return path


def test_measured_rates_and_the_platform_factor(history: tuple[DuckDBStore, Path]) -> None:
    store, _ = history
    learned = learn_rates(store, load_priors())
    # people reached per post / real audience (the sample says every follower is real)
    assert learned.rates == pytest.approx({"instagram:1": 6000 / FOLLOWERS, "instagram:2": 4400 / FOLLOWERS})
    assert "tiktok:4" not in learned.rates  # its real audience is only the prior's guess
    ratios = [0.30 / _prior("instagram"), 0.22 / _prior("instagram")]
    factor, n = learned.factors["instagram"]
    assert n == 2 and factor == pytest.approx((sum(ratios) + PRIOR_CREATORS) / (2 + PRIOR_CREATORS))
    assert "tiktok" not in learned.factors
    assert LearnedRates.from_dict(learned.as_dict()) == learned


def test_planning_uses_them_and_holds_measured_rates(
    history: tuple[DuckDBStore, Path], tmp_path: Path
) -> None:
    store, listed = history
    brief = Brief(text="ibd", budget=2000, niche="ibd")
    cands, _, notes = gather(store, brief, listed, None)
    row = {a: i for i, a in enumerate(cands.account_id)}
    factor = learn_rates(store, load_priors()).factors["instagram"][0]
    assert cands.rate[row["instagram:1"]] == pytest.approx(0.30)
    assert cands.rate[row["instagram:3"]] == pytest.approx(_prior("instagram") * factor)
    assert cands.rate[row["tiktok:4"]] == pytest.approx(_prior("tiktok"))
    assert cands.rate_measured is not None
    assert [bool(cands.rate_measured[row[a]]) for a, *_ in ACCOUNTS] == [True, True, False, False]
    assert any("learned from past campaigns" in x and "Instagram x" in x for x in notes)
    # the panel integrates over the unknown rates only: a measured creator's memberships are at 1
    model = build_model(cands, identifiers_table(store, cands.account_id), brief)
    owners, factors = model.panel.owners(), model.panel.factor
    assert factors is not None
    assert np.all(factors[owners == row["instagram:1"]] == 1.0)
    assert np.ptp(factors[owners == row["instagram:3"]]) > 0
    # the switch in the priors: the priors alone, no note
    off, _, off_notes = gather(store, brief, listed, _off(tmp_path))
    assert off.rate_measured is None and not any("learned" in x for x in off_notes)
    assert off.rate[row["instagram:1"]] == pytest.approx(_prior("instagram"))


def test_the_plan_keeps_what_it_learned(history: tuple[DuckDBStore, Path]) -> None:
    store, listed = history
    res = run_plan(store, Brief(text="ibd", budget=2000, niche="ibd", min_creators=1), candidates=listed)
    saved = res.inputs["learned_rates"]
    assert set(saved["rates"]) == {"instagram:1", "instagram:2"}
    assert any("learned from past campaigns" in x for x in res.summary["notes"])
    sources = {it["account_id"]: it["reach_rate_source"] for it in res.items}
    assert sources
    for a, s in sources.items():
        assert s.startswith("its own, measured") if a in saved["rates"] else "prior" in s
    # the report on a campaign of this plan says which rates came from the past campaigns
    got = delivered_reach(
        store, int(res.plan_id or 0), {"instagram:1": 1, "instagram:3": 2}, {}, interval=False
    )
    assert got["rate_sources"]["instagram:1"]["source"] == "measured in earlier campaigns"
    assert got["rate_sources"]["instagram:3"]["source"].endswith("(learned from past campaigns)")
    # this campaign's figure not used: the rate stays the earlier campaigns' and says so
    off = delivered_reach(store, int(res.plan_id or 0), {"instagram:1": 1}, {"instagram:1": 500.0},
                          calibrate_views=False, interval=False)  # fmt: skip
    assert off["rate_sources"]["instagram:1"] == {
        "rate": pytest.approx(0.30),
        "source": "measured in earlier campaigns (the views not used: --rates-from-views off)",
    }
    store.query("DELETE FROM campaign_insights")  # what was imported since does not rewrite the plan
    listed.unlink()  # and without its candidate file the plan's own list rebuilds it the same way
    for _ in range(2):
        _, cands, _, how = plan_model(store, int(res.plan_id or 0))
        row = {a: i for i, a in enumerate(cands.account_id)}
        assert cands.rate[row["instagram:1"]] == pytest.approx(0.30) and cands.rate_measured is not None
        assert bool(cands.rate_measured[row["instagram:1"]]) and not cands.rate_measured[row["instagram:3"]]
        assert cands.real_share_source[row["instagram:1"]] == "follower sample"
        assert how == "the plan's saved candidate list"


def test_a_measured_creator_keeps_its_people_per_post(
    history: tuple[DuckDBStore, Path], tmp_path: Path
) -> None:
    store, _ = history
    learned = learn_rates(store, load_priors())
    # a candidate file says half of anna's followers are real: her 6,000 people per post make 0.6
    halved = tmp_path / "halved.csv"
    halved.write_text("account_id,real_share\ninstagram:1,0.5\ninstagram:3,0.5\n", encoding="utf-8")
    brief = Brief(text="ibd", budget=2000)
    cands, _, _ = gather(store, brief, halved, None)
    row = {a: i for i, a in enumerate(cands.account_id)}
    assert cands.rate[row["instagram:1"]] * cands.real_audience[row["instagram:1"]] == pytest.approx(6000)
    # where the audience is only the prior's guess, the measurement is not used, the platform factor is
    raw, _, _ = gather(store, brief, halved, _off(tmp_path))
    guessed = apply_learned(replace(raw, real_share_source=["prior"] * len(raw)), learned)
    assert guessed.rate_measured is not None and not guessed.rate_measured.any()
    assert guessed.rate[row["instagram:1"]] == pytest.approx(cands.rate[row["instagram:3"]])


def test_a_later_import_of_a_post_wins(history: tuple[DuckDBStore, Path], tmp_path: Path) -> None:
    store, _ = history
    cid = int(store.query("SELECT max(campaign_id) FROM campaign_insights")[0][0])
    again = tmp_path / "later.csv"
    again.write_text("post,reach\ninstagram:1-p,8000\n", encoding="utf-8")
    import_insights(store, cid, again, actor="maria")
    assert reported_reach(store)["instagram:1"] == (8000.0, 1)
    assert learn_rates(store, load_priors()).rates["instagram:1"] == pytest.approx(8000 / FOLLOWERS)


def test_no_insights_changes_nothing(store: DuckDBStore, tmp_path: Path) -> None:
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO accounts (account_id, platform, handle) VALUES ('instagram:9', 'instagram', 'zoe')"
        )
        cur.execute(
            "INSERT INTO account_snapshots (account_id, taken_at, followers) VALUES ('instagram:9', ?, ?)",
            [datetime(2026, 2, 1), FOLLOWERS],
        )
    listed = tmp_path / "c.csv"
    listed.write_text("account_id\ninstagram:9\n", encoding="utf-8")
    brief = Brief(text="x", budget=1000)
    on, _, notes_on = gather(store, brief, listed, None)
    off, _, notes_off = gather(store, brief, listed, _off(tmp_path))
    assert not learn_rates(store, load_priors())
    assert on.rate_measured is None and np.array_equal(on.rate, off.rate) and notes_on == notes_off


def test_the_cli_says_where_each_rate_came_from() -> None:
    from covey.cli.plan import _rate

    assert _rate({"reach_rate": 0.3, "reach_rate_source": "its own, measured from ..."}) == "30% (measured)"
    learned = "platform prior x 1.05, learned from 2 creators' reported reach"
    assert _rate({"reach_rate": 0.231, "reach_rate_source": learned}) == "23% (prior x 1.05)"
    assert _rate({"reach_rate": 0.22}) == "22% (prior)" and _rate({}) == "-"


def test_the_switch_must_be_true_or_false(tmp_path: Path) -> None:
    from covey.errors import InputError

    shipped = (Path(__file__).parents[1] / "src/covey/planning/priors.toml").read_text(encoding="utf-8")
    mine = tmp_path / "priors.toml"
    mine.write_text(shipped.replace("learn_from_insights = true", 'learn_from_insights = "false"'))
    with pytest.raises(InputError, match="learn_from_insights must be true or false") as err:
        load_priors(mine)
    assert err.value.field == "learn_from_insights"
    assert load_priors(_off(tmp_path)).learn_from_insights is False and load_priors().learn_from_insights


def test_a_creators_history_says_the_reach_it_reported(history: tuple[DuckDBStore, Path]) -> None:
    from covey.campaigns.history import creator_history
    from covey.cli.campaign import _reach_said

    store, _ = history
    (past,) = creator_history(store, "anna", today=date(2026, 4, 1))["campaigns"]
    # booked by hand, not from a plan: no planned audience, so no rate either way (unknown, not 0)
    assert past["reach_per_post"] == 6000 and past["reach_rate_measured"] is None
    assert past["reach_rate_planned"] is None
    said = _reach_said({"reach_per_post": 6000.0, "reach_rate_measured": 0.3, "reach_rate_planned": 0.22})
    assert said == ", reached 6,000 people per post as reported (30% of its real followers; 22% planned)"
    assert _reach_said({"reach_per_post": None}) == ""
