"""`covey audience score` and `covey audience train`: fake-profile probabilities and the fake share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import typer

from covey.cli.common import JsonOption, cli_errors, console, print_json, progress

ModelOption = Annotated[
    Path | None,
    typer.Option("--model", help="A model file from `covey audience train` (default: the shipped model)."),
]


def _write_scores(
    out: Path, usernames: pa.Array, probs: np.ndarray, flags: np.ndarray, reasons: list[str]
) -> None:
    table = pa.table(
        {
            "username": usernames,
            "fake_probability": pa.array(np.round(probs, 4)),
            "is_fake": pa.array(flags),
            "reasons": pa.array(reasons, pa.string()),
        }
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        with out.open("w", encoding="utf-8") as fh:
            for row in table.to_pylist():
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        pacsv.write_csv(table, out)


def score(
    file: Annotated[
        Path, typer.Argument(help="CSV or JSONL of profiles (username, followers, following, ...).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Where to write scores: .csv, or .jsonl by extension.")],
    model_path: ModelOption = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold", min=0.0, max=1.0, help="is_fake when probability >= this (default: the model's)."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Probability that each profile is fake, why, and the audience's estimated fake share."""
    from covey.audience import estimate_share, load_model
    from covey.audience.features import primitives_from_profiles
    from covey.audience.io import read_profiles
    from covey.audience.reasons import explain
    from covey.audience.share import DEFINITIONS

    with cli_errors():
        model = load_model(model_path)
        with progress(transient=True) as bar:
            task = bar.add_task("scoring profiles", total=3)
            profiles = read_profiles(file)
            bar.advance(task)
            prims = primitives_from_profiles(profiles.table)
            probs = model.proba_from_primitives(prims)
            cut = model.threshold if threshold is None else threshold
            flags = probs >= cut
            bar.advance(task)
            _write_scores(out, profiles.table.column("username"), probs, flags, explain(model, prims, flags))
            bar.advance(task)
        share = estimate_share(probs, model)
    summary: dict[str, Any] = {
        "file": str(file),
        "out": str(out),
        "profiles": len(profiles),
        "flagged": int(flags.sum()),
        "threshold": cut,
        "fake_share": {
            "estimate": round(share.share, 4),
            "low": round(share.low, 4),
            "high": round(share.high, 4),
            "confidence": 0.95,
            "method": share.method,
            "definition": DEFINITIONS[share.method],
        },
        "model": {"version": model.version, "prevalence": model.prevalence},
    }
    if as_json:
        print_json(summary)
        return
    console.print(
        f"Scored {len(profiles):,} profiles from {file} into {out}; {int(flags.sum()):,} flagged "
        f"fake (probability >= {cut:g})."
    )
    console.print(
        f"Estimated fake share: {share.share:.1%} (95 % interval {share.low:.1%}–{share.high:.1%}, "
        f"n = {share.n:,}, adjusted for the model's error rates) — model {model.version}."
    )


def train(
    file: Annotated[
        Path, typer.Argument(help="CSV or JSONL of labelled profiles: profile columns plus a 0/1 label.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Where to write the model (JSON).")] = Path(
        "audience-model.json"
    ),
    label_column: Annotated[
        str, typer.Option("--label-column", help="Column holding 1 for fake, 0 for genuine.")
    ] = ("is_fake"),
    prevalence: Annotated[
        float | None,
        typer.Option(
            "--prevalence", min=0.001, max=0.999, help="Share of fakes to calibrate for (default 0.15)."
        ),
    ] = None,
    public_data: Annotated[
        Path | None,
        typer.Option(
            "--public-data",
            help="Also train on the public labelled sets in this folder (its labelled-accounts/ subfolder).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Train an audience model on your own labelled profiles; use it with `score --model`."""
    from covey.audience import DEFAULT_PREVALENCE, from_profiles, train_model
    from covey.audience.datasets import LabelledSet, public_training_sets
    from covey.audience.io import read_profiles
    from covey.errors import InputError

    with cli_errors():
        profiles = read_profiles(file, label_column=label_column)
        assert profiles.labels is not None
        labelled = from_profiles(profiles.table, profiles.labels, name=file.name, source=str(file))
        sets: list[LabelledSet] = [labelled]
        if public_data is not None:
            try:
                sets += public_training_sets(public_data)
            except OSError as exc:
                raise InputError(f"cannot read the public labelled sets: {exc}", path=public_data) from exc
        try:
            model = train_model(
                sets, prevalence=DEFAULT_PREVALENCE if prevalence is None else prevalence, folds=5
            )
        except ValueError as exc:
            raise InputError(str(exc), path=file, field=label_column) from exc
        out.parent.mkdir(parents=True, exist_ok=True)
        model.save(out)
    summary = {
        "file": str(file),
        "out": str(out),
        "rows": len(labelled),
        "fakes": int(labelled.labels.sum()),
        "training_data": model.metadata["training_data"],
        "version": model.version,
        "prevalence": model.prevalence,
        "out_of_fold": model.metadata["out_of_fold_metrics"][labelled.name],
    }
    if as_json:
        print_json(summary)
        return
    oof = summary["out_of_fold"]
    console.print(
        f"Trained {model.version} on {len(labelled):,} profiles ({summary['fakes']:,} fake) from {file}; "
        f"5-fold out-of-fold ROC-AUC {oof['roc_auc']:.3f}, PR-AUC {oof['pr_auc']:.3f}. Saved to {out}."
    )


def register(app: typer.Typer) -> None:
    """Add the `audience` command group."""
    group = typer.Typer(
        help="Fake-profile probabilities of an audience and its fake share.", no_args_is_help=True
    )
    group.command("score")(score)
    group.command("train")(train)
    app.add_typer(group, name="audience")
