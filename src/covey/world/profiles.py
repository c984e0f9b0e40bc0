"""Follower profiles, real and fake, drawn from distributions calibrated on labelled accounts.

``profile_calibration.json`` holds what was measured on the real labelled data in
``../shared/data/labelled-accounts`` (summary statistics only, no rows, with their provenance):
per class, quantiles (at 0 %, 5 %, ..., 100 %) and rates of the Instagram fake/genuine set
(696 accounts), account ages at the crawl date from Cresci et al. 2015, and a Gaussian-copula
correlation matrix over the Instagram features (:func:`fit_copula`). :func:`write_calibration`
refits it; tests check that the stored figures still match the data.

Sampling draws correlated normals per class, maps them to uniforms and inverts each empirical
CDF (linear between quantiles): marginals and rank correlations are the real ones, so a
genuine person with no picture, few followers and no posts is as rare as among real people.
The classes overlap as they do in the data and no single rule separates them.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from covey.world.textops import Pool, join, where

QUANTILE_LEVELS = np.linspace(0.0, 1.0, 21)
CALIBRATION_FILE = "profile_calibration.json"

# The copula's coordinates, in the order of the stored matrices. Account age
# comes from another dataset (Cresci 2015, Twitter) and stays independent of them.
COPULA_FEATURES = (
    "log_followers",
    "log_following",
    "log_posts",
    "bio_length",
    "username_digits",
    "name_words",
    "profile_pic",
    "private",
    "external_url",
)
_QUANTILE_FEATURES = COPULA_FEATURES[:5]
_RATE_FEATURES = COPULA_FEATURES[6:]

_BIO_FRAGMENTS = [
    "coffee lover",
    "mum of 2",
    "dog person",
    "🌱",
    "Dublin | Lisbon",
    "runner",
    "student",
    "nurse 👩‍⚕️",
    "living my best life",
    "✨",
    "photography",
    "book worm 📚",
    "she/her",
    "travel addict ✈️",
    "🇧🇷",
    "foodie",
    "gamer",
    "teacher",
    "chronic illness warrior",
    "DM for collabs",
    "🇬🇧",
    "yoga",
    "music",
]


def _bio_pool() -> tuple[pa.Array, np.ndarray]:
    """Bios of every length from 1 to ~150 characters, sorted by length."""
    rng = np.random.default_rng(7)  # fixed: the pool is part of the vocabulary, not of a world
    bios: set[str] = set(_BIO_FRAGMENTS)
    for k in (2, 3, 4, 5, 6):
        for _ in range(120):
            parts = rng.choice(len(_BIO_FRAGMENTS), size=k, replace=False)
            bios.add(" | ".join(_BIO_FRAGMENTS[i] for i in parts))
    ordered = sorted(bios, key=lambda s: (len(s), s))
    return pa.array(ordered, type=pa.string()), np.array([len(s) for s in ordered], dtype=np.int64)


_BIOS, _BIO_LENGTHS = _bio_pool()


def load_calibration() -> dict[str, Any]:
    """The stored calibration: ``marginals`` and copula ``correlation`` per class, ``provenance``."""
    text = resources.files("covey.world").joinpath(CALIBRATION_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


_STORED = load_calibration()
# Per class: quantiles of log1p(followers / following / posts), bio length and the username's
# digit share, account age in days; P(0, 1, 2, 3+ words in the full name); yes-rates; among
# one-word full names, the rates of digits in them and of equalling the username, and the
# quantiles of the digit share of full names that have digits.
CALIBRATION: dict[str, dict[str, Any]] = _STORED["marginals"]
# Per class: the copula's correlation matrix over COPULA_FEATURES.
COPULA: dict[str, Any] = {"features": _STORED["features"], "correlation": _STORED["correlation"]}


def _normal_cdf(z: np.ndarray) -> np.ndarray:
    """Standard normal CDF, vectorised without scipy (Abramowitz & Stegun 7.1.26, error < 1.5e-7)."""
    x = np.abs(z) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = 1.0 - poly * np.exp(-x * x)
    return np.asarray(0.5 * (1.0 + np.sign(z) * erf))


def _copula_uniforms(rng: np.random.Generator, cls: str, n: int) -> np.ndarray:
    """(n, features) uniforms whose normal scores have the class's stored correlation."""
    corr = np.asarray(COPULA["correlation"][cls], dtype=np.float64)
    chol = np.linalg.cholesky(corr)
    return _normal_cdf(rng.standard_normal((n, len(COPULA_FEATURES))) @ chol.T)


def _class_features(u: np.ndarray, cls: str) -> dict[str, np.ndarray]:
    """Feature values from copula uniforms: each one monotone in its uniform, so ranks carry over."""
    cal = CALIBRATION[cls]
    out: dict[str, np.ndarray] = {}
    for j, key in enumerate(COPULA_FEATURES):
        if key in _QUANTILE_FEATURES:
            out[key] = np.interp(u[:, j], QUANTILE_LEVELS, np.asarray(cal[key], dtype=np.float64))
        elif key == "name_words":
            out[key] = np.searchsorted(np.cumsum(cal[key]), u[:, j], side="right").clip(0, 3)
        else:
            # "yes" at the top of the uniform, as the fit gives "yes" the higher normal score.
            out[key] = u[:, j] > 1.0 - float(cal[key])
    return out


def _by_class(fake: np.ndarray, key: str) -> np.ndarray:
    """The calibrated value of ``key`` for each row's class."""
    return np.where(fake, float(CALIBRATION["fake"][key]), float(CALIBRATION["genuine"][key]))


def _full_name_digits(
    rng: np.random.Generator, full: pa.Array, words: np.ndarray, fake: np.ndarray, first: pa.Array
) -> pa.Array:
    """One-word full names with digits ("anna1993"), at the real rate and digit share per class.

    Among real accounts digits sit almost only in one-word names (66 of 74), so they are drawn
    there: P(digits | one word) per class, the share of digits from the class's quantiles of
    ``nums/length fullname`` among names that have any (1.0 = digits only).
    """
    n = len(words)
    has = (words == 1) & (rng.random(n) < _by_class(fake, "fullname_digits_one_word"))
    levels_f = np.asarray(CALIBRATION["fake"]["fullname_digit_share"], dtype=np.float64)
    levels_g = np.asarray(CALIBRATION["genuine"]["fullname_digit_share"], dtype=np.float64)
    u = rng.random(n)
    share = np.where(fake, np.interp(u, QUANTILE_LEVELS, levels_f), np.interp(u, QUANTILE_LEVELS, levels_g))
    letters = pc.utf8_length(first).to_numpy(zero_copy_only=False).astype(np.float64)
    only_digits = share >= 0.999
    count = np.where(
        only_digits, rng.integers(4, 9, n), np.round(share * letters / np.maximum(1.0 - share, 1e-9))
    )
    count = np.clip(count, 1, 9).astype(np.int64)
    digits = rng.integers(0, 10**9, size=n) % (10**count) + 10 ** (count - 1)
    digit_text = pc.cast(pa.array(digits), pa.string())
    with_digits = where(only_digits, digit_text, join(first, digit_text))
    return where(has, with_digits, full)


def draw_profiles(
    rng: np.random.Generator,
    fake: np.ndarray,
    language: np.ndarray,
    first_names: Pool,
    last_names: Pool,
    ref_day: int,
) -> dict[str, pa.Array]:
    """One profile per row: fake rows from the fake class, the others from the genuine class.

    ``language`` indexes the name pools; ``ref_day`` is days since 1970 at which ages count.
    Returns Arrow arrays for username, full_name, followers, following, posts,
    has_profile_pic, is_private, bio, external_url and created_at (date32).
    """
    n = len(fake)
    genuine = _class_features(_copula_uniforms(rng, "genuine", n), "genuine")
    fakes = _class_features(_copula_uniforms(rng, "fake", n), "fake")
    cols = {key: np.where(fake, fakes[key], genuine[key]) for key in COPULA_FEATURES}
    levels_g = np.asarray(CALIBRATION["genuine"]["age_days"], dtype=np.float64)
    levels_f = np.asarray(CALIBRATION["fake"]["age_days"], dtype=np.float64)
    age = rng.random(n)
    cols["age_days"] = np.where(
        fake, np.interp(age, QUANTILE_LEVELS, levels_f), np.interp(age, QUANTILE_LEVELS, levels_g)
    )
    words = cols["name_words"]

    first = first_names.pick(rng, language)
    last = last_names.pick(rng, language)
    last2 = last_names.pick(rng, language)
    full = where(words == 0, pa.array([""] * n, type=pa.string()), first)
    full = where(words >= 2, join(first, " ", last), full)
    full = where(words >= 3, join(first, " ", last, "-", last2), full)
    full = _full_name_digits(rng, full, words, fake, first)

    # Username: letters from the name (or random letters for many fakes) plus digits.
    base = pc.utf8_lower(pc.utf8_normalize(join(first, "_", last), "NFKD"))
    base = pc.replace_substring_regex(base, r"[^a-z_]", "")
    letters = pc.utf8_length(base).to_numpy(zero_copy_only=False).astype(np.float64)
    share = np.clip(cols["username_digits"], 0.0, 0.9)
    n_digits = np.minimum(np.round(share * letters / (1.0 - share)), 9).astype(np.int64)
    digits = rng.integers(0, 10**9, size=n) % (10**n_digits) + 10 ** np.maximum(n_digits - 1, 0)
    digit_text = where(n_digits > 0, pc.cast(pa.array(digits), pa.string()), pa.array([""] * n, pa.string()))
    username = join(base, digit_text)

    bio_len = np.round(cols["bio_length"]).astype(np.int64)
    bio_idx = np.minimum(np.searchsorted(_BIO_LENGTHS, bio_len), len(_BIO_LENGTHS) - 1)
    bio = where(bio_len > 0, _BIOS.take(pa.array(bio_idx)), pa.array([""] * n, pa.string()))
    # Some one-word full names are the username itself (6.6 % of real fakes, 0.6 % of genuine).
    same = (words == 1) & (rng.random(n) < _by_class(fake, "name_is_username_one_word"))
    full = where(same, username, full)
    url = pc.if_else(
        pa.array(cols["external_url"]), join("https://linktr.ee/", username), pa.scalar(None, pa.string())
    )

    created = ref_day - np.maximum(np.round(cols["age_days"]), 1).astype(np.int64)
    return {
        "username": username,
        "full_name": full,
        "followers": pa.array(np.round(np.expm1(cols["log_followers"])).astype(np.int64)),
        "following": pa.array(np.round(np.expm1(cols["log_following"])).astype(np.int64)),
        "posts": pa.array(np.round(np.expm1(cols["log_posts"])).astype(np.int64)),
        "has_profile_pic": pa.array(cols["profile_pic"].astype(bool)),
        "is_private": pa.array(cols["private"].astype(bool)),
        "bio": bio,
        "external_url": url,
        "created_at": pa.array(created.astype(np.int32), type=pa.date32()),
    }


def calibrate(labelled_dir: Path) -> dict[str, dict[str, Any]]:
    """Recompute :data:`CALIBRATION` from the labelled-accounts folder (needs pandas)."""
    import pandas as pd

    ig = pd.concat(
        [pd.read_csv(labelled_dir / f"instagram_fake_genuine_{part}.csv") for part in ("train", "test")]
    )
    out: dict[str, dict[str, Any]] = {}
    levels = QUANTILE_LEVELS * 100
    for label, cls, twitter in ((0, "genuine", "humans_e13"), (1, "fake", "fakes_int")):
        g = ig[ig["fake"] == label]
        tw = pd.read_csv(labelled_dir / f"twitter_cresci2015_{twitter}.csv")
        born = pd.to_datetime(tw["created_at"], format="%a %b %d %H:%M:%S %z %Y")
        # Age at the crawl date (``updated``), as covey.audience.datasets maps the same rows:
        # the shipped model learnt what an account's age means at that date.
        crawled = pd.to_datetime(tw["updated"], format="%d-%m-%Y %H.%M").dt.tz_localize("UTC")
        age = np.maximum((crawled - born).dt.total_seconds() / 86400, 1.0)

        def q(x: Any) -> list[float]:
            return [round(float(v), 3) for v in np.percentile(x, levels)]

        words = g["fullname words"].clip(0, 3).value_counts(normalize=True)
        one_word = g[g["fullname words"] == 1]
        name_digits = g.loc[g["nums/length fullname"] > 0, "nums/length fullname"]
        out[cls] = {
            "log_followers": q(np.log1p(g["#followers"])),
            "log_following": q(np.log1p(g["#follows"])),
            "log_posts": q(np.log1p(g["#posts"])),
            "bio_length": q(g["description length"]),
            "username_digits": q(g["nums/length username"]),
            "age_days": [round(v, 1) for v in q(age)],
            "name_words": [round(float(words.get(k, 0.0)), 3) for k in range(4)],
            "profile_pic": round(float(g["profile pic"].mean()), 3),
            "private": round(float(g["private"].mean()), 3),
            "external_url": round(float(g["external URL"].mean()), 3),
            "fullname_digits_one_word": round(float((one_word["nums/length fullname"] > 0).mean()), 3),
            "fullname_digit_share": q(name_digits),
            "name_is_username_one_word": round(float(one_word["name==username"].mean()), 3),
        }
    return out


def _instagram_columns(g: Any) -> np.ndarray:
    """(rows, features) of one class of the Instagram set, in :data:`COPULA_FEATURES` order."""
    return np.column_stack(
        [
            np.log1p(g["#followers"]),
            np.log1p(g["#follows"]),
            np.log1p(g["#posts"]),
            g["description length"],
            g["nums/length username"],
            g["fullname words"].clip(0, 3),
            g["profile pic"],
            g["private"],
            g["external URL"],
        ]
    ).astype(np.float64)


def _tie_aware_scores(x: np.ndarray) -> np.ndarray:
    """Normal scores E[Z | Z in the value's quantile band]: ties share one score, as the copula draws them."""
    values, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    upper = np.cumsum(counts) / len(x)
    lower = upper - counts / len(x)
    normal = NormalDist()

    def density(p: float) -> float:
        return 0.0 if p <= 0.0 or p >= 1.0 else normal.pdf(normal.inv_cdf(p))

    band = np.array([(density(lo) - density(hi)) / (hi - lo) for lo, hi in zip(lower, upper, strict=True)])
    return np.asarray(band[inverse] if len(values) > 1 else np.zeros(len(x)))


def latent_correlation(data: np.ndarray) -> np.ndarray:
    """Correlation of the Gaussian copula behind (rows, features) data with ties and 0/1 columns.

    Each column becomes tie-aware normal scores s; for jointly normal latents,
    cov(s_i, s_j) ~= rho_ij var(s_i) var(s_j) (exact when one column is continuous), which
    undoes the attenuation of coarse columns such as yes/no flags. Constant columns get 0.
    The result is projected to the nearest valid correlation matrix (eigenvalues >= 0.01).
    """
    scores = np.column_stack([_tie_aware_scores(data[:, j]) for j in range(data.shape[1])])
    scores -= scores.mean(axis=0)
    var = (scores**2).mean(axis=0)
    cov = scores.T @ scores / len(scores)
    scale = np.outer(var, var)
    rho = np.divide(cov, scale, out=np.zeros_like(cov), where=scale > 1e-9).clip(-0.99, 0.99)
    np.fill_diagonal(rho, 1.0)
    eigval, eigvec = np.linalg.eigh(rho)
    rho = (eigvec * np.maximum(eigval, 0.01)) @ eigvec.T
    d = np.sqrt(np.diag(rho))
    return np.asarray(rho / np.outer(d, d))


def fit_copula(labelled_dir: Path) -> dict[str, list[list[float]]]:
    """Per class, the copula correlation of the Instagram labelled set (needs pandas)."""
    import pandas as pd

    ig = pd.concat(
        [pd.read_csv(labelled_dir / f"instagram_fake_genuine_{part}.csv") for part in ("train", "test")]
    )
    return {
        cls: np.round(latent_correlation(_instagram_columns(ig[ig["fake"] == label])), 3).tolist()
        for label, cls in ((0, "genuine"), (1, "fake"))
    }


def write_calibration(labelled_dir: Path, path: Path) -> None:
    """Refit marginals and copula on ``labelled_dir`` and write them, with provenance, to ``path``."""
    data = {
        "provenance": (
            "Summary statistics only, no rows. Marginals: quantiles at 0, 5, ..., 100 % and rates per "
            "class of the Instagram fake/genuine labelled set (instagram_fake_genuine_train.csv + "
            "_test.csv, 696 accounts; github DURGESH716/Fake-Instagram-Profile-Detection @7207213, a "
            "Kaggle set, licence not stated); account age at the crawl date from Cresci et al. 2015 "
            "(twitter_cresci2015_humans_e13.csv, _fakes_int.csv; github Bharti-Goyal/FakeTwitterDataset "
            "@e3509f7, research use, cite the paper). Copula: per-class latent correlation of the "
            "Instagram set. Fitted by covey.world.profiles.calibrate and fit_copula."
        ),
        "features": list(COPULA_FEATURES),
        "marginals": calibrate(labelled_dir),
        "correlation": fit_copula(labelled_dir),
    }
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
