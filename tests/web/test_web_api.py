"""Routes and the JSON API on a real scored world: pages, `.json` twins, API tokens, jobs."""

from __future__ import annotations

import io
import json
import math
import zipfile
from urllib.parse import quote

from fastapi.testclient import TestClient
from markupsafe import escape
from web_support import WebWorld, sign_in

from covey.planning.result import rate_label
from covey.web.accounts import AppDB, secret_key


def _no_nan(obj: object) -> bool:
    if isinstance(obj, float):
        return math.isfinite(obj)
    if isinstance(obj, dict):
        return all(_no_nan(v) for v in obj.values())
    if isinstance(obj, list):
        return all(_no_nan(v) for v in obj)
    return True


def test_pages_need_a_sign_in(app_client: TestClient) -> None:
    r = app_client.get("/w/main/creators", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert app_client.get("/api/w/main/creators").status_code == 401
    assert app_client.get("/w/main/creators.json").status_code == 401


def test_home_and_creators_page_and_json_agree(app_client: TestClient, web_world: WebWorld) -> None:
    sign_in(app_client, "viewer@example.org")
    home = app_client.get("/w/main.json").json()
    assert home["tables"]["accounts"] > 0 and home["last_run"]["run_id"] == 1 and home["indexed"]
    page = app_client.get("/w/main/creators?per_page=10&sort=followers&order=desc")
    assert page.status_code == 200 and '<table id="creators">' in page.text
    data = app_client.get("/w/main/creators.json?per_page=10&sort=followers&order=desc").json()
    api = app_client.get("/api/w/main/creators?per_page=10&sort=followers&order=desc").json()
    assert data == api and len(data["rows"]) == 10 and data["total"] == home["tables"]["accounts"]
    followers = [r["followers"] for r in data["rows"] if r["followers"] is not None]
    assert followers == sorted(followers, reverse=True)
    for r in data["rows"]:
        assert f"@{r['handle']}" in page.text.replace("&amp;", "&") or "<" in r["handle"]
    assert _no_nan(data)


def test_creators_filters_sort_and_pages(app_client: TestClient) -> None:
    sign_in(app_client, "viewer@example.org")
    everyone = app_client.get("/api/w/main/creators?per_page=100").json()
    ig = app_client.get("/api/w/main/creators?platform=instagram&per_page=100").json()
    assert 0 < ig["total"] < everyone["total"]
    assert {r["platform"] for r in ig["rows"]} == {"instagram"}
    micro = app_client.get("/api/w/main/creators?tier=micro&per_page=100").json()
    assert all(1_000 <= r["followers"] < 100_000 for r in micro["rows"])
    good = app_client.get("/api/w/main/creators?min_overall=60&per_page=100").json()
    assert all(r["scores"]["overall"] >= 60 for r in good["rows"])
    assert good["total"] < everyone["total"]
    by_handle = app_client.get("/api/w/main/creators?sort=handle&order=asc&per_page=100").json()
    handles = [r["handle"] for r in by_handle["rows"]]
    assert handles == sorted(handles)
    p1 = app_client.get("/api/w/main/creators?per_page=5&page=1&sort=handle&order=asc").json()
    p2 = app_client.get("/api/w/main/creators?per_page=5&page=2&sort=handle&order=asc").json()
    assert [r["handle"] for r in p1["rows"] + p2["rows"]] == handles[:10]
    assert app_client.get("/api/w/main/creators?sort=drop_table").status_code == 422
    niche = app_client.get("/api/w/main/creators?niche=crohn%27s%20and%20colitis&per_page=100").json()
    assert niche["total"] <= everyone["total"]


def test_creator_page_components_chart_and_json(app_client: TestClient, web_world: WebWorld) -> None:
    sign_in(app_client, "viewer@example.org")
    first = app_client.get("/api/w/main/creators?per_page=1&sort=followers").json()["rows"][0]
    aid = quote(first["account_id"], safe="")
    data = app_client.get(f"/w/main/creators/{aid}.json").json()
    assert data == app_client.get(f"/api/w/main/creators/{aid}").json()
    assert {c["component"] for c in data["components"]} >= {"overall", "engagement", "authenticity"}
    assert all(c["percentile"] is None or 0 <= c["percentile"] <= 100 for c in data["components"])
    assert len(data["followers"]) > 1
    page = app_client.get(f"/w/main/creators/{aid}")
    assert page.status_code == 200 and "<svg" in page.text and "<polyline" in page.text
    assert page.text.count('class="dot"') == sum(p["followers"] is not None for p in data["followers"])
    assert app_client.get("/w/main/creators/no-such-id").status_code == 404


def test_discover_ranks_creators_for_a_brief(app_client: TestClient) -> None:
    sign_in(app_client, "viewer@example.org")
    data = app_client.get("/w/main/discover.json?brief=living+with+crohn%27s+and+colitis&top=5").json()
    assert 0 < len(data["results"]) <= 5
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)
    page = app_client.get("/w/main/discover?brief=living+with+crohn%27s+and+colitis&top=5")
    assert page.status_code == 200 and data["results"][0]["account_id"] in page.text.replace("%3A", ":")
    assert 'hx-trigger="load"' in page.text  # the closest posts arrive in a second request
    frag = app_client.get("/w/main/discover/evidence?brief=living+with+crohn%27s+and+colitis&top=5")
    assert frag.status_code == 200 and frag.text.count("<li>") == len(data["results"])
    best = data["results"][0]["evidence"]
    assert best and str(escape(best[:40])) in frag.text


def _planned(app_client: TestClient, form: dict[str, str]) -> str:
    """Submit the plan form: a background job whose page, once done, opens the saved plan."""
    r = app_client.post("/w/main/plan", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    job_url = r.headers["location"]
    assert "/jobs/" in job_url
    job_id = job_url.rsplit("/", 1)[1]
    job = app_client.app.state.covey.jobs.wait("main", job_id, timeout=120)  # type: ignore[attr-defined]
    assert job is not None and job.state == "done", job
    assert job.kind == "plan" and job.percent == 100
    polled = app_client.get(job_url + "?partial=1", follow_redirects=False)  # what htmx asks
    target = polled.headers["hx-redirect"]
    opened = app_client.get(job_url, follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == target
    assert target.startswith("/w/main/plans/")
    return str(target)


def test_a_bad_plan_form_is_answered_on_the_form_without_a_job(app_client: TestClient) -> None:
    csrf = sign_in(app_client, "editor@example.org")
    jobs = app_client.app.state.covey.jobs  # type: ignore[attr-defined]
    before = len(jobs.of("main"))
    form = {"csrf_token": csrf, "brief": "crohn", "budget": "8000", "currency": "XYZ"}
    r = app_client.post("/w/main/plan", data=form, follow_redirects=False)
    assert r.status_code == 200 and 'class="error" role="alert"' in r.text and "XYZ" in r.text
    assert len(jobs.of("main")) == before


def test_plan_is_made_saved_and_reopened(app_client: TestClient) -> None:
    csrf = sign_in(app_client, "editor@example.org")
    form = {
        "csrf_token": csrf,
        "brief": "crohn's and colitis",
        "budget": "8000",
        "currency": "EUR",
        "frequency": "3",
        "max_frequency": "5",
        "min_creators": "2",
        "max_creators": "8",
        "max_posts": "2",
    }
    url = _planned(app_client, form)
    plan = app_client.get(url + ".json").json()
    names = [o["name"] for o in plan["options"]]
    assert len(names) >= 2 and plan["plan_id"] and plan["items"]
    assert sum(i["cost"] for i in plan["items"]) <= 8000 + 1e-6
    page = app_client.get(url)
    assert all(n in page.text for n in names)
    # The plain sentences the CLI says first are on the page too: the reach with its likely
    # range, how much of that range is the unknown reach rates, and any warning before them.
    assert "(likely " in plan["headline"] and str(escape(plan["headline"])) in page.text
    assert plan["rates_note"] and str(escape(plan["rates_note"])) in page.text
    assert all(f'<p class="warning" role="alert">{escape(w)}</p>' in page.text for w in plan["warnings"])
    # each creator's reach rate with where it came from (no insights imported here: the prior)
    assert all(i["reach_rate_source"] == "platform prior" for i in plan["items"])
    assert all(
        f"<td>{rate_label(i['reach_rate'], i['reach_rate_source'])}</td>" in page.text for i in plan["items"]
    )
    listed = app_client.get("/w/main/plans.json").json()["plans"]
    assert plan["plan_id"] in [p["plan_id"] for p in listed]
    assert app_client.get("/w/main/plans/999999").status_code == 404
    # A second plan with half the budget, compared side by side with the first.
    second = app_client.get(_planned(app_client, {**form, "budget": "4000"}) + ".json").json()
    both = app_client.get(f"/w/main/plans/compare.json?a={plan['plan_id']}&b={second['plan_id']}").json()
    assert [p["plan_id"] for p in both["plans"]] == [plan["plan_id"], second["plan_id"]]
    assert both["plans"][1]["options"][0]["spent"] <= 4000 + 1e-6
    handles = {i["handle"] for i in plan["items"]} & {i["handle"] for i in second["items"]}
    assert set(both["shared_creators"]) == handles
    page = app_client.get(f"/w/main/plans/compare?a={plan['plan_id']}&b={second['plan_id']}")
    assert page.status_code == 200 and '<table id="compare">' in page.text
    assert app_client.get(f"/w/main/plans/compare?a={plan['plan_id']}&b=999999").status_code == 404
    assert 'id="compare-form"' in app_client.get("/w/main/plans").text


def test_api_token_works_without_csrf_and_import_job_runs(
    app_client: TestClient, web_world: WebWorld, tmp_path: object
) -> None:
    settings = app_client.app.state.covey.settings  # type: ignore[attr-defined]
    db = AppDB(settings.app_db(), secret_key(settings.secret_key_file()))
    token = db.new_api_token("editor@example.org", "test")
    db.close()
    headers = {"Authorization": f"Bearer {token}"}
    assert app_client.get("/api/w/main", headers=headers).status_code == 200
    assert app_client.get("/api/w/main", headers={"Authorization": "Bearer nope"}).status_code == 401
    # The creators table is kept per workspace; an import must replace it (asked before and after).
    before = app_client.get("/api/w/main/creators?q=brand_new", headers=headers).json()
    assert before["total"] == 0
    # One good row and one bad row (no handle) in a zip: the good one lands, the bad one is a reject.
    csv = "account_id,platform,handle\nweb:new1,instagram,brand_new\nweb:new2,instagram,\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("accounts.csv", csv)
    r = app_client.post(
        "/api/w/main/imports",
        headers=headers,
        files={"file": ("upload.zip", buf.getvalue(), "application/zip")},
    )
    assert r.status_code == 200, r.text
    job = r.json()
    jobs = app_client.app.state.covey.jobs  # type: ignore[attr-defined]
    done = jobs.wait("main", job["job_id"], timeout=60)
    assert done is not None and done.state == "done", done and done.error
    status = app_client.get(f"/api/w/main/jobs/{job['job_id']}", headers=headers).json()
    assert status["percent"] == 100 and status["result"]["tables"]["accounts"]["inserted"] == 1
    assert status["result"]["rejected"] == 1 and status["has_rejects"]
    rejects = app_client.get(f"/api/w/main/jobs/{job['job_id']}/rejects", headers=headers)
    assert rejects.status_code == 200 and b"handle" in rejects.content
    found = app_client.get("/api/w/main/creators?q=brand_new", headers=headers).json()
    assert [r["account_id"] for r in found["rows"]] == ["web:new1"]


def test_openapi_document_lists_the_api(app_client: TestClient) -> None:
    doc = app_client.get("/api/openapi.json").json()
    paths = set(doc["paths"])
    assert {
        "/api/w/{ws}/creators",
        "/api/w/{ws}/creators/{account_id}",
        "/api/w/{ws}/discover",
        "/api/w/{ws}/plans",
        "/api/w/{ws}/imports",
    } <= paths
    assert not any(p.startswith("/w/") for p in paths)
    json.dumps(doc)
