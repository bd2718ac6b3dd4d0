"""The layering of DESIGN.md, checked by walking every module's imports and calls.

Arrows point down: ui -> services -> store -> gocua; sync -> store, gocua; server -> gocua.
Nothing outside desktop/ui imports PySide6; the server never imports desktop; the core imports
no framework at all.

The window (desktop.ui) reads through the store's query modules (``store.query(fn, ...)``, run
by the task manager off the GUI thread) and writes through the services only: it imports no
SQLAlchemy or sqlite3, opens no transaction of its own (``store.read()``/``store.write()``),
runs no SQL (``exec_driver_sql``), and talks to the server through the profile's session,
never a ``desktop.sync.client`` of its own (issue 16).

desktop.reports computes reports and reads and writes files: it may read the store (its
functions take a connection, ``build_report`` opens a read) and it may call the services (the
spreadsheet importer commits a plan through ``Services.import_households``: one transaction
with its outbox entries, the only way a user's rows are written), but it never writes the
store itself (no ``store.write()``), and never imports PySide6 (the PDF is drawn by
desktop.ui.reports_pdf and passed in).
"""

from __future__ import annotations

import ast
import re
import shutil
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
    ("desktop.ui", ("sqlalchemy", "sqlite3", "desktop.sync.client")),
    ("desktop", ("PySide6", "server")),  # everything in desktop/ outside desktop/ui
]
EXEMPT = {"desktop": ("desktop.ui",)}
# Modules of other branches not moved yet, each with the rules it still breaks (none now: the
# importer's dialog reads through the store's query modules since issue 16's follow-up).
PENDING: dict[str, frozenset[str]] = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    return imports_of_source(
        path.read_text(encoding="utf-8"), module_name(path).rsplit(".", 1)[0], str(path)
    )


def imports_of_source(source: str, package: str = "", filename: str = "<source>") -> set[str]:
    tree = ast.parse(source, filename=filename)
    found: set[str] = set()
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


# -- no SQL and no transactions of their own in the window; no store writes in the reports --------

# (module prefix, calls it may not make): ``store.read()`` and ``store.write()`` are a
# transaction opened on anything named ``store`` (``self.store``, ``services.store``...).
CALL_RULES: list[tuple[str, frozenset[str]]] = [
    ("desktop.ui", frozenset({"store.read()", "store.write()", "exec_driver_sql"})),
    ("desktop.reports", frozenset({"store.write()"})),
]


def _receiver_name(node: ast.AST) -> str:
    """``self.services.store`` -> ``store``: the last name of what a method is called on."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def calls_of(source: str, filename: str = "<source>") -> set[tuple[str, int]]:
    """The checked calls a module makes, with their lines."""
    found = set()
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method, receiver = node.func.attr, _receiver_name(node.func.value)
        if method == "exec_driver_sql":
            found.add(("exec_driver_sql", node.lineno))
        elif method in ("read", "write") and receiver.lower().endswith("store"):
            found.add((f"store.{method}()", node.lineno))
    return found


def call_violations(module: str, source: str, pending: dict | None = None) -> list[str]:
    pending = PENDING if pending is None else pending
    allowed = pending.get(module, frozenset())
    problems = []
    for prefix, forbidden in CALL_RULES:
        if not _matches(module, prefix):
            continue
        for call, line in sorted(calls_of(source, module)):
            if call in forbidden and call not in allowed:
                problems.append(f"{module}:{line} calls {call} (rule: {prefix} !-> {call})")
    return problems


def project_call_violations(root: Path = ROOT, pending: dict | None = None) -> list[str]:
    problems = []
    for folder in ("desktop/ui", "desktop/reports"):
        for path in (root / folder).rglob("*.py"):
            parts = list(path.relative_to(root).with_suffix("").parts)
            module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            problems.extend(call_violations(module, path.read_text(encoding="utf-8"), pending))
    return problems


def test_the_window_runs_no_sql_and_the_reports_write_no_store():
    assert project_call_violations() == []


def test_every_exemption_is_still_needed():
    for module, calls in PENDING.items():
        path = ROOT / Path(*module.split(".")).with_suffix(".py")
        made = {call for call, _ in calls_of(path.read_text(encoding="utf-8"))}
        assert calls <= made, f"{module} no longer calls {sorted(calls - made)}: drop it"


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("desktop.ui.households_tab", "with self.store.read() as conn:\n    pass\n"),
        ("desktop.ui.dialogs", "with self.services.store.write() as conn:\n    pass\n"),
        ("desktop.ui.app", "with store.write() as conn:\n    bulk.insert_areas(conn, [])\n"),
        ("desktop.ui.follow_up_list", "rows = conn.exec_driver_sql('SELECT id FROM areas')\n"),
        ("desktop.reports.exports", "with store.write() as conn:\n    pass\n"),
        ("desktop.ui.import_dialog", "with self.store.read() as conn:\n    pass\n"),
    ],
)
def test_the_call_checker_catches_a_planted_call(module, source):
    assert call_violations(module, source)


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("desktop.ui.households_tab", "tasks().run(partial(self.store.query, household_page))\n"),
        ("desktop.reports.exports", "with store.read() as conn:\n    pass\n"),
        ("desktop.store.queries", "conn.exec_driver_sql('SELECT 1')\n"),
        ("desktop.services.usecases", "with self.store.write() as conn:\n    pass\n"),
        ("desktop.ui.tasks", "self.file.write(text)\n"),
    ],
)
def test_the_call_checker_lets_the_layers_below_do_their_work(module, source):
    assert call_violations(module, source) == []


def test_a_widget_planted_in_a_copy_of_the_tree_fails_the_check(tmp_path):
    """The whole walk, on a temporary copy of desktop/ui and desktop/reports with one widget
    that reads the store itself and imports SQLAlchemy."""
    for folder in ("desktop/ui", "desktop/reports"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    assert project_call_violations(tmp_path) == []
    planted = tmp_path / "desktop" / "ui" / "planted_widget.py"
    planted.write_text(
        "from sqlalchemy import text\n\n\n"
        "def hamlets(store):\n"
        "    with store.read() as conn:\n"
        "        return conn.execute(text('SELECT name FROM areas')).all()\n",
        encoding="utf-8",
    )
    assert project_call_violations(tmp_path) == [
        "desktop.ui.planted_widget:5 calls store.read() (rule: desktop.ui !-> store.read())"
    ]
    assert violations({"desktop.ui.planted_widget": imports_of_source(planted.read_text())}) == [
        "desktop.ui.planted_widget imports sqlalchemy (rule: desktop.ui !-> sqlalchemy)"
    ]


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
    assert violations({"desktop.ui.tabs": {"desktop.store.queries", "desktop.sync.session"}}) == []


@pytest.mark.parametrize("imported", ["sqlalchemy", "sqlite3", "desktop.sync.client"])
def test_the_window_imports_no_database_driver_and_no_client_of_its_own(imported):
    assert violations({"desktop.ui.conflicts_panel": {imported}})


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
