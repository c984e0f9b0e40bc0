"""The list of prescription-only medicines shipped in ``data/medicines.txt`` (see its header)."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def prescription_medicines() -> tuple[str, ...]:
    """Lower-case names of prescription-only medicines (ingredients and brands)."""
    text = (resources.files("covey.compliance") / "data" / "medicines.txt").read_text(encoding="utf-8")
    names = (line.strip().lower() for line in text.splitlines())
    return tuple(sorted({n for n in names if n and not n.startswith("#")}))
