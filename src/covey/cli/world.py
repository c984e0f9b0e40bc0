"""`covey world generate`: write a realistic sample world with its ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from covey.cli.common import JsonOption, cli_errors, console, print_json, progress


def register(app: typer.Typer) -> None:
    """Add the `world` command group to the `covey` app."""
    world_app = typer.Typer(help="Sample worlds: realistic data with the ground truth.", no_args_is_help=True)

    @world_app.command("generate")
    def generate_command(
        out: Annotated[Path, typer.Option("--out", help="Folder to write the data files and truth/ into.")],
        creators: Annotated[int, typer.Option("--creators", help="Number of creators.")] = 400,
        seed: Annotated[
            int, typer.Option("--seed", help="Random seed; the same seed gives the same bytes.")
        ] = 0,
        audience_sample: Annotated[
            int, typer.Option("--audience-sample", help="Follower profiles sampled per account.")
        ] = 200,
        audience_scale: Annotated[
            float | None,
            typer.Option("--audience-scale", help="Share of real followers kept in the people panel (auto)."),
        ] = None,
        profile: Annotated[
            str,
            typer.Option(
                "--profile",
                help="Data shape: full, youtube (no follower samples), instagram-business (no comments), "
                "spreadsheet (newest follower count only, no comments, no samples) or mixed (per account).",
            ),
        ] = "full",
        as_json: JsonOption = False,
    ) -> None:
        """Generate a sample world of N creators, with its ground truth, into a folder.

        The default is 400 creators; `covey demo` generates 1,200 (seed 7)."""
        from covey.world import WorldConfig, generate

        with cli_errors():
            config = WorldConfig(
                creators=creators,
                seed=seed,
                audience_scale=audience_scale,
                audience_sample_size=audience_sample,
                profile=profile,
            )
            with progress(transient=True) as bar:
                task = bar.add_task("generating", total=None)

                def report(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                summary = generate(config, out, progress=report)
        if as_json:
            print_json(
                {"out": summary.out_dir, "seed": summary.seed, "profile": profile,
                 "audience_scale": summary.audience_scale,
                 "seconds": round(summary.seconds, 2), "counts": summary.counts}
            )  # fmt: skip
            return
        table = Table(title=f"world in {summary.out_dir} (seed {summary.seed}, {summary.seconds:.1f} s)")
        table.add_column("table")
        table.add_column("rows", justify="right")
        for name, n in summary.counts.items():
            table.add_row(name, f"{n:,}")
        console.print(table)
        console.print(f"audience_scale = {summary.audience_scale:.4g} (truth in {summary.out_dir}/truth)")

    app.add_typer(world_app, name="world")
