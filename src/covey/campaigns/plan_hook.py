"""``covey plan --past-performers``: the brief and candidate list adjusted by earlier campaigns.

Thin on purpose: the planner is not touched. 'favour' adds creators with a poor re-book score
(below :data:`covey.campaigns.history.POOR`) to the brief's exclusions; the rest compete on
reach as usual (the planner does not trade reach for past performance). 'only' plans over
creators with a good re-book score alone: their rows of ``--candidates`` (CSV), or a candidate
list of them written beside the database (``past-performers-<hash>.csv``, kept so that the saved
plan can be rebuilt).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import replace
from pathlib import Path

from covey.campaigns.history import POOR, past_performer_ids, poor_performer_ids
from covey.errors import InputError
from covey.planning.planner import Brief
from covey.store import Store


def past_performers_brief(
    store: Store, brief: Brief, candidates: Path | None, mode: str
) -> tuple[Brief, Path | None]:
    """The brief and candidate file for ``--past-performers favour|only``."""
    if mode == "favour":
        poor = sorted(poor_performer_ids(store))
        return replace(brief, exclude=tuple(brief.exclude) + tuple(poor)), candidates
    if mode != "only":
        raise InputError(f"--past-performers must be favour or only, not {mode!r}", field="--past-performers")
    good = past_performer_ids(store)
    if not good:
        raise InputError(
            "--past-performers only: no creator has a re-book score of at least 60 yet "
            "(see 'covey campaign history'); plan without it or with 'favour'",
            field="--past-performers",
        )
    buf = io.StringIO()
    if candidates is not None:
        if candidates.suffix.lower() != ".csv":
            raise InputError("--past-performers only filters a CSV candidate list", path=candidates)
        with candidates.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or "account_id" not in reader.fieldnames:
                raise InputError("needs an account_id column to match past performers", path=candidates)
            w = csv.DictWriter(buf, fieldnames=reader.fieldnames)
            w.writeheader()
            kept = [r for r in reader if r["account_id"] in good]
            w.writerows(kept)
        if not kept:
            raise InputError(
                "--past-performers only: none of these candidates has a good re-book score",
                path=candidates,
            )
    else:
        w2 = csv.writer(buf)
        w2.writerow(["account_id", "niche"] if brief.niche else ["account_id"])
        for a in sorted(good):
            w2.writerow([a, brief.niche] if brief.niche else [a])
    text = buf.getvalue()
    folder = store.path.parent if store.path is not None else Path.cwd()
    out = folder / f"past-performers-{hashlib.sha256(text.encode()).hexdigest()[:10]}.csv"
    out.write_text(text, encoding="utf-8")
    return brief, out


__all__ = ["POOR", "past_performers_brief"]
