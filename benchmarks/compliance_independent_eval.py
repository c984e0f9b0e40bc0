"""The compliance checker on the independently written set, by fixed half.

tests/data/compliance/independent.jsonl was written by a second session without reading the
checker and committed before the checker ran on it. Ids ending in an odd number form the
development half (errors there may be studied and fixed by general rules), even ids the held-out
half (never studied: its figure is the honest one). Scoring: per caption, the set of expected
categories against the set of categories the checker flags; TP/FP/FN summed per category.

    .venv/bin/python benchmarks/compliance_independent_eval.py [--errors dev] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from covey.compliance import CATEGORIES, Draft, check

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "compliance" / "independent.jsonl"
DISCLOSURE = CATEGORIES[:4]


@dataclass
class Count:
    """True positives, false positives and false negatives of one category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def precision(self) -> float | None:
        """TP / (TP + FP); None when nothing was flagged."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    def recall(self) -> float | None:
        """TP / (TP + FN); None when nothing was expected."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def f1(self) -> float | None:
        """Harmonic mean of precision and recall; None when either is unknown or both are 0."""
        p, r = self.precision(), self.recall()
        return None if p is None or r is None or p + r == 0 else 2 * p * r / (p + r)


def half_of(row_id: str) -> str:
    """'dev' for ids ending in an odd number, 'held-out' for even ones."""
    return "dev" if int(row_id.rsplit("-", 1)[1]) % 2 else "held-out"


def draft(row: dict[str, Any]) -> Draft:
    """The checker's input for one labelled line (language left to detection)."""
    return Draft(
        row["caption"],
        country=row["country"],
        platform=row.get("platform", "unknown"),
        title=row.get("title", ""),
        paid=row.get("paid", False),
        gifted=row.get("gifted", False),
        affiliate=row.get("affiliate", False),
        product_kind=row.get("product_kind", "none"),
        brand=row.get("brand", ""),
        product=row.get("product", ""),
        id=row["id"],
    )


def evaluate(rows: list[dict[str, Any]]) -> tuple[dict[str, Count], list[dict[str, Any]]]:
    """Per-category counts and the list of captions where expected and found differ."""
    counts = {c: Count() for c in CATEGORIES}
    errors = []
    for row in rows:
        found = {f.category for f in check(draft(row)).flags}
        expected = set(row["expected"])
        for c in CATEGORIES:
            k = counts[c]
            k.tp += c in found and c in expected
            k.fp += c in found and c not in expected
            k.fn += c in expected and c not in found
        if found != expected:
            errors.append({"id": row["id"], "expected": sorted(expected), "found": sorted(found),
                           "reason": row["reason"], "caption": row["caption"][:160]})  # fmt: skip
    return counts, errors


def micro(counts: dict[str, Count], cats: tuple[str, ...]) -> Count:
    """The counts summed over some categories."""
    total = Count()
    for c in cats:
        total.tp += counts[c].tp
        total.fp += counts[c].fp
        total.fn += counts[c].fn
    return total


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def table(name: str, n: int, counts: dict[str, Count]) -> str:
    """A markdown table of one half."""
    lines = [f"### {name} ({n} captions)", "", "| category | TP | FP | FN | precision | recall |",
             "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for c in CATEGORIES:
        k = counts[c]
        lines.append(f"| {c} | {k.tp} | {k.fp} | {k.fn} | {_fmt(k.precision())} | {_fmt(k.recall())} |")
    m, d = micro(counts, CATEGORIES), micro(counts, DISCLOSURE)
    dp, dr = _fmt(d.precision()), _fmt(d.recall())
    lines += [f"| **micro (all)** | {m.tp} | {m.fp} | {m.fn} | {_fmt(m.precision())} | {_fmt(m.recall())} |",
              f"| **disclosure (4)** | {d.tp} | {d.fp} | {d.fn} | {dp} | {dr} |",
              "", f"micro-F1 {_fmt(m.f1())}; disclosure precision {_fmt(d.precision())}", ""]  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    """Score both halves; print the tables (and the errors of one half when asked)."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", choices=["dev", "held-out"], help="also list this half's errors")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    out: dict[str, Any] = {}
    for half in ("dev", "held-out"):
        part = [r for r in rows if half_of(r["id"]) == half]
        counts, errors = evaluate(part)
        print(table(f"independent set, {half} half", len(part), counts))
        m, d = micro(counts, CATEGORIES), micro(counts, DISCLOSURE)
        out[half] = {"captions": len(part), "micro_f1": m.f1(), "micro_precision": m.precision(),
                     "micro_recall": m.recall(), "disclosure_precision": d.precision(),
                     "errors": len(errors)}  # fmt: skip
        if args.errors == half:
            for e in errors:
                print(json.dumps(e, ensure_ascii=False))
            print()
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
