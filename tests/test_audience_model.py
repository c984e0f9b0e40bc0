"""The shipped audience model: loads, scores real labelled data, round-trips, scales."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from covey.audience import AudienceModel, estimate_share, from_profiles, load_model, train_model
from covey.audience.datasets import load_instafake_genuine, public_sets, stratified_split
from covey.audience.features import primitives_from_profiles
from covey.audience.metrics import pr_auc, roc_auc
from covey.audience.reasons import explain
from covey.errors import InputError

FLOOR_SHIPPED = 0.97  # measured 0.995 on the Instagram test CSV (which the shipped model saw in training)
FLOOR_IG_TO_TWITTER = 0.95  # measured 0.970 (benchmarks/audience_eval.py, "Instagram -> Twitter")
FLOOR_TWITTER_TO_IG = 0.88  # measured 0.913 ("Twitter -> Instagram")


def _profiles(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "username": np.array([f"user{i}" if i % 3 else f"u{i:08d}" for i in range(n)], dtype=object),
        "followers": rng.integers(0, 5000, n),
        "following": rng.integers(0, 7000, n),
        "posts": rng.integers(0, 800, n),
        "has_profile_pic": rng.random(n) < 0.8,
        "is_private": rng.random(n) < 0.3,
    }


def test_shipped_model_records_its_provenance() -> None:
    model = load_model()
    meta = model.metadata
    names = {d["name"]: d for d in meta["training_data"]}
    assert set(names) >= {"instagram", "twitter-cresci2015"}
    assert names["instagram"]["rows"] == 696 and names["twitter-cresci2015"]["rows"] == 2818
    assert "not stated" in names["instagram"]["licence"]
    assert (
        "research use" in names["twitter-cresci2015"]["licence"]
        and "Fame for sale" in (names["twitter-cresci2015"]["licence"])
    )
    assert "instafake" in meta["not_trained_on"]
    # The sample world is the third set, recorded as the command that makes it again.
    assert names["sample-world"]["source"].startswith("covey world generate --creators")
    assert "synthetic" in names["sample-world"]["licence"]
    rates = meta["out_of_fold_share_rates"]
    assert set(rates) == set(names)
    tprs = [r["tpr"] for r in rates.values()]
    assert model.share.tpr_spread == pytest.approx(float(np.std(tprs, ddof=1)), abs=1e-3)
    # Each set held out in turn: the EM share's error there is what widens the shipped interval.
    held = meta["held_out_em_errors"]
    assert set(held) == set(names)
    genuine = [e["genuine_part"] for e in held.values()]
    assert model.share.em_genuine_spread == pytest.approx(
        float(np.sqrt(np.mean(np.square(genuine)))), abs=1e-3
    )
    assert 0 < model.share.em_genuine_spread < 0.1 and 0 < model.share.em_fake_spread < 0.3
    assert meta["trained_at"] and meta["evaluation"]["results"]
    assert 0.05 <= model.prevalence <= 0.35 and model.share.tpr - model.share.fpr > 0.5


@pytest.mark.realdata
def test_shipped_model_ranks_the_labelled_test_csv(shared_data: Path) -> None:
    test = public_sets(shared_data)["instagram_test"]
    probs = load_model().proba_from_primitives(test.primitives)
    assert roc_auc(test.labels, probs) >= FLOOR_SHIPPED
    assert pr_auc(test.labels, probs) >= FLOOR_SHIPPED


@pytest.mark.realdata
def test_cross_dataset_transfer_floors(shared_data: Path) -> None:
    sets = public_sets(shared_data)
    ig_model = train_model([sets["instagram_train"]])
    tw = sets["twitter"]
    assert roc_auc(tw.labels, ig_model.proba_from_primitives(tw.primitives)) >= FLOOR_IG_TO_TWITTER
    tw_model = train_model([tw])
    ig = sets["instagram_test"]
    assert roc_auc(ig.labels, tw_model.proba_from_primitives(ig.primitives)) >= FLOOR_TWITTER_TO_IG


def test_table_and_dict_inputs_agree_and_prevalence_shifts() -> None:
    model = load_model()
    profiles = _profiles(500)
    table = pa.table({k: pa.array(v.tolist()) for k, v in profiles.items()})
    p_dict, p_table = model.predict_proba(profiles), model.predict_proba(table)
    np.testing.assert_allclose(p_dict, p_table)
    assert ((p_dict > 0) & (p_dict < 1)).all()
    assert model.predict_proba(profiles, prevalence=0.05).mean() < p_dict.mean()
    assert model.predict_proba(profiles, prevalence=0.30).mean() > p_dict.mean()


def test_obvious_fake_scores_higher_than_obvious_person() -> None:
    model = load_model()
    profiles = {
        "username": ["jane.doe", "xk29384756"],
        "full_name": ["Jane Doe", ""],
        "followers": np.array([850, 3]),
        "following": np.array([410, 4200]),
        "posts": np.array([230, 0]),
        "has_profile_pic": np.array([True, False]),
        "is_private": np.array([False, False]),
        "bio": ["Living with Crohn's, writing about it", ""],
    }
    p = model.predict_proba(profiles)
    assert p[1] > 0.9 > 0.1 > p[0]
    prims = primitives_from_profiles(profiles)
    reasons = explain(model, prims, p >= model.threshold)
    assert "follows 4,200 accounts, has 3 followers" in reasons[1]


def test_round_trip_and_bad_model_files(tmp_path: Path) -> None:
    model = load_model()
    path = tmp_path / "m.json"
    model.save(path)
    again = load_model(path)
    profiles = _profiles(50)
    np.testing.assert_array_equal(model.predict_proba(profiles), again.predict_proba(profiles))
    (tmp_path / "bad.json").write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(InputError, match="not a Covey audience model"):
        load_model(tmp_path / "bad.json")
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(InputError, match="not JSON"):
        load_model(tmp_path / "broken.json")
    assert again.share.transfer_sets == model.share.transfer_sets == 3
    older = model.to_dict()
    del older["share"]["transfer_sets"]  # files written before it was recorded
    assert AudienceModel.from_dict(older).share.transfer_sets == len(model.metadata["held_out_em_errors"])
    data = model.to_dict()
    del data["coef"]
    with pytest.raises(InputError, match="malformed"):
        AudienceModel.from_dict(data)


def test_training_on_any_profile_table_learns_the_labels() -> None:
    rng = np.random.default_rng(1)
    profiles = _profiles(2000, seed=2)
    # Synthetic truth: fakes follow many, are followed by few and post little.
    signal = (
        np.log1p(profiles["following"]) - np.log1p(profiles["followers"]) - np.log1p(profiles["posts"]) / 2
    )
    labels = (signal + rng.normal(0, 0.5, 2000) > np.median(signal)).astype(int)
    model = train_model([from_profiles(profiles, labels, name="mine")], prevalence=0.2)
    assert model.metadata["training_data"][0]["rows"] == 2000
    assert model.metadata["out_of_fold_metrics"]["mine"]["roc_auc"] > 0.85
    assert model.share.tpr_spread == 0.0 and model.share.fpr_spread == 0.0  # one set: no shift seen
    assert model.share.em_genuine_spread == 0.0 and model.share.em_fake_spread == 0.0
    assert roc_auc(labels, model.predict_proba(profiles)) > 0.85
    with pytest.raises(ValueError, match="only one class"):
        train_model([from_profiles(profiles, np.zeros(2000), name="one-class")])
    with pytest.raises(ValueError, match="unknown or no design features"):
        train_model([from_profiles(profiles, labels, name="mine")], features=["shoe_size"])
    # A subset of the features trains, saves and scores on that subset only.
    small = train_model(
        [from_profiles(profiles, labels, name="mine")], features=["log_following_per_follower"]
    )
    assert small.features == ("log_following_per_follower",) and len(small.coef) == 1
    assert roc_auc(labels, small.predict_proba(profiles)) > 0.8


def test_two_sets_measure_the_error_on_the_set_left_out() -> None:
    """With a second population whose real people look fake, the EM interval is widened."""
    rng = np.random.default_rng(4)
    profiles = _profiles(1500, seed=5)
    signal = np.log1p(profiles["following"]) - np.log1p(profiles["followers"])
    labels = (signal + rng.normal(0, 0.5, 1500) > np.quantile(signal, 0.6)).astype(int)
    other = _profiles(1500, seed=6)
    other_signal = np.log1p(other["following"]) - np.log1p(other["followers"])
    # Here the genuine accounts follow more (lurkers): the same rule over-counts them.
    other_labels = (other_signal + rng.normal(0, 0.5, 1500) > np.quantile(other_signal, 0.85)).astype(int)
    one = train_model([from_profiles(profiles, labels, name="a")])
    two = train_model(
        [from_profiles(profiles, labels, name="a"), from_profiles(other, other_labels, name="b")]
    )
    assert set(two.metadata["held_out_em_errors"]) == {"a", "b"}
    assert two.share.em_genuine_spread > 0.01
    assert two.share.transfer_sets == 2 and one.share.transfer_sets == 0
    p = two.predict_proba(other)
    widened, plain = estimate_share(p, two), estimate_share(p, replace(two, share=one.share))
    assert widened.share == plain.share and widened.high - widened.low > plain.high - plain.low


def test_scoring_is_vectorised_at_scale() -> None:
    model = load_model()
    profiles = _profiles(200_000, seed=4)
    start = time.perf_counter()
    p = model.predict_proba(profiles)
    estimate = estimate_share(p, model)
    assert time.perf_counter() - start < 10
    assert estimate.n == 200_000 and estimate.low <= estimate.share <= estimate.high


@pytest.mark.realdata
def test_share_on_held_out_real_audiences(shared_data: Path) -> None:
    """Public sets, held-out files of sets seen in training, re-sampled at 5-30 % fakes: the ACC
    count within 3 points; the default (EM) estimate within 6.5 (it is the better one only on
    sets never seen: benchmarks/audience_loso.py)."""
    sets = public_sets(shared_data)
    tw = sets["twitter"]
    train_idx, test_idx = stratified_split(tw.labels, 0.2, seed=7)
    model = train_model([sets["instagram_train"], tw.take(train_idx)], seed=7)
    rng = np.random.default_rng(7)
    for test in (sets["instagram_test"], tw.take(test_idx)):
        probs = model.proba_from_primitives(test.primitives)
        fakes, people = np.flatnonzero(test.labels == 1), np.flatnonzero(test.labels == 0)
        for prevalence in (0.05, 0.15, 0.30):
            k = round(400 * prevalence)
            samples = [probs[np.r_[rng.choice(fakes, k), rng.choice(people, 400 - k)]] for _ in range(40)]
            acc = [estimate_share(p, model, "acc").share - prevalence for p in samples]
            # Measured |mean error| <= 0.021 (docs/audience.md, "combined -> ... test").
            assert abs(float(np.mean(acc))) < 0.03, (test.name, prevalence)
            em = [estimate_share(p, model) for p in samples]
            # EM over-counts the small Instagram test file at 30 % (+5.4 points measured).
            assert abs(float(np.mean([e.share for e in em])) - prevalence) < 0.065, (test.name, prevalence)


@pytest.mark.realdata
def test_shipped_model_on_real_genuine_accounts_it_never_saw(shared_data: Path) -> None:
    """700 real, all-genuine Instagram accounts (instafake, evaluation only): no fakes to find."""
    genuine = load_instafake_genuine(shared_data / "engagement" / "instagram_nonautomated_accounts.json")
    assert len(genuine) == 700 and genuine.labels.sum() == 0
    model = load_model()
    probs = model.proba_from_primitives(genuine.primitives)
    whole = estimate_share(probs, model)
    # Measured 0.1 % [0.0 %, 7.0 %] (docs/audience.md; the upper end carries the t-scaled
    # transfer error of three held-out sets): the interval holds the truth, 0.
    assert whole.low == 0.0 and whole.share < 0.02 and whole.high < 0.08
    rng = np.random.default_rng(1)
    shares = [estimate_share(probs[rng.choice(700, 200)], model) for _ in range(50)]
    assert np.mean([s.low == 0.0 for s in shares]) >= 0.9
