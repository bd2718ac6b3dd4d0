"""The layering of DESIGN.md, checked by walking every module's imports.

Arrows point down: ui -> services -> store -> gocua; sync -> store, gocua; server -> gocua.
Nothing outside desktop/ui imports PySide6; the server never imports desktop; the core imports
no framework at all.
"""

from __future__ import annotations

import ast
import re
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


# -- the profile's bookkeeping: keys named once --------------------------------------------------
#
# desktop/store/state_keys.py names every key of the ``sync_state`` table with its type. Anywhere
# else, a key is reached through those objects only: no untyped get_state/set_state, no SQL
# addressing the table, no new key made up. Migrations are left out: each is frozen history and
# must keep working whatever the live code later becomes.

STATE_KEYS = ROOT / "desktop" / "store" / "state_keys.py"
SCANNED = (*PACKAGES, "bench", "tests")
_SQL = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE|SELECT|WHERE)\b", re.IGNORECASE)


def _docstrings(tree: ast.AST) -> set[int]:
    owners = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, owners) and node.body and isinstance(node.body[0], ast.Expr):
            found.add(id(node.body[0].value))
    return found


def state_key_violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(ROOT)
    prose = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            owner = getattr(getattr(func, "value", None), "id", None)
            if name in ("get_state", "set_state", "StateKey") and owner != "self":
                found.append(f"{where}:{node.lineno}: {name}(...): use a key of state_keys")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in prose
            and "sync_state" in node.value
            and _SQL.search(node.value)
        ):
            found.append(f"{where}:{node.lineno}: SQL on sync_state: use state_keys")
    return found


def test_sync_state_keys_are_written_only_through_state_keys():
    me = Path(__file__).resolve()
    problems = []
    for folder in SCANNED:
        for path in (ROOT / folder).rglob("*.py"):
            if path in (STATE_KEYS, me) or "migrations" in path.parts:
                continue
            problems.extend(state_key_violations(path))
    assert problems == []


@pytest.mark.parametrize(
    "source",
    [
        "get_state(conn, 'user_id')",
        "rows.set_state(conn, 'cursor', None)",
        "conn.exec_driver_sql(\"INSERT INTO sync_state (key, value) VALUES ('epoch', ?)\")",
        "KEY = StateKey('mine', 'text', str, str)",
    ],
)
def test_the_state_key_check_catches_a_literal_key(tmp_path, source):
    probe = ROOT / "desktop" / "_state_key_probe.py"
    probe.write_text(source + "\n", encoding="utf-8")
    try:
        assert state_key_violations(probe)
    finally:
        probe.unlink()


def test_every_key_is_named_once_with_its_type():
    from desktop.store import state_keys

    assert set(state_keys.KEYS) >= {
        "client_id",
        "user_id",
        "local_user_id",
        "hlc_node",
        "hlc_last",
        "mutation_offset",
        "epoch",
        "cursor",
        "full_pull_in_progress",
        "last_sync_at",
        "scope_hamlets",
        "held_rows",
        "server_url",
        "username",
        "commune_id",
        "accepted_commune",
        "deferred_indexes",
    }
    assert {key.kind for key in state_keys.KEYS.values()} <= {"text", "int", "list", "json"}
    with pytest.raises(ValueError, match="named twice"):
        state_keys._text("user_id")
