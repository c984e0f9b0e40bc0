"""`covey import` through the real Typer app: exit codes, the summary, --json."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from covey.cli.app import app
from test_ingest_samples import SAMPLE, write_csv, write_parquet

runner = CliRunner()


def _flat(text: str) -> str:
    """Output with Rich's line wrapping undone."""
    return " ".join(text.split())


def test_import_prints_a_summary(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    result = runner.invoke(app, ["import", str(write_csv(tmp_path / "in")), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "posts" in result.output and "inserted" in result.output
    stats = runner.invoke(app, ["stats", "--db", str(db), "--json"])
    assert json.loads(stats.stdout)["tables"]["posts"] == 2


def test_import_json_and_rejects_folder(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    folder = write_parquet(tmp_path / "in", {"creators": SAMPLE["creators"], "accounts": SAMPLE["accounts"]})
    (folder / "posts.csv").write_text(
        "post_id,account_id,posted_at,likes\np1,instagram:1,2024-01-01,3.5k\np2,nobody,2024-01-01,1\n",
        encoding="utf-8",
    )
    args = ["import", str(folder), "--db", str(db), "--rejects", str(tmp_path / "rej"), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 3, result.output  # a row was rejected: scripts must notice
    summary = json.loads(result.stdout)
    assert summary["exit_code"] == 3 and summary["loaded"] == 5 and summary["rejected"] == 1
    assert summary["tables"]["posts"] == {
        "read": 2,
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    assert summary["format"] == "csv+parquet"
    rejects = Path(summary["rejects_path"])
    assert rejects.parent == tmp_path / "rej"
    assert json.loads(rejects.read_text().splitlines()[0])["line"] == 3
    rerun = runner.invoke(app, [*args, "--allow-rejects"])
    assert rerun.exit_code == 0, rerun.output
    again = json.loads(rerun.stdout)
    assert all(t["inserted"] == 0 for t in again["tables"].values())


def test_bad_input_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    (tmp_path / "posts.csv").write_text("post_id\nx\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(tmp_path / "posts.csv"), "--db", str(db)])
    assert result.exit_code == 2
    # every missing column at once, and what the file has instead
    assert "missing required columns 'account_id', 'posted_at'" in _flat(result.output)
    assert "(the file has: post_id)" in _flat(result.output)
    missing = runner.invoke(app, ["import", str(tmp_path / "nope"), "--db", str(db)])
    assert missing.exit_code == 2 and "no such file" in _flat(missing.output)
    fmt = runner.invoke(app, ["import", str(tmp_path), "--db", str(db), "--format", "xml"])
    assert fmt.exit_code == 2


def test_table_option(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    (tmp_path / "people.csv").write_text("creator_id,name\nz,Zed\n", encoding="utf-8")
    result = runner.invoke(
        app, ["import", str(tmp_path / "people.csv"), "--db", str(db), "--table", "creators", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tables"]["creators"]["inserted"] == 1


def test_exit_codes_scripts_can_trust(tmp_path: Path) -> None:
    """0 all loaded; 3 some rejected (0 with --allow-rejects); 4 nothing loaded; 2 unreadable."""
    db = str(tmp_path / "c.duckdb")
    good = tmp_path / "good.creators.csv"
    good.write_text("creator_id,name\na,Ann\n", encoding="utf-8")
    assert runner.invoke(app, ["import", str(good), "--db", db]).exit_code == 0
    assert runner.invoke(app, ["import", str(good), "--db", db]).exit_code == 0  # unchanged is loaded
    mixed = tmp_path / "mixed.creators.csv"
    mixed.write_text("creator_id,country\nb,GB\nc,Atlantis\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(mixed), "--db", db])
    assert result.exit_code == 3 and "--allow-rejects" in _flat(result.output)
    assert runner.invoke(app, ["import", str(mixed), "--db", db, "--allow-rejects"]).exit_code == 0
    bad = tmp_path / "bad.creators.csv"
    bad.write_text("creator_id,country\nd,Atlantis\ne,Narnia\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(bad), "--db", db, "--allow-rejects"])
    assert result.exit_code == 4 and "nothing was loaded: every row was rejected" in _flat(result.output)
    empty = tmp_path / "empty.creators.csv"
    empty.write_text("creator_id,name\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(empty), "--db", db, "--json"])
    assert result.exit_code == 4 and json.loads(result.stdout)["exit_code"] == 4
    assert runner.invoke(app, ["import", str(tmp_path / "nope.csv"), "--db", db]).exit_code == 2


def test_a_windows_semicolon_export_through_the_cli(tmp_path: Path) -> None:
    """Issue 14: cp1252 rows were rejected with exit 0; semicolons gave `missing required column`."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "creators.csv").write_bytes("Creator ID;Name;Country\nc1;Zoë;Deutschland\n".encode("cp1252"))
    (folder / "accounts.csv").write_bytes(
        "Account ID;Creator;Platform;Username\ninstagram:1;c1;Instagram;zoë\n".encode("cp1252")
    )
    posts = "Post ID;Account;Date;Likes;Caption\ninstagram:p1;instagram:1;31/01/2024 18:30;1.234;Crème\n"
    (folder / "posts.csv").write_bytes(posts.encode("cp1252"))
    db = tmp_path / "c.duckdb"
    result = runner.invoke(app, ["import", str(folder), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["rejected"] == 0 and summary["loaded"] == 3
    assert any("Windows-1252" in n for n in summary["notes"])
    human = runner.invoke(app, ["import", str(folder), "--db", str(db)])
    assert human.exit_code == 0 and "note: posts.csv: delimiter semicolon" in _flat(human.output)


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_ctrl_c_leaves_the_database_as_it_was_and_prints_one_line(tmp_path: Path) -> None:
    """Issue 14: Ctrl-C printed a 47-line traceback. A real `covey` process, a real SIGINT."""
    import os
    import signal
    import subprocess
    import sys

    from covey.store import DuckDBStore
    from test_ingest_samples import db_rows

    db = tmp_path / "covey.duckdb"
    base = write_csv(tmp_path / "base", {"creators": SAMPLE["creators"]})
    assert runner.invoke(app, ["import", str(base), "--db", str(db)]).exit_code == 0
    with DuckDBStore(db) as s:
        before = {t: db_rows(s, t) for t in ("creators", "accounts", "posts")}
    digest = _digest(db)
    # The real CLI in a subprocess, with a test hook passed to import_path (the library reads
    # no test variable): after merging posts, inside the open transaction, it says so and waits.
    launcher = (
        "import functools, sys, time\n"
        "import covey.cli.ingest as cli\n"
        "def pause(table):\n"
        "    if table == 'posts':\n"
        "        sys.stderr.write('covey-test: merged posts, paused\\n'); sys.stderr.flush()\n"
        "        time.sleep(60)\n"
        "cli.import_path = functools.partial(cli.import_path, after_merge=pause)\n"
        "from covey.cli.app import main\n"
        "sys.argv = ['covey', *sys.argv[1:]]\n"
        "main()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", launcher, "import", str(write_csv(tmp_path / "in")), "--db", str(db)],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell's background job (nohup, `cmd &`, some CI runners) ignores SIGINT, and the
        # child would inherit that and never see Ctrl-C: give it the default disposition.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.stderr is not None
    marker = proc.stderr.readline()
    assert "merged posts, paused" in marker, marker
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == ["interrupted: nothing was imported; the database is as it was"], err
    assert "Traceback" not in out + err
    assert _digest(db) == digest
    with DuckDBStore(db) as s:
        assert {t: db_rows(s, t) for t in before} == before
        assert s.query("SELECT count(*) FROM imports") == [(1,)]


def _commands() -> list[list[str]]:
    import typer

    def walk(cmd: object, path: list[str]) -> list[list[str]]:
        found = [path]
        for name, sub in getattr(cmd, "commands", {}).items():
            found += walk(sub, [*path, name])
        return found

    return walk(typer.main.get_command(app), [])


def test_every_help_text_is_printed_whole() -> None:
    """Issue 14: `covey score --help` lost "[weights]" to Rich markup. Every option's help,
    as written, must appear in the rendered help of its command."""
    import re

    import typer

    root = typer.main.get_command(app)
    for path in _commands():
        cmd = root
        for name in path:
            cmd = cmd.commands[name]  # type: ignore[attr-defined]
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "240"})
        assert result.exit_code == 0, (path, result.output)
        shown = " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())
        for param in cmd.params:
            text = getattr(param, "help", None)
            if text:
                wanted = " ".join(text.replace("\\[", "[").split())
                assert wanted in shown, f"covey {' '.join(path)} --help: {wanted!r} is not shown whole"


def test_readme_and_help_state_the_demo_s_true_figures() -> None:
    """Issue 14: the README and `world generate --help` said 400 creators and 30,000 EUR."""
    import typer

    root = typer.main.get_command(app)
    demo = {p.name: p.default for p in root.commands["demo"].params}  # type: ignore[attr-defined]
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    intro = " ".join(readme.split("## Quick start", 1)[1].split("## A tour", 1)[0].split())
    assert f"sample world of {demo['creators']:,} creators" in intro
    assert f"(seed {demo['seed']})" in intro
    assert f"plans a {demo['budget']:,} EUR campaign" in intro
    world_help = " ".join(
        runner.invoke(app, ["world", "generate", "--help"], env={"COLUMNS": "200"}).output.split()
    )
    assert f"`covey demo` generates {demo['creators']:,}" in world_help
    assert "demo default: 400" not in world_help


def test_json_output_never_holds_nan_or_infinity(capsys: object) -> None:
    from covey.cli.common import print_json

    print_json({"share": float("nan"), "rows": [1.5, float("inf"), -float("inf")], "ok": 0.25})
    out = capsys.readouterr().out  # type: ignore[attr-defined]

    def refuse(name: str) -> float:
        raise AssertionError(f"{name} in JSON output")

    assert json.loads(out, parse_constant=refuse) == {"share": None, "rows": [1.5, None, None], "ok": 0.25}


def test_encoding_delimiter_and_date_format_options(tmp_path: Path) -> None:
    db = str(tmp_path / "c.duckdb")
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "creators.csv").write_bytes("creator_id:name\nc1:Ærø\n".encode("latin-1"))
    guessed = runner.invoke(app, [*["import", "--db", db], str(tmp_path / "one" / "creators.csv")])
    assert guessed.exit_code == 2 and "pass --delimiter" in _flat(guessed.output)
    (tmp_path / "accounts.csv").write_text("account_id,platform,handle,creator_id\nig:1,instagram,a,c1\n")
    (tmp_path / "account_snapshots.csv").write_text("account_id,taken_at\nig:1,01/02/2024\n")
    args = ["import", "--db", db, "--json"]
    first = runner.invoke(
        app, [*args, str(tmp_path / "one" / "creators.csv"), "--encoding", "latin-1", "--delimiter", ":"]
    )
    assert first.exit_code == 0, first.output
    snaps = runner.invoke(app, [*args, str(tmp_path), "--date-format", "mdy"])
    assert snaps.exit_code == 0, snaps.output
    from covey.store import DuckDBStore

    with DuckDBStore(Path(db)) as s:
        assert s.query("SELECT name FROM creators WHERE creator_id = 'c1'") == [("Ærø",)]
        assert str(s.query("SELECT taken_at FROM account_snapshots")[0][0]) == "2024-01-02 00:00:00"
    bad = runner.invoke(app, [*args, str(tmp_path), "--date-format", "yyyy"])
    assert bad.exit_code == 2 and "unknown date format" in _flat(bad.output)
    bad = runner.invoke(app, [*args, str(tmp_path), "--delimiter", "::"])
    assert bad.exit_code == 2 and "one character" in _flat(bad.output)
