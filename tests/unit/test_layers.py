"""The one-way layers of STYLE.md rule 1, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "recovery": {
        "telegram",
        "sqlalchemy",
        "asyncio",
        "bot",
        "models",
        "services",
        "scheduler",
        "views",
        "app",
    },
    "views": {"telegram", "sqlalchemy", "bot", "models", "services", "scheduler", "app"},
    "models": {"telegram", "bot", "services", "scheduler", "views", "app"},
    "services": {"telegram", "bot", "scheduler", "app"},
    "bot": {"scheduler", "models", "app", "sqlalchemy"},
    "scheduler": {"bot", "app"},
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_points_the_wrong_way(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
        if imported_roots(path) & FORBIDDEN[package]
    }
    assert wrong == {}
