"""`covey index`, `covey discover`, `covey communities` on a real DuckDB file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from covey.cli.app import app
from test_discover_fixture import add_posts, build_world

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "covey.duckdb"
    build_world(path).close()
    result = runner.invoke(app, ["index", "--db", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return path


def discover(db: Path, *args: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["discover", *args, "--db", str(db), "--json"])
    return result.exit_code, json.loads(result.stdout) if result.exit_code == 0 else {"output": result.output}


def test_index_is_stored_beside_the_database_and_incremental(db: Path) -> None:
    folder = db.with_name(db.name + ".discovery")
    assert (folder / "manifest.json").exists() and (folder / "vectors.npy").exists()
    again = runner.invoke(app, ["index", "--db", str(db), "--json"])
    assert json.loads(again.stdout)["new_posts"] == 0
    from covey.store import DuckDBStore

    with DuckDBStore(db) as store:
        add_posts(store, "instagram:fitness_gb_0", ["Protein pancakes after my marathon training run"])
    third = json.loads(runner.invoke(app, ["index", "--db", str(db), "--json"]).stdout)
    assert third["new_posts"] == 1 and third["updated_accounts"] == 1 and not third["rebuilt"]


def test_brief_finds_the_niche_and_country(db: Path) -> None:
    code, out = discover(
        db, "UK creators living with Crohn's or colitis who talk openly about diet and flare-ups"
    )
    assert code == 0
    handles = [r["handle"] for r in out["results"]]
    assert handles[:3] and all(h.startswith("ibd_gb") for h in handles[:3])
    assert all(r["country"] == "GB" for r in out["results"])
    best = out["results"][0]
    assert best["evidence"] and "**" in best["evidence"][0]["highlighted"]
    assert best["quality"] is None and not out["quality_available"]
    assert any("quality unavailable" in n for n in out["notes"])


def test_evidence_keeps_its_marks_without_colour(db: Path) -> None:
    # Piped output has no colour: the matching words keep their ** instead of vanishing styles.
    res = runner.invoke(
        app, ["discover", "--db", str(db), "UK creators living with Crohn's or colitis", "--top", "3"]
    )
    assert res.exit_code == 0, res.stdout
    text = " ".join(res.stdout.split("Evidence", 1)[1].splitlines()[1:])
    evidence = re.split(r"\s\d+\. @", " " + text)[1:]  # one item per creator, however it wraps
    assert len(evidence) == 3 and all(item.count("**") >= 2 for item in evidence)


def test_unknown_followers_are_kept_and_flagged(db: Path) -> None:
    code, out = discover(db, "Crohn's disease and colitis", "--country", "GB")
    unknown = [r for r in out["results"] if r["handle"] == "ibd_gb_2"]
    assert code == 0 and unknown and unknown[0]["followers"] is None
    assert any("follower count unknown" in n for n in unknown[0]["notes"])


def test_brief_in_another_language(db: Path) -> None:
    code, out = discover(db, "creadores en España que viven con la enfermedad de Crohn y hablan de su dieta")
    assert code == 0
    assert [r["handle"][:6] for r in out["results"][:2]] == ["ibd_es", "ibd_es"]
    code, out = discover(db, "routine maquillage et soin de la peau", "--tier", "any")
    assert out["results"][0]["handle"].startswith("beauty_fr")


def test_a_brief_crosses_languages_without_a_country(db: Path) -> None:
    code, out = discover(db, "inflammatory bowel disease flare diet", "--top", "5")
    niches = {r["handle"].rsplit("_", 2)[0] for r in out["results"]}
    assert code == 0 and niches == {"ibd"}
    assert {r["country"] for r in out["results"]} == {"GB", "ES"}


def test_empty_brief_is_a_clear_error(db: Path) -> None:
    result = runner.invoke(app, ["discover", "   ", "--db", str(db)])
    assert result.exit_code == 2 and "brief is empty" in result.output
    result = runner.invoke(app, ["discover", "creators who talk about", "--db", str(db)])
    assert result.exit_code == 2 and "nothing to match" in result.output


def test_unknown_like_handle_is_a_clear_error(db: Path) -> None:
    result = runner.invoke(app, ["discover", "crohn", "--like", "nobody_here", "--db", str(db)])
    assert result.exit_code == 2 and "nobody_here" in result.output and "Traceback" not in result.output


def test_filters_that_match_nothing_say_why(db: Path) -> None:
    result = runner.invoke(app, ["discover", "crohn", "--country", "JP", "--db", str(db)])
    assert result.exit_code == 1
    assert "No creator found" in result.output and "country JP: 0" in result.output
    code, out = discover(
        db, "crohn", "--min-followers", "20000", "--max-followers", "10000", "--country", "ES"
    )
    assert code == 0 and out["results"] == [] and "no creator" in out["notes"][-1]


def test_filters_apply(db: Path) -> None:
    code, out = discover(db, "Crohn's flare diet", "--min-followers", "40000", "--tier", "any")
    assert code == 0 and all(r["followers"] is None or r["followers"] >= 40000 for r in out["results"])
    code, out = discover(db, "Crohn's flare diet", "--language", "es")
    assert {r["language"] for r in out["results"]} == {"es"}
    code, out = discover(db, "Crohn's flare diet", "--tier", "nano")
    assert all(r["followers"] is None for r in out["results"])  # only the unknown count passes
    code, out = discover(db, "Crohn's flare diet", "--lived-experience", "--top", "50")
    assert out["results"] and all(r["lived_experience"] for r in out["results"])
    result = runner.invoke(app, ["discover", "crohn", "--tier", "huge", "--db", str(db)])
    assert result.exit_code == 2 and "unknown tier" in result.output


def test_like_finds_lookalikes_and_excludes_the_seeds(db: Path) -> None:
    code, out = discover(db, "--like", "ibd_es_0", "--top", "3")
    assert code == 0
    handles = [r["handle"] for r in out["results"]]
    assert "ibd_es_0" not in handles and handles[0] == "ibd_es_1"
    assert out["results"][0]["extra"]["audience_overlap"] > 0.5
    code, out = discover(db, "crohn", "--exclude", "ibd_gb_0")
    assert "ibd_gb_0" not in [r["handle"] for r in out["results"]]


def test_quality_from_vetting_changes_the_rank(db: Path) -> None:
    from covey.store import DuckDBStore

    with DuckDBStore(db) as store, store.transaction() as cur:
        cur.execute("INSERT INTO score_runs (run_id) VALUES (1)")
        cur.execute(
            "INSERT INTO account_scores (run_id, account_id, component, score) VALUES "
            "(1, 'instagram:ibd_gb_0', 'overall', 5), (1, 'instagram:ibd_gb_1', 'overall', 95), "
            "(1, 'instagram:ibd_gb_1', 'authenticity', 90)"
        )
    runner.invoke(app, ["index", "--db", str(db)])
    code, out = discover(db, "Crohn's flare", "--country", "GB", "--tier", "any")
    by = {r["handle"]: r for r in out["results"]}
    assert out["quality_available"] and by["ibd_gb_1"]["quality"] == 95
    assert by["ibd_gb_1"]["score"] > by["ibd_gb_0"]["score"]
    code, out = discover(db, "Crohn's flare", "--min-authenticity", "50", "--tier", "any")
    assert code == 0
    assert [r["handle"] for r in out["results"]] == ["ibd_gb_1"]


def test_communities_group_shared_audiences_and_name_them(db: Path) -> None:
    result = runner.invoke(app, ["communities", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    groups = [sorted({h.rsplit("_", 1)[0] for h in c["handles"]}) for c in found]
    assert ["ibd_gb"] in groups and ["beauty_fr"] in groups and len(found) == 8
    ibd = next(c for c in found if c["handles"][0].startswith("ibd_gb"))
    assert ibd["themes"] and set(ibd["themes"]) <= {"crohns", "ibd", "ibdwarrior", "guthealth", "colitis"}
    niche = json.loads(
        runner.invoke(app, ["communities", "--niche", "Crohn's", "--db", str(db), "--json"]).stdout
    )
    assert {h.rsplit("_", 1)[0] for c in niche for h in c["handles"]} <= {"ibd_gb", "ibd_es"}


def test_discover_without_an_index_says_how_to_build_it(tmp_path: Path) -> None:
    path = tmp_path / "x.duckdb"
    build_world(path).close()
    result = runner.invoke(app, ["discover", "crohn", "--db", str(path)])
    assert result.exit_code == 2 and "covey index" in result.output


def test_tier_bounds_are_configurable(db: Path) -> None:
    # With micro starting at 20k, the 12k-follower accounts become nano and drop out.
    code, out = discover(
        db, "Crohn's flare", "--country", "GB", "--tier-bounds", "20000,100000,500000,1000000"
    )
    assert code == 0 and out["results"]
    assert all(r["followers"] is None or r["followers"] >= 20_000 for r in out["results"])
    assert all(r["tier"] in (None, "micro") for r in out["results"])
    result = runner.invoke(app, ["discover", "crohn", "--tier-bounds", "5,4", "--db", str(db)])
    assert result.exit_code == 2 and "--tier-bounds" in result.output
