"""Typed vetting results shared by the CLI, the API and the pages.

:func:`covey.scores.latest_vetting` returns one :class:`VetResult` per matching account: the
account, the scoring run, every component with its percentile and sentence, the evidence and
the raw signals. :meth:`VetResult.to_dict` is the JSON of ``covey vet --json``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from covey.scores.read import RunInfo


@dataclass(frozen=True)
class AccountRef:
    """Which account a result is about."""

    account_id: str
    platform: str
    handle: str
    display_name: str | None


@dataclass(frozen=True)
class ComponentScore:
    """One vetting component of one account; None is unknown."""

    component: str
    score: float | None  # 0-100, higher is cleaner
    percentile: float | None  # among ``peers`` similar accounts (``peer_group``)
    peers: int | None
    peer_group: str | None
    sentence: str | None  # what the score means, in words


@dataclass(frozen=True)
class EvidenceItem:
    """A post, comment or follower that supports a component's score."""

    component: str
    kind: str
    item_id: str | None
    url: str | None
    detail: str | None


@dataclass(frozen=True)
class VetResult:
    """Everything stored about one account's latest vetting."""

    account: AccountRef
    run: RunInfo
    components: list[ComponentScore]
    evidence: list[EvidenceItem]
    signals: dict[str, Any]

    def score(self, component: str) -> float | None:
        """The component's score (``"overall"``, ``"coverage"`` or a check); None when unknown."""
        return next((c.score for c in self.components if c.component == component), None)

    def summary(self) -> list[str]:
        """The few plain sentences a marketer reads first (:func:`covey.scores.summary.plain_summary`)."""
        from covey.scores.summary import plain_summary

        return plain_summary(self)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``covey vet --json`` (the run's ``weights`` stay the stored JSON text)."""
        run = asdict(self.run)
        run["weights"] = json.dumps(self.run.weights)
        order = ("run_id", "score_version", "weights", "as_of", "computed_at", "accounts", "classifier")
        return {
            "account": asdict(self.account),
            "run": {k: run[k] for k in order},
            "components": [asdict(c) for c in self.components],
            "evidence": [asdict(e) for e in self.evidence],
            "signals": self.signals,
            "summary": self.summary(),
        }
