"""Measured quality: the labelled set and a generated world with a seed not used for tuning.

The thresholds are the issue's: micro-F1 >= 0.90 over all categories and precision >= 0.95 on
the disclosure categories. The full figures per category are in docs/compliance.md
(``python benchmarks/compliance_eval.py``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from covey.cli.app import app
from covey.compliance import CATEGORIES, DISCLOSURE_CATEGORIES
from covey.compliance.evaluate import evaluate_file, evaluate_world, world_items
from covey.compliance.posts import check_store
from covey.ingest import import_path
from covey.store import DuckDBStore
from covey.world import WorldConfig, generate

LABELLED = Path(__file__).parent / "data" / "compliance" / "labelled.jsonl"


def test_labelled_set_is_big_varied_and_explained() -> None:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 200
    langs = Counter(r["caption_language"] for r in rows)
    assert all(langs[lang] >= 40 for lang in ("en", "fr", "de", "es"))
    assert all(r["reason"] for r in rows)
    seen = {e["category"] for r in rows for e in r["expected"]}
    assert seen == set(CATEGORIES)
    assert sum(not r["expected"] for r in rows) >= 60  # negatives, many of them tricky


def test_labelled_set_meets_the_targets() -> None:
    report = evaluate_file(LABELLED)
    assert report.micro().f1 is not None and report.micro().f1 >= 0.90
    disclosure = report.micro(DISCLOSURE_CATEGORIES)
    assert disclosure.precision is not None and disclosure.precision >= 0.95
    for c in CATEGORIES:
        assert (report.per_category[c].recall or 0) >= 0.8, c


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, DuckDBStore]]:
    folder = tmp_path_factory.mktemp("world")
    generate(WorldConfig(creators=40, seed=23), folder)
    store = DuckDBStore(folder / "covey.duckdb")
    import_path(store, folder)
    yield folder, store
    store.close()


def test_world_planted_problems_are_found(world: tuple[Path, DuckDBStore]) -> None:
    folder, _ = world
    report = evaluate_world(folder)
    assert report.micro().tp > 50
    assert report.micro().f1 is not None and report.micro().f1 >= 0.90
    disclosure = report.micro(DISCLOSURE_CATEGORIES)
    assert disclosure.precision is not None and disclosure.precision >= 0.95


def test_db_check_agrees_with_the_files(world: tuple[Path, DuckDBStore]) -> None:
    folder, store = world
    from_files = {d.id for d, e in world_items(folder) if e}
    flagged = {r.id for r in check_store(store) if r.flags}
    assert len(from_files & flagged) >= 0.9 * len(from_files)
    res = CliRunner().invoke(app, ["check", "--db", str(folder / "covey.duckdb"), "--json"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert {line["id"] for line in lines} == flagged


def test_credibility_signal_agrees_with_the_checker(world: tuple[Path, DuckDBStore]) -> None:
    """The signal's set-based regexes classify posts as the Python checker does."""
    from covey.signals.backend import duckdb_sources
    from covey.signals.credibility import caption_flags

    _, store = world
    src = duckdb_sources(store)
    flags = src.execute(caption_flags(src)).set_index("post_id")
    as_class = {"disclosure_missing": "none", "disclosure_ambiguous": "weak", "disclosure_buried": "buried"}
    same = total = claims_same = commercial = 0
    for r in check_store(store):
        cats = {f.category for f in r.flags}
        expected = next((as_class[c] for c in cats if c in as_class), "proper") if r.commercial else None
        got = flags.loc[r.id, "disclosure"]
        same += expected == (None if got is None or got != got else got)
        total += 1
        if r.commercial:
            commercial += 1
            claims_same += ("health_claim_unsupported" in cats) == bool(flags.loc[r.id, "health_claim"])
    assert same >= 0.97 * total
    assert claims_same >= 0.95 * commercial
