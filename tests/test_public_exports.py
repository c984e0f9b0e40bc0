"""`covey.__all__` is exactly what the package exports: its eager imports, the lazy names, the version."""

from __future__ import annotations

import ast
from pathlib import Path

import covey

SOURCE = Path(covey.__file__)


def _exports() -> tuple[set[str], set[str]]:
    """(names imported eagerly from covey.*, names imported under TYPE_CHECKING) in __init__.py."""
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    eager: set[str] = set()
    typing_only: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("covey"):
            eager |= {a.asname or a.name for a in node.names}
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for sub in node.body:
                if isinstance(sub, ast.ImportFrom):
                    typing_only |= {a.asname or a.name for a in sub.names}
    return eager, typing_only


def test_all_is_the_eager_and_lazy_exports_and_the_version() -> None:
    eager, _ = _exports()
    assert set(covey.__all__) == eager | set(covey._LAZY) | {"__version__"}
    assert len(covey.__all__) == len(set(covey.__all__)), "a name is listed twice"


def test_lazy_names_are_visible_to_type_checkers_and_come_from_their_module() -> None:
    _, typing_only = _exports()
    assert typing_only == set(covey._LAZY)
    for name, module in covey._LAZY.items():
        assert getattr(covey, name).__module__.startswith(module), name
