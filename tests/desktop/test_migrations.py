"""Opening a profile: migrations from an empty file and from the first schema, the backup made
first, refusing a newer or a foreign file, the models against the migrated schema, pragmas."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import zipfile
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from desktop.store import Store
from desktop.store.coverage import coverage_by_area
from desktop.store.database import (
    DatabaseTooNew,
    NotADatabase,
    _alembic_config,
    current_revision,
    head_revision,
    make_engine,
)
from desktop.store.schema import Base
from desktop.store.search import search_persons
from gocua.catalogue import default_catalogue
from gocua.ids import support_item_id
from tests.desktop.conftest import AREAS, REF_YEAR, as_pairs, reference_coverage

FIRST = "0001"
HAMLET = "X9001-01"
HOUSEHOLD = "0b7e8a52-7c1e-4c51-8f0e-3f7a1c2d9e01"
OLD_PERSONS = [
    # id, full name, birth date, cccd, phone, has_smartphone, status
    (
        "1c9d6f0a-2b3c-4d5e-8f70-a1b2c3d4e501",
        "Nguyễn Văn Đức",
        "1980-05-02",
        "092080123456",
        "0912345678",
        1,
        "present",
    ),
    ("1c9d6f0a-2b3c-4d5e-8f70-a1b2c3d4e502", "Trần Thị Hồng", "1984", None, None, 0, "present"),
    (
        "1c9d6f0a-2b3c-4d5e-8f70-a1b2c3d4e503",
        "Nguyễn Minh Khoa",
        "2012-01-09",
        None,
        None,
        None,
        "away",
    ),
    ("1c9d6f0a-2b3c-4d5e-8f70-a1b2c3d4e504", "Lê Văn Tám", "1940", None, None, 0, "deceased"),
]
OLD_ITEMS = [
    # subject, code, state
    (OLD_PERSONS[0][0], "vneid_l2", "done"),
    (OLD_PERSONS[1][0], "bank_account", "already_had"),
    (OLD_PERSONS[2][0], "ehealth_record", "guided"),
    (HOUSEHOLD, "fibre_internet", "done"),
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def backups_of(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.stem}.backup-*{path.suffix}"))


def make_first_schema_file(path: Path) -> None:
    """A profile written by the first release: schema 0001, rows inserted as that app did."""
    engine = make_engine(path)
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), FIRST)
        with engine.begin() as conn:
            for area in AREAS:
                conn.execute(
                    text(
                        "INSERT INTO areas (id, kind, name, parent_id) "
                        "VALUES (:id, :kind, :name, :parent_id)"
                    ),
                    area,
                )
            conn.execute(
                text(
                    "INSERT INTO households (id, hamlet_id, address, phone, note, status, "
                    "version, deleted) VALUES (:id, :hamlet, :address, NULL, '', 'active', 3, 0)"
                ),
                {"id": HOUSEHOLD, "hamlet": HAMLET, "address": "Số 7, đường Bờ Kênh, Ấp Bình Minh"},
            )
            for pid, name, born, cccd, phone, smart, status in OLD_PERSONS:
                conn.execute(
                    text(
                        "INSERT INTO persons (id, household_id, full_name, birth_date, "
                        "birth_year, cccd, phone, has_smartphone, status, note, version, deleted)"
                        " VALUES (:id, :hh, :name, :born, :year, :cccd, :phone, :smart, "
                        ":status, '', 4, 0)"
                    ),
                    {
                        "id": pid,
                        "hh": HOUSEHOLD,
                        "name": name,
                        "born": born,
                        "year": int(born[:4]),
                        "cccd": cccd,
                        "phone": phone,
                        "smart": smart,
                        "status": status,
                    },
                )
            for subject, code, state in OLD_ITEMS:
                conn.execute(
                    text(
                        "INSERT INTO support_items (id, subject_type, subject_id, item_code, "
                        "state, note, version, deleted) VALUES (:id, :type, :subject, :code, "
                        ":state, '', 5, 0)"
                    ),
                    {
                        "id": support_item_id(subject, code),
                        "type": "household" if subject == HOUSEHOLD else "person",
                        "subject": subject,
                        "code": code,
                        "state": state,
                    },
                )
        assert current_revision(engine) == FIRST
    finally:
        engine.dispose()


# -- upgrades ---------------------------------------------------------------------------------


def test_empty_file_is_migrated_to_head_without_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    path.touch()  # an empty file, as a crashed first start may leave
    store = Store.open(path)
    try:
        assert current_revision(store.engine) == head_revision()
        assert store.last_backup is None  # nothing to back up
        assert backups_of(path) == []
        with store.read() as conn:
            tables = set(
                conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars()
            )
        assert set(Base.metadata.tables) <= tables
        assert "person_search" in tables
    finally:
        store.close()


def test_reopening_at_head_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Store.open(path).close()
    store = Store.open(path)
    store.close()
    assert store.last_backup is None
    assert backups_of(path) == []


def test_first_schema_is_upgraded_after_a_backup_holding_the_old_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_first_schema_file(path)

    store = Store.open(path)
    try:
        assert current_revision(store.engine) == head_revision()
        backup = store.last_backup
        assert backup is not None and backup.exists()
        assert backup.parent == path.parent and backup in backups_of(path)
        assert FIRST in backup.name

        # The backup is the old file: schema 0001 and every old row.
        old = sqlite3.connect(backup)
        try:
            assert old.execute("SELECT version_num FROM alembic_version").fetchall() == [(FIRST,)]
            names = {r[0] for r in old.execute("SELECT full_name FROM persons")}
            assert names == {p[1] for p in OLD_PERSONS}
            assert old.execute("SELECT count(*) FROM support_items").fetchone() == (len(OLD_ITEMS),)
            no_fts = "SELECT count(*) FROM sqlite_master WHERE name = 'person_search'"
            assert old.execute(no_fts).fetchone() == (0,)
        finally:
            old.close()

        with store.read() as conn:
            # Search finds the old persons (the index was backfilled), accent-insensitively.
            hits = search_persons(conn, "nguyen van duc")
            assert [h.person_id for h in hits] == [OLD_PERSONS[0][0]]
            assert {h.person_id for h in search_persons(conn, "nguyen")} == {
                OLD_PERSONS[0][0],
                OLD_PERSONS[2][0],
            }
            assert [h.person_id for h in search_persons(conn, "3456")] == [OLD_PERSONS[0][0]]
            assert {h.person_id for h in search_persons(conn, "bo kenh")} == {
                p[0] for p in OLD_PERSONS
            }

            # Coverage counts them (the facts were backfilled) and agrees with the reference.
            tallies = coverage_by_area(conn, default_catalogue(), REF_YEAR)
            assert as_pairs(tallies) == as_pairs(reference_coverage(conn))
        ehealth = tallies[(HAMLET, "ehealth")]
        assert (ehealth.eligible, ehealth.covered) == (3, 0)  # the deceased one is out
        fibre = tallies[(HAMLET, "fibre_households")]
        assert (fibre.eligible, fibre.covered) == (1, 1)
        eid = tallies[(HAMLET, "eid_adults")]
        assert (eid.eligible, eid.covered) == (1, 1)  # Hồng has no smartphone, Khoa is a child
    finally:
        store.close()


def test_upgraded_file_takes_new_writes_with_triggers(tmp_path: Path) -> None:
    """After the upgrade, rows written the new way are indexed like the backfilled ones."""
    from desktop.services import Services

    path = tmp_path / "old.db"
    make_first_schema_file(path)
    store = Store.open(path)
    try:
        services = Services(store)
        services.update_person(OLD_PERSONS[1][0], full_name="Trần Thị Hồng Nhung")
        new = services.add_person(HOUSEHOLD, full_name="Đỗ Văn Đạt", birth_date="2001")
        with store.read() as conn:
            assert [h.person_id for h in search_persons(conn, "nhung")] == [OLD_PERSONS[1][0]]
            assert [h.person_id for h in search_persons(conn, "do van dat")] == [new]
            tallies = coverage_by_area(conn, default_catalogue(), REF_YEAR)
            assert as_pairs(tallies) == as_pairs(reference_coverage(conn))
    finally:
        store.close()


def test_unknown_revision_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    store = Store.open(path)
    with store.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
        conn.execute(text("INSERT INTO areas (id, kind, name) VALUES ('T90', 'province', 'X')"))
    store.close()
    before = sha256(path)

    with pytest.raises(DatabaseTooNew) as raised:
        Store.open(path)
    assert "newer version" in str(raised.value)

    assert sha256(path) == before
    assert backups_of(path) == []
    check = sqlite3.connect(path)
    try:
        assert check.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("0099_from_the_future",)
        ]
        assert check.execute("SELECT count(*) FROM areas").fetchone() == (1,)
    finally:
        check.close()


@pytest.mark.parametrize("kind", ["text", "xlsx", "damaged"])
def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "profile.db"
    if kind == "text":
        path.write_text("Họ và tên,Năm sinh\nNguyễn Văn Đức,1980\n", encoding="utf-8")
    elif kind == "xlsx":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")
    else:  # the right header, then garbage: a truncated or overwritten file
        path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 16)
    before = sha256(path)

    with pytest.raises(NotADatabase) as raised:
        Store.open(path)
    assert "profile.db" in str(raised.value)
    assert sha256(path) == before
    assert backups_of(path) == []


# -- the models against the migrated schema ---------------------------------------------------


def schema_drift(store: Store) -> list:
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # The full-text index is a virtual table with shadow tables that FTS5 owns; it has no model
    # on purpose (it is written only by the triggers of migration 0002).
    return [
        d for d in diffs if not (d[0] == "remove_table" and d[1].name.startswith("person_search"))
    ]


def test_models_match_the_schema_migrated_from_empty(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "p.db")
    try:
        assert schema_drift(store) == []
    finally:
        store.close()


def test_models_match_the_schema_migrated_from_the_first_release(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_first_schema_file(path)
    store = Store.open(path)
    try:
        assert schema_drift(store) == []
    finally:
        store.close()


# -- connection pragmas -----------------------------------------------------------------------


def pragmas(conn) -> tuple[str, int]:
    journal = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    foreign_keys = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
    return journal, foreign_keys


def test_every_connection_has_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "p.db")
    try:
        seen = []
        with store.read() as conn:
            seen.append(pragmas(conn))
        with store.write() as conn:
            seen.append(pragmas(conn))
        # Several connections at once (the pool opens new ones), and one in another thread.
        with store.read() as a, store.read() as b:
            seen += [pragmas(a), pragmas(b)]

        def other_thread() -> None:
            with store.read() as conn:
                seen.append(pragmas(conn))

        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
        assert seen == [("wal", 1)] * 5

        # And foreign keys are enforced, not just reported.
        with pytest.raises(IntegrityError), store.write() as conn:
            conn.execute(
                text(
                    "INSERT INTO households (id, hamlet_id, address, note, status) "
                    "VALUES ('h', 'no-such-hamlet', 'x', '', 'active')"
                )
            )
    finally:
        store.close()


def test_wal_survives_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Store.open(path).close()
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        raw.close()


def test_upgrade_from_0002_stops_counting_tombstoned_items(tmp_path: Path) -> None:
    """Migration 0003: items tombstoned under 0002's triggers (still counted) stop counting."""
    path = tmp_path / "p.db"
    engine = make_engine(path)
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0002")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO areas VALUES ('X9001-01', 'hamlet', 'Ấp A', NULL)"))
            conn.execute(
                text(
                    "INSERT INTO households (id, hamlet_id, address, note, status) "
                    "VALUES (:h, 'X9001-01', 'Số 1', '', 'active')"
                ),
                {"h": HOUSEHOLD},
            )
            conn.execute(
                text(
                    "INSERT INTO support_items (id, subject_type, subject_id, item_code,"
                    " state, note, deleted) VALUES (:id, 'household', :h, "
                    "'fibre_internet', 'done', '', 1)"
                ),
                {"id": support_item_id(HOUSEHOLD, "fibre_internet"), "h": HOUSEHOLD},
            )
            counted = conn.execute(text("SELECT counted FROM support_items")).scalar()
        assert counted == 1  # the flaw 0003 fixes
    finally:
        engine.dispose()
    store = Store.open(path)
    try:
        assert store.last_backup is not None and "0002" in store.last_backup.name
        with store.read() as conn:
            assert conn.execute(text("SELECT counted FROM support_items")).scalar() == 0
            tallies = coverage_by_area(conn, default_catalogue(), REF_YEAR)
        assert (tallies[("X9001-01", "fibre_households")].covered) == 0
    finally:
        store.close()


def test_latest_migration_downgrades_and_upgrades_again(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Store.open(path).close()
    engine = make_engine(path)
    try:
        with engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "-1")
        assert current_revision(engine) != head_revision()
    finally:
        engine.dispose()
    store = Store.open(path)
    try:
        assert current_revision(store.engine) == head_revision()
        assert schema_drift(store) == []
    finally:
        store.close()


def test_revisions_read_as_text_match_alembics_own_graph():
    from alembic.script import ScriptDirectory

    from desktop.store.database import _alembic_config, revisions

    script = ScriptDirectory.from_config(_alembic_config())
    head, known = revisions()
    assert head == script.get_current_head()
    assert known == {rev.revision for rev in script.walk_revisions()}


def test_opening_an_up_to_date_profile_does_not_import_alembic(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "p.sqlite"
    Store.open(path).close()
    probe = (
        "import sys; from desktop.store import Store; Store.open(sys.argv[1]).close(); "
        "print(any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))"
    )
    answer = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True
    )
    assert answer.stdout.strip() == "False"
