"""`covey audience score` through the real Typer app: the scores file, the fake share and its
precision, the threshold, the docs' examples; the same answers as the library call. Reading the
files (columns, unknown values, bad rows) is in test_audience_files.py, training in
test_audience_train.py."""

from __future__ import annotations

import csv
import json
import shlex
from pathlib import Path

import pytest

from audience_support import HEADER, ROWS, labelled_file, runner, write_lines
from covey.audience.io import read_profiles
from covey.cli.app import app


def test_score_csv_writes_scores_and_json_summary(tmp_path: Path) -> None:
    src = write_lines(tmp_path / "audience.csv", [HEADER, *ROWS])
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["profiles"] == 3
    share = summary["fake_share"]
    # Three profiles are too few for a share: unknown (null), not a number that looks measured.
    assert share["estimate"] is None and share["low"] is None and share["n"] == 3
    assert share["method"] == "mle" and "likely" in share["definition"]
    many = write_lines(tmp_path / "many.csv", [HEADER, *ROWS * 8])
    result = runner.invoke(app, ["audience", "score", str(many), "--out", str(tmp_path / "m.csv"), "--json"])
    share = json.loads(result.stdout)["fake_share"]
    assert share["low"] <= share["estimate"] <= share["high"] and share["confidence"] == 0.95
    assert share["n"] == 24
    # The figure's precision in words: a range to read instead of the point, and what more profiles would do.
    assert "give or take" in share["precision"] and "not as an exact count" in share["precision"]
    assert "24 profiles" in share["precision"]
    assert summary["threshold"] == 0.5 and summary["model"]["version"].startswith("audience-lr-")
    with out.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["username"] for r in rows] == ["jane.doe", "xk29384756", "runner_mo"]
    assert set(rows[0]) == {"username", "fake_probability", "is_fake", "reasons"}
    probs = [float(r["fake_probability"]) for r in rows]
    assert probs[1] > 0.9 and probs[0] < 0.1
    assert rows[1]["is_fake"] == "true" and rows[0]["is_fake"] == "false"
    assert "follows 4,200 accounts, has 3 followers" in rows[1]["reasons"]
    assert summary["flagged"] == sum(r["is_fake"] == "true" for r in rows)


def test_threshold_option_and_human_output(tmp_path: Path) -> None:
    src = write_lines(tmp_path / "a.csv", [HEADER, *ROWS])
    out = tmp_path / "s.csv"
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(out), "--threshold", "0.0"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())  # Rich wraps long temporary paths at the terminal width
    assert "3 flagged" in said and "unknown" in said and "at least 20" in said
    many = write_lines(tmp_path / "many.csv", [HEADER, *ROWS * 8])
    result = runner.invoke(app, ["audience", "score", str(many), "--out", str(tmp_path / "m.csv")])
    said = " ".join(result.stdout.split())
    assert "95 % interval" in said and "unknown" not in said
    assert "Precision: About" in said and "give or take" in said
    with out.open(newline="") as fh:
        assert all(r["is_fake"] == "true" for r in csv.DictReader(fh))


def test_the_examples_in_the_docs_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = Path(__file__).resolve().parents[1] / "docs" / "audience.md"
    commands = [
        line[len("$ covey ") :]
        for line in docs.read_text().splitlines()
        if line.startswith("$ covey audience")
    ]
    assert len(commands) >= 3
    monkeypatch.chdir(tmp_path)
    write_lines(tmp_path / "followers.csv", [HEADER, *ROWS])
    write_lines(
        tmp_path / "followers.jsonl",
        [
            json.dumps(
                {
                    "username": "a",
                    "followers": 5,
                    "following": 2500,
                    "posts": 0,
                    "has_profile_pic": False,
                    "is_private": False,
                }
            )
        ],
    )
    labelled_file(tmp_path / "my-labels.csv", n=200)
    for command in commands:
        result = runner.invoke(app, shlex.split(command))
        assert result.exit_code == 0, f"{command}: {result.output}"


def test_reasons_say_unknown_for_an_empty_count() -> None:
    from covey.audience.reasons import _phrase

    phrase = _phrase("audience", {"following": float("nan"), "followers": 3.0})
    assert phrase == "follows an unknown number of accounts, has 3 followers"


def test_score_profiles_is_a_library_call_the_cli_prints(tmp_path: Path) -> None:
    from covey.audience import load_model
    from covey.audience.scoring import score_profiles

    profiles = read_profiles(write_lines(tmp_path / "audience.csv", [HEADER, *ROWS]))
    model = load_model()
    scored = score_profiles(profiles.table, model)
    assert scored.usernames.to_pylist() == ["jane.doe", "xk29384756", "runner_mo"]
    assert scored.threshold == model.threshold and scored.flagged == int((scored.probabilities >= 0.5).sum())
    strict = score_profiles(profiles.table, model, threshold=0.999)
    assert strict.flagged <= scored.flagged and list(strict.probabilities) == list(scored.probabilities)
    scored.write(tmp_path / "s.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["is_fake"] for x in lines] == scored.flags.tolist()
    out = tmp_path / "cli.csv"
    result = runner.invoke(
        app, ["audience", "score", str(tmp_path / "audience.csv"), "--out", str(out), "--json"]
    )
    assert json.loads(result.stdout)["fake_share"] == scored.share_dict()
