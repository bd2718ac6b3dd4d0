"""The layering of DESIGN.md, checked by walking every module's imports.

Arrows point down: ui -> services -> store -> gocua; sync -> store, gocua; server -> gocua.
Nothing outside desktop/ui imports PySide6; the server never imports desktop; the core imports
no framework at all.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("gocua", "desktop", "server")

# (module prefix, forbidden import prefixes)
RULES: list[tuple[str, tuple[str, ...]]] = [
    (
        "gocua",
        (
            "desktop",
            "server",
            "PySide6",
            "sqlalchemy",
            "alembic",
            "fastapi",
            "requests",
            "keyring",
            "uvicorn",
            "psycopg",
        ),
    ),
    ("server", ("desktop", "PySide6")),
    (
        "desktop.store",
        (
            "desktop.services",
            "desktop.ui",
            "desktop.sync",
            "desktop.reports",
            "PySide6",
            "requests",
        ),
    ),
    ("desktop.services", ("desktop.ui", "desktop.sync", "PySide6", "requests")),
    ("desktop.sync", ("desktop.ui", "desktop.services", "PySide6")),
    ("desktop.reports", ("desktop.ui", "desktop.sync", "PySide6")),
    ("desktop", ("PySide6", "server")),  # everything in desktop/ outside desktop/ui
]
EXEMPT = {"desktop": ("desktop.ui",)}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    package = module_name(path).rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: resolve against the package
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                found.add(node.module)
    return found


def _matches(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(modules: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, imported in sorted(modules.items()):
        for prefix, forbidden in RULES:
            if not _matches(module, prefix):
                continue
            if any(_matches(module, exempt) for exempt in EXEMPT.get(prefix, ())):
                continue
            for name in sorted(imported):
                for bad in forbidden:
                    if _matches(name, bad):
                        problems.append(f"{module} imports {name} (rule: {prefix} !-> {bad})")
    return problems


def project_modules() -> dict[str, set[str]]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            modules[module_name(path)] = imports_of(path)
    return modules


def test_project_follows_the_layering():
    modules = project_modules()
    assert "gocua.protocol" in modules and "desktop.store.database" in modules
    assert violations(modules) == []


@pytest.mark.parametrize(
    ("module", "imported"),
    [
        ("desktop.store.rows", "PySide6.QtCore"),
        ("desktop.services.usecases", "desktop.ui.main_window"),
        ("server.app", "desktop.store"),
        ("gocua.coverage", "sqlalchemy"),
        ("desktop.sync.engine", "PySide6.QtWidgets"),
    ],
)
def test_checker_catches_a_broken_arrow(module, imported):
    assert violations({module: {imported}})


def test_ui_may_import_qt_and_everything_below():
    assert violations({"desktop.ui.app": {"PySide6.QtWidgets", "desktop.services"}}) == []


def test_relative_imports_are_resolved(tmp_path):
    source = ROOT / "desktop" / "store" / "_layering_probe.py"
    source.write_text("from ..ui import app\n", encoding="utf-8")
    try:
        assert "desktop.ui" in imports_of(source)
    finally:
        source.unlink()
