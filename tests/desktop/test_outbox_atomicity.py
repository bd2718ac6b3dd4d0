"""A domain write and its outbox mutation are one transaction: a failure between the two leaves
neither (SYNC.md, "The device side"; DESIGN.md: nothing half-written survives a crash)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Connection, select

import desktop.services.usecases as usecases
import desktop.store.rows as rows
from desktop.services import ItemChange, Services
from desktop.store import Store
from desktop.store.identity import HLC_LAST
from desktop.store.schema import SYNCED_TABLES
from gocua import ids
from tests.desktop.conftest import HAMLET_A, member, outbox, row, snapshot_counts


class Crash(Exception):
    """Stands for anything that can fail between two statements: disk full, a bug, a kill."""


def state_of(store: Store) -> tuple[dict[str, int], list[dict], str | None, dict[str, list]]:
    """Everything a use case may write: row counts, the outbox, the clock, every synced row."""
    with store.read() as conn:
        tables = {
            name: [dict(r) for r in conn.execute(select(t).order_by(t.c.id)).mappings()]
            for name, t in SYNCED_TABLES.items()
        }
        clock = HLC_LAST.get(conn)
    return snapshot_counts(store), outbox(store), clock, tables


@pytest.fixture
def seeded(services: Services) -> dict[str, str]:
    household = services.register_household(
        HAMLET_A["id"],
        "Số 3, đường liên ấp",
        members=[member("Nguyễn Văn Đức", birth_date="1985"), member("Lê Thị Hoa")],
    )
    p = SYNCED_TABLES["persons"]
    with services.store.read() as conn:
        people = list(
            conn.execute(
                select(p.c.id).where(p.c.household_id == household).order_by(p.c.seq)
            ).scalars()
        )
    return {"household": household, "duc": people[0], "hoa": people[1]}


def failing_append_outbox(
    store: Store, fail_on_call: int = 1, exc: BaseException | None = None
) -> tuple[Callable[..., int], list[dict[str, Any]]]:
    """An append_outbox that raises on its n-th call, after checking the domain write ran."""
    real = rows.append_outbox
    calls: list[dict[str, Any]] = []

    def fake(
        conn: Connection,
        hlc: str,
        table: str,
        row_id: str,
        op: str,
        base_version: int,
        fields: dict[str, Any],
    ) -> int:
        calls.append({"table": table, "row_id": row_id, "op": op})
        if len(calls) < fail_on_call:
            return real(conn, hlc, table, row_id, op, base_version, fields)
        t = SYNCED_TABLES[table]
        written = conn.execute(select(t.c.updated_hlc).where(t.c.id == row_id)).scalar()
        assert written == hlc, "the domain row must be written before its mutation"
        # Not visible to anyone else yet: it is inside the open transaction.
        with store.read() as other:
            assert other.execute(select(t.c.updated_hlc).where(t.c.id == row_id)).scalar() != hlc
        raise exc or Crash("disk I/O error")

    return fake, calls


USE_CASES: dict[str, Callable[[Services, dict[str, str]], Any]] = {
    "register_household": lambda s, r: s.register_household(
        HAMLET_A["id"], "Số 9", members=[member("Trần Văn Nam")]
    ),
    "add_person": lambda s, r: s.add_person(r["household"], full_name="Phạm Thị Mai"),
    "update_person": lambda s, r: s.update_person(r["duc"], full_name="Nguyễn Văn Đạt"),
    "move_person": lambda s, r: s.move_person(r["hoa"], r["household"], relation="spouse"),
    "update_household": lambda s, r: s.update_household(r["household"], address="Số 4"),
    "delete_person": lambda s, r: s.delete_person(r["hoa"]),
    "set_item_state": lambda s, r: s.set_item_state("person", r["duc"], "vneid_l2", "done"),
    "set_target": lambda s, r: s.set_target("X9001", "fibre_households", "2026", 85),
    "log_visit": lambda s, r: s.log_visit(r["household"], "not_home"),
}


@pytest.mark.parametrize("use_case", sorted(USE_CASES))
def test_failure_between_domain_write_and_outbox_leaves_neither(
    services: Services,
    store: Store,
    seeded: dict[str, str],
    use_case: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = state_of(store)
    fake, calls = failing_append_outbox(store)
    monkeypatch.setattr(rows, "append_outbox", fake)
    with pytest.raises(Crash):
        USE_CASES[use_case](services, seeded)
    assert calls, "the failure must have been reached"
    assert state_of(store) == before

    # The store is not left locked or half-open: the same action then succeeds whole.
    monkeypatch.undo()
    last = before[1][-1]["id"]
    USE_CASES[use_case](services, seeded)
    written = outbox(store, last)
    assert written and all(row(store, m["table_name"], m["row_id"]) for m in written)


def test_a_kill_between_the_two_also_leaves_neither(
    services: Services, store: Store, seeded: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only exceptions: KeyboardInterrupt (Ctrl+C, a dying thread) rolls back too."""
    before = state_of(store)
    fake, _ = failing_append_outbox(store, exc=KeyboardInterrupt())
    monkeypatch.setattr(rows, "append_outbox", fake)
    with pytest.raises(KeyboardInterrupt):
        services.add_person(seeded["household"], full_name="Phạm Thị Mai")
    assert state_of(store) == before


def visit_changes(seeded: dict[str, str]) -> list[ItemChange]:
    return [
        ItemChange("person", seeded["duc"], "vneid_l1", "done"),
        ItemChange("person", seeded["hoa"], "bank_account", "guided"),
        ItemChange("person", seeded["hoa"], "ehealth_record", "done"),
        ItemChange("household", seeded["household"], "fibre_internet", "done"),
    ]


@pytest.mark.parametrize("fail_on_call", [1, 2, 3, 4, 5])
def test_log_visit_failing_midway_leaves_no_item_and_no_visit(
    services: Services,
    store: Store,
    seeded: dict[str, str],
    fail_on_call: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Fail at the n-th outbox write: after n-1 items and their mutations were written."""
    before = state_of(store)
    fake, calls = failing_append_outbox(store, fail_on_call)
    monkeypatch.setattr(rows, "append_outbox", fake)
    with pytest.raises(Crash):
        services.log_visit(seeded["household"], "met", visit_changes(seeded))
    assert len(calls) == fail_on_call
    expected = ["support_items"] * 4 + ["visits"]
    assert [c["table"] for c in calls] == expected[:fail_on_call]
    assert state_of(store) == before


def test_log_visit_failing_on_the_visit_row_itself(
    services: Services, store: Store, seeded: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every item written with its mutation, then the visit's own write fails."""
    before = state_of(store)
    real = usecases.record_upsert
    written: list[str] = []

    def fake(conn, hlc, table, row_id, fields, current, today):
        if table == "visits":
            for item_id in written:  # the items really are in the transaction by now
                t = SYNCED_TABLES["support_items"]
                assert conn.execute(select(t.c.state).where(t.c.id == item_id)).scalar()
            raise Crash("visit insert failed")
        written.append(row_id)
        return real(conn, hlc, table, row_id, fields, current, today)

    monkeypatch.setattr(usecases, "record_upsert", fake)
    with pytest.raises(Crash):
        services.log_visit(seeded["household"], "met", visit_changes(seeded))
    assert written == [
        ids.support_item_id(c.subject_id, c.item_code) for c in visit_changes(seeded)
    ]
    assert state_of(store) == before

    monkeypatch.undo()
    visit = services.log_visit(seeded["household"], "met", visit_changes(seeded))
    assert [m["table_name"] for m in outbox(store, before[1][-1]["id"])] == [
        "support_items"
    ] * 4 + ["visits"]
    assert row(store, "visits", visit)["items"]
