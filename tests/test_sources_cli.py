"""`covey fetch ...` and `covey refresh` end to end, against the fake APIs on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from covey.cli.app import app
from covey.sources.credentials import Secret
from covey.sources.youtube.errors import quota_day
from covey.store import DuckDBStore
from sources_fake import FakeApi, Fault, load

pytestmark = pytest.mark.realdata
KEY = "yt-SECRET-cli-key-777"


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shared_data: Path) -> None:
    monkeypatch.setenv("COVEY_SETTINGS", str(tmp_path / "no-settings.toml"))
    monkeypatch.delenv("COVEY_YOUTUBE_API_KEY", raising=False)
    monkeypatch.delenv("COVEY_MASTODON_TOKEN", raising=False)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_fetch_bluesky_json_then_table(tmp_path: Path, fake: FakeApi) -> None:
    db = str(tmp_path / "c.duckdb")
    base = fake.base("bluesky")
    code, out = run(
        "fetch",
        "bluesky",
        "chriskenny.bsky.social",
        "--max-posts",
        "5",
        "--base-url",
        base,
        "--db",
        db,
        "--json",
    )
    assert code == 0, out
    data = json.loads(out)
    assert data["tables"]["posts"]["inserted"] == 5 and data["tables"]["account_snapshots"]["inserted"] == 1
    # Bluesky counts no quota units: unknown (null), not the number of requests
    assert data["http"]["quota_units"] is None and data["http"]["requests"] > 0
    with DuckDBStore(db) as store:
        assert store.query("SELECT requests > 0, quota_units FROM source_usage") == [(True, None)]
    code, out = run(
        "fetch", "bluesky", "@chriskenny.bsky.social", "--max-posts", "5", "--base-url", base, "--db", db
    )
    assert code == 0, out
    assert "fetch 2: bluesky chriskenny.bsky.social" in out and "requests" in out


def test_fetch_mastodon_since_and_refresh(tmp_path: Path, fake: FakeApi) -> None:
    db = str(tmp_path / "c.duckdb")
    target = "@mastodonpy_test@localhost:3000"
    code, out = run(
        "fetch", "mastodon", target, "--since", "2026-08-01", "--base-url", fake.base("mastodon"), "--db", db
    )
    assert code == 0, out
    code, out = run("refresh", "--db", db, "--json")
    assert code == 0, out
    refreshed = json.loads(out)
    assert [r["target"] for r in refreshed] == [target] and refreshed[0]["resumed"] is False
    with DuckDBStore(db) as store:
        assert store.query("SELECT count(*) FROM account_snapshots")[0][0] == 2
        assert store.query("SELECT count(*) FROM posts")[0][0] == len(
            load("mastodon/account_statuses_limit5.json")
        )


def test_missing_key_says_how_to_get_one(tmp_path: Path, fake: FakeApi) -> None:
    code, out = run(
        "fetch",
        "youtube",
        "--channel",
        "@x",
        "--base-url",
        fake.base("youtube"),
        "--db",
        str(tmp_path / "c.duckdb"),
    )
    assert code == 2
    assert "COVEY_YOUTUBE_API_KEY" in out and "Google Cloud console" in out and "Traceback" not in out


def test_refused_key_is_one_clear_line_and_never_printed(
    tmp_path: Path, fake: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COVEY_YOUTUBE_API_KEY", KEY)
    fake.inject("channels", Fault("status", 400, body=load("youtube/error_response.json")))
    db = str(tmp_path / "c.duckdb")
    code, out = run(
        "--verbose",
        "fetch",
        "youtube",
        "--channel",
        "@googledevelopers",
        "--base-url",
        fake.base("youtube"),
        "--db",
        db,
    )
    assert code == 1
    assert "keyInvalid" in out and "Traceback" not in out and KEY not in out


def test_youtube_summary_shows_quota_units(
    tmp_path: Path, fake: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COVEY_YOUTUBE_API_KEY", KEY)
    db = str(tmp_path / "c.duckdb")
    code, out = run(
        "fetch",
        "youtube",
        "--channel",
        "@googledevelopers",
        "--max-posts",
        "3",
        "--base-url",
        fake.base("youtube"),
        "--db",
        db,
    )
    assert code == 0, out
    assert "3 YouTube quota units used" in out  # channel, one playlist page, one videos call
    assert KEY not in out


def test_instagram_needs_one_target(tmp_path: Path) -> None:
    code, out = run("fetch", "instagram", "--db", str(tmp_path / "c.duckdb"))
    assert code == 2 and "--username" in out


def test_refresh_with_nothing_fetched(tmp_path: Path) -> None:
    code, out = run("refresh", "--db", str(tmp_path / "c.duckdb"))
    assert code == 2 and "covey fetch" in out


def test_a_secret_hides_its_value() -> None:
    s = Secret("hunter2-token", "environment X")
    assert "hunter2" not in repr(s) and "hunter2" not in str(s) and "hunter2" not in f"{s}"
    assert s.reveal() == "hunter2-token" and len(s.fingerprint) == 12
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(s)


def test_youtube_search_lists_channels_and_counts_100_units(
    tmp_path: Path, fake: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COVEY_YOUTUBE_API_KEY", KEY)
    db = str(tmp_path / "c.duckdb")
    base = fake.base("youtube")
    code, out = run("fetch", "youtube", "--search", "google", "--base-url", base, "--db", db, "--json")
    assert code == 0, out
    data = json.loads(out)
    recorded = load("youtube/search_channels.json")["items"]
    assert [c["channel_id"] for c in data["channels"]] == [i["snippet"]["channelId"] for i in recorded]
    assert data["quota_units"] == 100 and fake.requests["/youtube/v3/search"] == 1
    with DuckDBStore(db) as store:
        assert store.query("SELECT quota_units FROM source_usage")[0][0] == 100
        assert store.query("SELECT count(*) FROM accounts")[0][0] == 0  # a search imports nothing
        # counted on YouTube's quota day (Pacific), not the UTC date: they differ 00:00-08:00 UTC
        assert store.query("SELECT day FROM source_usage")[0][0] == quota_day()
    code, out = run("fetch", "youtube", "--db", db)
    assert code == 2 and "--search" in out


def test_refresh_goes_on_past_a_failing_account(tmp_path: Path, fake: FakeApi) -> None:
    db = str(tmp_path / "c.duckdb")
    assert (
        run(
            "fetch",
            "bluesky",
            "chriskenny.bsky.social",
            "--max-posts",
            "2",
            "--base-url",
            fake.base("bluesky"),
            "--db",
            db,
        )[0]
        == 0
    )
    masto = "@mastodonpy_test@localhost:3000"
    assert (
        run("fetch", "mastodon", masto, "--max-posts", "2", "--base-url", fake.base("mastodon"), "--db", db)[
            0
        ]
        == 0
    )
    fake.inject("lookup", Fault("status", 404, body=load("mastodon/error_404_lookup.json")))
    code, out = run("refresh", "--db", db, "--json")
    assert code == 1
    results = json.loads(out[out.index("[") :])
    assert "error" in results[1] and "Check the address" in results[1]["error"]
    assert results[0]["tables"]["account_snapshots"]["inserted"] == 1  # bluesky was refreshed


def test_refresh_goes_on_past_an_account_whose_key_is_missing(
    tmp_path: Path, fake: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing key stopped the whole refresh, and --json printed nothing for the accounts
    already refreshed."""
    db = str(tmp_path / "c.duckdb")
    monkeypatch.setenv("COVEY_YOUTUBE_API_KEY", KEY)
    youtube = ("--channel", "@GoogleDevelopers", "--max-posts", "2", "--base-url", fake.base("youtube"))
    assert run("fetch", "youtube", *youtube, "--db", db)[0] == 0
    monkeypatch.delenv("COVEY_YOUTUBE_API_KEY")
    bluesky = ("chriskenny.bsky.social", "--max-posts", "2", "--base-url", fake.base("bluesky"))
    assert run("fetch", "bluesky", *bluesky, "--db", db)[0] == 0
    result = CliRunner().invoke(app, ["refresh", "--db", db, "--json"])
    assert result.exit_code == 1
    results = json.loads(result.stdout)
    assert [r["platform"] for r in results] == ["bluesky", "youtube"]
    assert results[0]["tables"]["account_snapshots"]["inserted"] == 1  # bluesky was refreshed
    assert "COVEY_YOUTUBE_API_KEY" in results[1]["error"]


@pytest.mark.slow  # scoring loads the audience classifier: about 7 s of CPU
def test_fetched_accounts_can_be_scored(tmp_path: Path, fake: FakeApi) -> None:
    db = str(tmp_path / "c.duckdb")
    base = fake.base("bluesky")
    args = ("chriskenny.bsky.social", "--comments", "5", "--followers", "30", "--base-url", base, "--db", db)
    code, out = run("fetch", "bluesky", *args)
    assert code == 0, out
    code, out = run("score", "--db", db, "--json")
    assert code == 0, out
    scored = json.loads(out)
    assert scored["accounts"] == 1 and scored["overall"][0]["handle"] == "chriskenny.bsky.social"


def test_flags_a_platform_cannot_serve_are_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "c.duckdb")
    code, out = run("fetch", "youtube", "--channel", "@x", "--followers", "10", "--db", db)
    assert code == 2 and "subscribers" in out
    code, out = run("fetch", "instagram", "--username", "x", "--comments", "5", "--db", db)
    assert code == 2 and "--own" in out


def test_flags_tiktok_cannot_serve_are_refused_and_refresh_names_the_platform(tmp_path: Path) -> None:
    """`fetch tiktok --followers` was "No such option" though the docs list it on every
    command; `refresh --platform tiktokk` said no account was fetched yet."""
    db = str(tmp_path / "c.duckdb")
    code, out = run("fetch", "tiktok", "--followers", "5", "--db", db)
    assert code == 2 and "--followers is not available here" in " ".join(out.split())
    code, out = run("fetch", "tiktok", "--comments", "5", "--db", db)
    assert code == 2 and "comment counts, not comments" in " ".join(out.split())
    code, out = run("refresh", "--platform", "tiktokk", "--db", db)
    assert code == 2 and "unknown platform 'tiktokk'" in out
    code, out = run("refresh", "--platform", "mastodon", "--db", db)
    assert code == 2 and "no mastodon account was fetched yet" in out
