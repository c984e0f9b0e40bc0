"""Why a profile was scored as it was: the features that moved it most, in words.

Each feature's contribution to the calibrated log-odds (relative to an average training
profile) is summed by group (audience, posts, picture...). The groups that pushed hardest
towards the decision are described by the profile's own values, e.g. "follows 4,200
accounts, has 12 followers". Choosing the groups is vectorised; only the words for the
chosen ones are formatted.
"""

from __future__ import annotations

import math

import numpy as np

from covey.audience.features import FEATURES, Primitives
from covey.audience.model import AudienceModel

GROUPS: tuple[str, ...] = tuple(dict.fromkeys(group for group, _ in FEATURES.values()))
# A group must move the log-odds at least this much to be named.
MIN_EFFECT = 0.25


def _count(value: float) -> str:
    # An empty cell is unknown (NaN), not zero: say so rather than fail on int(nan).
    return "an unknown number of" if math.isnan(value) else f"{int(value):,}"


def _phrase(group: str, p: dict[str, float]) -> str:
    if group == "audience":
        return f"follows {_count(p['following'])} accounts, has {_count(p['followers'])} followers"
    if group == "posts":
        return "no posts" if p["posts"] == 0 else f"{_count(p['posts'])} posts"
    if group == "picture":
        return "no profile picture" if p["has_profile_pic"] == 0 else "has a profile picture"
    if group == "private":
        return "private profile" if p["is_private"] == 1 else "public profile"
    if group == "url":
        return "no link on the profile" if p["has_external_url"] == 0 else "has a link on the profile"
    if group == "username":
        text = f"username {p['username_digit_ratio']:.0%} digits"
        if not math.isnan(p["username_length"]):
            text += f", {int(p['username_length'])} characters"
        return text
    if group == "full_name":
        if p["name_equals_username"] == 1:
            return "full name equals the username"
        if p["fullname_words"] == 0:
            return "no full name"
        if p["fullname_digit_ratio"] > 0:
            return f"full name {p['fullname_digit_ratio']:.0%} digits"
        return f"full name of {int(p['fullname_words'])} word(s)"
    if group == "bio":
        return "empty bio" if p["bio_length"] == 0 else f"bio of {_count(p['bio_length'])} characters"
    if group == "age":
        return f"account {_count(p['account_age_days'])} days old"
    raise KeyError(group)


def group_contributions(model: AudienceModel, prims: Primitives) -> np.ndarray:
    """(profiles x GROUPS) contributions to the log-odds of being fake."""
    per_feature = model.contributions(prims)
    out = np.zeros((per_feature.shape[0], len(GROUPS)))
    for j, name in enumerate(model.features):
        out[:, GROUPS.index(FEATURES[name][0])] += per_feature[:, j]
    return out


def explain(model: AudienceModel, prims: Primitives, is_fake: np.ndarray, top: int = 2) -> list[str]:
    """For each profile, the ``top`` groups that pushed it towards its decision, joined by "; "."""
    contrib = group_contributions(model, prims)
    # Towards fake for flagged profiles, towards genuine for the others.
    signed = np.where(np.asarray(is_fake, dtype=bool)[:, None], contrib, -contrib)
    order = np.argsort(-signed, axis=1)[:, :top]
    strength = np.take_along_axis(signed, order, axis=1)
    chosen = np.where(strength >= MIN_EFFECT, order, -1)
    names = list(prims)
    values = np.column_stack([prims[k] for k in names])
    reasons: list[str] = []
    for i in range(len(chosen)):
        row = dict(zip(names, values[i].tolist(), strict=True))
        reasons.append("; ".join(_phrase(GROUPS[g], row) for g in chosen[i] if g >= 0))
    return reasons
