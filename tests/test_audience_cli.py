"""`covey audience score` and `covey audience train` through the real Typer app."""

from __future__ import annotations

import csv
import json
import shlex
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from covey.audience.io import read_profiles
from covey.cli.app import app
from covey.errors import InputError

runner = CliRunner()

HEADER = "username,followers,following,posts,has_profile_pic,is_private,bio,full_name,external_url,created_at"
ROWS = [
    'jane.doe,850,410,230,true,false,"Living with Crohn\'s, writing about it",Jane Doe,https://jane.example,2016-03-02',
    'xk29384756,3,"4,200",0,false,false,,,,2024-11-01',
    "runner_mo,1.2k,380,95,1,0,marathons,Mo,,",
]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_score_csv_writes_scores_and_json_summary(tmp_path: Path) -> None:
    src = _write(tmp_path / "audience.csv", [HEADER, *ROWS])
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["profiles"] == 3
    share = summary["fake_share"]
    assert share["low"] <= share["estimate"] <= share["high"] and share["confidence"] == 0.95
    assert share["method"] == "mle" and "likely" in share["definition"]
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
    src = _write(tmp_path / "a.csv", [HEADER, *ROWS])
    out = tmp_path / "s.csv"
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(out), "--threshold", "0.0"])
    assert result.exit_code == 0, result.output
    assert "3 flagged" in result.stdout and "95 % interval" in result.stdout
    with out.open(newline="") as fh:
        assert all(r["is_fake"] == "true" for r in csv.DictReader(fh))


def test_missing_optional_columns_are_fine_and_jsonl_round_trip(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "username": "a1",
                "followers": 10,
                "following": 3000,
                "posts": 0,
                "has_profile_pic": False,
                "is_private": False,
            }
        ),
        "",
        json.dumps(
            {
                "username": "bee",
                "followers": "2.5k",
                "following": 300,
                "posts": 40,
                "has_profile_pic": True,
                "is_private": None,
            }
        ),
    ]
    src = _write(tmp_path / "a.jsonl", lines)
    out = tmp_path / "s.jsonl"
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["username"] for r in rows] == ["a1", "bee"]
    assert isinstance(rows[0]["is_fake"], bool) and rows[0]["fake_probability"] > rows[1]["fake_probability"]


def test_missing_required_column_is_exit_2_naming_it(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "a.csv", ["username,followers,posts,has_profile_pic,is_private", "x,1,2,true,false"]
    )
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert "following" in result.output and "a.csv" in result.output
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("x,12,abc,3,true,false", "following"),
        ("x,12,4,3,maybe,false", "has_profile_pic"),
        ("x,-5,4,3,1,0", "followers"),
    ],
)
def test_bad_value_names_file_line_and_field(tmp_path: Path, row: str, field: str) -> None:
    header = "username,followers,following,posts,has_profile_pic,is_private"
    src = _write(tmp_path / "a.csv", [header, "ok,1,2,3,true,false", row])
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    # The location is "FILE:LINE [FIELD]"; the column is also named in the reason itself.
    assert "a.csv:3" in result.output and f"column '{field}'" in result.output
    with pytest.raises(InputError) as info:
        read_profiles(src)
    assert info.value.line == 3 and info.value.field == field


def test_multiline_csv_values_keep_line_numbers(tmp_path: Path) -> None:
    header = "username,followers,following,posts,has_profile_pic,is_private,bio"
    src = _write(tmp_path / "a.csv", [header, 'a,1,2,3,true,false,"two\nlines"', "b,1,2,x,true,false,"])
    with pytest.raises(InputError) as info:
        read_profiles(src)
    assert info.value.line == 4 and info.value.field == "posts"


def test_counts_as_people_write_them(tmp_path: Path) -> None:
    header = "username,followers,following,posts,has_profile_pic,is_private"
    src = _write(tmp_path / "a.csv", [header, 'a,"1,204",3.5k,2M,yes,no', "b,,7,0,,"])
    table = read_profiles(src).table
    assert table.column("followers").to_pylist() == [1204.0, None]
    assert table.column("following").to_pylist() == [3500.0, 7.0]
    assert table.column("posts").to_pylist() == [2_000_000.0, 0.0]
    assert table.column("has_profile_pic").to_pylist() == [True, None]


def _labelled_file(path: Path, n: int = 400) -> Path:
    rng = np.random.default_rng(8)
    lines = [HEADER.replace("created_at", "created_at,is_fake")]
    for i in range(n):
        fake = i % 2
        followers = int(rng.integers(0, 40)) if fake else int(rng.integers(200, 3000))
        following = int(rng.integers(1500, 6000)) if fake else int(rng.integers(100, 900))
        posts = int(rng.integers(0, 5)) if fake else int(rng.integers(20, 400))
        pic = "false" if fake and rng.random() < 0.7 else "true"
        bio = "" if fake else "likes hiking"
        lines.append(f"u{i},{followers},{following},{posts},{pic},false,{bio},,,2020-01-01,{fake}")
    return _write(path, lines)


def test_train_then_score_with_the_trained_model(tmp_path: Path) -> None:
    src = _labelled_file(tmp_path / "labels.csv")
    model_path = tmp_path / "mine.json"
    result = runner.invoke(app, ["audience", "train", str(src), "--out", str(model_path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rows"] == 400 and summary["fakes"] == 200 and summary["out_of_fold"]["roc_auc"] > 0.95
    saved = json.loads(model_path.read_text())
    assert saved["metadata"]["training_data"][0]["name"] == "labels.csv"
    out = tmp_path / "s.csv"
    result = runner.invoke(
        app, ["audience", "score", str(src), "--out", str(out), "--model", str(model_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["model"]["version"] == saved["version"]


def test_train_needs_the_label_column(tmp_path: Path) -> None:
    src = _write(tmp_path / "a.csv", [HEADER, *ROWS])
    result = runner.invoke(app, ["audience", "train", str(src), "--out", str(tmp_path / "m.json")])
    assert result.exit_code == 2 and "is_fake" in result.output
    result = runner.invoke(
        app, ["audience", "train", str(src), "--label-column", "bio", "--out", str(tmp_path / "m.json")]
    )
    assert result.exit_code == 2 and "column 'bio'" in result.output and "a.csv:2" in result.output


@pytest.mark.realdata
def test_train_with_the_public_sets(tmp_path: Path, shared_data: Path) -> None:
    src = _labelled_file(tmp_path / "labels.csv", n=100)
    model_path = tmp_path / "mine.json"
    result = runner.invoke(
        app,
        [
            "audience",
            "train",
            str(src),
            "--out",
            str(model_path),
            "--public-data",
            str(shared_data),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    names = [d["name"] for d in json.loads(result.stdout)["training_data"]]
    assert names == ["labels.csv", "instagram", "twitter-cresci2015"]


def test_the_examples_in_the_docs_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = Path(__file__).resolve().parents[1] / "docs" / "audience.md"
    commands = [
        line[len("$ covey ") :]
        for line in docs.read_text().splitlines()
        if line.startswith("$ covey audience")
    ]
    assert len(commands) >= 3
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "followers.csv", [HEADER, *ROWS])
    _write(
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
    _labelled_file(tmp_path / "my-labels.csv", n=200)
    for command in commands:
        result = runner.invoke(app, shlex.split(command))
        assert result.exit_code == 0, f"{command}: {result.output}"
