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
    for option in ("--db", "--format", "--table", "--rejects", "--json", "COVEY_TEST_CRASH_AFTER"):
        assert option in text
