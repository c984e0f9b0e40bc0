"""`covey audience score` and `covey audience train`: fake-profile probabilities and the fake share."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from covey.cli.common import (
    EXIT_NOTHING,
    AllowRejectsOption,
    JsonOption,
    cli_errors,
    console,
    err_console,
    print_json,
    progress,
    rows_exit_code,
    say_rejected,
)
from covey.cli.ingest import DateFormatOption, DelimiterOption, EncodingOption

if TYPE_CHECKING:
    from covey.audience.io import ProfileFile

ModelOption = Annotated[
    Path | None,
    typer.Option("--model", help="A model file from `covey audience train` (default: the shipped model)."),
]


_SHOWN_REJECTS = 10


def _read(
    file: Path, label_column: str | None, encoding: str | None, delimiter: str | None, date_format: str
) -> ProfileFile:
    from covey.audience.io import read_profiles
    from covey.ingest.dates import parse_rule

    return read_profiles(
        file,
        label_column=label_column,
        encoding=encoding,
        delimiter=delimiter,
        dates=parse_rule(date_format),
    )


def _print_rejects(profiles: ProfileFile, file: Path) -> None:
    for note in profiles.notes:
        console.print(f"note: {file.name}: {note}", highlight=False, markup=False)
    for r in profiles.rejects[:_SHOWN_REJECTS]:
        where = f"{file}:{r.line}" + (f" [{r.field}]" if r.field else "")
        err_console.print(f"rejected {where}: {r.reason}", highlight=False, markup=False)
    hidden = len(profiles.rejects) - _SHOWN_REJECTS
    if hidden > 0:
        err_console.print(f"... and {hidden:,} more rejected rows (all of them in --json)", highlight=False)


def _report_rows(profiles: ProfileFile, file: Path, allow_rejects: bool, as_json: bool) -> int:
    """Print the notes and the rows set aside (human output); returns the exit code."""
    code = rows_exit_code(len(profiles), len(profiles.rejects), allow_rejects=allow_rejects)
    if as_json:
        return code
    _print_rejects(profiles, file)
    if len(profiles):
        say_rejected(len(profiles.rejects), allow_rejects=allow_rejects)
    return code


def _nothing(file: Path, profiles: ProfileFile, as_json: bool, extra: dict[str, Any]) -> None:
    """No profile could be read: say why, in words or JSON, and exit 4."""
    why = f"all {len(profiles.rejects):,} rows were rejected" if profiles.rejects else "it has no rows"
    if as_json:
        print_json(
            {
                "file": str(file),
                "profiles": 0,
                "rejected": [r.to_dict() for r in profiles.rejects],
                "notes": profiles.notes,
                "error": f"nothing to read: {why}",
                "exit_code": EXIT_NOTHING,
                **extra,
            }
        )
    else:
        _print_rejects(profiles, file)
        err_console.print(f"{file}: nothing to read: {why}.", highlight=False, markup=False)
    raise typer.Exit(EXIT_NOTHING)


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
    encoding: EncodingOption = None,
    delimiter: DelimiterOption = None,
    date_format: DateFormatOption = "auto",
    allow_rejects: AllowRejectsOption = False,
    as_json: JsonOption = False,
) -> None:
    """Probability that each profile is fake, why, and the audience's estimated fake share.

    Rows read as in `covey import`: a bad row is set aside with its line and
    column, the others are scored. Exit code 0 when every row was scored, 3 when
    some were rejected (0 with --allow-rejects), 4 when none could be scored, 2
    for unreadable input.
    """
    from covey.audience import load_model
    from covey.audience.scoring import score_profiles
    from covey.audience.share import MIN_PROFILES, describe_precision

    with cli_errors():
        model = load_model(model_path)
        profiles = _read(file, None, encoding, delimiter, date_format)
        if not len(profiles):
            _nothing(file, profiles, as_json, {"out": None})
        with progress(transient=True) as bar:
            task = bar.add_task("scoring profiles", total=3)
            bar.advance(task)
            scored = score_profiles(profiles.table, model, threshold, on_step=lambda: bar.advance(task))
            scored.write(out)
    share = scored.share
    code = _report_rows(profiles, file, allow_rejects, as_json)
    unknown = math.isnan(share.share)
    summary: dict[str, Any] = {
        "file": str(file),
        "out": str(out),
        "profiles": len(profiles),
        "rejected": [r.to_dict() for r in profiles.rejects],
        "notes": profiles.notes,
        "exit_code": code,
        "flagged": scored.flagged,
        "threshold": scored.threshold,
        "fake_share": scored.share_dict(),
        "model": {"version": scored.model_version, "prevalence": scored.model_prevalence},
    }
    if as_json:
        print_json(summary)
        raise typer.Exit(code)
    console.print(
        f"Scored {len(profiles):,} profiles from {file} into {out}; {scored.flagged:,} flagged "
        f"fake (probability >= {scored.threshold:g})."
    )
    if unknown:
        console.print(
            f"Estimated fake share: unknown — {share.n:,} profiles scored, at least {MIN_PROFILES} "
            f"are needed for an estimate worth reading — model {scored.model_version}."
        )
    else:
        console.print(
            f"Estimated fake share: {share.share:.1%} (95 % interval {share.low:.1%}–{share.high:.1%}, "
            f"n = {share.n:,}, adjusted for the model's error rates and for how far they moved on "
            f"labelled sets it had not seen) — model {scored.model_version}."
        )
        console.print(f"Precision: {describe_precision(share)}")
    raise typer.Exit(code)


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
    encoding: EncodingOption = None,
    delimiter: DelimiterOption = None,
    date_format: DateFormatOption = "auto",
    allow_rejects: AllowRejectsOption = False,
    as_json: JsonOption = False,
) -> None:
    """Train an audience model on your own labelled profiles; use it with `score --model`."""
    from covey.audience import DEFAULT_PREVALENCE, from_profiles, train_model
    from covey.audience.datasets import LabelledSet, public_training_sets
    from covey.errors import InputError

    with cli_errors():
        profiles = _read(file, label_column, encoding, delimiter, date_format)
        if not len(profiles):
            _nothing(file, profiles, as_json, {"out": None})
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
    code = _report_rows(profiles, file, allow_rejects, as_json)
    summary = {
        "file": str(file),
        "out": str(out),
        "rows": len(labelled),
        "rejected": [r.to_dict() for r in profiles.rejects],
        "notes": profiles.notes,
        "exit_code": code,
        "fakes": int(labelled.labels.sum()),
        "training_data": model.metadata["training_data"],
        "version": model.version,
        "prevalence": model.prevalence,
        "out_of_fold": model.metadata["out_of_fold_metrics"][labelled.name],
    }
    if as_json:
        print_json(summary)
        raise typer.Exit(code)
    oof = summary["out_of_fold"]
    console.print(
        f"Trained {model.version} on {len(labelled):,} profiles ({summary['fakes']:,} fake) from {file}; "
        f"5-fold out-of-fold ROC-AUC {oof['roc_auc']:.3f}, PR-AUC {oof['pr_auc']:.3f}. Saved to {out}."
    )
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Add the `audience` command group."""
    group = typer.Typer(
        help="Fake-profile probabilities of an audience and its fake share.", no_args_is_help=True
    )
    group.command("score")(score)
    group.command("train")(train)
    app.add_typer(group, name="audience")
