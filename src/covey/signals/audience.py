"""A real audience: estimated fake-follower share with a 95 % interval, and reachability.

Both are measured on the sampled followers in ``audience_samples`` (relation 'follower'):

* ``fake_share``: share of sampled followers the audience classifier judges fake, with a
  95 % interval from the sample size (Wilson score interval unless the classifier's own
  ``estimate_share`` gives one);
* ``reachable_share``: share of sampled followers (with a known following count) who follow
  fewer than 1,500 accounts, so that they still see posts.

The classifier is ``covey.audience`` when installed. Until that module lands, a clearly
separated fallback (:func:`rule_fake_flags`) counts the warning signs vendors publish.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

import ibis
import numpy as np
import pyarrow as pa
from ibis import _

from covey.model import AUDIENCE
from covey.signals.backend import Sources

log = logging.getLogger("covey.signals.audience")

REACHABLE_FOLLOWING = 1_500
Z95 = 1.959963984540054
EVIDENCE_FOLLOWERS = 5
FAKE_SHARE_SCHEMA = pa.schema(
    [("account_id", pa.string()), ("fake_share", pa.float64()), ("fake_low", pa.float64()),
     ("fake_high", pa.float64()), ("fake_n", pa.int64()), ("fake_method", pa.string())]
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


def fake_share(src: Sources, *, classifier: str = "auto", evidence: list[pa.Table] | None = None) -> pa.Table:
    """account_id, fake_share, fake_low, fake_high, fake_n and fake_method per sampled account.

    ``classifier`` is 'auto' (covey.audience when usable, else the fallback) or 'rules'. When
    ``evidence`` is a list, the classifier appends evidence rows to it: per account, up to
    ``EVIDENCE_FOLLOWERS`` flagged followers most likely fake, with the reasons.
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
        return pa.table(
            {
                "account_id": table["account_id"],
                "fake_share": share,
                "fake_low": low,
                "fake_high": high,
                "fake_n": n,
                "fake_method": pa.array(["rule-of-signs fallback, Wilson 95 %"] * len(n)),
            },
            schema=FAKE_SHARE_SCHEMA,
        )
    module, model = found
    sample = src.to_pyarrow(followers_sample(src).select(*AUDIENCE.column_names).order_by("account_id"))
    proba = np.asarray(model.predict_proba(sample), dtype="float64")
    accounts = sample["account_id"].to_numpy(zero_copy_only=False)
    uniq, starts = np.unique(accounts, return_index=True)
    bounds = [*starts.tolist(), len(accounts)]
    rows: dict[str, list[Any]] = {k: [] for k in ("account_id", "fake_share", "fake_low", "fake_high")}
    rows["fake_n"], rows["fake_method"] = [], []
    # One call per account (not per post): the classifier's own estimator gives the interval.
    for i, account in enumerate(uniq):
        est = module.estimate_share(proba[bounds[i] : bounds[i + 1]], model)
        rows["account_id"].append(str(account))
        # Too few sampled followers: the estimator says unknown (NaN), which must be null here.
        known = not np.isnan(est.share)
        rows["fake_share"].append(float(est.share) if known else None)
        rows["fake_low"].append(float(est.low) if known else None)
        rows["fake_high"].append(float(est.high) if known else None)
        rows["fake_n"].append(int(est.n))
        rows["fake_method"].append(f"covey.audience classifier ({est.method})")
    if evidence is not None and len(uniq):
        evidence.append(_likely_fakes(sample, proba, accounts, bounds, model))
    # Typed even when no account has a sample: an all-null column would have no type downstream.
    return pa.table(rows, schema=FAKE_SHARE_SCHEMA)


def _likely_fakes(
    sample: pa.Table, proba: np.ndarray, accounts: np.ndarray, bounds: list[int], model: Any
) -> pa.Table:
    """Evidence rows: each account's sampled followers most likely fake, with the classifier's reasons."""
    from covey.audience.features import primitives_from_profiles
    from covey.audience.reasons import explain

    flagged = proba >= model.threshold
    picks: list[np.ndarray] = []
    for lo, hi in itertools.pairwise(bounds):
        idx = lo + np.argsort(-proba[lo:hi], kind="stable")[:EVIDENCE_FOLLOWERS]
        picks.append(idx[flagged[idx]])
    pick = np.concatenate(picks) if picks else np.zeros(0, dtype=np.int64)
    chosen = sample.take(pa.array(pick, pa.int64()))
    reasons = explain(model, primitives_from_profiles(chosen), np.ones(len(pick), bool))
    detail = [
        f"fake probability {p:.2f}" + (f": {r}" if r else "")
        for p, r in zip(proba[pick], reasons, strict=True)
    ]
    n = len(pick)
    return pa.table(
        {
            "account_id": pa.array(accounts[pick].astype(str), pa.string()),
            "component": pa.array(["audience"] * n, pa.string()),
            "kind": pa.array(["likely_fake_follower"] * n, pa.string()),
            "item_id": chosen["member_id"].cast(pa.string()),
            "url": pa.nulls(n, pa.string()),
            "detail": pa.array(detail, pa.string()),
        }
    )
