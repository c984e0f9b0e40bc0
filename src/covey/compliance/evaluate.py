"""Precision and recall of the checker against labelled captions, per category.

A labelled file is a drafts file (see ``drafts.py``) whose lines also carry ``expected``:
``[{"category": ..., "rule": ...}]`` (empty when the caption is fine). A caption counts once
per category: a predicted category that is expected is a true positive, one that is not is a
false positive, an expected one not predicted a false negative.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from covey.compliance.check import Checker
from covey.compliance.drafts import BadLine, read_drafts
from covey.compliance.result import CATEGORIES, DISCLOSURE_CATEGORIES, Draft


@dataclass
class Counts:
    """True positives, false positives, false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        """tp / (tp + fp); None when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """tp / (tp + fn); None when nothing was expected."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall; None when either is unknown or both 0."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p is not None and r is not None and p + r > 0 else None


@dataclass
class Report:
    """Per-category counts, the micro total, rule agreement and the mistakes."""

    per_category: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in CATEGORIES})
    items: int = 0
    rule_agree: int = 0
    rule_total: int = 0
    mistakes: list[dict[str, Any]] = field(default_factory=list)

    def micro(self, categories: Iterable[str] = CATEGORIES) -> Counts:
        """Counts summed over ``categories``."""
        total = Counts()
        for c in categories:
            k = self.per_category[c]
            total.tp, total.fp, total.fn = total.tp + k.tp, total.fp + k.fp, total.fn + k.fn
        return total

    def add(self, ident: str, expected: dict[str, str], predicted: dict[str, str]) -> None:
        """Count one item (category -> rule, expected and predicted)."""
        self.items += 1
        for c in CATEGORIES:
            k = self.per_category[c]
            e, p = c in expected, c in predicted
            k.tp += e and p
            k.fp += p and not e
            k.fn += e and not p
            if e and p:
                self.rule_total += 1
                self.rule_agree += expected[c] == predicted[c]
        if set(expected) != set(predicted):
            self.mistakes.append({"id": ident, "expected": sorted(expected), "predicted": sorted(predicted)})

    def to_json(self) -> dict[str, Any]:
        """Figures as plain numbers (None where undefined)."""

        def row(k: Counts) -> dict[str, Any]:
            return {
                "tp": k.tp,
                "fp": k.fp,
                "fn": k.fn,
                "precision": k.precision,
                "recall": k.recall,
                "f1": k.f1,
            }

        return {
            "items": self.items,
            "per_category": {c: row(k) for c, k in self.per_category.items()},
            "micro": row(self.micro()),
            "disclosure": row(self.micro(DISCLOSURE_CATEGORIES)),
            "rule_agreement": self.rule_agree / self.rule_total if self.rule_total else None,
            "mistakes": self.mistakes,
        }


def evaluate_file(path: Path, checker: Checker | None = None) -> Report:
    """Check every labelled line of ``path`` and compare with its ``expected`` flags."""
    checker = checker or Checker()
    report = Report()
    for n, row, item in read_drafts(path):
        if isinstance(item, BadLine):
            raise item.error
        expected = {e["category"]: e.get("rule", "") for e in row.get("expected", [])}
        result = checker.check(item)
        predicted = {f.category: f.rule for f in result.flags}
        report.add(item.id or str(n), expected, predicted)
    return report


# How the sample world's planted problems map onto categories (docs/compliance.md).
WORLD_DISCLOSURE = {
    "no disclosure": "disclosure_missing",
    "only #sp": "disclosure_ambiguous",
    "only 'thanks @brand'": "disclosure_ambiguous",
    "#ad buried at the end among hashtags": "disclosure_buried",
}
# Where prescription-medicine advertising to the public is allowed with risk information.
DTC_COUNTRIES = frozenset({"US", "NZ"})


def world_items(world: Path, *, brief: bool = False) -> list[tuple[Draft, dict[str, str]]]:
    """(draft, expected category -> '') for every post of a generated world.

    ``brief=False`` checks posts as imported (paid unknown, the platform's paid-partnership
    label known); ``brief=True`` also tells the checker which posts were paid, as a campaign
    brief would. A planted prescription medicine counts as a problem in paid posts only (an
    unpaid patient talking about their own treatment is not promotion): rx promotion outside
    the US and New Zealand, missing risk information in them.
    """
    import pyarrow.parquet as pq

    cols = ["post_id", "account_id", "title", "caption", "sponsored"]
    posts = pq.read_table(world / "posts.parquet", columns=cols).to_pylist()
    acct_cols = ["account_id", "platform", "country"]
    accounts = {
        r["account_id"]: r for r in pq.read_table(world / "accounts.parquet", columns=acct_cols).to_pylist()
    }
    truth = pq.read_table(world / "truth" / "compliance.parquet").to_pylist()
    undisclosed = {r["post_id"]: r["detail"] for r in truth if r["problem"] == "undisclosed_sponsorship"}
    claims = {r["post_id"] for r in truth if r["problem"] == "health_claim"}
    rx = {r["post_id"] for r in truth if r["problem"] == "prescription_medicine"}
    out = []
    for p in posts:
        acct = accounts[p["account_id"]]
        pid = p["post_id"]
        paid = bool(p["sponsored"]) or pid in undisclosed
        expected: dict[str, str] = {}
        if pid in undisclosed:
            expected[WORLD_DISCLOSURE[undisclosed[pid]]] = ""
        if pid in claims:
            expected["health_claim_unsupported"] = ""
        if pid in rx and paid:
            expected[
                "missing_risk_info" if acct["country"] in DTC_COUNTRIES else "rx_promotion_to_public"
            ] = ""
        draft = Draft(
            caption=p["caption"] or "",
            title=p["title"] or "",
            country=acct["country"],
            platform=acct["platform"],
            paid=paid if brief else None,
            gifted=False if brief else None,
            affiliate=False if brief else None,
            platform_label=bool(p["sponsored"]),
            id=pid,
        )
        out.append((draft, expected))
    return out


def evaluate_world(world: Path, *, brief: bool = False, checker: Checker | None = None) -> Report:
    """Check every post of a generated world against its planted compliance problems."""
    checker = checker or Checker()
    report = Report()
    for draft, expected in world_items(world, brief=brief):
        result = checker.check(draft)
        report.add(draft.id, expected, {f.category: f.rule for f in result.flags})
    return report
