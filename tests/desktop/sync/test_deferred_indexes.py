"""A first pull into an empty profile sets the big tables' indexes aside and builds them again,
however it ends: finished, cancelled, or killed (then when the profile opens next)."""

from __future__ import annotations

import pytest

from desktop.store import Store, deferred_indexes
from desktop.store.state_keys import DEFERRED_INDEXES
from desktop.sync import errors
from desktop.sync.engine import CURSOR, FROM_EMPTY, FULL_PULL, MARKING
from tests.desktop.sync.conftest import assert_converged, index_sql


def _deferrable(indexes: dict[str, str]) -> set[str]:
    on_tables = {f" ON {table} (" for table in deferred_indexes.TABLES}
    return {name for name, sql in indexes.items() if any(t in sql for t in on_tables)}


def test_a_first_pull_builds_again_every_index_it_set_aside(fifty_households, server, device):
    dev = device(server, "vol_a", sync=False)
    before = index_sql(dev.path)
    set_aside = _deferrable(before)
    assert {
        "ix_persons_household",
        "ix_support_items_coverage",
        "ix_visits_household",
        "ix_households_hamlet",
    } <= set_aside
    during: list[dict[str, str]] = []

    def progress(phase, done, total):
        during.append(index_sql(dev.path))

    report = dev.engine_sync(page_size=20, progress=progress)
    assert report.pulled == 100 and report.checksum_ok is True
    # Every page was saved without them; afterwards they are back, as they were.
    assert len(during) == 5
    assert all(set(seen) == set(before) - set_aside for seen in during)
    assert index_sql(dev.path) == before
    assert dev.state(DEFERRED_INDEXES) is None
    assert_converged(dev)


def test_a_cancelled_first_pull_builds_them_again_before_it_returns(
    fifty_households, server, device
):
    dev = device(server, "vol_a", sync=False)
    before = index_sql(dev.path)
    pages: list[int] = []
    with pytest.raises(errors.Cancelled):
        dev.engine_sync(
            page_size=20, progress=lambda *a: pages.append(1), cancelled=lambda: len(pages) >= 2
        )
    assert index_sql(dev.path) == before and dev.state(DEFERRED_INDEXES) is None
    assert dev.state(FULL_PULL) == FROM_EMPTY  # still resumable
    dev.engine_sync(page_size=20)
    assert index_sql(dev.path) == before
    assert_converged(dev)


def test_a_full_pull_over_synced_rows_keeps_its_indexes(fifty_households, server, device):
    dev = device(server, "vol_a")  # synced once: a full pull now marks and sweeps
    before = index_sql(dev.path)
    with dev.store.write() as conn:
        CURSOR.set(conn, None)
        FULL_PULL.set(conn, MARKING)
    during: list[dict[str, str]] = []
    report = dev.engine_sync(page_size=20, progress=lambda *a: during.append(index_sql(dev.path)))
    assert report.full_pull and report.checksum_ok is True
    assert during and all(seen == before for seen in during)


def test_indexes_left_aside_by_a_killed_pull_are_built_when_the_profile_opens(tmp_path):
    path = tmp_path / "profile.db"
    store = Store.open(path)
    before = index_sql(path)
    with store.write() as conn:
        dropped = deferred_indexes.defer(conn)
    store.close()  # as if killed here: nothing else ran
    assert set(dropped) == _deferrable(before)
    assert set(index_sql(path)) == set(before) - set(dropped)

    Store.open(path).close()
    assert index_sql(path) == before
    reopened = Store.open(path)
    with reopened.read() as conn:
        assert not deferred_indexes.is_deferred(conn)
    reopened.close()


def test_deferring_twice_keeps_the_first_record_and_spares_uniqueindex_sql(tmp_path):
    path = tmp_path / "profile.db"
    store = Store.open(path)
    with store.write() as conn:
        conn.exec_driver_sql("CREATE UNIQUE INDEX ux_test_person_seq ON persons (seq)")
    before = index_sql(path)
    with store.write() as conn:
        first = deferred_indexes.defer(conn)
        assert "ux_test_person_seq" not in first
    with store.write() as conn:
        assert deferred_indexes.defer(conn) == []  # nothing left to set aside
        assert deferred_indexes.is_deferred(conn)
        assert sorted(deferred_indexes.restore_in(conn)) == sorted(first)
    assert index_sql(path) == before
    store.close()
