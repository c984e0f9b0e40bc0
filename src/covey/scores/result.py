"""Typed vetting results shared by the CLI, the API and the pages.

:func:`covey.scores.latest_vetting` returns one :class:`VetResult` per matching account: the
account, the scoring run, every component with its percentile and sentence, the evidence and
the raw signals, and the fake-follower share with what it means (:class:`FakeShare`).
:meth:`VetResult.to_dict` is the JSON of ``covey vet --json``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from covey.scores.explain import fake_share_definition, fake_share_estimate, fake_share_precision
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
class FakeShare:
    """An account's estimated share of fake followers (0-1) and its 95 % interval, as scored;
    None is unknown (no follower sample, or too few followers for a figure worth reading)."""

    share: float | None
    low: float | None
    high: float | None
    sampling_low: float | None  # the interval from the sample size alone (None: not stored)
    sampling_high: float | None
    n: int  # sampled followers scored (0: no follower sample)
    definition: str | None  # what the share and the interval are
    precision: str  # how precise the figure is, in plain words (covey.audience.describe_precision)

    @classmethod
    def from_signals(cls, signals: Mapping[str, Any]) -> FakeShare:
        """From one account's stored signals (``fake_*``)."""
        est = fake_share_estimate(signals)
        # An unknown share has no interval either (the estimate's [0, 1] is not a figure to show).
        values: list[float | None] = [None] * 5
        if est is not None and not math.isnan(est.share):
            parts = (est.share, est.low, est.high, est.sampling_low, est.sampling_high)
            values = [None if math.isnan(v) else v for v in parts]
        share, low, high, s_low, s_high = values
        return cls(
            share=share,
            low=low,
            high=high,
            sampling_low=s_low,
            sampling_high=s_high,
            n=est.n if est else 0,
            definition=fake_share_definition(signals),
            precision=fake_share_precision(signals),
        )


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

    def fake_share(self) -> FakeShare | None:
        """The fake-follower share with its definition and precision; None when the account has
        no signals in the run (it was added after it)."""
        return FakeShare.from_signals(self.signals) if self.signals else None

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
            "fake_share": None if (fake := self.fake_share()) is None else asdict(fake),
            "evidence": [asdict(e) for e in self.evidence],
            "signals": self.signals,
            "summary": self.summary(),
        }
