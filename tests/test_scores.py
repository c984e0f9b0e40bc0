"""Scores: components, weights, red flags, storage and the `covey score` / `covey vet` commands."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from covey.cli.app import app
from covey.errors import InputError
from covey.scores import COMPONENTS, Weights, latest_vetting, load_weights, score_store
from covey.scores.result import EvidenceItem
from covey.store import DuckDBStore
from test_signals_world import MiniWorld, build_world


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DuckDBStore, MiniWorld]]:
    store = DuckDBStore(tmp_path_factory.mktemp("scores") / "covey.duckdb")
    truth = build_world(store)
    score_store(store, classifier="rules")
    yield store, truth
    store.close()


def _overall(store: DuckDBStore, run_id: int) -> dict[str, float]:
    rows = store.query(
        "SELECT account_id, score FROM account_scores WHERE run_id = ? AND component = 'overall'", [run_id]
    )
    return {a: s for a, s in rows}


def test_every_account_has_every_component(scored: tuple[DuckDBStore, MiniWorld]) -> None:
    store, truth = scored
    rows = store.query("SELECT component, count(*), min(score), max(score) FROM account_scores GROUP BY 1")
    got = {r[0]: r[1:] for r in rows}
    assert set(got) == {*COMPONENTS, "overall", "coverage"}
    for n, low, high in got.values():
        assert n == len(truth.accounts) and 0 <= low <= high <= 100
    # Every table of the mini world is filled in: every score rests on all its evidence.
    assert got["coverage"][1:] == (100.0, 100.0)
    run = store.query("SELECT score_version, accounts, weights, computed_at FROM score_runs")[0]
    assert run[0].startswith("1.1+w") and run[1] == len(truth.accounts)
    assert json.loads(run[2])["weights"]["audience"] == 2.0 and run[3] is not None


def test_planted_problems_rank_below_clean_accounts(scored: tuple[DuckDBStore, MiniWorld]) -> None:
    store, truth = scored
    overall = _overall(store, 1)
    problems = [overall[a] for a in truth.problems]
    clean = [overall[a] for a in truth.accounts if a not in truth.problems]
    pairs = [(c > p) + 0.5 * (c == p) for c in clean for p in problems]
    assert sum(pairs) / len(pairs) >= 0.95  # ROC-AUC of the overall score


def test_evidence_points_at_the_problem(scored: tuple[DuckDBStore, MiniWorld]) -> None:
    store, truth = scored
    pod_account = sorted(truth.pod)[0]
    (vet,) = latest_vetting(store, pod_account)
    kinds = {(e.component, e.kind) for e in vet.evidence}
    assert ("authenticity", "pod_comment") in kinds and ("engagement", "post") in kinds
    assert ("audience", "audience_sample") in kinds
    overall = next(c for c in vet.components if c.component == "overall")
    assert "pod" in overall.sentence and overall.score <= 45
    undisclosed = sorted(truth.undisclosed)[0]
    (vet,) = latest_vetting(store, undisclosed)
    posts = [e for e in vet.evidence if e.kind == "undisclosed_sponsorship"]
    assert posts and all(e.url.startswith("https://") for e in posts)
    engagement = next(c for c in vet.components if c.component == "engagement")
    assert "(likes + comments) / followers" in engagement.sentence and engagement.peers >= 30


def test_weights_change_the_overall_and_the_version(tmp_path: Path) -> None:
    store = DuckDBStore(tmp_path / "w.duckdb")
    build_world(store, n_accounts=16)
    first = score_store(store, classifier="rules")
    only_community = Weights({c: (1.0 if c == "community" else 0.0) for c in COMPONENTS})
    second = score_store(store, only_community, classifier="rules")
    assert first.score_version != second.score_version and second.run_id == first.run_id + 1
    overall = _overall(store, second.run_id)
    community = dict(
        store.query(
            "SELECT account_id, score FROM account_scores WHERE run_id = ? AND component = 'community'",
            [second.run_id],
        )
    )
    flagged = {a for a, s in overall.items() if abs(s - community[a]) > 1e-9}
    # Accounts without a red flag score exactly their community component.
    for a in set(overall) - flagged:
        assert overall[a] == pytest.approx(community[a])
    for a in flagged:
        assert overall[a] == pytest.approx(community[a] * 0.45)
    store.close()


def test_load_weights_from_toml_and_overrides(tmp_path: Path) -> None:
    f = tmp_path / "weights.toml"
    f.write_text("[weights]\naudience = 5\nsafety = 0\n\n[red_flags]\ncap = 30\n", encoding="utf-8")
    w = load_weights(f, ["community=2.5"])
    assert w.of("audience") == 5 and w.of("safety") == 0 and w.of("community") == 2.5
    assert w.red_flag_cap == 30 and w.of("engagement") == 1.0  # defaults stay
    with pytest.raises(InputError, match="unknown score component"):
        load_weights(None, ["charisma=1"])
    with pytest.raises(InputError, match="NAME=NUMBER"):
        load_weights(None, ["audience"])
    bad = tmp_path / "bad.toml"
    bad.write_text("[weights\n", encoding="utf-8")
    with pytest.raises(InputError, match="TOML"):
        load_weights(bad)


def test_cli_score_and_vet(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    with DuckDBStore(db) as store:
        build_world(store, n_accounts=16)
    runner = CliRunner()
    res = runner.invoke(app, ["score", "--db", str(db), "--json", "--weight", "audience=3"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["accounts"] == 16 and out["weights"]["audience"] == 3 and len(out["overall"]) == 16
    res = runner.invoke(app, ["vet", "@creator1", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    (vet,) = json.loads(res.stdout)
    assert vet["account"]["account_id"] == "instagram:1"
    assert {c["component"] for c in vet["components"]} == {*COMPONENTS, "overall", "coverage"}
    assert vet["summary"][0].startswith("Overall ")
    res = runner.invoke(app, ["vet", "creator1", "--db", str(db)])
    assert res.exit_code == 0 and "authenticity" in res.stdout and "Overall " in res.stdout
    assert "Run " not in res.stdout  # the run's version is a detail
    res = runner.invoke(app, ["vet", "creator1", "--db", str(db), "--details"])
    assert res.exit_code == 0 and "Evidence" in res.stdout and "score version" in res.stdout
    res = runner.invoke(app, ["vet", "nobody", "--db", str(db)])
    assert res.exit_code == 2


def test_every_component_shows_its_evidence(tmp_path: Path) -> None:
    """Community, consistency and authenticity point at comments and posts; the audience at the
    sampled followers most likely fake, each with the classifier's probability and reasons."""
    store = DuckDBStore(tmp_path / "ev.duckdb")
    truth = build_world(store, n_accounts=16)
    score_store(store)  # the shipped classifier
    replier = sorted(truth.replier)[0]
    (vet,) = latest_vetting(store, replier)
    by_kind: dict[tuple[str, str], list[EvidenceItem]] = {}
    for e in vet.evidence:
        by_kind.setdefault((e.component, e.kind), []).append(e)
    replies = by_kind[("community", "creator_reply")]
    assert 0 < len(replies) <= 5 and all(str(e.url).startswith("https://") for e in replies)
    niche = by_kind[("consistency", "on_niche_post")]
    assert niche and all(str(e.detail).startswith("#") for e in niche)
    heavy = sorted(truth.fake_heavy)[0]
    (vet,) = latest_vetting(store, heavy)
    fakes = [e for e in vet.evidence if e.kind == "likely_fake_follower"]
    assert 0 < len(fakes) <= 5
    probabilities = [float(str(e.detail).split(":")[0].split()[-1]) for e in fakes]
    assert all(p >= 0.5 for p in probabilities) and probabilities == sorted(probabilities, reverse=True)
    names = store.query(
        "SELECT username FROM audience_samples WHERE account_id = ? AND member_id IN (SELECT unnest(?))",
        [heavy, [str(e.item_id) for e in fakes]],
    )
    assert len(names) == len(fakes) and all(n.startswith("user") for (n,) in names)  # the mini world's fakes
    ids = store.query(
        "SELECT count(*), count(DISTINCT (account_id, component, kind, item_id)) FROM score_evidence "
        "WHERE item_id IS NOT NULL"
    )[0]
    assert ids[0] == ids[1]
    store.close()
