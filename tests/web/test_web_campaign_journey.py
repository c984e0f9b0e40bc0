"""Campaign pages, the whole journey: plan -> campaign -> pipeline -> outreach -> briefs (HTML, PDF,
versions) -> a draft that fails compliance, sent back, fixed and approved -> simulated delivery
imported and matched -> report; each page's `.json`. The routes' security is in
test_web_campaign_security.py."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from campaign_support import WS, CampaignWorld, csrf_of, new_campaign
from fastapi.testclient import TestClient
from web_support import XSS, sign_in

from covey.world.campaign import LABELS
from pdf_support import pdf_text


def _stage(camp_client: TestClient, cid: int, account: str, to: str, csrf: str) -> Any:
    return camp_client.post(
        f"/w/{WS}/campaigns/{cid}/stage",
        data={"csrf_token": csrf, "account_id": account, "stage": to},
        follow_redirects=False,
    )


def test_plan_to_report_through_the_pages(
    camp_client: TestClient, camp: CampaignWorld, tmp_path: Path
) -> None:
    sign_in(camp_client, "editor@example.org")
    csrf = csrf_of(camp_client)
    cid = new_campaign(camp_client, csrf)
    assert str(cid) in camp_client.get(f"/w/{WS}/campaigns").text
    listed = camp_client.get(f"/w/{WS}/campaigns.json").json()
    assert cid in [c["campaign_id"] for c in listed["campaigns"]]

    # Pipeline: an allowed change is an event; an impossible one is refused with the allowed ones.
    view = camp_client.get(f"/w/{WS}/campaigns/{cid}.json").json()
    creators = view["creators"]
    assert creators and all(c["stage"] == "prospect" for c in creators)
    assert all(c["fee_vs_card"] == pytest.approx(0.0) for c in creators)  # fee starts at the card price
    first = creators[0]
    a = first["account_id"]
    assert first["allowed"] == ["contacted", "declined", "dropped"] or "contacted" in first["allowed"]
    r = _stage(camp_client, cid, a, "contacted", csrf)
    assert r.status_code == 303 and "error" not in r.headers["location"]
    events_before = len(camp_client.get(f"/w/{WS}/campaigns/{cid}.json").json()["events"])
    r = _stage(camp_client, cid, a, "paid", csrf)
    assert r.status_code == 422  # the page again, with the message; nothing a link carries is shown
    assert "cannot move from contacted to paid" in r.text and "replied" in r.text
    spoof = camp_client.get(f"/w/{WS}/campaigns/{cid}?error=Your+account+is+locked")
    assert spoof.status_code == 200 and "account is locked" not in spoof.text
    after = camp_client.get(f"/w/{WS}/campaigns/{cid}.json").json()
    assert len(after["events"]) == events_before  # nothing changed, nothing logged
    assert next(c for c in after["creators"] if c["account_id"] == a)["stage"] == "contacted"
    changes = [e for e in after["events"] if e["kind"] == "stage"]
    assert changes[0]["from_stage"] == "prospect" and changes[0]["to_stage"] == "contacted"
    assert changes[0]["actor"] == "editor@example.org"

    # Notes (hostile text stays text), the agreed fee against the rate card, a task with a deadline.
    for path, data in (
        ("note", {"account_id": a, "text": XSS}),
        ("terms", {"account_id": a, "fee": str((first["card_total"] or 100) * 1.2)}),
        ("task", {"account_id": a, "title": "send the contract", "due": "2026-07-03"}),
    ):
        r = camp_client.post(
            f"/w/{WS}/campaigns/{cid}/{path}", data={"csrf_token": csrf, **data}, follow_redirects=False
        )
        assert r.status_code == 303 and "error" not in r.headers["location"], (path, r.headers["location"])
    page = camp_client.get(f"/w/{WS}/campaigns/{cid}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;xss&#34;)" in page
    row = next(
        c for c in camp_client.get(f"/w/{WS}/campaigns/{cid}.json").json()["creators"] if c["account_id"] == a
    )
    if row["card_total"]:
        assert row["fee_vs_card"] == pytest.approx(0.2)
    assert row["notes"][0]["text"] == XSS and row["next_due"] == "2026-07-03"

    # Outreach: a message for every creator still at 'prospect', as CSV and .eml.
    out = camp_client.get(f"/w/{WS}/campaigns/{cid}/outreach.json").json()
    assert {m["account_id"] for m in out["messages"]} == {c["account_id"] for c in creators[1:]}
    rows = list(csv.reader(io.StringIO(camp_client.get(f"/w/{WS}/campaigns/{cid}/outreach.csv").text)))
    assert rows[0] == ["account_id", "handle", "to", "subject", "body"] and len(rows) == len(creators)
    if len(creators) > 1:
        eml = camp_client.get(
            f"/w/{WS}/campaigns/{cid}/outreach.eml?creator={quote(creators[1]['account_id'])}"
        )
        assert eml.status_code == 200 and b"Subject: Acme x @" in eml.content
    assert camp_client.get(f"/w/{WS}/campaigns/{cid}/outreach.eml?creator=nobody").status_code == 404

    # Briefs: written twice (two versions), shown as HTML, downloaded as a valid PDF with the hashtag.
    tag = camp_client.get(f"/w/{WS}/campaigns/{cid}.json").json()["campaign"]["hashtag"]
    for _ in range(2):
        assert (
            camp_client.post(f"/w/{WS}/campaigns/{cid}/briefs", data={"csrf_token": csrf}).status_code == 200
        )
    versions = camp_client.get(f"/w/{WS}/campaigns/{cid}/briefs.json").json()["versions"]
    assert {v["version"] for v in versions if v["account_id"] == a} == {1, 2}
    shown = camp_client.get(f"/w/{WS}/campaigns/{cid}/brief?creator={quote(a)}&version=1")
    assert shown.status_code == 200 and f"#{tag}" in shown.text and "Disclosure (required)" in shown.text
    assert camp_client.get(f"/w/{WS}/campaigns/{cid}/brief.json?creator={quote(a)}").json()["version"] == 2
    pdf = camp_client.get(f"/w/{WS}/campaigns/{cid}/brief.pdf?creator={quote(a)}&version=2")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and b"%%EOF" in pdf.content[-1024:]
    assert f"#{tag}" in pdf_text(pdf.content)
    assert camp_client.get(f"/w/{WS}/campaigns/{cid}/brief.md?version=1").text.startswith("# Gut feeling")
    assert camp_client.get(f"/w/{WS}/campaigns/{cid}/brief?creator={quote(a)}&version=9").status_code == 404

    # Approval: contract, a draft without disclosure (and hostile text) is flagged and cannot be
    # approved; sent back with a comment; the fixed version is approved; versions stay as they were.
    for s in ("replied", "negotiating", "contracted"):
        assert "error" not in _stage(camp_client, cid, a, s, csrf).headers["location"]
    bad = f"Loving this {XSS} #{tag} it will cure you"
    r = camp_client.post(
        f"/w/{WS}/campaigns/{cid}/drafts",
        data={"csrf_token": csrf, "account_id": a, "deliverable": "1", "caption": bad},
        follow_redirects=False,
    )
    assert "error" not in r.headers["location"]
    page = camp_client.get(f"/w/{WS}/campaigns/{cid}/approval").text
    assert "<script>alert" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "campaign.must_not_say" in page and "<mark>cure</mark>" in page
    ap = camp_client.get(f"/w/{WS}/campaigns/{cid}/approval.json").json()
    d1 = next(d for d in ap["deliverables"] if d["account_id"] == a and d["deliverable"] == 1)
    cats = {f["category"] for f in d1["latest"]["flags"]}
    assert "disclosure_missing" in cats and "must_not_say" in cats and not d1["latest"]["compliant"]
    decide = {"csrf_token": csrf, "account_id": a, "deliverable": "1", "version": "1"}
    r = camp_client.post(
        f"/w/{WS}/campaigns/{cid}/decisions", data={**decide, "decision": "approved"}, follow_redirects=False
    )
    assert r.status_code == 422 and "has flags" in r.text
    r = camp_client.post(
        f"/w/{WS}/campaigns/{cid}/decisions",
        data={**decide, "decision": "changes_requested", "comment": "add the #ad label and drop 'cure'"},
        follow_redirects=False,
    )
    assert "error" not in r.headers["location"]
    good = f"{LABELS.get(first['language'] or 'en', '#ad')} Loving this with @acme #{tag}"
    camp_client.post(
        f"/w/{WS}/campaigns/{cid}/drafts",
        data={"csrf_token": csrf, "account_id": a, "deliverable": "1", "caption": good},
    )
    r = camp_client.post(
        f"/w/{WS}/campaigns/{cid}/decisions",
        data={**decide, "version": "2", "decision": "approved"},
        follow_redirects=False,
    )
    assert "error" not in r.headers["location"], r.headers["location"]
    ap = camp_client.get(f"/w/{WS}/campaigns/{cid}/approval.json").json()
    d1 = next(d for d in ap["deliverables"] if d["account_id"] == a and d["deliverable"] == 1)
    assert d1["approved_version"] == 2 and [v["caption"] for v in d1["drafts"]] == [good, bad]
    assert [(t["decision"], t["version"]) for t in ap["decisions"]] == [
        ("changes_requested", 1),
        ("approved", 2),
    ]
    assert all(t["actor"] == "editor@example.org" for t in ap["decisions"])

    # Every other post of every creator approved, so delivery can be simulated against the truth.
    view = camp_client.get(f"/w/{WS}/campaigns/{cid}.json").json()
    for c in view["creators"]:
        fine = f"{LABELS.get(c['language'] or 'en', '#ad')} Loving this with @acme #{tag}"
        if c["account_id"] != a:
            for s in ("contacted", "replied", "negotiating", "contracted"):
                _stage(camp_client, cid, c["account_id"], s, csrf)
        for k in range(1, c["posts"] + 1):
            if c["account_id"] == a and k == 1:
                continue
            camp_client.post(
                f"/w/{WS}/campaigns/{cid}/drafts",
                data={
                    "csrf_token": csrf,
                    "account_id": c["account_id"],
                    "deliverable": str(k),
                    "caption": fine,
                },
            )
            vs = camp_client.get(f"/w/{WS}/campaigns/{cid}/approval.json").json()["deliverables"]
            mine = next(d for d in vs if d["account_id"] == c["account_id"] and d["deliverable"] == k)
            camp_client.post(
                f"/w/{WS}/campaigns/{cid}/decisions",
                data={
                    "csrf_token": csrf, "account_id": c["account_id"], "deliverable": str(k),
                    "version": str(mine["latest"]["version"]), "decision": "approved",
                },
            )  # fmt: skip
    view = camp_client.get(f"/w/{WS}/campaigns/{cid}.json").json()
    assert all(c["stage"] == "approved" for c in view["creators"]), [c["stage"] for c in view["creators"]]

    # Simulated delivery (a drop-out, late posts, a forgotten disclosure), imported and matched.
    truth = _deliver(camp_client, camp, cid, tmp_path)
    r = camp_client.post(
        f"/w/{WS}/campaigns/{cid}/track",
        data={"csrf_token": csrf, "today": "2026-09-01"},
        follow_redirects=False,
    )
    assert "error" not in r.headers["location"]
    tr = camp_client.get(f"/w/{WS}/campaigns/{cid}/tracking.json").json()
    kinds: dict[str, set[str]] = {}
    for f in tr["flags"]:
        kinds.setdefault(f["kind"], set()).add(f["post_id"] or f["account_id"])
    assert kinds.get("late", set()) == {p for c in truth["creators"] for p in c["late_posts"]}
    assert kinds.get("non_compliant", set()) == {p for c in truth["creators"] for p in c["undisclosed_posts"]}
    assert kinds["missing"] == {truth["dropped"]}
    assert len(tr["matched"]) == sum(c["delivered"] for c in truth["creators"])
    page = camp_client.get(f"/w/{WS}/campaigns/{cid}/tracking").text
    assert 'class="flag-missing"' in page and "late" in page

    # Conversions by code, then the report: plan against actual, charts, EMV table, CSV.
    conv = (truth_dir := tmp_path / "sim") / "conversions.csv"
    r = camp_client.post(
        f"/w/{WS}/campaigns/{cid}/conversions",
        data={"csrf_token": csrf},
        files={"file": ("conversions.csv", conv.read_bytes(), "text/csv")},
        follow_redirects=False,
    )
    assert "error" not in r.headers["location"], r.headers["location"]
    # The creators' post insights: a bad file is refused with its line and field, nothing stored;
    # the simulation's file is stored and the report measures those creators' rates from it.
    insights = (tmp_path / "sim") / "insights.csv"
    rows = insights.read_text().splitlines()
    bad = "\n".join([rows[0], rows[1], rows[2].replace(rows[2].split(",")[2], "lots", 1)]) + "\n"
    r = camp_client.post(
        f"/w/{WS}/campaigns/{cid}/insights",
        data={"csrf_token": csrf},
        files={"file": ("insights.csv", bad.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert r.status_code == 422 and "insights.csv:3 [reach]" in r.text and "lots" in r.text
    assert "campaign-uploads" not in r.text  # the file as the user sent it, not the server's path
    assert all(
        m["insights"] is None
        for m in camp_client.get(f"/w/{WS}/campaigns/{cid}/tracking.json").json()["matched"]
    )
    for _ in range(2):  # the same file twice: replaced, not added
        r = camp_client.post(
            f"/w/{WS}/campaigns/{cid}/insights",
            data={"csrf_token": csrf},
            files={"file": ("insights.csv", insights.read_bytes(), "text/csv")},
            follow_redirects=False,
        )
        assert "error" not in r.headers["location"], r.headers["location"]
    tr = camp_client.get(f"/w/{WS}/campaigns/{cid}/tracking.json").json()
    told = [m for m in tr["matched"] if m["insights"]]
    assert len(told) == len(rows) - 1 >= 1 and all(m["insights"]["reach"] >= 0 for m in told)
    assert (
        sum(
            1
            for e in camp_client.get(f"/w/{WS}/campaigns/{cid}.json").json()["events"]
            if e["kind"] == "insights"
        )
        == 2
    )
    assert 'id="insights-form"' in camp_client.get(f"/w/{WS}/campaigns/{cid}/tracking").text
    rep = camp_client.get(f"/w/{WS}/campaigns/{cid}/report.json").json()["report"]
    sharing = {c["handle"] for c in truth["creators"] if c["shared_insights"]}
    for row in rep["creators"]:
        assert (row["handle"] in sharing) == (row["posts_with_reported_reach"] > 0), row["handle"]
        if row["handle"] in sharing:
            assert row["impressions_source"] == "reported reach"
            assert row["reach_rate_source"] in ("reported reach", "prior (the reported reach not used: real "
                                                "audience not known; vet the creator)")  # fmt: skip
    lo, hi = rep["reach"]["interval"]["delivered"]["3+"]
    assert lo <= hi and lo > 0
    assert rep["total"]["posts_delivered"] == sum(c["delivered"] for c in truth["creators"])
    assert rep["reach"]["delivered"]["3+"] is not None and rep["total"]["conversions"] is not None
    page = camp_client.get(f"/w/{WS}/campaigns/{cid}/report").text
    assert "90 % interval" in page and 'class="rate-source"' in page and "reported reach" in page
    assert page.count("<svg") == 3 and "EMV = impressions / 1000 x CPM" in page and 'id="emv-table"' in page
    body = page.split("<main>")[1].replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<desc>" in page and "http://" not in body and "https://" not in body
    lines = camp_client.get(f"/w/{WS}/campaigns/{cid}/report.csv").text.splitlines()
    assert lines[0].startswith("handle,") and lines[-1].startswith("TOTAL")
    assert lines[0].endswith("reach_3plus,reach_3plus_low,reach_3plus_high")
    assert float(lines[-1].split(",")[-2]) == pytest.approx(lo)
    assert truth_dir.exists()
    # The creator's history now has a re-book score, on their page and their campaigns page.
    hist = camp_client.get(f"/w/{WS}/creators/{quote(a, safe='')}/campaigns.json").json()["history"]
    assert hist["rebook"]["score"] is not None and 0 <= hist["rebook"]["score"] <= 100
    assert "Re-book score" in camp_client.get(f"/w/{WS}/creators/{quote(a, safe='')}").text
    # A creator who reported its reach: the history says it, beside the rate the plan assumed.
    told_row = next(r for r in rep["creators"] if r["posts_with_reported_reach"])
    url = f"/w/{WS}/creators/{quote(told_row['account_id'], safe='')}/campaigns"
    past = next(
        c for c in camp_client.get(url + ".json").json()["history"]["campaigns"] if c["campaign_id"] == cid
    )
    assert past["reach_per_post"] > 0 and past["reach_rate_planned"] > 0 and past["reach_rate_measured"] > 0
    assert "reach rate: measured / planned" in camp_client.get(url).text


def _deliver(camp_client: TestClient, camp: CampaignWorld, cid: int, tmp_path: Path) -> dict[str, Any]:
    """Simulate the campaign's delivery on the sample world and import the posts (the server's store)."""
    from covey.ingest import import_path
    from covey.world.campaign import campaign_orders, simulate

    store = camp_client.app.state.covey.store(WS, camp.db)  # type: ignore[attr-defined]
    orders, info = campaign_orders(store, cid)
    truth = simulate(camp.world, orders, tmp_path / "sim", seed=3, **info)
    import_path(store, tmp_path / "sim" / "posts.parquet")
    return truth


# ---- security ------------------------------------------------------------------------------------
