"""A real audience: estimated fake-follower share with a 95 % interval, and reachability.

Both are measured on the sampled followers in ``audience_samples`` (relation 'follower'):

* ``fake_share``: share of sampled followers the audience classifier judges fake, with a
  95 % interval from the sample size (Wilson score interval unless the classifier's own
  ``estimate_share`` gives one) and, from the classifier, the part of it the sample size
  alone explains (``fake_sampling_low/high``, what ``covey.audience.describe_precision``
  reads; null for the fallback, whose own errors are not measured);
* ``reachable_share``: share of sampled followers (with a known following count) who follow
  fewer than 1,500 accounts, so that they still see posts.

The classifier is ``covey.audience`` when installed. Until that module lands, a clearly
separated fallback (:func:`rule_fake_flags`) counts the warning signs vendors publish.
"""

from __future__ import annotations

import logging
from typing import Any

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from ibis import _

from covey.model import AUDIENCE
from covey.signals.backend import Sources

log = logging.getLogger("covey.signals.audience")

REACHABLE_FOLLOWING = 1_500
Z95 = 1.959963984540054
EVIDENCE_FOLLOWERS = 5
FAKE_SHARE_SCHEMA = pa.schema(
    [("account_id", pa.string()), ("fake_share", pa.float64()), ("fake_low", pa.float64()),
     ("fake_high", pa.float64()), ("fake_n", pa.int64()), ("fake_method", pa.string()),
     ("fake_sampling_low", pa.float64()), ("fake_sampling_high", pa.float64())]
)  # fmt: skip


def followers_sample(src: Sources) -> ibis.Table:
    """The sampled followers (one row per account and member)."""
    return src.audience.filter(_.relation == "follower")


def reachability(src: Sources) -> ibis.Table:
    """account_id, audience_n (sampled followers), reachable_share and reachable_n."""
    s = followers_sample(src)
    known = s.following.notnull()
    agg = s.group_by("account_id").aggregate(
        audience_n=_.member_id.count(),
        reachable_n=known.sum(),
        reachable_hits=(known & (s.following < REACHABLE_FOLLOWING)).sum(),
    )
    return agg.mutate(
        reachable_share=ibis.ifelse(
            agg.reachable_n > 0, agg.reachable_hits.cast("float64") / agg.reachable_n.cast("float64"), None
        )
    ).drop("reachable_hits")


# --- fallback classifier, used only while covey.audience is absent ------------------------

# Fewest sampled followers the fallback gives a share from: covey.audience.share.MIN_PROFILES,
# restated because the fallback runs when that package cannot load (a test keeps them equal).
FALLBACK_MIN_PROFILES = 20
RULE_SIGNS_FOR_FAKE = 3


def rule_fake_flags(src: Sources) -> ibis.Table:
    """account_id, member_id, is_fake by counting published warning signs (fallback only).

    Signs: no profile picture; following > 1,500; following > 10x followers; no posts;
    empty bio; three or more digits in the username. Three or more signs -> fake.
    """
    s = followers_sample(src)
    signs = (
        (~s.has_profile_pic.fill_null(True)).cast("int64")
        + (s.following.fill_null(0) > REACHABLE_FOLLOWING).cast("int64")
        + (s.following.fill_null(0) > 10 * s.followers.fill_null(0) + 10).cast("int64")
        + (s.posts.fill_null(1) == 0).cast("int64")
        + (s.bio.fill_null("").strip().length() == 0).cast("int64")
        + s.username.fill_null("").re_search(r"[0-9].*[0-9].*[0-9]").cast("int64")
    )
    return s.select("account_id", "member_id", is_fake=signs >= RULE_SIGNS_FOR_FAKE)


def wilson(hits: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """95 % Wilson score interval for hits out of n (vectorised; n = 0 gives NaN)."""
    n_f = n.astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = hits / n_f
        denom = 1 + Z95**2 / n_f
        centre = (p + Z95**2 / (2 * n_f)) / denom
        half = Z95 * np.sqrt(p * (1 - p) / n_f + Z95**2 / (4 * n_f**2)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def _classifier() -> tuple[Any, Any] | None:
    """(covey.audience module, loaded model), or None while that module is not usable yet."""
    try:
        import importlib

        module = importlib.import_module("covey.audience")
        return module, module.load_model()
    except Exception as exc:  # any failure: missing module, missing shipped model file
        log.warning("audience classifier unavailable (%s); using the rule-of-signs fallback", exc)
        return None


# Follower rows classified at once. The classifier's features cost about 0.4 KB per row at
# their peak (measured), so a batch stays near 200 MB whatever the number of accounts; an
# account is never split between batches (its share is estimated from all its followers).
BATCH_ROWS = 500_000
# Text columns whose nulls the classifier reads as empty values when the column holds a
# value anywhere, and as unknown when nobody filled it (covey.audience.features._text).
_TEXT_COLUMNS = ("full_name", "bio", "external_url")


def _account_ranges(src: Sources, s: ibis.Table, batch_rows: int) -> list[tuple[str, str]]:
    """(first, last) account_id of consecutive account ranges of about ``batch_rows`` sampled
    followers each, in the backend's order of account_id; an account is never split."""
    counts = src.to_pyarrow(s.group_by("account_id").aggregate(n=_.count()).order_by("account_id"))
    if counts.num_rows == 0:
        return []
    n = np.asarray(counts["n"].to_numpy(zero_copy_only=False), dtype=np.int64)
    # An account goes to the batch its first follower row falls in.
    batch = (np.cumsum(n) - n) // max(batch_rows, 1)
    firsts = np.flatnonzero(np.r_[True, batch[1:] != batch[:-1]])
    lasts = np.r_[firsts[1:] - 1, len(n) - 1]
    ids = counts["account_id"]
    return [(str(ids[int(a)].as_py()), str(ids[int(b)].as_py())) for a, b in zip(firsts, lasts, strict=True)]


def _classifier_input(src: Sources, s: ibis.Table) -> ibis.Table:
    """The followers sample as the classifier reads it, with the rule for text nulls decided
    over the whole sample, so that a batch of accounts gets the features it would get in one
    pass over every account (a batch whose bios are all null is not "no bios known")."""
    cols = s.select(*AUDIENCE.column_names)
    filled = src.execute(cols.aggregate(**{c: cols[c].count() for c in _TEXT_COLUMNS}))
    fill = {c: cols[c].fill_null("") for c in _TEXT_COLUMNS if int(filled[c].iloc[0]) > 0}
    return cols.mutate(**fill) if fill else cols


def _runs(ids: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Start offsets of the runs of equal values of a sorted column, plus its length at the end."""
    ids = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
    n = len(ids)
    if n == 0:
        return np.zeros(1, dtype=np.int64)
    change = np.asarray(pc.not_equal(ids.slice(1), ids.slice(0, n - 1)).to_numpy(zero_copy_only=False))
    return np.concatenate([[0], np.flatnonzero(change) + 1, [n]]).astype(np.int64)


def fake_share(
    src: Sources,
    *,
    classifier: str = "auto",
    evidence: list[pa.Table] | None = None,
    batch_rows: int = BATCH_ROWS,
    transfer: bool = True,
) -> pa.Table:
    """account_id, fake_share, fake_low, fake_high, fake_n, fake_method and the sampling part of
    the interval (fake_sampling_low, fake_sampling_high) per sampled account.

    ``transfer`` widens the classifier's interval by how far its estimate moved on labelled
    sets it had not seen (what users are shown); False keeps the sampling-only interval.

    ``classifier`` is 'auto' (covey.audience when usable, else the fallback) or 'rules'. When
    ``evidence`` is a list, the classifier appends evidence rows to it: per account, up to
    ``EVIDENCE_FOLLOWERS`` flagged followers most likely fake, with the reasons. The classifier
    reads the sample in ranges of accounts of about ``batch_rows`` followers (memory is bounded
    by the batch, not by the number of accounts); the result does not depend on ``batch_rows``.
    """
    found = _classifier() if classifier == "auto" else None
    if found is None:
        flags = rule_fake_flags(src)
        agg = flags.group_by("account_id").aggregate(
            fake_n=_.member_id.count(), fake_hits=_.is_fake.cast("int64").sum()
        )
        table = src.to_pyarrow(agg.order_by("account_id"))
        hits = table["fake_hits"].to_numpy(zero_copy_only=False).astype("float64")
        n = table["fake_n"].to_numpy(zero_copy_only=False)
        low, high = wilson(hits, n)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = hits / n
        # As the classifier: too few profiles give no figure (unknown, never 0 % or 100 %).
        unknown = n < FALLBACK_MIN_PROFILES
        return pa.table(
            {
                "account_id": table["account_id"],
                "fake_share": pa.array(share, mask=unknown),
                "fake_low": pa.array(low, mask=unknown),
                "fake_high": pa.array(high, mask=unknown),
                "fake_n": n,
                "fake_method": pa.array(["rule-of-signs fallback, Wilson 95 %"] * len(n)),
                # The rule's own errors are not measured, so its interval is not split into parts.
                "fake_sampling_low": pa.nulls(len(n), pa.float64()),
                "fake_sampling_high": pa.nulls(len(n), pa.float64()),
            },
            schema=FAKE_SHARE_SCHEMA,
        )
    module, model = found
    s = followers_sample(src)
    profiles = _classifier_input(src, s)
    parts: list[pa.Table] = []
    for first, last in _account_ranges(src, s, batch_rows):
        batch = profiles.filter((profiles.account_id >= first) & (profiles.account_id <= last))
        # Ordered by member too, so ties between equally likely fakes fall the same way every run.
        sample = src.to_pyarrow(batch.order_by(["account_id", "member_id"]))
        proba = np.asarray(model.predict_proba(sample), dtype="float64")
        bounds = _runs(sample["account_id"])
        parts.append(_estimates(module, model, sample["account_id"], proba, bounds, transfer))
        if evidence is not None and len(bounds) > 1:
            evidence.append(_likely_fakes(sample, proba, bounds, model))
        del sample, proba
    # Typed even when no account has a sample: an all-null column would have no type downstream.
    return pa.concat_tables([FAKE_SHARE_SCHEMA.empty_table(), *parts])


def _estimates(
    module: Any,
    model: Any,
    ids: pa.ChunkedArray,
    proba: np.ndarray,
    bounds: np.ndarray,
    transfer: bool = True,
) -> pa.Table:
    """One row of FAKE_SHARE_SCHEMA per account of a batch (rows sorted by account)."""
    k = len(bounds) - 1
    share, low, high = np.empty(k), np.empty(k), np.empty(k)
    s_low, s_high = np.empty(k), np.empty(k)
    n = np.empty(k, dtype=np.int64)
    methods: list[str] = []
    # One call per account (not per follower): the classifier's own estimator gives the interval.
    for i in range(k):
        est = module.estimate_share(proba[bounds[i] : bounds[i + 1]], model, transfer=transfer)
        share[i], low[i], high[i], n[i] = est.share, est.low, est.high, est.n
        s_low[i], s_high[i] = est.sampling_low, est.sampling_high
        methods.append(f"covey.audience classifier ({est.method})")
    # Too few sampled followers: the estimator says unknown (NaN), which must be null here
    # (in DuckDB NaN sorts above every number).
    unknown = np.isnan(share)
    return pa.table(
        {
            "account_id": ids.take(pa.array(bounds[:-1], pa.int64())).cast(pa.string()),
            "fake_share": pa.array(share, mask=unknown),
            "fake_low": pa.array(low, mask=unknown),
            "fake_high": pa.array(high, mask=unknown),
            "fake_n": n,
            "fake_method": pa.array(methods, pa.string()),
            "fake_sampling_low": pa.array(s_low, mask=np.isnan(s_low)),
            "fake_sampling_high": pa.array(s_high, mask=np.isnan(s_high)),
        },
        schema=FAKE_SHARE_SCHEMA,
    )


def _likely_fakes(sample: pa.Table, proba: np.ndarray, bounds: np.ndarray, model: Any) -> pa.Table:
    """Evidence rows: each account's sampled followers most likely fake, with the classifier's reasons."""
    from covey.audience.features import primitives_from_profiles
    from covey.audience.reasons import explain

    sizes = np.diff(bounds)
    group = np.repeat(np.arange(len(sizes)), sizes)
    # Per account, followers from most to least likely fake (ties in sample order): a stable sort
    # by probability, then a stable sort by account, as a sort within each account would give.
    by_proba = np.argsort(-proba, kind="stable")
    order = by_proba[np.argsort(group[by_proba], kind="stable")]
    rank = np.arange(len(order)) - np.repeat(bounds[:-1], sizes)
    top = order[rank < EVIDENCE_FOLLOWERS]
    pick = top[proba[top] >= model.threshold]
    chosen = sample.take(pa.array(pick, pa.int64()))
    reasons = explain(model, primitives_from_profiles(chosen), np.ones(len(pick), bool))
    detail = [
        f"fake probability {p:.2f}" + (f": {r}" if r else "")
        for p, r in zip(proba[pick], reasons, strict=True)
    ]
    n = len(pick)
    return pa.table(
        {
            "account_id": chosen["account_id"].cast(pa.string()),
            "component": pa.array(["audience"] * n, pa.string()),
            "kind": pa.array(["likely_fake_follower"] * n, pa.string()),
            "item_id": chosen["member_id"].cast(pa.string()),
            "url": pa.nulls(n, pa.string()),
            "detail": pa.array(detail, pa.string()),
        }
    )
