"""The house rules that keep core usable without a screen."""
from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_qt_or_desktop():
    offenders = {
        str(p.relative_to(CORE.parent)): sorted(bad)
        for p in CORE.rglob("*.py")
        if (bad := imported_modules(p) & {"PySide6", "shiboken6", "pyqtgraph", "desktop"})
    }
    assert offenders == {}
