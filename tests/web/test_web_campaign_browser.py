"""A campaign in a real browser (Debian's Chromium, Playwright, a real uvicorn): plan -> campaign ->
pipeline stage changes -> a draft that fails compliance, sent back, fixed and approved ->
simulated delivery imported and matched -> report. Screenshots in test-artifacts/browser/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import serve, shot
from campaign_support import ENDS, STARTS, WS, CampaignWorld, campaign_world
from web_support import PASSWORD, XSS, WebWorld

from covey.world.campaign import LABELS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def camp_server(
    web_world: WebWorld, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Any, CampaignWorld]]:
    """A real uvicorn serving the campaign workspace; yields its URL, the app and the world."""
    from covey.web.app import create_app

    camp = campaign_world(web_world, tmp_path_factory.mktemp("camp-browser"))
    app = create_app(camp.settings)
    with serve(app) as url:
        yield url, app, camp


def test_a_campaign_in_a_browser(
    camp_server: tuple[str, Any, CampaignWorld],
    browser: Any,
    tmp_path: Path,
) -> None:
    server, app, camp = camp_server
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(server + "/login")
    page.fill("input[name=email]", "owner@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)  # a member of two workspaces: the chooser

    # A saved plan, then a campaign from it.
    page.goto(f"{server}/w/{WS}/plan")
    page.fill("input[name=brief]", "crohn's and colitis")
    page.fill("input[name=budget]", "8000")
    page.fill("input[name=min_creators]", "2")
    page.fill("input[name=max_creators]", "6")
    page.click("#plan-form button[type=submit]")
    page.wait_for_url("**/plans/*", timeout=90_000)
    page.click("nav >> text=Campaigns")
    page.wait_for_url(f"{server}/w/{WS}/campaigns")
    page.fill("input[name=name]", "Gut feeling")
    page.fill("input[name=brand]", "Acme")
    page.fill("input[name=starts]", STARTS.isoformat())
    page.fill("input[name=ends]", ENDS.isoformat())
    page.fill("input[name=hashtag]", "acmebrowser")
    page.fill("input[name=jurisdictions]", "GB")
    page.fill("textarea[name=must_not_say]", "cure")
    page.fill("input[name=code_pattern]", "ACME-{handle}")
    shot(page, "c01-new-campaign")
    page.click("#campaign-form button[type=submit]")
    page.wait_for_url(f"{server}/w/{WS}/campaigns/*")
    cid = int(page.url.rsplit("/", 1)[1])
    rows = page.locator("#creators-pipeline tbody tr[data-account]")
    assert rows.count() >= 1
    first = rows.first
    account = first.get_attribute("data-account")
    handle = first.locator("td").first.locator("a").inner_text()

    # Pipeline: the stage form offers only the allowed changes; walk the first creator to contracted.
    for stage in ("contacted", "replied", "negotiating", "contracted"):
        row = page.locator(f'#creators-pipeline tr[data-account="{account}"]')
        offered = row.locator("select[name=stage] option").all_inner_texts()
        assert stage in offered and "paid" not in offered
        row.locator("select[name=stage]").select_option(stage)
        row.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(f'#creators-pipeline tr[data-account="{account}"] td.stage').inner_text() == stage
    page.fill("#note-form textarea[name=text]", XSS)
    page.click("#note-form button[type=submit]")
    page.wait_for_load_state()
    assert "<script>" in page.locator(".note-text").first.inner_text()  # shown as text, inert
    assert page.locator("#events-table tbody tr").count() >= 5
    shot(page, "c02-pipeline")

    # A draft that fails compliance: flagged with the rule and the offending text; sent back; fixed.
    page.click("nav.tabs >> text=Content approval")
    section = page.locator("section.deliverable").first
    assert handle in section.locator("h2").inner_text()
    section.locator("textarea[name=caption]").fill("So good it will cure you #acmebrowser")
    section.locator(".draft-form button[type=submit]").click()
    page.wait_for_load_state()
    section = page.locator("section.deliverable").first
    assert section.locator(".draft.flagged").count() == 1
    assert "-missing" in section.locator("table.flags").inner_text().lower()  # the disclosure rule
    assert "cure" in section.locator("table.flags mark").all_inner_texts()
    assert section.locator(".approve-form").count() == 0  # a flagged version cannot be approved
    shot(page, "c03-draft-flagged")
    section.locator(".send-back-form input[name=comment]").fill("add the ad label, no 'cure'")
    section.locator(".send-back-form button[type=submit]").click()
    page.wait_for_load_state()
    store = app.state.covey.store(WS, camp.db)
    lang = store.query("SELECT language FROM accounts WHERE account_id = ?", [account])
    label = LABELS.get((lang[0][0] if lang else None) or "en", "#ad")
    section = page.locator("section.deliverable").first
    section.locator("textarea[name=caption]").fill(f"{label} Loving this with @acme #acmebrowser")
    section.locator(".draft-form button[type=submit]").click()
    page.wait_for_load_state()
    section = page.locator("section.deliverable").first
    assert section.locator(".draft.compliant").count() == 1
    section.locator(".approve-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "version 2 approved" in page.locator("section.deliverable").first.locator("h2").inner_text()
    assert page.locator("#decisions tbody tr").count() == 2
    shot(page, "c04-approved")

    # Simulated delivery imported into the served workspace, then matched from the tracking page.
    from covey.ingest import import_path
    from covey.world.campaign import campaign_orders, simulate

    orders, info = campaign_orders(store, cid)
    truth = simulate(camp.world, orders, tmp_path / "sim", seed=2, **info)
    import_path(store, tmp_path / "sim" / "posts.parquet")
    page.click("nav.tabs >> text=Tracking")
    page.fill("#track-form input[name=today]", "2026-09-01")
    page.click("#track-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#matched tbody tr").count() == sum(c["delivered"] for c in truth["creators"])
    assert page.locator("#flags tr.flag-missing").count() == sum(c["missing"] for c in truth["creators"])
    # The creators' insights: a rounded figure is refused with its line and field, then the file.
    insights = tmp_path / "sim" / "insights.csv"
    rows = insights.read_text().splitlines()
    bad = tmp_path / "insights-bad.csv"
    bad.write_text(
        "\n".join([rows[0], rows[1].replace("," + rows[1].split(",")[2] + ",", ",12.3K,", 1)]) + "\n"
    )
    page.set_input_files("#insights-form input[type=file]", str(bad))
    page.click("#insights-form button[type=submit]")
    page.wait_for_load_state()
    assert "insights-bad.csv:2 [reach]" in page.content() and "rounded" in page.content()
    page.set_input_files("#insights-form input[type=file]", str(insights))
    page.click("#insights-form button[type=submit]")
    page.wait_for_load_state()
    assert (
        page.locator("#matched td:has-text('not reported')").count()
        < page.locator("#matched tbody tr").count()
    )
    shot(page, "c05-tracking")

    page.click("nav.tabs >> text=Report")
    page.wait_for_load_state()
    assert page.locator("figure.bar-chart svg").count() == 3
    assert page.locator("#report-table tr.total").count() == 1
    assert page.locator("#emv-table tbody tr").count() >= 3
    assert "reported reach" in page.locator("#report-table").inner_text()
    assert "to" in page.locator("#reach tbody tr").nth(1).locator("td").nth(3).inner_text()  # 3+ interval
    shot(page, "c06-report")
    assert dialogs == [], f"a script ran: {dialogs}"
    assert not [e for e in errors if "Content Security Policy" in e], errors
    page.close()
