"""`covey check`: one caption, a JSONL file with bad lines, errors that name their field."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from covey.cli.app import app

runner = CliRunner()


def test_single_caption_json() -> None:
    res = runner.invoke(
        app, ["check", "#ad Week 6 on Ozempic!", "--country", "UK", "--paid", "--product-kind",
              "prescription_medicine", "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [f["category"] for f in data["flags"]] == ["rx_promotion_to_public"]
    flag = data["flags"][0]
    assert flag["rule"] == "GB-CAP-12.12-POM" and flag["span"]["text"] == "Ozempic"
    assert "not legal advice" in data["note"]


def test_single_caption_human_output_says_not_legal_advice() -> None:
    res = runner.invoke(app, ["check", "Loving @x's serum", "--country", "DE", "--paid"])
    assert res.exit_code == 0
    assert "DE-MSTV-MISSING" in res.stdout and "not legal advice" in res.stdout


def test_file_of_drafts_reports_bad_lines_and_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "drafts.jsonl"
    lines = [
        {"id": "a", "caption": "Loving @x", "platform": "instagram", "country": "US", "paid": True},
        {"id": "b", "caption": "#ad Loving @x", "country": "US", "paid": True, "gifted": False},
        {"id": "c", "caption": "Loving @x", "country": "Narnia", "paid": True},
        {"id": "d", "caption": "Loving @x", "country": "FR", "paid": "yes"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n{not json\n", encoding="utf-8")
    res = runner.invoke(app, ["check", "--file", str(path), "--json"])
    assert res.exit_code == 2
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert (
        out[0] == {"id": "a", "flags": out[0]["flags"]}
        and out[0]["flags"][0]["category"] == "disclosure_missing"
    )
    assert out[1] == {"id": "b", "flags": []}
    errors = {o["line"]: o["error"] for o in out if "error" in o}
    assert set(errors) == {3, 4, 5}
    assert "[country]" in errors[3] and "[paid]" in errors[4] and "drafts.jsonl:5" in errors[5]


def test_needs_exactly_one_input_and_a_country() -> None:
    assert runner.invoke(app, ["check"]).exit_code == 2
    res = runner.invoke(app, ["check", "hello"])
    assert res.exit_code == 2 and "--country" in res.output
