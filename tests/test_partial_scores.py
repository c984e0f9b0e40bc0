"""Unknown stays unknown: small files as a new user has them, scored and vetted (issue #14)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from covey.cli.app import app
from covey.scores import COMPONENTS, Weights, latest_vetting, load_weights, score_store
from covey.store import DuckDBStore

runner = CliRunner()


def _user_files(folder: Path, *, samples_for: tuple[str, ...] = (), comments: bool = False) -> Path:
    """Two accounts with weekly posts and follower counts, the last count read after the last post."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "accounts.csv").write_text(
        "account_id,platform,handle,created_at\n"
        "instagram:1,instagram,annaruns,2020-01-05\n"
        "instagram:2,instagram,bobcooks,2019-03-01\n",
        encoding="utf-8",
    )
    snaps = ["account_id,taken_at,followers,following"]
    posts = ["post_id,account_id,posted_at,likes,comments,caption,url"]
    for n, base in (("1", 5_000), ("2", 12_000)):
        for week in range(6):
            snaps.append(f"instagram:{n},2026-05-{1 + 5 * week:02d}T09:00:00,{base + 40 * week},300")
        for day in range(1, 25, 2):
            posts.append(
                f"p{n}-{day},instagram:{n},2026-05-{day:02d}T18:00:00,{200 + day},{10 + day % 3},"
                f"morning run #running #marathon,https://instagram.com/p/{n}{day}"
            )
    (folder / "account_snapshots.csv").write_text("\n".join(snaps) + "\n", encoding="utf-8")
    (folder / "posts.csv").write_text("\n".join(posts) + "\n", encoding="utf-8")
    if samples_for:
        rows = ["account_id,member_id,relation,username,followers,following,posts,has_profile_pic,bio"]
        for account in samples_for:
            for i in range(60):
                fake = i % 5 == 0
                rows.append(
                    f"{account},m{i},follower,{'user83920' if fake else 'maria'}{i},"
                    f"{3 if fake else 400},{4000 if fake else 350},{0 if fake else 40},"
                    f"{'false' if fake else 'true'},{'' if fake else 'runner and cook'}"
                )
        (folder / "audience_samples.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    if comments:
        rows = ["comment_id,post_id,author_id,text,posted_at"]
        for day in range(1, 25, 2):
            rows.append(f"c{day},p1-{day},fan{day % 4},great pace on the hills,2026-05-{day:02d}T21:00:00")
        (folder / "comments.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def _imported(tmp_path: Path, **kwargs: tuple[str, ...] | bool) -> Path:
    db = tmp_path / "covey.duckdb"
    files = _user_files(tmp_path / "files", **kwargs)  # type: ignore[arg-type]
    res = runner.invoke(app, ["import", str(files), "--db", str(db)])
    assert res.exit_code == 0, res.output
    return db


def _scores(db: Path, account: str) -> dict[str, float | None]:
    with DuckDBStore(db, read_only=True) as store:
        (vet,) = latest_vetting(store, account)
    return {c.component: c.score for c in vet.components}


def test_score_without_audience_samples_runs_and_leaves_the_audience_unknown(tmp_path: Path) -> None:
    """Regression: `covey score` exited 1 with "unsupported operand ... 'NullColumn'"."""
    db = _imported(tmp_path)
    res = runner.invoke(app, ["score", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["accounts"] == 2
    scores = _scores(db, "annaruns")
    assert scores["audience"] is None and scores["community"] is None
    # Posts and follower counts are evidence for the rest.
    for c in ("engagement", "authenticity", "consistency", "credibility", "safety"):
        assert scores[c] is not None, c
    # Authenticity rests on the follower history only: half its weight counts as evidence.
    w = Weights()
    known = 1.0 + 0.5 * w.of("authenticity") + w.of("consistency") + w.of("credibility") + w.of("safety")
    assert scores["coverage"] == pytest.approx(100 * known / sum(w.of(c) for c in COMPONENTS))


def test_samples_for_one_account_only_never_score_unknown_as_perfect(tmp_path: Path) -> None:
    """Regression: the account without a sample showed `audience 100 ... No audience sample`."""
    db = _imported(tmp_path, samples_for=("instagram:1",))
    res = runner.invoke(app, ["score", "--db", str(db)])
    assert res.exit_code == 0, res.output
    sampled, unsampled = _scores(db, "annaruns"), _scores(db, "bobcooks")
    assert sampled["audience"] is not None and 0 <= sampled["audience"] < 100
    assert unsampled["audience"] is None
    assert unsampled["coverage"] is not None and sampled["coverage"] is not None
    assert unsampled["coverage"] < sampled["coverage"]
    res = runner.invoke(app, ["vet", "bobcooks", "--db", str(db)])
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())
    assert (
        re.search(r"audience\W+unknown", text) and "Not known, left out rather than guessed: audience" in text
    )
    assert "Unknown of comments" not in text and not re.search(r"audience\W+100", text)
    res = runner.invoke(app, ["vet", "bobcooks", "--db", str(db), "--json"])
    (vet,) = json.loads(res.stdout)
    overall = next(c for c in vet["components"] if c["component"] == "overall")
    assert "unknown: audience, community" in overall["sentence"]


def test_engagement_is_known_when_the_follower_count_was_read_after_the_newest_post(tmp_path: Path) -> None:
    """Regression: the scoring date stopped at the newest post, before the newest follower count."""
    db = _imported(tmp_path)
    with DuckDBStore(db) as store:
        # Only one follower count, read a week after the newest post.
        store.connection.execute("DELETE FROM account_snapshots WHERE taken_at < '2026-05-26'")
        run = score_store(store, classifier="rules")
        assert run.as_of.isoformat().startswith("2026-05-26")
    scores = _scores(db, "annaruns")
    assert scores["engagement"] is not None
    # One follower count is no history: growth cannot be judged, so authenticity is unknown.
    assert scores["authenticity"] is None


def test_overall_is_unknown_below_the_minimum_coverage(tmp_path: Path) -> None:
    db = _imported(tmp_path)
    with DuckDBStore(db) as store:
        # No follower count at all: engagement and growth unknown, only the captions speak.
        store.connection.execute("DELETE FROM account_snapshots")
        store.connection.execute(
            "INSERT INTO account_snapshots (account_id, taken_at) VALUES ('instagram:1', '2026-05-30')"
        )
        score_store(store, classifier="rules")
        scores = {c: s for c, s in store.query(
            "SELECT component, score FROM account_scores WHERE account_id = 'instagram:1'"
        )}  # fmt: skip
        assert scores["engagement"] is None and scores["authenticity"] is None
        assert scores["credibility"] is not None
        assert scores["overall"] is None and scores["coverage"] == pytest.approx(35.0)
        # A lower minimum, set in a weights file, lets the captions alone give an overall.
        weights = tmp_path / "w.toml"
        weights.write_text("[overall]\nmin_coverage = 0.3\n", encoding="utf-8")
        low = load_weights(weights)
        assert low.min_coverage == 0.3 and low.digest() != Weights().digest()
        run = score_store(store, low, classifier="rules")
        overall = store.query(
            "SELECT score FROM account_scores WHERE run_id = ? AND account_id = 'instagram:1' "
            "AND component = 'overall'",
            [run.run_id],
        )[0][0]
        assert overall is not None and 0 <= overall <= 100


def test_comments_make_community_known_and_json_holds_no_nan(tmp_path: Path) -> None:
    db = _imported(tmp_path, comments=True)
    res = runner.invoke(app, ["score", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    assert _scores(db, "annaruns")["community"] is not None
    assert _scores(db, "bobcooks")["community"] is None
    res = runner.invoke(app, ["vet", "annaruns", "--db", str(db), "--json"])
    assert res.exit_code == 0 and "NaN" not in res.stdout and "Infinity" not in res.stdout
    json.loads(res.stdout)


def test_weights_must_be_finite() -> None:
    from covey.errors import InputError

    with pytest.raises(InputError, match="finite"):
        load_weights(None, ["audience=nan"])
    with pytest.raises(InputError, match="min_coverage"):
        Weights(min_coverage=1.5)


def test_score_help_names_the_weights_file_sections() -> None:
    res = runner.invoke(app, ["score", "--help"], env={"COLUMNS": "200"})
    text = " ".join(res.stdout.split())
    assert res.exit_code == 0 and "[weights]" in text and "[overall] min_coverage" in text
    assert "newest post or follower count" in text


def test_a_missing_table_or_column_reads_as_unknown(tmp_path: Path) -> None:
    """Data kept elsewhere (another tool's database, a Spark catalog) may lack whole tables or
    columns: the signals read them as empty and unknown rather than failing."""
    db = _imported(tmp_path, samples_for=("instagram:1",), comments=True)
    with DuckDBStore(db) as store:
        con = store.connection
        con.execute("DROP TABLE audience_samples")
        con.execute("DROP TABLE comments")
        con.execute("ALTER TABLE posts DROP COLUMN views")
        con.execute("ALTER TABLE account_snapshots DROP COLUMN following")
        score_store(store)  # the shipped classifier, on an absent sample table
        rows = store.query("SELECT component, score FROM account_scores WHERE account_id = 'instagram:1'")
    scores = dict(rows)
    assert scores["audience"] is None and scores["community"] is None
    assert scores["engagement"] is not None and scores["overall"] is not None
