"""Follower profiles, real and fake, drawn from distributions calibrated on labelled accounts.

The tables below are quantiles (at 0 %, 5 %, ..., 100 %) and rates measured on the real
labelled data in ``../shared/data/labelled-accounts`` (Instagram fake/genuine, 696 accounts;
account ages from Cresci et al. 2015). :func:`calibrate` recomputes them from those files,
and a test checks that these constants still match. Sampling inverts the empirical CDF
(linear between quantiles), one feature at a time: marginals are real, features are drawn
independently, so the classes overlap as they do in the data and no single rule separates them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from covey.world.textops import Pool, join, where

QUANTILE_LEVELS = np.linspace(0.0, 1.0, 21)

# log1p of counts, and raw description length / username digit share, per class.
CALIBRATION: dict[str, dict[str, Any]] = {
    "genuine": {
        "log_followers": [
            2.303,
            4.374,
            4.786,
            5.095,
            5.303,
            5.485,
            5.708,
            5.909,
            6.035,
            6.197,
            6.36,
            6.564,
            6.658,
            6.836,
            7.035,
            7.302,
            7.647,
            8.333,
            9.497,
            11.868,
            16.546,
        ],
        "log_following": [
            0.0,
            4.002,
            4.609,
            4.936,
            5.161,
            5.447,
            5.625,
            5.808,
            5.897,
            5.994,
            6.084,
            6.192,
            6.281,
            6.369,
            6.459,
            6.546,
            6.807,
            6.961,
            7.106,
            7.668,
            8.923,
        ],
        "log_posts": [
            0.0,
            1.386,
            1.946,
            2.197,
            2.565,
            2.773,
            3.135,
            3.48,
            3.802,
            4.08,
            4.19,
            4.391,
            4.595,
            4.83,
            5.056,
            5.352,
            5.536,
            5.796,
            6.141,
            6.57,
            8.908,
        ],
        "bio_length": [
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            5.0,
            12.0,
            18.8,
            24.0,
            28.5,
            35.0,
            40.4,
            48.55,
            56.0,
            67.25,
            78.0,
            92.9,
            117.9,
            135.95,
            150.0,
        ],
        "username_digits": [0.0] * 16 + [0.066, 0.129, 0.18, 0.29, 0.5],
        "age_days": [
            63.1,
            127.2,
            184.2,
            277.2,
            351.5,
            412.8,
            451.3,
            485.2,
            516.0,
            539.5,
            578.2,
            647.3,
            725.6,
            816.3,
            936.8,
            1045.5,
            1169.4,
            1290.7,
            1391.5,
            1482.8,
            2215.5,
        ],
        "name_words": [0.092, 0.273, 0.511, 0.124],  # P(0, 1, 2, 3+ words in full name)
        "profile_pic": 0.994,
        "private": 0.434,
        "external_url": 0.227,
    },
    "fake": {
        "log_followers": [
            0.0,
            0.0,
            1.609,
            2.202,
            2.639,
            2.833,
            3.091,
            3.237,
            3.497,
            3.689,
            3.795,
            3.912,
            3.974,
            4.16,
            4.357,
            4.538,
            4.828,
            5.118,
            5.429,
            6.312,
            8.018,
        ],
        "log_following": [
            0.0,
            1.099,
            2.079,
            2.773,
            3.135,
            3.296,
            3.584,
            3.748,
            3.912,
            4.174,
            4.344,
            4.52,
            4.849,
            5.094,
            5.4,
            5.718,
            6.064,
            6.544,
            6.77,
            7.554,
            8.917,
        ],
        "log_posts": [0.0] * 11 + [0.693, 0.693, 1.099, 1.386, 1.655, 2.079, 2.398, 3.091, 3.705, 5.704],
        "bio_length": [0.0] * 18 + [6.9, 33.65, 149.0],
        "username_digits": [
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.057,
            0.121,
            0.2,
            0.24,
            0.27,
            0.3,
            0.33,
            0.33,
            0.38,
            0.419,
            0.44,
            0.46,
            0.5,
            0.57,
            0.723,
            0.92,
        ],
        "age_days": [
            1.0,
            63.4,
            66.6,
            303.2,
            306.2,
            307.3,
            308.3,
            308.9,
            309.1,
            309.3,
            309.5,
            309.7,
            309.9,
            310.1,
            310.3,
            310.3,
            310.3,
            310.3,
            310.3,
            310.4,
            1457.7,
        ],
        "name_words": [0.092, 0.724, 0.141, 0.043],
        "profile_pic": 0.428,
        "private": 0.305,
        "external_url": 0.0,
    },
}

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


def _quantile_draw(rng: np.random.Generator, levels: list[float], n: int) -> np.ndarray:
    return np.interp(rng.random(n), QUANTILE_LEVELS, np.asarray(levels, dtype=np.float64))


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
    cols: dict[str, np.ndarray] = {}
    for key in ("log_followers", "log_following", "log_posts", "bio_length", "username_digits", "age_days"):
        g = _quantile_draw(rng, CALIBRATION["genuine"][key], n)
        f = _quantile_draw(rng, CALIBRATION["fake"][key], n)
        cols[key] = np.where(fake, f, g)
    u = rng.random((4, n))

    def rate(key: str, row: int) -> np.ndarray:
        p = np.where(fake, CALIBRATION["fake"][key], CALIBRATION["genuine"][key])
        return np.asarray(u[row] < p)

    words_cdf_g = np.cumsum(CALIBRATION["genuine"]["name_words"])
    words_cdf_f = np.cumsum(CALIBRATION["fake"]["name_words"])
    w = rng.random(n)
    words = np.where(fake, np.searchsorted(words_cdf_f, w), np.searchsorted(words_cdf_g, w)).clip(0, 3)

    first = first_names.pick(rng, language)
    last = last_names.pick(rng, language)
    last2 = last_names.pick(rng, language)
    full = where(words == 0, pa.array([""] * n, type=pa.string()), first)
    full = where(words >= 2, join(first, " ", last), full)
    full = where(words >= 3, join(first, " ", last, "-", last2), full)

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
    url = pc.if_else(
        pa.array(rate("external_url", 0)), join("https://linktr.ee/", username), pa.scalar(None, pa.string())
    )

    created = ref_day - np.maximum(np.round(cols["age_days"]), 1).astype(np.int64)
    return {
        "username": username,
        "full_name": full,
        "followers": pa.array(np.round(np.expm1(cols["log_followers"])).astype(np.int64)),
        "following": pa.array(np.round(np.expm1(cols["log_following"])).astype(np.int64)),
        "posts": pa.array(np.round(np.expm1(cols["log_posts"])).astype(np.int64)),
        "has_profile_pic": pa.array(rate("profile_pic", 1)),
        "is_private": pa.array(rate("private", 2)),
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
    ref = pd.Timestamp("2013-04-30", tz="UTC")  # the newest account in the Cresci data
    out: dict[str, dict[str, Any]] = {}
    levels = QUANTILE_LEVELS * 100
    for label, cls, twitter in ((0, "genuine", "humans_e13"), (1, "fake", "fakes_int")):
        g = ig[ig["fake"] == label]
        tw = pd.read_csv(labelled_dir / f"twitter_cresci2015_{twitter}.csv")
        born = pd.to_datetime(tw["created_at"], format="%a %b %d %H:%M:%S %z %Y")
        age = np.maximum((ref - born).dt.total_seconds() / 86400, 1.0)

        def q(x: Any) -> list[float]:
            return [round(float(v), 3) for v in np.percentile(x, levels)]

        words = g["fullname words"].clip(0, 3).value_counts(normalize=True)
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
        }
    return out
