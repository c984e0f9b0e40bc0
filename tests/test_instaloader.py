"""Instaloader export folders, written by instaloader itself, read back by instaloader and by Covey."""

from __future__ import annotations

import json
import lzma
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import instaloader
import pytest
from instaloader import (
    Instaloader,
    Post,
    PostComment,
    Profile,
    load_structure_from_file,
    save_structure_to_file,
)

from covey.ingest import import_path
from covey.store import DuckDBStore

OWNER = {"id": "5550001", "username": "alice.ibd"}


def _post_node(
    shortcode: str, ts: int, caption: str, likes: int, comments: int, **extra: Any
) -> dict[str, Any]:
    node: dict[str, Any] = {
        "__typename": "GraphImage",
        "id": str(abs(hash(shortcode)) % 10**12),
        "shortcode": shortcode,
        "owner": dict(OWNER),
        "taken_at_timestamp": ts,
        "edge_media_to_caption": {"edges": [{"node": {"text": caption}}]},
        "edge_media_preview_like": {"count": likes},
        "edge_media_to_comment": {"count": comments},
        "is_video": False,
        "display_url": f"https://example.org/{shortcode}.jpg",
    }
    node.update(extra)
    return node


def _profile_node(followers: int) -> dict[str, Any]:
    return {
        **OWNER,
        "full_name": "Alice Ward",
        "biography": "Crohn's since 2012 | #ibd",
        "edge_followed_by": {"count": followers},
        "edge_follow": {"count": 321},
        "is_verified": False,
        "is_private": False,
        "external_url": "https://alice.example",
    }


def _comment(
    ctx: Any,
    post: Post,
    cid: str,
    ts: int,
    text: str,
    owner: dict[str, Any],
    likes: int,
    answers: list[PostComment] | None = None,
) -> PostComment:
    node = {"id": cid, "created_at": ts, "text": text, "owner": owner, "edge_liked_by": {"count": likes}}
    return PostComment(ctx, node, iter(answers or []), post)


class _PostWithComments(Post):
    """A real Post whose comments come from memory instead of the network."""

    comments_to_give: ClassVar[list[PostComment]] = []

    def get_comments(self) -> Iterator[PostComment]:  # type: ignore[override]
        return iter(self.comments_to_give)


def _name(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d_%H-%M-%S") + "_UTC"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """An Instaloader profile folder: a profile, two posts (one video), comments with an answer."""
    loader = Instaloader(quiet=True, resume_prefix=None)
    ctx = loader.context
    folder = tmp_path / "export" / "alice.ibd"
    folder.mkdir(parents=True)
    profile = Profile(ctx, _profile_node(12_345))
    save_structure_to_file(profile, str(folder / f"alice.ibd_{OWNER['id']}.json.xz"))
    p1 = _PostWithComments(
        ctx, _post_node("Cabc1", 1_700_000_000, "Flare day #IBD #CrohnsDisease w/ @gut.doc", 321, 3)
    )
    p2 = Post(
        ctx,
        _post_node(
            "Cvid2",
            1_700_100_000,
            "Clinic vlog",
            99,
            0,
            __typename="GraphVideo",
            is_video=True,
            video_view_count=4567,
            product_type="clips",
        ),
    )
    # saved as a plain Post (node_type is the class name); the subclass only feeds comments
    save_structure_to_file(Post(ctx, p1._node), str(folder / f"{_name(1_700_000_000)}.json.xz"))
    save_structure_to_file(p2, str(folder / f"{_name(1_700_100_000)}.json"))
    fan = {"id": "777", "username": "fan_1"}
    answer = _comment(ctx, p1, "18002", 1_700_000_600, "Thank you ❤️", dict(OWNER), 2)
    top = _comment(ctx, p1, "18001", 1_700_000_300, "Sending love", fan, 5, [answer])
    other = _comment(ctx, p1, "18003", 1_700_000_900, "Same here", {"id": "778", "username": "fan_2"}, 0)
    p1.comments_to_give = [top, other]
    loader.update_comments(str(folder / _name(1_700_000_000)), p1)
    assert (folder / f"{_name(1_700_000_000)}_comments.json").exists()
    return tmp_path / "export"


def test_instaloader_export_maps_to_canonical_rows(store: DuckDBStore, export: Path) -> None:
    summary = import_path(store, export)
    assert summary.format == "instaloader" and summary.rejected == 0
    ctx = instaloader.Instaloader(quiet=True).context
    folder = export / "alice.ibd"
    profile = load_structure_from_file(ctx, str(folder / f"alice.ibd_{OWNER['id']}.json.xz"))
    assert isinstance(profile, Profile)
    acct = store.query("SELECT account_id, platform, handle, display_name, bio, creator_id FROM accounts")
    assert acct == [
        (
            f"instagram:{profile.userid}",
            "instagram",
            profile.username,
            profile.full_name,
            profile.biography,
            f"instagram:{profile.userid}",
        )
    ]
    snap = store.query("SELECT followers, following, posts FROM account_snapshots")
    assert snap == [(profile.followers, profile.followees, None)]  # media count missing: unknown, not 0

    posts = {
        r[0]: r
        for r in store.query(
            "SELECT post_id, account_id, kind, caption, hashtags, mentions, posted_at, likes, comments, "
            "views, url FROM posts"
        )
    }
    for file in sorted(folder.glob("*_UTC.json*")):
        post = load_structure_from_file(ctx, str(file))
        assert isinstance(post, Post)
        row = posts[f"instagram:{post.shortcode}"]
        assert row[1] == f"instagram:{post.owner_id}"
        assert row[3] == post.caption
        assert row[4] == post.caption_hashtags and row[5] == post.caption_mentions
        assert row[6] == post.date_utc
        assert (row[7], row[8]) == (post.likes, post.comments)
        assert row[9] == post.video_view_count
    assert posts["instagram:Cvid2"][2] == "reel" and posts["instagram:Cabc1"][2] == "image"

    comments = store.query(
        "SELECT comment_id, post_id, author_id, author_handle, reply_to, by_creator, likes, posted_at "
        "FROM comments ORDER BY comment_id"
    )
    assert comments == [
        (
            "instagram:18001",
            "instagram:Cabc1",
            "instagram:777",
            "fan_1",
            None,
            False,
            5,
            datetime(2023, 11, 14, 22, 18, 20),
        ),
        (
            "instagram:18002",
            "instagram:Cabc1",
            f"instagram:{OWNER['id']}",
            "alice.ibd",
            "instagram:18001",
            True,
            2,
            datetime(2023, 11, 14, 22, 23, 20),
        ),
        (
            "instagram:18003",
            "instagram:Cabc1",
            "instagram:778",
            "fan_2",
            None,
            False,
            0,
            datetime(2023, 11, 14, 22, 28, 20),
        ),
    ]


def test_reimport_and_a_newer_profile_file(store: DuckDBStore, export: Path) -> None:
    import_path(store, export)
    again = import_path(store, export)
    assert all(c.inserted == 0 and c.updated == 0 for c in again.tables.values())
    # Instaloader saves the profile again a week later with more followers: a new snapshot
    profile_file = export / "alice.ibd" / f"alice.ibd_{OWNER['id']}.json.xz"
    ctx = Instaloader(quiet=True).context
    save_structure_to_file(Profile(ctx, _profile_node(13_000)), str(profile_file))
    week_later = profile_file.stat().st_mtime + 7 * 86400
    os.utime(profile_file, (week_later, week_later))
    newer = import_path(store, export)
    assert newer.tables["account_snapshots"].inserted == 1
    assert [r[0] for r in store.query("SELECT followers FROM account_snapshots ORDER BY taken_at")] == [
        12_345,
        13_000,
    ]


def test_broken_files_are_set_aside_not_fatal(store: DuckDBStore, export: Path, tmp_path: Path) -> None:
    folder = export / "alice.ibd"
    good = folder / f"{_name(1_700_100_000)}.json"
    text = good.read_text(encoding="utf-8")
    (folder / "2023-12-01_00-00-00_UTC.json").write_text(
        text[: len(text) // 2], encoding="utf-8"
    )  # truncated
    with lzma.open(folder / "2023-12-02_00-00-00_UTC.json.xz", "wt") as fh:
        fh.write(json.dumps({"no": "structure"}))
    (folder / "2023-12-03_00-00-00_UTC_comments.json").write_text("[]", encoding="utf-8")  # no post file
    summary = import_path(store, export, rejects_dir=tmp_path / "rej")
    assert summary.tables["posts"].inserted == 2
    assert summary.rejects_path is not None
    rejects = [json.loads(x) for x in summary.rejects_path.read_text().splitlines()]
    reasons = sorted((Path(r["file"]).name, r["reason"].split(":")[0]) for r in rejects)
    assert reasons == [
        ("2023-12-01_00-00-00_UTC.json", "unreadable Instaloader file"),
        ("2023-12-02_00-00-00_UTC.json.xz", "not an Instaloader structure (no node/instaloader)"),
        ("2023-12-03_00-00-00_UTC_comments.json", "no post file for these comments"),
    ]


def test_a_folder_where_nothing_loads_does_not_exit_0(export: Path, tmp_path: Path) -> None:
    """Issue 14: an Instaloader folder with 0 rows inserted and 6 rejected exited 0."""
    from typer.testing import CliRunner

    from covey.cli.app import app

    for profile in export.rglob("*_5550001.json.xz"):
        profile.unlink()  # without the profile, every post and comment has no account
    result = CliRunner().invoke(
        app,
        [
            "import",
            str(export),
            "--db",
            str(tmp_path / "c.duckdb"),
            "--rejects",
            str(tmp_path / "r"),
            "--json",
        ],
    )
    summary = json.loads(result.stdout)
    assert summary["loaded"] == 0 and summary["rejected"] == 5
    assert result.exit_code == 4 and summary["exit_code"] == 4


def test_instaloader_export_zipped_imports_through_the_web_app(export: Path, tmp_path: Path) -> None:
    """A marketer zips the Instaloader folder and uploads it on the import page."""
    import re
    import shutil

    from fastapi.testclient import TestClient

    from covey.settings import Settings, WebSettings
    from covey.web.accounts import AppDB, secret_key
    from covey.web.app import create_app

    archive = Path(shutil.make_archive(str(tmp_path / "alice"), "zip", root_dir=export))
    db = tmp_path / "ws.duckdb"
    settings = Settings(db=db, web=WebSettings(app_db=tmp_path / "app.sqlite3"))
    appdb = AppDB(settings.app_db(), secret_key(settings.secret_key_file()))
    appdb.add_workspace("brand", db)
    appdb.add_user("me@example.org", "long enough password")
    appdb.grant("me@example.org", "brand", "editor")
    appdb.close()
    with TestClient(create_app(settings)) as client:
        form = client.get("/login")
        token = re.search(r'name="login_token" value="([^"]+)"', form.text)
        assert token
        client.post(
            "/login",
            data={"email": "me@example.org", "password": "long enough password", "login_token": token[1]},
        )
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/w/brand/import").text)
        assert csrf
        r = client.post(
            "/w/brand/import",
            data={"csrf_token": csrf[1]},
            files={"file": ("alice.zip", archive.read_bytes(), "application/zip")},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        job_id = r.headers["location"].rsplit("/", 1)[1]
        done = client.app.state.covey.jobs.wait("brand", job_id, timeout=60)  # type: ignore[attr-defined]
        assert done is not None and done.state == "done", done and done.error
        assert done.result["rejected"] == 0
        found = client.get("/w/brand/creators.json?q=alice").json()
        assert [(c["handle"], c["followers"]) for c in found["rows"]] == [("alice.ibd", 12_345)]
        creator = client.get(f"/w/brand/creators/{found['rows'][0]['account_id']}.json").json()
        assert {p["caption"] for p in creator["posts"]} >= {"Clinic vlog"}
