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
        "web",
    },
    "views": {"telegram", "sqlalchemy", "bot", "models", "services", "scheduler", "app", "web"},
    "models": {"telegram", "bot", "services", "scheduler", "views", "app", "web"},
    "services": {"telegram", "bot", "scheduler", "app", "web", "starlette"},
    "bot": {"scheduler", "models", "app", "sqlalchemy", "web"},
    "scheduler": {"bot", "app", "web"},
    "web": {"telegram", "bot", "scheduler", "models", "app", "sqlalchemy"},
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


# --- rooms by feature inside services/ and views/ ---
# A feature is a subpackage (or, in views/, a top-level module that is not shared). Shared
# modules sit at the top of the layer and import no feature; a feature reaches another one
# only through the names its package exports (``from services.alerts import raise_alert``),
# never through a module inside it.
SHARED = {
    "services": {
        "context",
        "timing",
        "audit",
        "recipients",
        "outbox",
        "patients",
        "replies",
        "health",
        "risk",  # the risk order and each patient's summary: every room writes it, like the outbox
        "risk_facts",
        "risk_inputs",
        "risk_summary",
    },
    "views": {"callbacks", "keyboard", "message", "texts", "dates", "i18n"},
}


def _features(layer: str) -> set[str]:
    top = ROOT / layer
    names = {p.name for p in top.iterdir() if (p / "__init__.py").exists()}
    names |= {p.stem for p in top.glob("*.py") if p.stem != "__init__"}
    return names - SHARED[layer]


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: use absolute imports"
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _room_violations(layer: str) -> dict[str, list[str]]:
    features = _features(layer)
    wrong: dict[str, list[str]] = {}
    for path in (ROOT / layer).rglob("*.py"):
        parts = path.relative_to(ROOT / layer).with_suffix("").parts
        own = parts[0]
        for name in sorted(_imported_modules(path)):
            target = name.split(".")
            if target[0] != layer or len(target) < 2 or target[1] == own:
                continue
            if own in SHARED[layer] and target[1] in features:
                wrong.setdefault(str(path.relative_to(ROOT)), []).append(name)
            is_package = (ROOT / layer / target[1] / "__init__.py").exists()
            if own in features and target[1] in features and is_package and len(target) > 3:
                wrong.setdefault(str(path.relative_to(ROOT)), []).append(name)
            if (
                own in features
                and is_package
                and len(target) == 3
                and (ROOT / layer / target[1] / f"{target[2]}.py").exists()
            ):
                wrong.setdefault(str(path.relative_to(ROOT)), []).append(name)
    return wrong


@pytest.mark.parametrize("layer", sorted(SHARED))
def test_features_meet_only_through_their_public_names(layer: str) -> None:
    assert _room_violations(layer) == {}


def test_every_room_is_named_alike_in_bot_services_and_views() -> None:
    bot = {p.stem for p in (ROOT / "bot").glob("*.py")}
    for room in ("enrollment", "checkin", "caregivers", "care_team", "account"):
        assert room in bot
        assert (ROOT / "services" / room / "__init__.py").exists()
        assert (ROOT / "views" / room / "__init__.py").exists() or (
            ROOT / "views" / f"{room}.py"
        ).exists()
