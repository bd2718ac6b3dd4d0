"""Fixtures for the desktop store and services: fresh stores in tmp_path, small demo communes.

``store`` holds a province, a commune and three hamlets and nothing else (rows are added through
the services). ``demo_store`` is a copy of a small demo commune made once per session with
``create_demo_profile`` (copying a file is much cheaper than generating and loading again).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, func, select

from desktop.demo_profile import create_demo_profile
from desktop.services import Services
from desktop.store import Store, bulk
from desktop.store.schema import SYNCED_TABLES, OutboxMutation
from gocua.catalogue import Catalogue, default_catalogue
from gocua.coverage import HouseholdFacts, PersonFacts, Tally, compute_coverage
from gocua.validation import birth_year_of

TODAY = dt.date.today()
REF_YEAR = TODAY.year
PROVINCE = {"id": "T90", "kind": "province", "name": "Tỉnh Sông Hậu", "parent_id": None}
COMMUNE = {"id": "X9001", "kind": "commune", "name": "Xã Hòa Phú", "parent_id": "T90"}
HAMLET_A = {"id": "X9001-01", "kind": "hamlet", "name": "Ấp Bình Minh", "parent_id": "X9001"}
HAMLET_B = {"id": "X9001-02", "kind": "hamlet", "name": "Ấp Đông Hòa", "parent_id": "X9001"}
HAMLET_C = {"id": "X9001-03", "kind": "hamlet", "name": "Ấp Bến Đò", "parent_id": "X9001"}
AREAS = [PROVINCE, COMMUNE, HAMLET_A, HAMLET_B, HAMLET_C]
OUTBOX = OutboxMutation.__table__
DEMO_HOUSEHOLDS = 60
DEMO_SEED = 11


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh, migrated store with the areas of one commune and no households."""
    store = Store.open(tmp_path / "profile.db")
    with store.write() as conn:
        bulk.insert_areas(conn, AREAS)
    yield store
    store.close()


@pytest.fixture
def services(store: Store) -> Services:
    return Services(store)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    create_demo_profile(path, DEMO_HOUSEHOLDS, seed=DEMO_SEED, today=TODAY)
    return path


def copy_store(template: Path, target: Path) -> Store:
    """Open a private copy of a closed store file (its WAL was checkpointed on close)."""
    shutil.copyfile(template, target)
    return Store.open(target)


@pytest.fixture
def demo_store(demo_template: Path, tmp_path: Path) -> Iterator[Store]:
    store = copy_store(demo_template, tmp_path / "demo.db")
    yield store
    store.close()


@pytest.fixture
def demo_services(demo_store: Store) -> Services:
    return Services(demo_store)


# -- helpers ----------------------------------------------------------------------------------


def count_rows(conn: Connection, table: str) -> int:
    t = OUTBOX if table == "outbox" else SYNCED_TABLES[table]
    return int(conn.execute(select(func.count()).select_from(t)).scalar_one())


def snapshot_counts(store: Store) -> dict[str, int]:
    """Row counts of every synced table and of the outbox."""
    with store.read() as conn:
        return {name: count_rows(conn, name) for name in [*SYNCED_TABLES, "outbox"]}


def outbox(store: Store, after: int = 0) -> list[dict[str, Any]]:
    """The outbox rows with ids above ``after``, in id order."""
    with store.read() as conn:
        rows = conn.execute(select(OUTBOX).where(OUTBOX.c.id > after).order_by(OUTBOX.c.id))
        return [dict(r) for r in rows.mappings()]


def last_outbox_id(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.coalesce(func.max(OUTBOX.c.id), 0))).scalar_one())


def row(store: Store, table: str, row_id: str) -> dict[str, Any] | None:
    t = SYNCED_TABLES[table]
    with store.read() as conn:
        found = conn.execute(select(t).where(t.c.id == row_id)).mappings().first()
        return dict(found) if found else None


def reference_coverage(
    conn: Connection, catalogue: Catalogue | None = None, ref_year: int = REF_YEAR
) -> dict[tuple[str, str], Tally]:
    """gocua.coverage.compute_coverage over the live rows, read without the trigger facts."""
    h, p, s = (SYNCED_TABLES[n] for n in ("households", "persons", "support_items"))
    households = [
        HouseholdFacts(r.id, r.hamlet_id, r.status)
        for r in conn.execute(select(h.c.id, h.c.hamlet_id, h.c.status).where(~h.c.deleted))
    ]
    persons = [
        PersonFacts(r.id, r.household_id, birth_year_of(r.birth_date), r.has_smartphone, r.status)
        for r in conn.execute(
            select(p.c.id, p.c.household_id, p.c.birth_date, p.c.has_smartphone, p.c.status).where(
                ~p.c.deleted
            )
        )
    ]
    states = {
        (r.subject_id, r.item_code): r.state
        for r in conn.execute(select(s.c.subject_id, s.c.item_code, s.c.state).where(~s.c.deleted))
    }
    return compute_coverage(catalogue or default_catalogue(), households, persons, states, ref_year)


def as_pairs(tallies: dict[tuple[str, str], Tally]) -> dict[tuple[str, str], tuple[int, int]]:
    return {key: (t.eligible, t.covered) for key, t in tallies.items()}


def member(full_name: str, **fields: Any) -> dict[str, Any]:
    return {"full_name": full_name, **fields}
