"""Score a file of profiles: each one's fake probability, the flag, the reasons, the fake share.

What ``covey audience score`` does, as a library call: the CLI (and any other interface)
reads the file, calls :func:`score_profiles`, writes :meth:`ProfileScores.write` and prints.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv

from covey.audience.features import primitives_from_profiles
from covey.audience.model import AudienceModel
from covey.audience.reasons import explain
from covey.audience.share import DEFINITIONS, ShareEstimate, describe_precision, estimate_share


@dataclass(frozen=True)
class ProfileScores:
    """Per profile: probability of being fake, the flag at ``threshold``, the reasons; and the
    audience's fake share with its 95 % interval."""

    usernames: pa.Array
    probabilities: npt.NDArray[np.float64]
    flags: npt.NDArray[np.bool_]
    reasons: list[str]
    threshold: float
    share: ShareEstimate
    model_version: str
    model_prevalence: float

    @property
    def flagged(self) -> int:
        """Profiles flagged fake."""
        return int(self.flags.sum())

    def table(self) -> pa.Table:
        """One row per profile: username, fake_probability (4 decimals), is_fake, reasons."""
        return pa.table(
            {
                "username": self.usernames,
                "fake_probability": pa.array(np.round(self.probabilities, 4)),
                "is_fake": pa.array(self.flags),
                "reasons": pa.array(self.reasons, pa.string()),
            }
        )

    def write(self, out: Path) -> None:
        """Write :meth:`table` to ``out``: JSON lines for .jsonl/.ndjson/.json, else CSV."""
        table = self.table()
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() in (".jsonl", ".ndjson", ".json"):
            with out.open("w", encoding="utf-8") as fh:
                for row in table.to_pylist():
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            pacsv.write_csv(table, out)

    def share_dict(self) -> dict[str, Any]:
        """The fake share as ``covey audience score --json`` prints it, with its definition."""
        s = self.share
        # Unknown (null) below MIN_PROFILES scored profiles, never a made-up 0.
        unknown = math.isnan(s.share)
        return {
            "estimate": None if unknown else round(s.share, 4),
            "low": None if unknown else round(s.low, 4),
            "high": None if unknown else round(s.high, 4),
            "n": s.n,
            "confidence": 0.95,
            "method": s.method,
            "definition": DEFINITIONS[s.method],
            "precision": describe_precision(s),
        }


def score_profiles(
    profiles: pa.Table,
    model: AudienceModel,
    threshold: float | None = None,
    *,
    on_step: Callable[[], None] | None = None,
) -> ProfileScores:
    """Score ``profiles`` (the table of :func:`covey.audience.io.read_profiles`) with ``model``;
    a profile is flagged when its probability is at least ``threshold`` (default: the model's).
    ``on_step`` is called after each of the two steps (features, probabilities and reasons)."""
    prims = primitives_from_profiles(profiles)
    if on_step:
        on_step()
    probs = np.asarray(model.proba_from_primitives(prims), dtype=np.float64)
    cut = model.threshold if threshold is None else threshold
    flags = probs >= cut
    reasons = explain(model, prims, flags)
    if on_step:
        on_step()
    return ProfileScores(
        usernames=profiles.column("username").combine_chunks(),
        probabilities=probs,
        flags=flags,
        reasons=reasons,
        threshold=float(cut),
        share=estimate_share(probs, model),
        model_version=model.version,
        model_prevalence=model.prevalence,
    )
