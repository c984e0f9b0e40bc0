"""The app in a real browser: Debian's Chromium driven by Playwright against a real uvicorn.

One small world and one server for the module; screenshots go to test-artifacts/browser/.
Skipped with a reason when Chromium or Playwright is missing (``make test`` installs both).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest
from browser_support import serve, shot
from web_support import PASSWORD, WebWorld

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(web_world: WebWorld, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn on 127.0.0.1 serving the test world."""
    from covey.web.app import create_app

    folder = tmp_path_factory.mktemp("browser-app")
    shutil.copy(web_world.settings.app_db(), folder / "app.sqlite3")
    shutil.copy(web_world.settings.secret_key_file(), folder / "covey-secret.key")
    settings = replace(web_world.settings, web=replace(web_world.settings.web, app_db=folder / "app.sqlite3"))
    with serve(create_app(settings)) as url:
        yield url


def test_the_journey_in_a_browser(server: str, browser: object, web_world: WebWorld) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(server + "/")
    assert page.url.endswith("/login")
    page.fill("input[name=email]", "owner@example.org")
    page.fill("input[name=password]", PASSWORD)
    shot(page, "01-sign-in")
    page.click("button[type=submit]")
    page.wait_for_url(server + "/w/main")
    assert page.locator("h1").inner_text() == "Workspace main"
    shot(page, "02-home")

    page.click("nav >> text=Creators")
    total = int(page.locator("#count").inner_text().split()[0].replace(",", ""))
    page.select_option("select[name=platform]", "instagram")
    page.select_option("select[name=tier]", "micro")
    page.click("#filters button[type=submit]")
    page.wait_for_load_state()
    filtered = int(page.locator("#count").inner_text().split()[0].replace(",", ""))
    assert 0 < filtered < total
    assert "platform=instagram" in page.url
    platforms = page.locator("#creators tbody tr td.platform").all_inner_texts()
    assert platforms and set(platforms) == {"instagram"}
    shot(page, "03-creators-filtered")

    page.locator("a.creator-link").first.click()
    page.wait_for_load_state()
    assert page.locator("#components tbody tr").count() >= 2
    assert page.locator("figure.chart svg polyline").count() == 1
    shot(page, "04-creator")

    # The creator whose bio, name, handle and captions carry script: shown as text, nothing runs.
    page.goto(f"{server}/w/main/creators/{quote(web_world.xss_account, safe='')}")
    assert "<script>" in page.locator("blockquote.bio").inner_text()
    shot(page, "05-hostile-creator")

    page.click("nav >> text=Discover")
    page.fill("input[name=brief]", "living with crohn's and colitis, diet and flare-ups")
    page.click("#discover-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#results tbody tr").count() > 0
    page.wait_for_selector("#evidence-list li", timeout=30_000)  # htmx fetched the closest posts
    assert page.locator("#evidence-list li").count() == page.locator("#results tbody tr").count()
    shot(page, "06-discover")

    page.click("nav >> text=Plan")
    page.fill("input[name=brief]", "crohn's and colitis")
    page.fill("input[name=budget]", "8000")
    page.fill("input[name=min_creators]", "2")
    page.fill("input[name=max_creators]", "8")
    page.click("#plan-form button[type=submit]")
    # A background job: its page shows the progress, then opens the saved plan.
    page.wait_for_url("**/plans/*", timeout=90_000)
    assert page.locator("#options tbody tr").count() >= 2
    assert page.locator("#plan-items tbody tr").count() >= 1
    shot(page, "07-plan")
    first_plan = page.url.rsplit("/", 1)[1]

    # A second plan with another budget, then the two side by side.
    page.click("nav >> text=Plan")
    page.fill("input[name=brief]", "crohn's and colitis")
    page.fill("input[name=budget]", "4000")
    page.fill("input[name=min_creators]", "2")
    page.fill("input[name=max_creators]", "8")
    page.click("#plan-form button[type=submit]")
    page.wait_for_url("**/plans/*", timeout=90_000)
    second_plan = page.url.rsplit("/", 1)[1]
    assert second_plan != first_plan
    page.goto(server + "/w/main/plans")
    assert page.title() == "Saved plans · Covey"
    page.select_option("#compare-form select[name=a]", first_plan)
    page.select_option("#compare-form select[name=b]", second_plan)
    page.click("#compare-form button[type=submit]")
    page.wait_for_url("**/plans/compare*")
    heads = page.locator("#compare thead th").all_inner_texts()
    assert heads[1:] == [f"Plan {first_plan}", f"Plan {second_plan}"]
    spent = page.locator("#compare tbody tr", has_text="spent").locator("td").all_inner_texts()
    assert len(spent) == 2 and spent[0] != spent[1]
    shot(page, "08-compare-plans")

    page.click("#sign-out")
    page.wait_for_url(server + "/login")
    page.goto(server + "/w/main/creators")
    assert page.url.endswith("/login")
    assert dialogs == [], f"a script ran: {dialogs}"
    assert not [e for e in errors if "Content Security Policy" in e], errors
    page.close()


def test_import_progress_in_a_browser(server: str, browser: object, tmp_path: Path) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server + "/login")
    page.fill("input[name=email]", "editor@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(server + "/w/main")
    upload = tmp_path / "accounts.csv"
    upload.write_text("account_id,platform,handle\nbrowser:1,instagram,from_the_browser\nbrowser:2,tiktok,\n")
    page.click("nav >> text=Import")
    page.set_input_files("input[name=file]", str(upload))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#job[data-state=done]", timeout=30_000)  # htmx polls the progress
    assert page.locator("#rejects").count() == 1
    shot(page, "09-import-done")
    page.close()
