"""Relationships across campaigns: the re-book score, unknown without history; discovery and
planning favouring or keeping past performers; briefs as PDF."""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from covey.campaigns.campaign import booking_from_store, create_campaign
from covey.campaigns.history import creator_history, past_performance, rebook, rerank_past
from covey.campaigns.plan_hook import past_performers_brief
from covey.campaigns.tracking import track
from covey.cli.app import app
from covey.errors import InputError, MissingDependencyError
from covey.planning.planner import Brief
from covey.store import DuckDBStore
from pdf_support import pdf_text
from test_campaign_pipeline import SPEC, _post, _seed


@pytest.fixture
def tracked(store: DuckDBStore) -> DuckDBStore:
    """Three creators, two posts each due; tracked on 2026-09-01:
    anna: 2 live (one late and without disclosure); lena: 1 live, on time, without the hashtag;
    zoe: 1 live, on time, compliant."""
    _seed(store)
    books = [booking_from_store(store, h, 2, 400.0, 180.0) for h in ("anna_ibd", "lena_darm", "zoe_gut")]
    cid = create_campaign(store, SPEC, books, actor="maria")
    _post(store, "p1", "instagram:1", "#ad | with @acme #acmegutweek", datetime(2026, 7, 10))
    _post(store, "p2", "instagram:1", "with @acme again #acmegutweek", datetime(2026, 8, 3))
    _post(store, "p4", "tiktok:2", "#werbung mit ACME-LENADARM", datetime(2026, 7, 9))
    _post(store, "p5", "instagram:3", "#publicité #acmegutweek ACME-ZOEGUT", datetime(2026, 7, 9))
    track(store, cid, actor="maria", today=date(2026, 9, 1))
    return store


def test_rebook_score_from_the_facts(tracked: DuckDBStore) -> None:
    s = rebook(tracked, ["instagram:1", "tiktok:2", "instagram:3"], today=date(2026, 9, 1))
    anna, lena, zoe = s["instagram:1"], s["tiktok:2"], s["instagram:3"]
    # anna: on time 1/2, delivered 2/2, compliant 1/2; booked by hand, so no plan to compare with
    assert (anna.on_time, anna.delivered, anna.compliant, anna.results) == (0.5, 1.0, 0.5, None)
    assert anna.score == pytest.approx(100 * 2 / 3, abs=0.1)
    assert (lena.on_time, lena.delivered, lena.compliant) == (0.5, 0.5, 0.0)
    assert lena.score == pytest.approx(100 / 3, abs=0.1) and "think twice" in lena.sentence
    assert (zoe.compliant, zoe.score) == (1.0, pytest.approx(66.7, abs=0.1))
    assert "on time 50%" in anna.sentence and "book again" in anna.sentence


def test_unknown_without_history_never_zero(store: DuckDBStore) -> None:
    _seed(store)
    create_campaign(store, SPEC, [booking_from_store(store, "anna_ibd", 2, 400.0)], actor="maria")
    s = rebook(store, ["instagram:1", "nobody:1"], today=date(2026, 9, 1))  # booked, nothing tracked
    assert s["nobody:1"].score is None and "never booked" in s["nobody:1"].sentence
    # two posts were due and none went live: a score (0 on time, 0 delivered), not unknown
    assert (s["instagram:1"].on_time, s["instagram:1"].delivered, s["instagram:1"].compliant) == (
        0.0,
        0.0,
        None,
    )
    early = rebook(store, ["instagram:1"], today=date(2026, 6, 1))["instagram:1"]  # nothing due yet
    assert (
        early.score is None and early.campaigns == 1 and "no post of theirs was due or live" in early.sentence
    )


def test_history_carries_the_score(tracked: DuckDBStore) -> None:
    h = creator_history(tracked, "@anna_ibd", today=date(2026, 9, 1))
    assert h["rebook"]["score"] == pytest.approx(66.7, abs=0.1) and h["rebook"]["definition"]


@dataclass
class Hit:
    account_id: str


def test_discovery_favours_or_keeps_past_performers(tracked: DuckDBStore) -> None:
    ranked = [Hit("tiktok:2"), Hit("new:1"), Hit("instagram:1"), Hit("instagram:3")]
    favoured, note = rerank_past(tracked, ranked, "favour")
    # good ones first in their order, never-booked next, the poor one last; nobody dropped
    assert [h.account_id for h in favoured] == ["instagram:1", "instagram:3", "new:1", "tiktok:2"]
    assert "2 of 4 creators" in note
    only, _ = rerank_past(tracked, ranked, "only")
    assert [h.account_id for h in only] == ["instagram:1", "instagram:3"]
    with pytest.raises(InputError, match="favour or only"):
        past_performance(tracked, ["x"], "prefer")  # type: ignore[arg-type]


def test_planning_with_past_performers(tracked: DuckDBStore, tmp_path: Path) -> None:
    brief = Brief(text="gut health", budget=5000, exclude=("someone",))
    fav, cands = past_performers_brief(tracked, brief, None, "favour")
    assert fav.exclude == ("someone", "tiktok:2") and cands is None
    _, listed = past_performers_brief(tracked, Brief(text="gut", budget=5000, niche="ibd"), None, "only")
    assert listed is not None and listed.parent == tmp_path  # beside the database, kept for the plan
    with listed.open() as f:
        assert [(r["account_id"], r["niche"]) for r in csv.DictReader(f)] == [
            ("instagram:1", "ibd"),
            ("instagram:3", "ibd"),
        ]
    mine = tmp_path / "mine.csv"
    mine.write_text("account_id,fee\ninstagram:1,300\ntiktok:2,200\n")
    _, filtered = past_performers_brief(tracked, brief, mine, "only")
    assert filtered is not None and filtered.read_text().splitlines() == ["account_id,fee", "instagram:1,300"]
    with DuckDBStore(tmp_path / "empty.duckdb") as empty, pytest.raises(InputError, match="no creator has"):
        past_performers_brief(empty, brief, None, "only")


def test_cli_history_and_briefs_as_pdf(
    tracked: DuckDBStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tracked.path
    assert db is not None
    tracked.close()
    runner = CliRunner()
    res = runner.invoke(app, ["campaign", "history", "@lena_darm", "--db", str(db)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "Re-book score" in res.output and "delivered 50%" in res.output
    out = tmp_path / "briefs"
    res = runner.invoke(app, ["campaign", "brief", "1", "--out", str(out), "--pdf", "--db", str(db)])
    assert res.exit_code == 0, res.output
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 4  # the campaign's and three creators'
    body = (out / "campaign-1-tiktok_2-v1.pdf").read_bytes()
    assert body.startswith(b"%PDF-") and b"%%EOF" in body[-1024:]
    text = pdf_text(body)
    assert "#acmegutweek" in text and "ACME-LENADARM" in text
    # Without the extra: one clear line naming the install command, nothing written.
    monkeypatch.setitem(sys.modules, "fpdf", None)
    res = runner.invoke(
        app, ["campaign", "brief", "1", "--out", str(tmp_path / "none"), "--pdf", "--db", str(db)]
    )
    assert res.exit_code != 0 and 'pip install "covey[pdf]"' in res.output
    assert not (tmp_path / "none").exists()
    with pytest.raises(MissingDependencyError):
        from covey.campaigns.pdf import to_pdf

        to_pdf("x", [])
