"""Campaigns on a real DuckDB file: creation, the outreach pipeline, approval, tracking, bad input."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from covey.campaigns.approval import decide, submit
from covey.campaigns.briefs import get_brief, write_briefs
from covey.campaigns.campaign import (
    Spec,
    add_creator,
    booking_from_store,
    create_campaign,
    creators,
    tracked_link,
)
from covey.campaigns.conversions import import_conversions
from covey.campaigns.history import creator_history
from covey.campaigns.pipeline import events, load_workflow, move, note, remove, set_terms, tasks_due
from covey.campaigns.report import build_report
from covey.campaigns.tracking import flag_counts, flags, match_post, track
from covey.errors import InputError
from covey.store import DuckDBStore

ACCOUNTS = [
    ("instagram:1", "anna_ibd", "instagram", "GB", "en"),
    ("tiktok:2", "lena_darm", "tiktok", "DE", "de"),
    ("instagram:3", "zoe_gut", "instagram", "FR", "fr"),
]


def _seed(store: DuckDBStore) -> None:
    with store.transaction() as cur:
        for a, h, p, c, lang in ACCOUNTS:
            cur.execute(
                "INSERT INTO accounts (account_id, platform, handle, country, language) VALUES (?, "
                "?, ?, ?, ?)",
                [a, p, h, c, lang],
            )
            for k in range(3):
                cur.execute(
                    "INSERT INTO posts (post_id, account_id, caption, hashtags, posted_at, likes, comments) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        f"{a}_old{k}",
                        a,
                        f"Living with crohns day {k} #crohns",
                        ["crohns"],
                        datetime(2026, 5, 1 + k),
                        100 * (k + 1),
                        10,
                    ],
                )


SPEC = Spec(
    name="Gut week",
    brand="Acme",
    starts=date(2026, 7, 1),
    ends=date(2026, 7, 28),
    budget=5000,
    currency="EUR",
    jurisdictions=("GB",),
    hashtag="acmegutweek",
    visual_identifier="green scarf",
    key_messages=("fibre daily",),
    utm_base="https://acme.example/gut",
    must_not_say=("cure",),
    code_pattern="ACME-{handle}",
)


@pytest.fixture
def camp(store: DuckDBStore) -> int:
    _seed(store)
    books = [booking_from_store(store, h, 2, 400.0, 180.0) for _, h, *_ in ACCOUNTS]
    return create_campaign(store, SPEC, books, actor="maria")


def _to_contracted(store: DuckDBStore, cid: int, who: str) -> None:
    for s in ("contacted", "replied", "negotiating", "contracted"):
        move(store, cid, who, s, actor="maria")


def test_created_with_deliverables_and_fees(store: DuckDBStore, camp: int) -> None:
    cs = creators(store, camp)
    assert [c["handle"] for c in cs] == ["anna_ibd", "lena_darm", "zoe_gut"]
    assert all(c["stage"] == "prospect" and c["fee"] == 400.0 and c["card_price"] == 180.0 for c in cs)
    dues = store.query(
        "SELECT due FROM campaign_deliverables WHERE campaign_id = ? AND account_id = 'instagram:1' "
        "ORDER BY deliverable",
        [camp],
    )
    assert [d[0] for d in dues] == [date(2026, 7, 15), date(2026, 7, 28)]


def test_hashtag_already_used_is_refused(store: DuckDBStore) -> None:
    _seed(store)
    with pytest.raises(InputError, match="#crohns is already in 9 imported posts"):
        create_campaign(store, Spec(**{**SPEC.__dict__, "hashtag": "crohns"}), [], actor="maria")
    assert store.query("SELECT count(*) FROM campaign_campaigns")[0][0] == 0


def test_impossible_stage_change_is_refused_and_trail_intact(store: DuckDBStore, camp: int) -> None:
    move(store, camp, "@anna_ibd", "contacted", actor="maria")
    before = events(store, camp)
    with pytest.raises(
        InputError, match=r"cannot move from contacted to paid; .* allowed stages are: replied"
    ):
        move(store, camp, "anna_ibd", "paid", actor="maria")
    assert creators(store, camp)[0]["stage"] == "contacted"
    assert events(store, camp) == before
    last = before[-1]
    assert (last["actor"], last["from_stage"], last["to_stage"]) == ("maria", "prospect", "contacted")


def test_removing_a_contracted_creator_is_refused_until_dropped(store: DuckDBStore, camp: int) -> None:
    _to_contracted(store, camp, "anna_ibd")
    with pytest.raises(
        InputError, match="contracted creator cannot be removed; move them to 'dropped' first"
    ):
        remove(store, camp, "anna_ibd", actor="maria")
    assert len(creators(store, camp)) == 3
    move(store, camp, "anna_ibd", "dropped", actor="maria")
    remove(store, camp, "anna_ibd", actor="maria")
    assert len(creators(store, camp)) == 2
    kinds = [(e["kind"], e["to_stage"]) for e in events(store, camp) if e["account_id"] == "instagram:1"]
    assert kinds[-2:] == [("stage", "dropped"), ("removed", None)]


def test_workspace_stages_file(tmp_path: Path) -> None:
    f = tmp_path / "covey-stages.toml"
    f.write_text('stages = ["new", "booked"]\n[transitions]\nnew = ["booked", "gone"]\n')
    with pytest.raises(InputError, match=r"covey-stages.toml \[transitions.new\]: unknown stage 'gone'"):
        load_workflow(f)
    f.write_text('stages = ["new", "booked"]\n[transitions]\nnew = ["booked"]\n')
    with DuckDBStore(tmp_path / "covey.duckdb") as s:
        _seed(s)
        cid = create_campaign(
            s, SPEC, [booking_from_store(s, "anna_ibd", 1, None)], actor="x", first_stage="new"
        )
        assert move(s, cid, "anna_ibd", "booked", actor="x") == ("new", "booked")


def test_draft_fails_compliance_then_fixed_and_approved(store: DuckDBStore, camp: int) -> None:
    _to_contracted(store, camp, "anna_ibd")
    bad = submit(store, camp, "anna_ibd", 1, "Loving @acme, it will cure you! #acmegutweek", actor="anna")
    cats = {f["category"] for f in bad["flags"]}
    assert "disclosure_missing" in cats and "must_not_say" in cats and not bad["compliant"]
    with pytest.raises(InputError, match=r"has flags .*disclosure_missing"):
        decide(store, camp, "anna_ibd", 1, 1, "approved", actor="maria")
    decide(store, camp, "anna_ibd", 1, 1, "changes_requested", actor="maria", comment="add #ad, drop 'cure'")
    good = submit(
        store,
        camp,
        "anna_ibd",
        1,
        "#ad | Fibre daily with @acme, my gut feels calmer #acmegutweek",
        actor="anna",
    )
    assert good["version"] == 2 and good["compliant"], good["flags"]
    decide(store, camp, "anna_ibd", 1, 2, "approved", actor="maria")
    # version 1 is unchanged (immutable): still flagged
    v1 = store.query(
        "SELECT caption, compliant FROM campaign_drafts WHERE version = 1 AND account_id = 'instagram:1'"
    )
    assert v1 == [("Loving @acme, it will cure you! #acmegutweek", False)]
    # cannot go live while post 2 has no approved version
    with pytest.raises(InputError, match="cannot move from content_submitted to live"):
        move(store, camp, "anna_ibd", "live", actor="maria")
    submit(store, camp, "anna_ibd", 2, "#ad Week two of fibre daily with @acme #acmegutweek", actor="anna")
    decide(store, camp, "anna_ibd", 2, 1, "approved", actor="maria")
    assert creators(store, camp)[0]["stage"] == "approved"
    move(store, camp, "anna_ibd", "live", actor="maria")


def test_briefs_versioned_with_local_disclosure(store: DuckDBStore, camp: int) -> None:
    docs = write_briefs(store, camp, actor="maria")
    by = {d["account_id"]: d for d in docs}
    assert "#acmegutweek" in by[""]["markdown"] and "green scarf" in by[""]["markdown"]
    de = by["tiktok:2"]["markdown"]
    assert "#crohns" in de and "Living with crohns day 2" in de  # their own themes and best post
    assert "Werbung" in de or "Anzeige" in de  # German disclosure wording from the DE pack
    assert "ACME-LENADARM" in de
    write_briefs(store, camp, actor="maria")
    assert get_brief(store, camp, "tiktok:2")["version"] == 2
    assert get_brief(store, camp, "tiktok:2", 1)["markdown"] == de
    assert "<h2>Disclosure (required)</h2>" in by["tiktok:2"]["html"]


def _post(store: DuckDBStore, pid: str, account: str, caption: str, when: datetime) -> None:
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO posts (post_id, account_id, caption, posted_at, likes, comments, views) "
            "VALUES (?, ?, ?, ?, 50, 5, NULL)",
            [pid, account, caption, when],
        )


def test_tracking_flags_and_a_post_matched_twice(store: DuckDBStore, camp: int, tmp_path: Path) -> None:
    _post(store, "p1", "instagram:1", "#ad | with @acme #acmegutweek", datetime(2026, 7, 10))
    _post(store, "p2", "instagram:1", "with @acme again #acmegutweek", datetime(2026, 8, 3))  # late, no #ad
    _post(store, "p3", "instagram:1", "unrelated breakfast", datetime(2026, 7, 12))
    _post(store, "p4", "tiktok:2", "#werbung mit ACME-LENADARM", datetime(2026, 7, 9))  # matched by code
    link = tracked_link(SPEC, "zoe_gut")
    _post(store, "p5", "instagram:3", f"#publicité #acmegutweek {link}", datetime(2026, 7, 9))
    res = track(store, camp, actor="maria", today=date(2026, 9, 1))
    assert res["matched_new"] == 4
    how = dict(store.query("SELECT post_id, matched_by FROM campaign_matches"))
    assert how == {
        "p1": "hashtag,brand_mention",
        "p2": "hashtag,brand_mention",
        "p4": "code",
        "p5": "hashtag,tracked_link",
    }
    counts = flag_counts(store, camp)
    assert counts["late"] == 1 and counts["non_compliant"] == 2
    bad = {f["post_id"]: f["detail"] for f in flags(store, camp) if f["kind"] == "non_compliant"}
    assert "disclosure_missing" in bad["p2"] and bad["p4"].endswith("campaign_hashtag_missing")
    assert counts["missing"] == 1 + 1  # lena's post 2, zoe's post 2
    assert counts["live_without_approval"] == 4
    again = track(store, camp, actor="maria", today=date(2026, 9, 1))  # idempotent: nothing counted twice
    assert again["matched_new"] == 0 and flag_counts(store, camp) == counts
    # by hand: a post already matched is refused, nothing changes
    before = store.query("SELECT * FROM campaign_matches ORDER BY post_id")
    with pytest.raises(
        InputError, match=r"p1 is already matched to campaign 1 .*counts once; nothing was changed"
    ):
        match_post(store, camp, "p1", 2, actor="maria")
    assert store.query("SELECT * FROM campaign_matches ORDER BY post_id") == before
    # a second campaign with the same creator and marker: flagged there, not double-counted
    spec2 = Spec(**{**SPEC.__dict__, "name": "Other", "hashtag": ""})
    cid2 = create_campaign(store, spec2, [booking_from_store(store, "anna_ibd", 1, 10.0)], actor="maria")
    res2 = track(store, cid2, actor="maria", today=date(2026, 9, 1))
    assert res2["matched_new"] == 0 and res2["matched_twice"] == 2
    # Anna's history across both campaigns: 2 of 3 posts live, 1 of the 3 due on time
    note(store, camp, "anna_ibd", "great to work with", actor="maria")
    h = creator_history(store, "@anna_ibd", today=date(2026, 9, 1))
    assert [c["campaign_id"] for c in h["campaigns"]] == [camp, cid2]
    assert (h["total"]["posts_agreed"], h["total"]["posts_delivered"]) == (3, 2)
    assert (
        h["total"]["on_time_share"] == pytest.approx(1 / 3) and h["notes"][0]["text"] == "great to work with"
    )


def test_malformed_conversions_csv(store: DuckDBStore, camp: int, tmp_path: Path) -> None:
    good = tmp_path / "conv.csv"
    good.write_text("code,clicks,conversions,revenue\nACME-ANNAIBD,120,6,210.5\nlena_darm,40,1,35\n")
    assert import_conversions(store, camp, good, actor="maria") == {
        "rows": 2,
        "clicks": 160,
        "conversions": 7,
    }
    trail = events(store, camp)
    bad = tmp_path / "bad.csv"
    bad.write_text("code,clicks,conversions\nACME-ANNAIBD,12,1\nACME-ZOEGUT,many,2\n")
    with pytest.raises(InputError) as err:
        import_conversions(store, camp, bad, actor="maria")
    assert (err.value.line, err.value.field) == (3, "clicks") and "'many' is not a whole number" in str(
        err.value
    )
    bad.write_text("code,clicks,conversions\nNOPE-1,1,0\n")
    with pytest.raises(InputError, match=r"bad.csv:2 \[code\]: 'NOPE-1' is not a code or handle"):
        import_conversions(store, camp, bad, actor="maria")
    assert store.query("SELECT count(*), sum(clicks) FROM campaign_conversions")[0] == (2, 160)
    assert events(store, camp) == trail
    rep = build_report(store, camp)
    anna = next(r for r in rep["creators"] if r["handle"] == "anna_ibd")
    assert (anna["clicks"], anna["conversions"]) == (120, 6)
    assert anna["cost_per_conversion"] == pytest.approx(400 / 6)
    json.dumps(rep, default=str, allow_nan=False)


def test_add_creator_and_tasks_due(store: DuckDBStore, camp: int) -> None:
    with pytest.raises(InputError, match="already on campaign"):
        add_creator(store, camp, booking_from_store(store, "zoe_gut", 1, None), actor="maria")
    due = tasks_due(store, camp, date(2026, 7, 16))
    assert {d["handle"] for d in due if d["kind"] == "deliverable"} == {"anna_ibd", "lena_darm", "zoe_gut"}


def test_terms_negotiated(store: DuckDBStore, camp: int) -> None:
    set_terms(store, camp, "lena_darm", actor="maria", fee=650.0, posts=3)
    lena = next(c for c in creators(store, camp) if c["handle"] == "lena_darm")
    assert (lena["fee"], lena["posts"], lena["card_price"]) == (650.0, 3, 180.0)
    n = store.query("SELECT count(*) FROM campaign_deliverables WHERE account_id = 'tiktok:2'")[0][0]
    assert n == 3
    submit(store, camp, "lena_darm", 1, "#werbung mit @acme #acmegutweek", actor="lena")
    with pytest.raises(InputError, match="can no longer change"):
        set_terms(store, camp, "lena_darm", actor="maria", posts=1)
    assert store.query("SELECT count(*) FROM campaign_deliverables WHERE account_id = 'tiktok:2'")[0][0] == 3
