"""The fake share's precision in words wherever vetting shows it: the stored explanation, the
typed VetResult (``covey vet --json``) and ``covey vet``'s text; unknown stays unknown."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from covey.audience.share import DEFINITIONS, MIN_PROFILES
from covey.cli.app import app
from covey.scores import latest_vetting, score_store
from covey.scores.explain import (
    NO_FOLLOWER_SAMPLE,
    SENTENCES,
    fake_share_definition,
    fake_share_precision,
)
from covey.scores.result import FakeShare
from covey.store import DuckDBStore
from test_signals_world import build_world

KNOWN: dict[str, Any] = {
    "fake_share": 0.20, "fake_low": 0.11, "fake_high": 0.29, "fake_n": 200,
    "fake_method": "covey.audience classifier (mle)", "fake_sampling_low": 0.16,
    "fake_sampling_high": 0.24, "reachable_share": 0.7,
}  # fmt: skip


def test_explain_says_how_precise_a_stored_share_is() -> None:
    said = fake_share_precision(KNOWN)
    # +-9 points in all, +-4 of them chance (halved by 4x the profiles), the rest the model's transfer error
    assert said.startswith("About 20 % give or take 9 points: read it as somewhere between 11 % and 29 %")
    assert "Chance in a sample of 200 profiles accounts for about 4 points" in said
    assert "about 800 profiles would bring it to 2" in said and "about 8 points" in said
    assert fake_share_definition(KNOWN) == DEFINITIONS["mle"]
    sentence = SENTENCES["audience"](KNOWN)
    assert sentence.startswith("An estimated 20.0 % of followers look fake (95 % interval 11.0 %-29.0 %")
    assert sentence.endswith(said)
    shown = FakeShare.from_signals(KNOWN)
    assert (shown.share, shown.low, shown.high, shown.n) == (0.20, 0.11, 0.29, 200)
    assert (shown.sampling_low, shown.sampling_high) == (0.16, 0.24) and shown.precision == said


def test_explain_of_a_run_stored_before_the_sampling_part_gives_the_range_only() -> None:
    old = {k: v for k, v in KNOWN.items() if not k.startswith("fake_sampling")}
    said = fake_share_precision(old)
    assert "give or take 9 points" in said and said.endswith("not as an exact count.")
    assert "Chance" not in said  # no sampling part stored: nothing invented for it
    assert FakeShare.from_signals(old).sampling_low is None


def test_explain_keeps_an_unknown_share_unknown() -> None:
    small = {"fake_share": None, "fake_low": None, "fake_high": None, "fake_n": 12,
             "fake_method": "covey.audience classifier (mle)", "reachable_share": 0.5}  # fmt: skip
    said = fake_share_precision(small)
    assert said.startswith("Unknown: 12 profiles scored") and f"at least {MIN_PROFILES}" in said
    assert SENTENCES["audience"](small) == said
    assert not re.search(r"\b(0|100) %", said)  # never a figure of 0 or 100 for an unknown share
    shown = FakeShare.from_signals(small)
    assert (shown.share, shown.low, shown.high, shown.sampling_low, shown.n) == (None, None, None, None, 12)
    # NaN stored for the share (not null) is unknown too
    assert FakeShare.from_signals({**small, "fake_share": float("nan")}).share is None
    for none in ({}, {"fake_share": None, "fake_n": None}, {"fake_n": 0}):
        assert fake_share_precision(none) == NO_FOLLOWER_SAMPLE == SENTENCES["audience"](none)
        assert fake_share_definition(none) is None and FakeShare.from_signals(none).share is None


def test_explain_defines_the_fallback_by_its_own_label() -> None:
    rules = {"fake_share": 0.1, "fake_low": 0.05, "fake_high": 0.18, "fake_n": 100,
             "fake_method": "rule-of-signs fallback, Wilson 95 %"}  # fmt: skip
    assert fake_share_definition(rules) == "rule-of-signs fallback, Wilson 95 %"
    assert fake_share_precision(rules).endswith("not as an exact count.")  # its errors are not split


@pytest.fixture(scope="module")
def vetted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A scored mini world (shipped classifier) where one account has too few sampled followers
    for a share and another none."""
    db = tmp_path_factory.mktemp("explain") / "covey.duckdb"
    with DuckDBStore(db) as store:
        build_world(store, n_accounts=16)
        with store.transaction() as cur:
            cur.execute(
                "DELETE FROM audience_samples WHERE account_id = 'instagram:2' AND member_id NOT IN "
                "(SELECT member_id FROM audience_samples WHERE account_id = 'instagram:2' "
                "ORDER BY member_id LIMIT 12)"
            )
            cur.execute("DELETE FROM audience_samples WHERE account_id = 'instagram:4'")
        score_store(store)
    yield db


def test_vet_json_and_text_say_how_precise_the_fake_share_is(vetted: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["vet", "creator3", "--db", str(vetted), "--json"])
    assert res.exit_code == 0, res.output
    (vet,) = json.loads(res.stdout)
    fake = vet["fake_share"]
    sig = vet["signals"]
    assert fake["share"] == sig["fake_share"] and fake["n"] == sig["fake_n"] == 100
    assert fake["low"] <= fake["sampling_low"] <= fake["share"] <= fake["sampling_high"] <= fake["high"]
    assert fake["definition"] == DEFINITIONS["mle"]
    pct = f"About {100 * fake['share']:.0f} % give or take"
    assert fake["precision"].startswith(pct) and "Chance in a sample of 100 profiles" in fake["precision"]
    (audience,) = [c for c in vet["components"] if c["component"] == "audience"]
    assert audience["sentence"].endswith(fake["precision"])  # the stored explanation says the same
    res = runner.invoke(app, ["vet", "creator3", "--db", str(vetted)], env={"COLUMNS": "3000"})
    assert res.exit_code == 0, res.output
    assert fake["precision"] in " ".join(res.stdout.split())


def test_vet_keeps_a_small_or_missing_sample_unknown(vetted: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["vet", "creator2", "--db", str(vetted), "--json"])
    assert res.exit_code == 0, res.output
    (vet,) = json.loads(res.stdout)
    fake = vet["fake_share"]
    assert fake["share"] is None and fake["low"] is None and fake["high"] is None and fake["n"] == 12
    assert fake["precision"].startswith("Unknown: 12 profiles scored")
    (audience,) = [c for c in vet["components"] if c["component"] == "audience"]
    assert audience["score"] is None and audience["sentence"] == fake["precision"]
    res = runner.invoke(app, ["vet", "creator2", "--db", str(vetted)], env={"COLUMNS": "3000"})
    assert fake["precision"] in " ".join(res.stdout.split())
    with DuckDBStore(vetted, read_only=True) as store:
        (none,) = latest_vetting(store, "creator4")
    shown = none.fake_share()
    assert shown is not None and shown.share is None and shown.n == 0
    assert shown.precision == NO_FOLLOWER_SAMPLE
