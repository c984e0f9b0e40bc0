"""Partial worlds: the data shapes real sources give, cut from a full world (``--profile``).

Real users' data rarely has every table filled in. A profile removes, per account, what a
source does not provide; everything else (and the ground truth) stays exactly as in the full
world of the same seed, so the cost of the missing data can be measured:

* ``full``: every table (the default);
* ``youtube``: no follower samples (YouTube lists no subscribers) and no ``following`` count;
* ``instagram-business``: no comment texts (Instagram's business discovery gives counts, not
  comments); follower samples kept, as when they come from a separate audience tool;
* ``spreadsheet``: a hand-kept export: the newest follower count only (no history), posts with
  their counts, no comment texts, no follower samples;
* ``mixed``: each account drawn at random, a quarter each, from the four above.

Which account has which shape is written to ``truth/data_profiles.parquet``.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from covey.errors import InputError

# What each shape keeps: follower samples, comment texts, snapshot history, following counts.
SHAPES: dict[str, dict[str, bool]] = {
    "full": {"samples": True, "comments": True, "history": True, "following": True},
    "youtube": {"samples": False, "comments": True, "history": True, "following": False},
    "instagram-business": {"samples": True, "comments": False, "history": True, "following": True},
    "spreadsheet": {"samples": False, "comments": False, "history": False, "following": True},
}
PROFILES = (*SHAPES, "mixed")
SHAPE_NAMES = tuple(SHAPES)


def check_profile(profile: str) -> str:
    """The profile name, or an InputError listing the known ones."""
    if profile not in PROFILES:
        raise InputError(
            f"unknown world profile {profile!r}; expected one of {', '.join(PROFILES)}", field="profile"
        )
    return profile


def account_shapes(profile: str, seed: int, n_accounts: int) -> np.ndarray:
    """Index into :data:`SHAPE_NAMES` of each account's data shape (deterministic from the seed)."""
    check_profile(profile)
    if profile != "mixed":
        return np.full(n_accounts, SHAPE_NAMES.index(profile), dtype=np.int64)
    # A stream of its own: the full world's draws are untouched.
    rng = np.random.default_rng([seed, 91])
    return rng.integers(0, len(SHAPE_NAMES), n_accounts).astype(np.int64)


def keeps(shapes: np.ndarray, what: str) -> np.ndarray:
    """Per account: does its shape keep ``what`` ('samples', 'comments', 'history', 'following')?"""
    table = np.array([SHAPES[name][what] for name in SHAPE_NAMES])
    result: np.ndarray = table[shapes]
    return result


def _mask(account_ids: pa.Array, kept_ids: pa.Array) -> pa.Array:
    return pc.is_in(account_ids, value_set=kept_ids)


def cut_rows(table: pa.Table, acct_ids: pa.Array, shapes: np.ndarray, what: str) -> pa.Table:
    """Rows of ``table`` (with an account_id column) whose account's shape keeps ``what``."""
    keep = keeps(shapes, what)
    if keep.all():
        return table
    kept_ids = acct_ids.filter(pa.array(keep))
    return table.filter(_mask(table["account_id"].cast(pa.string()), kept_ids))


def cut_comments(comments: pa.Table, posts: pa.Table, acct_ids: pa.Array, shapes: np.ndarray) -> pa.Table:
    """Comments under posts of accounts whose shape keeps comment texts."""
    keep = keeps(shapes, "comments")
    if keep.all():
        return comments
    kept_ids = acct_ids.filter(pa.array(keep))
    kept_posts = posts["post_id"].filter(_mask(posts["account_id"].cast(pa.string()), kept_ids))
    return comments.filter(pc.is_in(comments["post_id"], value_set=kept_posts))


def cut_snapshots(snaps: pa.Table, acct_ids: pa.Array, shapes: np.ndarray) -> pa.Table:
    """Snapshots as each shape has them: the newest only without history; no following count
    where the source gives none."""
    no_history = ~keeps(shapes, "history")
    if no_history.any():
        ids = snaps["account_id"].cast(pa.string())
        flat = _mask(ids, acct_ids.filter(pa.array(no_history)))
        # The newest read of each account: its taken_at equals the account's maximum.
        newest = (
            pa.table({"account_id": ids, "taken_at": snaps["taken_at"]})
            .group_by("account_id")
            .aggregate([("taken_at", "max")])
        )
        key = pc.binary_join_element_wise(ids, snaps["taken_at"].cast(pa.string()), "|")
        newest_key = pc.binary_join_element_wise(
            newest["account_id"], newest["taken_at_max"].cast(pa.string()), "|"
        )
        is_newest = pc.is_in(key, value_set=newest_key)
        snaps = snaps.filter(pc.or_(pc.invert(flat), is_newest))
    no_following = ~keeps(shapes, "following")
    if no_following.any():
        ids = snaps["account_id"].cast(pa.string())
        drop = _mask(ids, acct_ids.filter(pa.array(no_following)))
        following = snaps["following"]
        snaps = snaps.set_column(
            snaps.schema.get_field_index("following"),
            snaps.schema.field("following"),
            pc.if_else(drop, pa.scalar(None, following.type), following),
        )
    return snaps


def shapes_table(acct_ids: pa.Array, shapes: np.ndarray) -> pa.Table:
    """truth/data_profiles.parquet: account_id and its data shape."""
    return pa.table(
        {"account_id": acct_ids, "shape": pa.array(np.array(SHAPE_NAMES, dtype=object)[shapes], pa.string())}
    )
