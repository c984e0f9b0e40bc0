"""Quality of the compliance checker: per-category precision and recall, micro-F1.

On the team's labelled set (tests/data/compliance/labelled.jsonl, written before the
detector) and on the planted problems of generated worlds whose seeds were never used for
tuning (checked as imported posts: payment unknown), plus how often the credibility
signal's set-based patterns classify a world's posts as the checker does.

    .venv/bin/python benchmarks/compliance_eval.py --seeds 101 202 303 [--creators 300] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from covey.compliance import CATEGORIES
from covey.compliance.evaluate import Report, evaluate_file, evaluate_world
from covey.compliance.posts import check_store
from covey.ingest import import_path
from covey.signals.backend import duckdb_sources
from covey.signals.credibility import caption_flags
from covey.store import DuckDBStore
from covey.world import WorldConfig, generate

ROOT = Path(__file__).resolve().parents[1]


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def table(name: str, report: Report) -> str:
    """A markdown table of one report."""
    lines = [f"### {name} ({report.items} captions)", "", "| category | TP | FP | FN | precision | recall |",
             "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for c in CATEGORIES:
        k = report.per_category[c]
        lines.append(f"| {c} | {k.tp} | {k.fp} | {k.fn} | {_fmt(k.precision)} | {_fmt(k.recall)} |")
    agree = report.rule_agree / report.rule_total if report.rule_total else None
    m = report.micro()
    d = report.micro(CATEGORIES[:4])
    lines += [f"| **micro (all)** | {m.tp} | {m.fp} | {m.fn} | {_fmt(m.precision)} | {_fmt(m.recall)} |",
              f"| **disclosure (4)** | {d.tp} | {d.fp} | {d.fn} | {_fmt(d.precision)} | {_fmt(d.recall)} |",
              "", f"micro-F1 {_fmt(m.f1)}; same rule where the category matched {_fmt(agree)}",
              ""]  # fmt: skip
    return "\n".join(lines)


def parity(folder: Path) -> dict[str, Any]:
    """Share of posts the credibility signal classifies as the checker does."""
    store = DuckDBStore(folder / "covey.duckdb")
    try:
        import_path(store, folder)
        src = duckdb_sources(store)
        flags = src.execute(caption_flags(src)).set_index("post_id")
        as_class = {
            "disclosure_missing": "none",
            "disclosure_ambiguous": "weak",
            "disclosure_buried": "buried",
        }
        same = total = 0
        for r in check_store(store):
            cats = {f.category for f in r.flags}
            want = next((as_class[c] for c in cats if c in as_class), "proper") if r.commercial else None
            got = flags.loc[r.id, "disclosure"]
            same += want == (None if got is None or got != got else got)
            total += 1
        return {"posts": total, "disclosure_agreement": same / total}
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[101, 202, 303])
    parser.add_argument("--creators", type=int, default=300)
    parser.add_argument("--json", type=Path, help="also write all figures to this file")
    args = parser.parse_args()
    out: dict[str, Any] = {}
    labelled = evaluate_file(ROOT / "tests/data/compliance/labelled.jsonl")
    print(table("labelled set", labelled))
    out["labelled"] = labelled.to_json()
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            generate(WorldConfig(creators=args.creators, seed=seed), folder)
            for brief in (False, True):
                rep = evaluate_world(folder, brief=brief)
                name = f"world seed {seed}, {'paid known (brief)' if brief else 'imported (paid unknown)'}"
                print(table(name, rep))
                out[name] = rep.to_json()
            p = parity(folder)
            share = p["disclosure_agreement"]
            print(f"credibility signal vs checker, seed {seed}: {share:.4f} of {p['posts']} posts\n")
            out[f"parity seed {seed}"] = p
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
