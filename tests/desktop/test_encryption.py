"""Encrypted profiles: unreadable without the key, wrong passphrase refused, conversion whole."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from desktop.demo_profile import create_demo_profile
from desktop.services import ItemChange, Services
from desktop.store import Store
from desktop.store.encryption import (
    PassphraseRequired,
    UnlockThrottle,
    WrongPassphrase,
    is_encrypted,
)

PASSPHRASE = "Gõ cửa từng nhà 'ấp 3'"
TABLES = ("households", "persons", "support_items", "visits", "targets", "outbox", "sync_state")


def snapshot(store: Store) -> dict[str, list]:
    with store.read() as conn:
        return {t: conn.execute(text(f"SELECT * FROM {t} ORDER BY 1")).all() for t in TABLES}


@pytest.fixture
def plain_profile(tmp_path):
    path = tmp_path / "profile.sqlite"
    create_demo_profile(path, households=40, seed=3)
    store = Store.open(path)
    services = Services(store)
    with store.read() as conn:
        household, person = conn.execute(
            text("SELECT household_id, id FROM persons ORDER BY seq LIMIT 1")
        ).one()
    services.log_visit(
        household, "met", [ItemChange("person", person, "vneid_l2", "pending", "waiting_police")]
    )
    store.close()
    return path


def test_new_encrypted_profile_is_unreadable_without_the_key(tmp_path):
    path = tmp_path / "new.sqlite"
    store = Store.open(path, passphrase=PASSPHRASE)
    with store.write() as conn:
        conn.execute(
            text(
                "INSERT INTO areas (id, kind, name, parent_id) VALUES ('H1', 'hamlet', 'Ấp Một', NULL)"
            )
        )
    store.close()
    assert is_encrypted(path)
    assert not path.read_bytes().startswith(b"SQLite format 3")
    assert "Ấp Một".encode() not in path.read_bytes()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall()


def test_wrong_or_missing_passphrase_is_refused(tmp_path):
    path = tmp_path / "p.sqlite"
    Store.open(path, passphrase=PASSPHRASE).close()
    with pytest.raises(WrongPassphrase):
        Store.open(path, passphrase="not it")
    with pytest.raises(PassphraseRequired):
        Store.open(path)
    store = Store.open(path, passphrase=PASSPHRASE)  # and the right one still opens it
    store.close()


def test_conversion_keeps_every_row_and_the_outbox(plain_profile):
    before = snapshot(Store.open(plain_profile))
    assert before["outbox"], "the fixture must have unsent work to carry over"
    store = Store.open(plain_profile, passphrase=PASSPHRASE)
    try:
        assert snapshot(store) == before
        assert store.last_backup is not None and is_encrypted(store.last_backup)
        with store.read() as conn:  # the search index came along too
            hits = conn.execute(
                text("SELECT count(*) FROM person_search WHERE person_search MATCH 'nguyen'")
            ).scalar()
        assert hits > 0
    finally:
        store.close()
    assert is_encrypted(plain_profile)
    leftovers = [p for p in plain_profile.parent.iterdir() if not is_encrypted(p)]
    assert leftovers == [], "no clear-text copy may remain after conversion"


def test_services_work_on_an_encrypted_profile(tmp_path):
    path = tmp_path / "e.sqlite"
    create_demo_profile(path, households=10, seed=1)
    store = Store.open(path, passphrase=PASSPHRASE)
    with store.read() as conn:
        hamlet = conn.execute(text("SELECT id FROM areas WHERE kind = 'hamlet' LIMIT 1")).scalar()
    household = Services(store).register_household(hamlet, "Số 5, tổ 2")
    store.close()
    store = Store.open(path, passphrase=PASSPHRASE)
    with store.read() as conn:
        assert (
            conn.execute(
                text("SELECT address FROM households WHERE id = :id"), {"id": household}
            ).scalar()
            == "Số 5, tổ 2"
        )
    store.close()


def test_unlock_throttle_grows_and_resets():
    waits: list[float] = []
    now = [100.0]
    throttle = UnlockThrottle(sleep=waits.append, max_delay=5, clock=lambda: now[0])
    for _ in range(7):
        throttle.failed()
    assert waits == [0, 0, 1, 2, 4, 5, 5]  # two typos free, then 1, 2, 4 ... up to the cap
    assert throttle.remaining() == 5
    now[0] += 3.5
    assert throttle.remaining() == 1.5  # what is still owed, not a new delay
    throttle.succeeded()
    assert throttle.delay() == 0 and throttle.remaining() == 0
