"""Creator-reported post insights: checked whole with file, line and field; idempotent; the
report takes impressions from reported reach, and the audit trail records every import."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from covey.campaigns.campaign import Spec, booking_from_store, create_campaign
from covey.campaigns.insights import import_insights, latest_insights
from covey.campaigns.pipeline import events
from covey.campaigns.report import build_report
from covey.campaigns.tracking import track
from covey.cli.app import app
from covey.errors import InputError
from covey.store import DuckDBStore

SPEC = Spec(
    name="Glow",
    brand="Acme",
    starts=date(2026, 7, 1),
    ends=date(2026, 7, 28),
    budget=3000,
    hashtag="acmeglowx",
    code_pattern="ACME-{handle}",
)


@pytest.fixture
def camp(store: DuckDBStore) -> int:
    """Two creators with two posts each; anna (Instagram, no views) delivered both, lena (TikTok,
    views) one."""
    with store.transaction() as cur:
        for a, h, p in (("instagram:1", "anna", "instagram"), ("tiktok:2", "lena", "tiktok")):
            cur.execute(
                "INSERT INTO accounts (account_id, platform, handle, country, language) "
                "VALUES (?, ?, ?, 'GB', 'en')",
                [a, p, h],
            )
    books = [booking_from_store(store, h, 2, 300.0, 150.0) for h in ("anna", "lena")]
    cid = create_campaign(store, SPEC, books, actor="maria")
    with store.transaction() as cur:
        for pid, acc, day, views, url in (
            ("instagram:a1", "instagram:1", 5, None, "https://www.instagram.com/p/A1/"),
            ("instagram:a2", "instagram:1", 20, None, "https://www.instagram.com/p/A2/"),
            ("tiktok:l1", "tiktok:2", 6, 900, "https://www.tiktok.com/@lena/video/l1"),
        ):
            cur.execute(
                "INSERT INTO posts (post_id, account_id, platform_id, caption, posted_at, likes, comments, "
                "views, url) VALUES (?, ?, ?, '#ad with @acme #acmeglowx', ?, 40, 4, ?, ?)",
                [pid, acc, pid.split(":")[1], datetime(2026, 7, day), views, url],
            )
    track(store, cid, actor="maria", today=date(2026, 9, 1))
    return cid


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_import_by_url_id_or_number_then_again_the_same(
    store: DuckDBStore, camp: int, tmp_path: Path
) -> None:
    f = _write(
        tmp_path / "ins.csv",
        "post,handle,post_number,reach,impressions,views\n"
        'https://instagram.com/p/A1?igsh=xyz,,,"1,200",1500,\n'  # a link copied from the app
        "instagram:a2,,,800,900,\n"
        ",@lena,1,700,,950\n",
    )
    assert import_insights(store, camp, f, actor="maria") == {"rows": 3, "with_reach": 3, "creators": 2}
    again = import_insights(store, camp, f, actor="maria")  # the same file: replaced, not added
    assert again["rows"] == 3 and store.query("SELECT count(*) FROM campaign_insights")[0][0] == 3
    told = latest_insights(store, camp)
    assert told["instagram:a1"]["reach"] == 1200 and told["tiktok:l1"]["views"] == 950
    rep = build_report(store, camp)
    anna = next(r for r in rep["creators"] if r["handle"] == "anna")
    lena = next(r for r in rep["creators"] if r["handle"] == "lena")
    # people reached per post: the reported reach first (lena's 700, not her 900 views)
    assert anna["impressions"] == 2000.0 and anna["impressions_source"] == "reported reach"
    assert lena["impressions"] == 700.0 and anna["posts_with_reported_reach"] == 2
    assert anna["reach_rate_source"] == "no plan: no model" and rep["reach"] is None
    trail = [e for e in events(store, camp) if e["kind"] == "insights"]
    assert len(trail) == 2 and "3 post(s) from ins.csv, 3 with reach, of 2 creator(s)" in trail[0]["detail"]
    # a second file about one post wins in the report; the first file's row is kept
    g = _write(tmp_path / "later.csv", "post,reach\nhttps://www.instagram.com/p/A1/,1300\n")
    import_insights(store, camp, g, actor="maria")
    assert latest_insights(store, camp)["instagram:a1"]["reach"] == 1300
    assert store.query("SELECT count(*) FROM campaign_insights")[0][0] == 4


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("post,reach\ninstagram:a1,12.3K\n", "bad.csv:2 [reach]", "rounded"),
        ("post,reach\ninstagram:a1,100\ninstagram:a2,lots\n", "bad.csv:3 [reach]", "not a whole number"),
        ("post,reach\ninstagram:a1,-5\n", "bad.csv:2 [reach]", "negative"),
        ("post,reach,impressions\ninstagram:a1,900,800\n", "bad.csv:2 [reach]", "more than impressions"),
        ("post,reach\ninstagram:a1,1\nhttps://www.instagram.com/p/A1/,2\n", "bad.csv:3 [post]",
         "already given on line 2"),
        ("post,reach\ninstagram:zz,1\n", "bad.csv:2 [post]", "not a delivered post of campaign"),
        ("post,handle,reach\ntiktok:l1,anna,5\n", "bad.csv:2 [handle]", "is @lena's, not @anna's"),
        ("handle,post_number,reach\nlena,2,5\n", "bad.csv:2 [post_number]", "@lena has no delivered post 2"),
        ("post,handle,post_number,reach\ninstagram:a1,lena,1,5\n", "bad.csv:2 [post_number]",
         "is not @lena's post 1"),
        ("post,reach\ninstagram:a1,\n", "bad.csv:2 [reach]", "no figure"),
        ("post,likes\ninstagram:a1,3\n", "bad.csv:1 [header]", "at least one of the columns"),
        ("reach\n5\n", "bad.csv:1 [header]", "needs a 'post' column"),
        ("post,reach\n", "bad.csv:2", "no rows"),
    ],
)  # fmt: skip
def test_bad_files_are_refused_whole_and_nothing_is_lost(
    store: DuckDBStore, camp: int, tmp_path: Path, text: str, where: str, message: str
) -> None:
    good = _write(tmp_path / "good.csv", "post,reach\ninstagram:a1,1000\n")
    import_insights(store, camp, good, actor="maria")
    before = store.query("SELECT * FROM campaign_insights")
    trail = len(events(store, camp))
    with pytest.raises(InputError) as err:
        import_insights(store, camp, _write(tmp_path / "bad.csv", text), actor="maria")
    assert where in str(err.value) and message in str(err.value)
    assert store.query("SELECT * FROM campaign_insights") == before and len(events(store, camp)) == trail


def test_the_cli_imports_and_reports_errors_without_a_traceback(
    camp: int, store: DuckDBStore, tmp_path: Path
) -> None:
    db = store.path
    store.close()
    runner = CliRunner()
    f = _write(tmp_path / "ok.csv", "post,reach\ninstagram:a1,1000\n")
    out = runner.invoke(app, ["campaign", "insights", str(camp), str(f), "--db", str(db)])
    assert out.exit_code == 0 and "1 post(s) of 1 creator(s), 1 with reach" in out.output
    bad = _write(tmp_path / "bad.csv", "post,reach\ninstagram:a1,1k\n")
    out = runner.invoke(app, ["campaign", "insights", str(camp), str(bad), "--db", str(db)])
    assert out.exit_code != 0 and "bad.csv:2 [reach]" in out.output and "Traceback" not in out.output
