"""docs/data-format.md documents every table and column of covey.model, and the CLI options."""

from __future__ import annotations

import re
from pathlib import Path

from covey.model import TABLES

DOC = Path(__file__).resolve().parents[1] / "docs" / "data-format.md"


def _sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^### `([a-z_]+)`$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_column_of_every_table_is_documented() -> None:
    sections = _sections()
    for table in TABLES:
        assert table.name in sections, f"table {table.name} has no section in {DOC.name}"
        rows = re.findall(r"^\| `([a-z_]+)` \| ([a-z\[\]]+)", sections[table.name], flags=re.M)
        documented = dict(rows)
        for column in table.columns:
            assert column.name in documented, f"{table.name}.{column.name} is missing from {DOC.name}"
            assert documented[column.name] == column.type, f"{table.name}.{column.name}: wrong type"
        assert set(documented) == set(table.column_names), (
            f"{table.name}: documented columns not in the model"
        )


def test_cli_options_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for option in ("--db", "--format", "--table", "--rejects", "--json", "import_memory_limit"):
        assert option in text


def _documented_aliases() -> dict[str, dict[str, tuple[str, ...]]]:
    text = DOC.read_text(encoding="utf-8").split("### Column aliases", 1)[1].split("\n## ", 1)[0]
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for table, column, names in re.findall(r"^\| `([a-z_]+)` \| `([a-z_]+)` \| (.*) \|$", text, flags=re.M):
        out.setdefault(table, {})[column] = tuple(re.findall(r"`([a-z0-9_]+)`", names))
    return out


def test_the_documented_aliases_are_the_code_s() -> None:
    from covey.ingest.aliases import ALIASES

    assert _documented_aliases() == ALIASES


def test_aliases_are_unambiguous() -> None:
    """No alias is a canonical column of its table, and none stands for two columns."""
    from covey.ingest.aliases import ALIASES, normalise
    from covey.model import TABLES_BY_NAME

    for table, columns in ALIASES.items():
        canonical = set(TABLES_BY_NAME[table].column_names)
        assert set(columns) <= canonical, table
        names = [a for aliases in columns.values() for a in aliases]
        assert len(names) == len(set(names)), f"{table}: an alias stands for two columns"
        assert not set(names) & canonical, f"{table}: an alias is a canonical column"
        assert all(normalise(a) == a for a in names), f"{table}: aliases are written normalised"


def test_new_cli_options_and_exit_codes_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for option in ("--encoding", "--delimiter", "--date-format", "--allow-rejects"):
        assert option in text
    codes = re.findall(r"^\| (\d+) \|", text.split("## Exit codes", 1)[1].split("\n## ", 1)[0], flags=re.M)
    from covey.cli import common

    assert sorted(int(c) for c in codes) == sorted(
        getattr(common, n) for n in dir(common) if n.startswith("EXIT_")
    )
