"""The creator page and its JSON say how precise the fake share is, in the library's words;
an unknown share stays unknown."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient
from markupsafe import escape
from web_support import PASSWORD, sign_in

from covey.audience.share import DEFINITIONS
from covey.scores import score_store
from covey.scores.explain import fake_share_precision
from covey.settings import Settings, WebSettings
from covey.store import DuckDBStore
from covey.web.accounts import AppDB, secret_key
from covey.web.app import create_app
from test_signals_world import build_world


def test_web_creator_page_says_how_precise_the_fake_share_is(app_client: TestClient) -> None:
    sign_in(app_client, "viewer@example.org")
    store = app_client.app.state.covey.stores["main"]  # type: ignore[attr-defined]  # the server's own
    run = store.query("SELECT max(run_id) FROM score_runs")[0][0]
    signals = [
        json.loads(s) for (s,) in store.query("SELECT signals FROM account_signals WHERE run_id = ?", [run])
    ]
    me = next(s for s in signals if s.get("fake_share") is not None)
    url = f"/w/main/creators/{quote(me['account_id'], safe='')}"
    st = app_client.get(url + ".json").json()["standing"]
    # The classifier's sample of 40 followers: the whole range, then how much of it is chance.
    assert st["fake_precision"].startswith(f"About {100 * me['fake_share']:.0f} % give or take")
    assert f"Chance in a sample of {me['fake_n']} profiles" in st["fake_precision"]
    assert st["fake_definition"] == DEFINITIONS["mle"]
    page = app_client.get(url).text
    shown = re.search(r'<p id="fake-precision">(.*?)</p>', page, re.S)
    assert shown and str(escape(st["fake_precision"])) in shown.group(1)
    assert str(escape(st["fake_definition"])) in shown.group(1)
    api = app_client.get(f"/api/w/main/creators/{quote(me['account_id'], safe='')}").json()
    assert api["standing"]["fake_precision"] == st["fake_precision"]


def test_web_creator_page_keeps_a_small_sample_unknown(tmp_path: Path) -> None:
    db = tmp_path / "small.duckdb"
    with DuckDBStore(db) as store:
        build_world(store, n_accounts=8)
        with store.transaction() as cur:  # one account keeps 12 sampled followers: too few for a share
            cur.execute(
                "DELETE FROM audience_samples WHERE account_id = 'instagram:3' AND member_id NOT IN "
                "(SELECT member_id FROM audience_samples WHERE account_id = 'instagram:3' "
                "ORDER BY member_id LIMIT 12)"
            )
        score_store(store)
    settings = Settings(db=db, web=WebSettings(app_db=tmp_path / "app.sqlite3"))
    accounts = AppDB(settings.app_db(), secret_key(settings.secret_key_file()))
    accounts.add_workspace("main", db)
    accounts.add_user("viewer@example.org", PASSWORD)
    accounts.grant("viewer@example.org", "main", "viewer")
    accounts.close()
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        sign_in(client, "viewer@example.org")
        st = client.get("/w/main/creators/instagram%3A3.json").json()["standing"]
        assert st["fake_share"] is None and st["fake_low"] is None and st["fake_high"] is None
        assert st["fake_n"] == 12 and st["fake_precision"].startswith("Unknown: 12 profiles scored")
        assert st["fake_precision"] == fake_share_precision({"fake_n": 12, "fake_share": None})
        page = client.get("/w/main/creators/instagram%3A3").text
        # The chart says why it is unknown (not "no audience sample"), and draws no figure.
        caption = re.search(r"<figcaption>([^<]*Unknown: 12 profiles[^<]*)</figcaption>", page)
        assert caption and str(escape(st["fake_precision"])) == caption.group(1)
        assert 'id="fake-precision"' not in page and " fake</text>" not in page
