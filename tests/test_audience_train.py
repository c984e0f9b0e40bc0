"""`covey audience train`: a model trained on a labelled file (and the public sets) that
`covey audience score --model` then uses; a file without labels is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audience_support import HEADER, ROWS, labelled_file, runner, write_lines
from covey.cli.app import app


def test_train_then_score_with_the_trained_model(tmp_path: Path) -> None:
    src = labelled_file(tmp_path / "labels.csv")
    model_path = tmp_path / "mine.json"
    result = runner.invoke(app, ["audience", "train", str(src), "--out", str(model_path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rows"] == 400 and summary["fakes"] == 200 and summary["out_of_fold"]["roc_auc"] > 0.95
    assert summary["notes"] == [] and summary["rejected"] == []  # as in `score --json`
    saved = json.loads(model_path.read_text())
    assert saved["metadata"]["training_data"][0]["name"] == "labels.csv"
    out = tmp_path / "s.csv"
    result = runner.invoke(
        app, ["audience", "score", str(src), "--out", str(out), "--model", str(model_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["model"]["version"] == saved["version"]


def test_train_needs_the_label_column(tmp_path: Path) -> None:
    src = write_lines(tmp_path / "a.csv", [HEADER, *ROWS])
    result = runner.invoke(app, ["audience", "train", str(src), "--out", str(tmp_path / "m.json")])
    assert result.exit_code == 2 and "is_fake" in result.output
    result = runner.invoke(
        app, ["audience", "train", str(src), "--label-column", "bio", "--out", str(tmp_path / "m.json")]
    )
    # no row has a 0/1 label: nothing to train on (exit 4), each row named with its line
    assert result.exit_code == 4 and "column 'bio'" in result.output and "a.csv:2" in result.output
    assert not (tmp_path / "m.json").exists()


@pytest.mark.realdata
def test_train_with_the_public_sets(tmp_path: Path, shared_data: Path) -> None:
    src = labelled_file(tmp_path / "labels.csv", n=100)
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
