"""Profile features of audience members, computed the same way from every source.

Two stages. *Primitives* are the facts a profile states, in the units the Instagram
labelled set uses (``nums/length username``, ``fullname words``...): every source is
mapped onto them, raw profiles by :func:`primitives_from_profiles`, the public labelled
sets by ``covey.audience.datasets``. The *design* features are what the model sees:
log counts and log ratios that mean the same on Instagram and Twitter, plus a few
thresholds the vendors publish (mass following > 1,500 accounts). Unknown stays NaN
here; the model imputes it as "no evidence either way".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Primitives = dict[str, np.ndarray]

# Facts about one profile; float64, NaN where unknown, booleans as 0/1.
PRIMITIVES: tuple[str, ...] = (
    "followers",
    "following",
    "posts",
    "has_profile_pic",
    "is_private",
    "has_external_url",
    "username_length",
    "username_digit_ratio",
    "fullname_words",
    "fullname_digit_ratio",
    "name_equals_username",
    "bio_length",
    "account_age_days",
)

# Columns of the canonical audience_samples table that features are computed from.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "username",
    "followers",
    "following",
    "posts",
    "has_profile_pic",
    "is_private",
)
OPTIONAL_COLUMNS: tuple[str, ...] = ("bio", "full_name", "external_url", "created_at", "sampled_at")

# Following more than this many accounts is "mass following" (the vendors' reachability cut).
MASS_FOLLOWING = 1500

# Design features: name -> (group used for reasons, short description).
FEATURES: dict[str, tuple[str, str]] = {
    "log_followers": ("audience", "log(1 + followers)"),
    "log_following": ("audience", "log(1 + following)"),
    "log_following_per_follower": ("audience", "log(1 + following) - log(1 + followers)"),
    "mass_following": ("audience", f"follows more than {MASS_FOLLOWING:,} accounts"),
    "log_posts": ("posts", "log(1 + posts)"),
    "no_posts": ("posts", "has published no post"),
    "no_profile_pic": ("picture", "no profile picture"),
    "is_private": ("private", "private profile"),
    "no_external_url": ("url", "no link on the profile"),
    "username_digit_ratio": ("username", "share of digits in the username"),
    "username_length": ("username", "username length, capped at 30"),
    "fullname_words": ("full_name", "words in the full name, capped at 5"),
    "no_full_name": ("full_name", "empty full name"),
    "fullname_digit_ratio": ("full_name", "share of digits in the full name"),
    "name_equals_username": ("full_name", "full name equals the username"),
    "log_bio_length": ("bio", "log(1 + characters in the bio)"),
    "empty_bio": ("bio", "empty bio"),
    "log_account_age_years": ("age", "log(1 + account age in years)"),
}
FEATURE_NAMES: tuple[str, ...] = tuple(FEATURES)

# Parts of a profile a source may not give at all (Instagram exports have no account age,
# some have no bios). A model that imputes such a feature at its mean is not calibrated for
# profiles that lack it: the other coefficients were fitted knowing it. So a model carries a
# variant fitted without each such part and each pair of them; a profile is scored by the
# variant of what it lacks. Keyed by the feature whose NaN marks the part as unknown.
OPTIONAL_PARTS: dict[str, tuple[str, ...]] = {
    "age": ("log_account_age_years",),
    "bio": ("log_bio_length", "empty_bio"),
    "url": ("no_external_url",),
    "full_name": ("fullname_words", "no_full_name", "fullname_digit_ratio", "name_equals_username"),
    "username_length": ("username_length",),
}


def missing_parts(x: np.ndarray, features: tuple[str, ...] | list[str] = FEATURE_NAMES) -> np.ndarray:
    """Bit mask per row of the :data:`OPTIONAL_PARTS` it lacks (bit i = i-th part), from design rows."""
    mask = np.zeros(len(x), dtype=np.int64)
    for bit, part in enumerate(OPTIONAL_PARTS.values()):
        if part[0] in features:
            mask |= np.isnan(x[:, list(features).index(part[0])]).astype(np.int64) << bit
    return mask


def parts_key(mask: int) -> str:
    """The parts a bit mask names, as "age+bio" ('' for none)."""
    return "+".join(name for bit, name in enumerate(OPTIONAL_PARTS) if mask >> bit & 1)


def parts_mask(key: str) -> int:
    """The inverse of :func:`parts_key`."""
    names = list(OPTIONAL_PARTS)
    return sum(1 << names.index(name) for name in key.split("+") if name)


# Variants are fitted for up to this many missing parts at once; a profile lacking more is
# scored by the variant of the parts listed first, the rest imputed at the training mean.
MAX_MISSING_PARTS = 2


def variant_masks() -> list[int]:
    """Bit masks of every variant a model carries: each part alone and each pair (not 'none')."""
    n = len(OPTIONAL_PARTS)
    return [m for m in range(1, 1 << n) if m.bit_count() <= MAX_MISSING_PARTS]


def choose_variant(mask: int, available: list[int] | set[int]) -> int:
    """The variant for a profile lacking the parts in ``mask``: the largest available subset of it."""
    fits = [v for v in available if v & ~mask == 0]
    return max(fits, key=lambda v: (v.bit_count(), -v), default=0)


def features_without(mask: int, features: tuple[str, ...] | list[str] = FEATURE_NAMES) -> tuple[str, ...]:
    """``features`` minus those of the parts in ``mask``."""
    dropped = {f for bit, part in enumerate(OPTIONAL_PARTS.values()) if mask >> bit & 1 for f in part}
    return tuple(f for f in features if f not in dropped)


def _flag(condition: np.ndarray, known: np.ndarray) -> np.ndarray:
    """0/1 where ``known``, NaN elsewhere."""
    return np.where(known, condition.astype(np.float64), np.nan)


def design_matrix(prims: Mapping[str, np.ndarray]) -> np.ndarray:
    """The model's input: one row per profile, one column per :data:`FEATURE_NAMES`; NaN = unknown."""
    n = len(prims["followers"])
    get = {k: np.asarray(prims.get(k, np.full(n, np.nan)), dtype=np.float64) for k in PRIMITIVES}
    with np.errstate(invalid="ignore"):
        followers = np.log1p(np.clip(get["followers"], 0, None))
        following = np.log1p(np.clip(get["following"], 0, None))
        posts = get["posts"]
        words = get["fullname_words"]
        bio = get["bio_length"]
        cols = {
            "log_followers": followers,
            "log_following": following,
            "log_following_per_follower": following - followers,
            "mass_following": _flag(get["following"] > MASS_FOLLOWING, ~np.isnan(get["following"])),
            "log_posts": np.log1p(np.clip(posts, 0, None)),
            "no_posts": _flag(posts <= 0, ~np.isnan(posts)),
            "no_profile_pic": 1.0 - get["has_profile_pic"],
            "is_private": get["is_private"],
            "no_external_url": 1.0 - get["has_external_url"],
            "username_digit_ratio": get["username_digit_ratio"],
            "username_length": np.minimum(get["username_length"], 30.0),
            "fullname_words": np.minimum(words, 5.0),
            "no_full_name": _flag(words <= 0, ~np.isnan(words)),
            "fullname_digit_ratio": get["fullname_digit_ratio"],
            "name_equals_username": get["name_equals_username"],
            "log_bio_length": np.log1p(np.clip(bio, 0, None)),
            "empty_bio": _flag(bio <= 0, ~np.isnan(bio)),
            "log_account_age_years": np.log1p(np.clip(get["account_age_days"], 0, None) / 365.25),
        }
    return np.column_stack([cols[name] for name in FEATURE_NAMES])


def _column(profiles: pa.Table | Mapping[str, Any], name: str) -> pa.Array | None:
    if isinstance(profiles, pa.Table):
        if name not in profiles.column_names:
            return None
        return profiles.column(name).combine_chunks()
    if name not in profiles:
        return None
    value = profiles[name]
    if isinstance(value, pa.ChunkedArray):
        return value.combine_chunks()
    if isinstance(value, pa.Array):
        return value
    arr = np.asarray(value)
    if arr.dtype.kind in "fiub":
        # NaN in a float array means unknown, as a null would.
        return pa.array(arr, from_pandas=True)
    return pa.array(arr.tolist())


def _numbers(col: pa.Array | None, n: int) -> np.ndarray:
    if col is None:
        return np.full(n, np.nan)
    if pa.types.is_boolean(col.type):
        col = pc.cast(col, pa.int8())
    return np.asarray(pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)


def _text(col: pa.Array | None) -> pa.Array | None:
    """A text column as the model reads it: absent or all-null is unknown, else null means empty.

    Platforms and exporters leave out a bio or a link the profile does not have, so a null
    in a column that holds values elsewhere is an empty value; a column nobody filled (a
    source that never reads bios) is unknown rather than "everyone has an empty bio".
    """
    if col is None or col.null_count == len(col):
        return None
    return pc.fill_null(pc.cast(col, pa.string()), "")


def _text_stats(
    col: pa.Array | None, n: int, *, digits: bool = False, words: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Length and, if asked, digit and word counts of a text column; NaN where unknown.

    Regex counts are the costly part at millions of rows, so only the asked ones run.
    """
    nan = np.full(n, np.nan)
    if col is None:
        return nan, nan, nan
    col = pc.cast(col, pa.string())
    length = _numbers(pc.utf8_length(col), n)
    n_digits = _numbers(pc.count_substring_regex(col, pattern=r"[0-9]"), n) if digits else nan
    n_words = _numbers(pc.count_substring_regex(col, pattern=r"\S+"), n) if words else nan
    return length, n_digits, n_words


def _days(col: pa.Array | None, n: int) -> np.ndarray:
    """Days since 1970-01-01 of a date or timestamp column (NaN where unknown)."""
    if col is None:
        return np.full(n, np.nan)
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        col = pc.cast(pc.utf8_slice_codeunits(col, 0, 10), pa.date32())
    if pa.types.is_timestamp(col.type):
        # Sub-second precision is noise at a scale of days; truncate instead of refusing it.
        col = pc.cast(col, pa.timestamp("s", tz=col.type.tz), safe=False)
        seconds = _numbers(pc.cast(col, pa.int64()), n)
        return seconds / 86400.0
    return _numbers(pc.cast(pc.cast(col, pa.date32()), pa.int32()), n)


def primitives_from_profiles(
    profiles: pa.Table | Mapping[str, Any], *, as_of: np.datetime64 | None = None
) -> Primitives:
    """Primitives of raw profiles with the canonical ``audience_samples`` column names.

    ``profiles`` is a pyarrow Table or a mapping of column name to array. Absent columns
    and null counts or flags are unknown (NaN). In ``full_name``, ``bio`` and
    ``external_url`` a null is an empty value (no bio) unless the whole column is null,
    which is unknown. Account age is counted to ``sampled_at`` where given, else to
    ``as_of`` (default: today, UTC).
    """
    cols = {name: _column(profiles, name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    lengths = {len(c) for c in cols.values() if c is not None}
    if len(lengths) > 1:
        raise ValueError(f"profile columns have different lengths: {sorted(lengths)}")
    n = lengths.pop() if lengths else 0
    # The username is an identifier, not free text: a null one stays unknown.
    for name in ("full_name", "bio", "external_url"):
        cols[name] = _text(cols[name])

    u_len, u_digits, _ = _text_stats(cols["username"], n, digits=True)
    f_len, f_digits, f_words = _text_stats(cols["full_name"], n, digits=True, words=True)
    b_len, _, _ = _text_stats(cols["bio"], n)
    url_len, _, _ = _text_stats(cols["external_url"], n)

    same_name = np.full(n, np.nan)
    if cols["username"] is not None and cols["full_name"] is not None:
        user = pc.utf8_lower(pc.cast(cols["username"], pa.string()))
        name = pc.utf8_lower(pc.utf8_trim_whitespace(pc.cast(cols["full_name"], pa.string())))
        same_name = _numbers(pc.equal(user, name), n)

    created = _days(cols["created_at"], n)
    today = as_of if as_of is not None else np.datetime64("today", "D")
    reference = np.full(n, float(today.astype("datetime64[D]").astype(np.int64)))
    sampled = _days(cols["sampled_at"], n)
    reference = np.where(np.isnan(sampled), reference, np.floor(sampled))

    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "followers": _numbers(cols["followers"], n),
            "following": _numbers(cols["following"], n),
            "posts": _numbers(cols["posts"], n),
            "has_profile_pic": _numbers(cols["has_profile_pic"], n),
            "is_private": _numbers(cols["is_private"], n),
            "has_external_url": np.where(np.isnan(url_len), np.nan, (url_len > 0).astype(np.float64)),
            "username_length": u_len,
            "username_digit_ratio": np.where(u_len > 0, u_digits / u_len, np.where(u_len == 0, 0.0, np.nan)),
            "fullname_words": f_words,
            "fullname_digit_ratio": np.where(f_len > 0, f_digits / f_len, np.where(f_len == 0, 0.0, np.nan)),
            "name_equals_username": same_name,
            "bio_length": b_len,
            "account_age_days": reference - created,
        }


def concat_primitives(parts: list[Primitives]) -> Primitives:
    """Stack the primitives of several sources row-wise (absent names become NaN)."""
    out: Primitives = {}
    for name in PRIMITIVES:
        out[name] = np.concatenate([p.get(name, np.full(len(p["followers"]), np.nan)) for p in parts]).astype(
            np.float64
        )
    return out


def take_primitives(prims: Primitives, index: np.ndarray) -> Primitives:
    """Rows ``index`` of every primitive."""
    return {name: values[index] for name, values in prims.items()}
